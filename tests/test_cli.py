"""The eumicro command line."""

from __future__ import annotations

import datetime as dt
import io
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import attrs
import pytest

import eumicro
from eumicro import LearningOpportunity, Price, samples
from eumicro._cli import main
from eumicro.formats.europass import to_edc, to_edc_json
from eumicro.stacking import by_price, complete, load_example_catalogue


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(list(argv), out=out)
    return code, out.getvalue()


def test_demo_writes_every_sample(tmp_path: Path) -> None:
    code, text = run("demo", "--out", str(tmp_path))
    assert code == 0
    for name in samples.names():
        assert f"{name}\n" in text
        written = eumicro.load_json(tmp_path / f"{name}.json")
        assert written == samples.load(name)
    assert text.count("meets Annex I") == len(samples.names()) - 1
    assert "DRAFT - does not meet Annex I" in text
    assert "[missing] 5. Date of issuing" in text
    collection = eumicro.load_json(tmp_path / "all-samples.json")
    assert collection == list(samples.load_all())


def test_validate_good_files(tmp_path: Path) -> None:
    run("demo", "--out", str(tmp_path))
    files = sorted(str(p) for p in tmp_path.glob("*.json"))
    code, text = run("validate", *files)
    assert (code, text) == (0, "")
    code, text = run("validate", "-v", files[0])
    assert code == 0
    assert text == f"{files[0]}: ok (1 item(s))\n"


def test_validate_reports_one_line_per_problem(tmp_path: Path) -> None:
    doc = eumicro.to_dict(samples.load("ai-ethics-fr"))
    doc["id"] = "not an iri"
    doc["issued"] = "2025-01-20T16:00:00"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(doc))
    broken = tmp_path / "broken.json"
    broken.write_text('{\n  "type": "MicroCredential",\n  oops\n}')
    code, text = run("validate", str(bad), str(broken))
    assert code == 1
    assert text.splitlines() == [
        f"{bad}: $.issued: date-time '2025-01-20T16:00:00' has no timezone: add an offset "
        "such as 'Z' or '+02:00'",
        f"{bad}: $.id: expected an absolute IRI such as 'urn:…' or 'https://…', got 'not an iri'",
        f"{broken}:3:3: $: not valid JSON: Expecting property name enclosed in double quotes",
    ]


def test_validate_annex_i(tmp_path: Path) -> None:
    path = tmp_path / "draft.json"
    eumicro.save_json(samples.load("draft-green-skills"), path)
    assert run("validate", str(path)) == (0, "")
    code, text = run("validate", "--annex-i", str(path))
    assert code == 1
    assert text.splitlines() == [
        f"{path}: $.issued: Annex I element 5 (Date of issuing) missing: the credential has no "
        "date of issuing",
        f"{path}: $.specification.qualityAssurance: Annex I element 11 (Type of quality "
        "assurance) missing: no type of quality assurance",
    ]


def test_annex_report(tmp_path: Path) -> None:
    good = tmp_path / "good.json"
    eumicro.save_json(samples.load("data-literacy-ie"), good)
    code, text = run("annex", str(good))
    assert code == 0
    assert "meets Annex I of the Recommendation" in text
    assert (
        "[present] 11. Type of quality assurance (mandatory): Institutional Quality Assurance"
        in text
    )
    draft = tmp_path / "draft.json"
    eumicro.save_json(samples.load("draft-green-skills"), draft)
    assert run("annex", str(draft))[0] == 1


def test_unknown_extension(tmp_path: Path) -> None:
    path = tmp_path / "credential.txt"
    path.write_text("{}")
    code, text = run("validate", str(path))
    assert code == 1
    assert (
        text == f"{path}: cannot tell the format from the extension '.txt'; eumicro reads "
        ".json, .jsonld, .xml (or give --from json|europass|xml|edci-v2|loq)\n"
    )


def test_usage_errors_exit_2() -> None:
    with pytest.raises(SystemExit) as info:
        main(["validate"], out=io.StringIO())
    assert info.value.code == 2


def test_python_dash_m(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "eumicro", "--version"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0
    assert result.stdout.strip() == f"eumicro {eumicro.__version__}"


# ----------------------------------------------------------------------------- Europass (EDC)

EDC_SAMPLES = Path(__file__).parent / "data" / "edc-samples" / "elm-3.1"


def run_convert(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["convert", *argv], out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_convert_to_europass_and_back(tmp_path: Path) -> None:
    credential = samples.load("data-literacy-ie")
    native = tmp_path / "credential.json"
    eumicro.save_json(credential, native)
    code, text, errors = run_convert(str(native), "--to", "europass")
    assert (code, errors) == (0, "")
    assert json.loads(text) == to_edc(credential)
    edc = tmp_path / "credential.jsonld"
    assert run_convert(str(native), "--to", "europass", "-o", str(edc)) == (0, "", "")
    assert json.loads(edc.read_text("utf-8")) == to_edc(credential)
    back = tmp_path / "back.json"
    assert run_convert(str(edc), "--to", "json", "-o", str(back)) == (0, "", "")
    assert eumicro.load_json(back) == credential
    assert back.read_bytes() == native.read_bytes()


def test_convert_tells_an_edc_in_a_json_file_by_its_content(tmp_path: Path) -> None:
    credential = samples.load("secure-networks-de")
    for name, doc in (
        ("bare.json", to_edc(credential)),
        ("upload.json", {"credential": to_edc(credential)}),
        ("sealed.json", {"payload": json.dumps(to_edc(credential)), "signatures": []}),
    ):
        path = tmp_path / name
        path.write_text(json.dumps(doc), "utf-8")
        code, text, errors = run_convert(str(path), "--to", "json")
        assert code == 0, errors
        assert eumicro.from_json(text) == credential
    sealed_note = f"{tmp_path / 'sealed.json'}: note: $.signatures: the credential is sealed (JAdES); the seal is not verified by eumicro\n"
    assert run_convert(str(tmp_path / "sealed.json"), "--to", "json")[2] == sealed_note


def test_convert_the_commission_sample(tmp_path: Path) -> None:
    source = EDC_SAMPLES / "Sample-MC-Annex1-signed.jsonld"
    code, text, errors = run_convert(str(source), "--to", "json")
    assert code == 0
    credential = eumicro.from_json(text)
    assert credential.title == eumicro.Text(en="Digital micro-credential creation")
    assert f"{source}: note: $.signatures: the credential is sealed (JAdES)" in errors
    # It lacks quality assurance, so it cannot be issued again as an EDC.
    code, text, errors = run_convert(str(source), "--to", "europass")
    assert (code, text) == (1, "")
    assert errors.splitlines()[-2:] == [
        f"{source}: cannot be exported as a European Digital Credential:",
        f"{source}: $.specification.quality_assurance: 11. Type of quality assurance: no type "
        "of quality assurance",
    ]


def test_convert_refuses_what_edc_cannot_hold(tmp_path: Path) -> None:
    draft = tmp_path / "draft.json"
    eumicro.save_json(samples.load("draft-green-skills"), draft)
    code, text, errors = run_convert(str(draft), "--to", "europass")
    assert (code, text) == (1, "")
    assert errors.splitlines() == [
        f"{draft}: cannot be exported as a European Digital Credential:",
        f"{draft}: $.issued: 5. Date of issuing: the credential has no date of issuing",
        f"{draft}: $.specification.quality_assurance: 11. Type of quality assurance: no type of "
        "quality assurance",
    ]
    collection = tmp_path / "all.json"
    eumicro.save_json(list(samples.load_all()), collection)
    code, _, errors = run_convert(str(collection), "--to", "europass")
    assert code == 1
    assert errors == (
        f"{collection}: the document is a collection of credentials; a European Digital "
        "Credential holds one credential: convert credentials one at a time\n"
    )


def test_convert_errors(tmp_path: Path) -> None:
    broken = tmp_path / "broken.jsonld"
    broken.write_text('{"@context": ', "utf-8")
    code, text, errors = run_convert(str(broken), "--to", "json")
    assert (code, text) == (1, "")
    assert errors == f"{broken}:1:14: $: not valid JSON: Expecting value\n"
    other = tmp_path / "credential.xml"
    other.write_text("<x/>", "utf-8")
    assert run_convert(str(other), "--to", "json") == (
        1,
        "",
        f"{other}:1:1: /x: expected a <credential>, <specification> or <collection> document "
        "in namespace 'urn:eumicro:xml:1', got <x> in no namespace\n",
    )
    with pytest.raises(SystemExit) as info:
        main(["convert", str(other), "--to", "pdf"], out=io.StringIO(), err=io.StringIO())
    assert info.value.code == 2


def test_convert_with_a_display_image(tmp_path: Path) -> None:
    native = tmp_path / "credential.json"
    eumicro.save_json(samples.load("ai-ethics-fr"), native)
    png = tmp_path / "card.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\n")
    code, text, _ = run_convert(str(native), "--to", "europass", "--image", str(png))
    assert code == 0
    displays = json.loads(text)["displayParameter"]["individualDisplay"]
    for display in displays:
        image = display["displayDetail"]["image"]
        assert image["contentType"]["id"].endswith("/file-type/PNG")
    bad = tmp_path / "card.bmp"
    bad.write_bytes(b"BM")
    code, _, errors = run_convert(str(native), "--to", "europass", "--image", str(bad))
    assert code == 1
    assert "cannot tell the image type from the extension '.bmp'" in errors


def test_validate_edc_files(tmp_path: Path) -> None:
    good = tmp_path / "good.jsonld"
    good.write_text(to_edc_json(samples.load("data-literacy-ie")), "utf-8")
    assert run("validate", str(good)) == (0, "")
    assert run("validate", "-v", "--annex-i", str(good)) == (
        0,
        f"{good}: ok (1 item(s), European Digital Credential)\n",
    )
    # The Commission's unsigned sample lacks what sealing adds (issued, the issuer's eIDAS id).
    unsigned = EDC_SAMPLES / "Sample-MC-Annex1-unsigned.jsonld"
    code, text = run("validate", str(unsigned))
    assert code == 1
    lines = text.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f"{unsigned}: $.issue")
    assert lines[1].startswith(f"{unsigned}: $.issue")
    # The sealed sample conforms, but it does not meet Annex I (no quality assurance).
    signed = EDC_SAMPLES / "Sample-MC-Annex1-signed.jsonld"
    assert run("validate", str(signed)) == (0, "")
    assert run("validate", "--annex-i", str(signed)) == (
        1,
        f"{signed}: $.payload.credentialSubject.hasClaim.specifiedBy.accreditation: Annex I "
        "element 11 (Type of quality assurance) missing: no type of quality assurance\n",
    )


def test_validate_edc_that_is_not_a_micro_credential(tmp_path: Path) -> None:
    doc = to_edc(samples.load("data-literacy-ie"))
    doc["credentialSubject"]["hasClaim"] = {
        "id": "urn:x:activity",
        "type": "LearningActivity",
        "title": {"en": "Lab work"},
        "awardedBy": doc["credentialSubject"]["hasClaim"]["awardedBy"],
    }
    path = tmp_path / "activity.jsonld"
    path.write_text(json.dumps(doc), "utf-8")
    assert run("validate", str(path)) == (
        1,
        f"{path}: $.credentialSubject.hasClaim: no LearningAchievement claim (found "
        "LearningActivity): a micro-credential is a learning achievement\n",
    )


def test_validate_with_shacl(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import warnings

    good = tmp_path / "good.jsonld"
    good.write_text(to_edc_json(samples.load("secure-networks-de")), "utf-8")
    pytest.importorskip("pyshacl")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # rdflib's own
        assert run("validate", "--shacl", str(good)) == (0, "")

    def missing(*args: object, **kwargs: object) -> None:
        raise eumicro.EumicroError(
            "SHACL validation needs pyld, rdflib and pySHACL: pip install 'eumicro[shacl]'"
        )

    monkeypatch.setattr("eumicro._cli.shacl_validate_edc", missing)
    assert run("validate", "--shacl", str(good)) == (
        1,
        f"{good}: SHACL validation needs pyld, rdflib and pySHACL: pip install 'eumicro[shacl]'\n",
    )


def test_annex_report_of_an_edc_file() -> None:
    signed = EDC_SAMPLES / "Sample-MC-Annex1-signed.jsonld"
    code, text = run("annex", str(signed))
    assert code == 1
    assert text.startswith(f"{signed}: urn:credential:1018d05f-21d5-4555-b7f0-8fabfd22ca75\n")
    assert "[missing] 11. Type of quality assurance (mandatory)" in text
    assert "[present] 9. Type of assessment (mandatory): artefact assessment" in text


def test_stack_with_the_example_catalogue(tmp_path: Path) -> None:
    run("demo", "--out", str(tmp_path))
    files = sorted(str(p) for p in tmp_path.glob("*.json"))
    code, text = run("stack", *files, "--at", "2026-01-01")
    assert code == 0
    assert text.startswith("Stacking report at 2026-01-01T00:00:00+00:00\nCompleted (3):\n")
    assert "urn:eumicro:sample:qualification:th-rheinland:msc-cyber-security" in text
    assert "tourism-electives: missing 12 ECTS" in text
    # At an earlier date the recency rule of the Loire diploma is still met.
    code, text = run("stack", *files, "--at", "2025-06-01", "--closest", "1")
    assert code == 0
    assert "univ-loire:du-data-ai-ethics" in text.split("Closest")[0]


def test_stack_with_a_catalogue_file(tmp_path: Path) -> None:
    from eumicro.stacking import catalogue_to_json, load_example_catalogue

    catalogue = tmp_path / "catalogue.json"
    catalogue.write_text(catalogue_to_json(load_example_catalogue()[:1]))
    credential = tmp_path / "c.json"
    eumicro.save_json(samples.load("data-literacy-ie"), credential)
    code, text = run("stack", str(credential), "--catalogue", str(catalogue), "--at", "2026-01-01")
    assert code == 0
    assert "Completed (0):" in text
    catalogue.write_text('{"type": "QualificationCatalogue", "qualifications": [{"id": "x"}]}')
    code, text = run("stack", str(credential), "--catalogue", str(catalogue))
    assert code == 1
    assert text.startswith(f"{catalogue}: $.qualifications[0]")


def test_stack_with_an_xml_catalogue(tmp_path: Path) -> None:
    from eumicro.stacking import catalogue_to_xml, load_example_catalogue

    credential = tmp_path / "c.json"
    eumicro.save_json(samples.load("data-literacy-ie"), credential)
    for name in ("catalogue.xml", "catalogue.txt"):  # by extension, or by content
        catalogue = tmp_path / name
        catalogue.write_text(catalogue_to_xml(load_example_catalogue()), encoding="utf-8")
        code, text = run("stack", str(credential), "--catalogue", str(catalogue))
        assert code == 0, text
        assert "Closest not yet completed (5):" in text
    catalogue = tmp_path / "bad.xml"
    catalogue.write_text(
        '<catalogue xmlns="urn:eumicro:xml:stacking:1"><qualification/></catalogue>'
    )
    code, text = run("stack", str(credential), "--catalogue", str(catalogue))
    assert code == 1
    assert text.startswith(f"{catalogue}:1:")
    assert "/catalogue/qualification" in text


def test_demo_shows_stacking(tmp_path: Path) -> None:
    code, text = run("demo", "--out", str(tmp_path))
    assert code == 0
    assert "Stacking report at 2026-01-01T00:00:00+00:00\nCompleted (3):" in text


# ----------------------------------------------------------------------------- native XML


def test_validate_xml_files_with_lines_and_columns(tmp_path: Path) -> None:
    good = tmp_path / "good.xml"
    eumicro.save_xml(samples.load("data-literacy-ie"), good)
    collection = tmp_path / "all.xml"
    eumicro.save_xml(list(samples.load_all()), collection)
    assert run("validate", "-v", str(good), str(collection)) == (
        0,
        f"{good}: ok (1 item(s))\n{collection}: ok ({len(samples.names())} item(s))\n",
    )
    bad = tmp_path / "bad.xml"
    bad.write_text(good.read_text(encoding="utf-8").replace("<issued>", "<issued>x", 1))
    code, text = run("validate", str(bad))
    assert code == 1
    (line,) = text.splitlines()
    assert line.startswith(f"{bad}:")
    assert "/credential/issued" in line
    where = line[len(str(bad)) + 1 :].split(":", 2)
    assert where[0].isdigit()  # line
    assert where[1].isdigit()  # column


def test_validate_annex_i_on_xml_gives_element_paths(tmp_path: Path) -> None:
    path = tmp_path / "draft.xml"
    eumicro.save_xml(samples.load("draft-green-skills"), path)
    assert run("validate", str(path)) == (0, "")
    code, text = run("validate", "--annex-i", str(path))
    assert code == 1
    assert text.splitlines() == [
        f"{path}: /credential/issued: Annex I element 5 (Date of issuing) missing: the "
        "credential has no date of issuing",
        f"{path}: /credential/specification/qualityAssurance: Annex I element 11 (Type of "
        "quality assurance) missing: no type of quality assurance",
    ]
    collection = tmp_path / "all.xml"
    eumicro.save_xml(list(samples.load_all()), collection)
    code, text = run("validate", "--annex-i", str(collection))
    index = samples.names().index("draft-green-skills") + 1
    assert f"{collection}: /collection/credential[{index}]/issued: Annex I element 5" in text


def test_convert_between_json_xml_and_europass(tmp_path: Path) -> None:
    credential = samples.load("secure-networks-de")
    source = tmp_path / "c.json"
    eumicro.save_json(credential, source)
    xml = tmp_path / "c.xml"
    assert run("convert", str(source), "--to", "xml", "-o", str(xml)) == (0, "")
    assert eumicro.load_xml(xml) == credential
    assert xml.read_bytes() == eumicro.to_xml_bytes(credential)
    back = tmp_path / "back.json"
    assert run("convert", str(xml), "--to", "json", "-o", str(back)) == (0, "")
    assert eumicro.load_json(back) == credential
    edc = tmp_path / "c.jsonld"
    assert run("convert", str(xml), "--to", "europass", "-o", str(edc)) == (0, "")
    assert eumicro.from_edc(edc.read_bytes()).credential == credential
    again = tmp_path / "again.xml"
    assert run("convert", str(edc), "--to", "xml", "-o", str(again)) == (0, "")
    assert eumicro.load_xml(again) == credential


def test_from_option_overrides_the_extension(tmp_path: Path) -> None:
    odd = tmp_path / "credential.txt"
    eumicro.save_xml(samples.load("data-literacy-ie"), odd)
    code, text = run("validate", str(odd))
    assert code == 1
    assert "cannot tell the format from the extension '.txt'" in text
    assert "--from json|europass|xml|edci-v2|loq" in text
    assert run("validate", "--from", "xml", str(odd)) == (0, "")
    code, text = run("annex", "--from", "xml", str(odd))
    assert code == 0
    assert "meets Annex I" in text
    # Told to read JSON, an XML file is reported as bad JSON, not guessed.
    code, text = run("validate", "--from", "json", str(odd))
    assert code == 1
    assert "not valid JSON" in text


def test_stack_reads_xml_credentials(tmp_path: Path) -> None:
    files = []
    for name in samples.names():
        path = tmp_path / f"{name}.xml"
        eumicro.save_xml(samples.load(name), path)
        files.append(str(path))
    code, text = run("stack", *files, "--at", "2026-01-01")
    assert code == 0
    assert text.startswith("Stacking report at 2026-01-01T00:00:00+00:00\nCompleted (3):\n")


# ----------------------------------------------------------------------------- Europass XML

DATA = Path(__file__).parent / "data"


def test_europass_xml_inputs_are_told_by_their_root(tmp_path: Path) -> None:
    edci = DATA / "edci-v2" / "EDC_SampleDegree_AA.xml"
    loq = DATA / "loq" / "loq.xml"
    code, text = run("annex", str(edci))
    assert text.count(f"{edci}: ") == 1
    assert "[missing] 11. Type of quality assurance" in text
    assert code == 1
    # The official LOQ sample is valid; the values the model cannot hold are noted with
    # their places, and kept when it is converted to LOQ again.
    out, err = io.StringIO(), io.StringIO()
    assert main(["validate", str(loq)], out=out, err=err) == 0
    notes = err.getvalue().splitlines()
    assert len(notes) == 38
    assert notes[0] == (
        f"{loq}: note: /Courses/learningOpportunityReferences/learningOpportunity[2]"
        "/priceDetail[1]/amount/value (line 676, column 21): a negative price "
        "(-782806104.573) (kept in a LOQ re-export)"
    )
    again = tmp_path / "again.xml"
    code, _, errors = run_convert(str(loq), "--to", "loq", "-o", str(again))
    assert (code, errors.count(": note: ")) == (0, 38)
    notes_of = [
        [(n.path, n.message) for n in eumicro.formats.europass.read_loq(f).notes]
        for f in (loq, again)
    ]
    assert notes_of[0] == notes_of[1]
    # --from names the format whatever the extension.
    renamed = tmp_path / "degree.data"
    renamed.write_bytes(edci.read_bytes())
    assert run("validate", "--from", "edci-v2", str(renamed)) == (0, "")


def test_convert_to_loq_and_edci(tmp_path: Path) -> None:
    credential = samples.load("data-literacy-ie")
    source = tmp_path / "c.json"
    eumicro.save_json(credential, source)
    loq = tmp_path / "offer.xml"
    assert run("convert", str(source), "--to", "loq", "-o", str(loq)) == (0, "")
    (spec,) = eumicro.formats.europass.from_loq_xml(loq.read_bytes())
    assert spec.id == credential.specification.id
    edci = tmp_path / "legacy.xml"
    assert run("convert", str(source), "--to", "edci-v2", "-o", str(edci)) == (0, "")
    (back,) = eumicro.formats.europass.from_edci_xml(edci.read_bytes()).credentials
    assert back.id == credential.id
    # Read back by their root elements, then converted to native JSON.
    native = tmp_path / "back.json"
    assert run("convert", str(edci), "--to", "json", "-o", str(native)) == (0, "")
    assert eumicro.load_json(native).specification.title == credential.specification.title
    assert run("convert", str(loq), "--to", "json", "-o", str(native)) == (0, "")
    assert eumicro.load_json(native).id == credential.specification.id
    draft = tmp_path / "draft.json"
    eumicro.save_json(samples.load("draft-green-skills"), draft)
    code, _out, errors = run_convert(str(draft), "--to", "edci-v2")
    assert code == 1
    assert "cannot be exported as a legacy Europass credential" in errors


def _offers_file(path: Path) -> list[LearningOpportunity]:
    """Offers of the samples' specifications (under new ids), priced in euros."""
    offers = []
    for i, credential in enumerate(samples.load_all()):
        spec = attrs.evolve(credential.specification, id=f"{credential.specification.id}:next")
        if not (spec.fields and spec.languages and spec.learning_outcomes):
            continue  # what LOQ requires
        offers.append(
            LearningOpportunity(
                id=f"urn:example:offer:{i}",
                specification=spec,
                homepage=f"https://offers.example/{i}",
                providers=[o for o in credential.awarding_bodies if o.id and o.country][:1],
                prices=[Price(amount=100 + 50 * i, currency="EUR")],
            )
        )
    path.write_bytes(eumicro.formats.europass.to_loq_xml(offers))
    return offers


def test_stack_with_offers_gives_the_cheapest_completions(tmp_path: Path) -> None:
    offers_path = tmp_path / "offers.xml"
    offers = _offers_file(offers_path)
    held = tmp_path / "held.json"
    eumicro.save_json(list(samples.load_all()), held)
    code, text = run(
        "stack", str(held), "--at", "2026-01-01", "--offers", str(offers_path), "--currency", "EUR"
    )
    assert code == 0
    tail = text.split("\n\n")[-1]
    assert tail == (
        f"Cheapest completions with {len(offers)} offer(s) of {offers_path} "
        "(cost: lowest price in EUR):\n"
        "  - urn:eumicro:sample:qualification:estb:tecnico-superior-turismo: not possible with "
        "these offers\n"
        "  - urn:eumicro:sample:qualification:univ-loire:du-data-ai-ethics: 1 offer(s), 100 EUR\n"
        "      urn:example:offer:0 (Data Literacy for Professionals): 100 EUR\n"
    )
    # The same answers as the API's.
    at = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    for qid, expected in (
        ("urn:eumicro:sample:qualification:estb:tecnico-superior-turismo", None),
        ("urn:eumicro:sample:qualification:univ-loire:du-data-ai-ethics", Decimal(100)),
    ):
        (qualification,) = [q for q in load_example_catalogue() if q.id == qid]
        found = complete(samples.load_all(), qualification, offers, at=at, cost=by_price("EUR"))
        assert found.cost == expected
    # By ECTS (the default), an offer without ECTS is left out, and said.
    code, text = run("stack", str(held), "--at", "2026-01-01", "--offers", str(offers_path))
    assert code == 0
    assert "(cost: ECTS):\n" in text
    assert "du-data-ai-ethics: 1 offer(s), 5 ECTS\n" in text
    assert text.count(": left out: ") == sum(o.specification.ects is None for o in offers)


def test_stack_with_offers_reports_bad_input(tmp_path: Path) -> None:
    offers_path = tmp_path / "offers.xml"
    _offers_file(offers_path)
    held = tmp_path / "held.json"
    eumicro.save_json(samples.load("data-literacy-ie"), held)
    code, text = run("stack", str(held), "--offers", str(offers_path), "--currency", "XYZ")
    assert code == 1
    assert text.splitlines()[-1].startswith("--currency: ")
    assert "XYZ" in text.splitlines()[-1]
    code, text = run("stack", str(held), "--offers", str(offers_path), "--currency", "CHF")
    assert code == 0
    assert text.count(": left out: offer urn:example:offer:") == 7
    assert "Cheapest completions with 0 offer(s)" in text
    broken = tmp_path / "broken.xml"
    broken.write_text("<Courses>", encoding="utf-8")
    code, text = run("stack", str(held), "--offers", str(broken))
    assert code == 1
    assert text.splitlines()[-1].startswith(f"{broken}:1:")

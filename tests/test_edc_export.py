"""EDC export: structure, limits, display images, golden files and SHACL conformance.

Golden files
------------
``tests/golden/edc/<sample-name>.jsonld`` holds ``to_edc_json(sample, render=fixed_render)
+ "\\n"`` for every built-in sample that can be exported (all but the draft). The display
image is drawn by :func:`fixed_render` (a tiny SVG naming the language), so that the golden
files do not change with the layout of eumicro's renderer, which has tests of its own.

After a deliberate change to the samples or to the EDC mapping, regenerate them with::

    EUMICRO_UPDATE_GOLDEN=1 python -m pytest tests/test_edc_export.py -p no:cacheprovider

and review the diff (``git diff tests/golden/edc``) before committing it.
"""

from __future__ import annotations

import base64
import json
import os
import warnings
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given
from tests import strategies as gen

from eumicro import (
    AnnexIError,
    MicroCredential,
    QualityAssurance,
    Text,
    ValidationError,
    samples,
    vocab,
)
from eumicro.formats.europass import (
    DisplayImage,
    check_edc,
    render_svg,
    shacl_validate_edc,
    to_edc,
    to_edc_json,
)
from eumicro.formats.europass._render import svg_text

GOLDEN_DIR = Path(__file__).parent / "golden" / "edc"
UPDATE_GOLDEN = os.environ.get("EUMICRO_UPDATE_GOLDEN") == "1"
EXPORTABLE = [name for name in samples.names() if name != "draft-green-skills"]
SVG = "http://publications.europa.eu/resource/authority/file-type/SVG"


def fixed_render(credential: MicroCredential, language: str) -> DisplayImage:
    """A display image that depends only on the language (for golden files)."""
    svg = f'<svg xmlns="http://www.w3.org/2000/svg"><title>{language}</title></svg>'
    return DisplayImage(content=svg.encode("utf-8"), file_type="SVG")


# ----------------------------------------------------------------------------- SHACL

EDC_SHAPES = ("EDC-generic-no-cv.ttl", "EDC-generic-full.ttl")


def shacl_problems(doc: dict[str, Any]) -> list[str]:
    """SHACL violations of ``doc`` against the official EDC 3.2 shapes (pySHACL)."""
    with warnings.catch_warnings():
        # rdflib's own deprecation warnings are not ours to fail on.
        warnings.simplefilter("ignore", DeprecationWarning)
        report = shacl_validate_edc(doc)
    return [] if report.conforms else [str(p) for p in report.problems]


@pytest.mark.parametrize("name", EXPORTABLE)
def test_sample_exports_conform_to_the_edc_shapes(name: str) -> None:
    assert shacl_problems(to_edc(samples.load(name))) == []


@pytest.mark.parametrize("name", EXPORTABLE)
def test_sample_exports_pass_the_builtin_check(name: str) -> None:
    assert check_edc(to_edc(samples.load(name))) == ()


def test_the_shacl_recipe_finds_violations() -> None:
    doc = to_edc(samples.load("data-literacy-ie"))
    del doc["issued"]
    del doc["issuer"]["eIDASIdentifier"]
    assert shacl_problems(doc) != []


# ----------------------------------------------------------------------------- structure


@pytest.mark.parametrize("name", EXPORTABLE)
def test_sample_export_structure(name: str) -> None:
    credential = samples.load(name)
    doc = to_edc(credential)
    assert doc["@context"] == [
        "https://www.w3.org/2018/credentials/v1",
        "http://data.europa.eu/snb/model/context/edc-ap",
    ]
    assert doc["id"] == credential.id
    assert doc["type"] == ["VerifiableCredential", "EuropeanDigitalCredential"]
    assert doc["credentialSchema"] == {
        "id": "http://data.europa.eu/snb/model/ap/edc-generic-full",
        "type": "ShaclValidator2017",
    }
    assert doc["credentialProfiles"]["id"] == "http://data.europa.eu/snb/credential/e34929035b"
    assert doc["credentialProfiles"]["inScheme"]["id"] == (
        "http://data.europa.eu/snb/credential/25831c2"
    )
    assert doc["issued"] == doc["issuanceDate"]
    assert "validFrom" in doc
    issuer = doc["issuer"]
    if isinstance(issuer, str):  # a stated issuer that is the first awarding body
        awarding = doc["credentialSubject"]["hasClaim"]["awardedBy"]["awardingBody"]
        first = awarding[0] if isinstance(awarding, list) else awarding
        assert issuer == first["id"]
        issuer = first
    assert issuer["eIDASIdentifier"]["type"] == "LegalIdentifier"
    claim = doc["credentialSubject"]["hasClaim"]
    assert claim["type"] == "LearningAchievement"
    assert claim["specifiedBy"]["type"] == "Qualification"
    assert claim["title"] == dict(credential.specification.title or {})
    display = doc["displayParameter"]
    displays = display["individualDisplay"]
    displays = displays if isinstance(displays, list) else [displays]
    assert len(displays) == len(credential.specification.title or ())
    for item in displays:
        image = item["displayDetail"]["image"]
        assert image["contentType"]["id"] == SVG
        assert image["contentEncoding"]["id"] == "http://data.europa.eu/snb/encoding/6146cde7dd"
        ET.fromstring(base64.b64decode(image["content"]))  # a well-formed SVG


def test_data_literacy_mapping() -> None:
    doc = to_edc(samples.load("data-literacy-ie"))
    person = doc["credentialSubject"]
    assert person["id"] == "did:example:learner:aoife"
    assert person["fullName"] == {"en": "Aoife Byrne"}
    assert person["dateOfBirth"] == "1991-03-14T00:00:00Z"
    assert person["contactPoint"]["emailAddress"]["id"] == "mailto:aoife.byrne@mail.example"
    claim = person["hasClaim"]
    spec = claim["specifiedBy"]
    assert spec["id"] == "urn:eumicro:sample:spec:liffey:data-literacy"
    assert spec["eqfLevel"]["id"] == "http://data.europa.eu/snb/eqf/6"
    assert spec["educationLevel"]["id"] == "urn:eumicro:vocab:qf-ehea-cycle:1"
    assert spec["creditPoint"] == {
        "id": "urn:eumicro:node:creditPoint:1",
        "type": "CreditPoint",
        "framework": {
            "id": "http://data.europa.eu/snb/education-credit/6fcec5c5af",
            "type": "Concept",
            "inScheme": {
                "id": "http://data.europa.eu/snb/education-credit/25831c2",
                "type": "ConceptScheme",
            },
            "prefLabel": {"en": "European Credit Transfer System"},
        },
        "point": "5",
    }
    assert spec["volumeOfLearning"] == "PT125H"
    outcome = spec["learningOutcome"][0]
    assert [s["id"] for s in outcome["relatedESCOSkill"]] == [
        "http://data.europa.eu/esco/skill/db77825e-0f3e-47d0-abdb-356794484272",
        "http://data.europa.eu/esco/skill/31c69100-b612-4a61-8db5-fd314318854c",
    ]
    assert outcome["relatedESCOSkill"][0]["inScheme"]["id"] == (
        "http://data.europa.eu/esco/concept-scheme/skills"
    )
    # Quality assurance with a type and an agency: an Accreditation.
    accreditation = spec["accreditation"]
    assert accreditation["id"] == "urn:eumicro:node:qualityAssurance:1"
    assert accreditation["dcType"]["id"] == "http://data.europa.eu/snb/accreditation/bb4618238e"
    assert accreditation["accreditingAgent"]["legalName"] == {
        "en": "Quality and Qualifications Ireland"
    }
    assert spec["isPartialQualification"] is False
    assert spec["entryRequirement"]["noteLiteral"] == {
        "en": "A Leaving Certificate or equivalent; basic computer skills."
    }
    assert spec["mode"]["id"] == "http://data.europa.eu/snb/learning-assessment/920fbb3cbe"
    assert spec["learningSetting"]["id"] == "http://data.europa.eu/snb/learning-setting/6fd4685715"
    # Two assessment types: one specification with a part per type.
    las = spec["provenBy"]
    assert [p["dcType"]["id"] for p in las["hasPart"]] == [
        "http://data.europa.eu/snb/assessment/6e6cb2cc78",
        "http://data.europa.eu/snb/assessment/795dac4096",
    ]
    # Grade, grading scheme and supervision on the learning assessment.
    assessment = claim["provenBy"]
    assert assessment["grade"]["noteLiteral"] == {"en": "Distinction"}
    assert assessment["idVerification"]["id"] == (
        "http://data.europa.eu/snb/supervision-verification/70be69aaf9"
    )
    assert assessment["specifiedBy"]["gradingScheme"]["title"] == {"en": "Pass, Merit, Distinction"}
    # The provider and the learning schedule on the learning opportunity.
    opportunity = claim["learningOpportunity"]
    assert opportunity["providedBy"]["id"] == "urn:eumicro:sample:org:liffey-university"
    assert opportunity["learningSchedule"]["id"] == (
        "http://data.europa.eu/snb/learning-schedule/67395e6b5a"
    )
    assert doc["validFrom"] == "2024-07-01T00:00:00+01:00"
    assert doc["issued"] == "2024-06-14T10:00:00Z"


def test_stackability_and_notes() -> None:
    spec = to_edc(samples.load("secure-networks-de"))["credentialSubject"]["hasClaim"][
        "specifiedBy"
    ]
    assert spec["isPartialQualification"] is True
    assert spec["isPartOf"] == {
        "id": "urn:eumicro:sample:qualification:th-rheinland:msc-cyber-security",
        "type": "Qualification",
        "title": {"de": "M.Sc. Cyber-Sicherheit", "en": "M.Sc. Cyber Security"},
    }
    notes = spec["additionalNote"]
    notes = notes if isinstance(notes, list) else [notes]
    subjects = [n.get("subject", {}).get("id") for n in notes]
    assert subjects == [
        # quality assurance without an agency: a Note whose subject is its type
        "http://data.europa.eu/snb/accreditation/820101cba6",
        "http://data.europa.eu/snb/qualification-topics#pathways",
    ]
    assert notes[0]["id"] == "urn:eumicro:node:qualityAssurance:1"
    assert spec["supplementaryDocument"] == {
        "id": "urn:eumicro:node:qualityAssurance:1:report",
        "type": "WebResource",
        "contentURL": "https://www.th-rheinland.example/akkreditierung/2023.pdf",
    }


def test_stated_issuer_equal_to_the_first_awarding_body_is_a_reference() -> None:
    credential = samples.load("digital-health-fi-ee")
    assert credential.issuer == credential.awarding_bodies[0]
    doc = to_edc(credential)
    assert doc["issuer"] == "urn:eumicro:sample:org:helsinki-health-academy"
    unstated = to_edc(attrs.evolve(credential, issuer=None))
    assert unstated["issuer"]["id"] == "urn:eumicro:sample:org:helsinki-health-academy"
    assert unstated["issuer"]["eIDASIdentifier"]["notation"] == "FI/FI/23456789"


def test_generated_ids_are_reserved_and_repeat_for_the_same_node() -> None:
    doc = to_edc(samples.load("weld-inspection-pl"))
    person = doc["credentialSubject"]
    assert person["id"] == "urn:eumicro:node:person:1"
    claim = person["hasClaim"]
    assert claim["id"] == "urn:eumicro:node:learningAchievement:1"
    # The awarding process is the same node under the claim and under its assessment.
    assert claim["provenBy"]["awardedBy"] == claim["awardedBy"]


def test_hours_and_decimals() -> None:
    base = samples.load("data-literacy-ie")
    workload = attrs.evolve(base.specification.workload, ects=2.5, hours="12.25")
    credential = attrs.evolve(
        base, specification=attrs.evolve(base.specification, workload=workload)
    )
    spec = to_edc(credential)["credentialSubject"]["hasClaim"]["specifiedBy"]
    assert spec["creditPoint"]["point"] == "2.5"
    assert spec["volumeOfLearning"] == "PT12H15M"  # xsd:duration: only seconds have decimals


def test_nodes_written_twice_are_independent_objects() -> None:
    """Changing one occurrence of a node in the dict does not change the others."""
    seen: set[int] = set()

    def walk(value: Any) -> None:
        if isinstance(value, dict | list):
            assert id(value) not in seen
            seen.add(id(value))
            for item in value.values() if isinstance(value, dict) else value:
                walk(item)

    walk(to_edc(samples.load("data-literacy-ie")))


def test_export_is_deterministic() -> None:
    credential = samples.load("data-literacy-ie")
    assert to_edc_json(credential) == to_edc_json(samples.load("data-literacy-ie"))


def test_to_edc_json_is_the_dict_as_json() -> None:
    credential = samples.load("ai-ethics-fr")
    assert json.loads(to_edc_json(credential, indent=None)) == to_edc(credential)


# ----------------------------------------------------------------------------- limits


def test_draft_is_refused() -> None:
    with pytest.raises(AnnexIError) as info:
        to_edc(samples.load("draft-green-skills"))
    assert [str(p) for p in info.value.problems] == [
        "$.issued: 5. Date of issuing: the credential has no date of issuing",
        "$.specification.quality_assurance: 11. Type of quality assurance: no type of "
        "quality assurance",
    ]


def test_not_a_credential() -> None:
    with pytest.raises(TypeError):
        to_edc(samples.load("draft-green-skills").specification)  # type: ignore[arg-type]


def _liffey() -> MicroCredential:
    return samples.load("data-literacy-ie")


def _no_country() -> MicroCredential:
    c = _liffey()
    body = attrs.evolve(c.awarding_bodies[0], country=None)  # the region still tells Annex I
    return attrs.evolve(
        c, awarding_bodies=(body,), specification=attrs.evolve(c.specification, provider=body)
    )


def _no_eidas() -> MicroCredential:
    c = _liffey()
    body = attrs.evolve(c.awarding_bodies[0], eidas_identifier=None)
    return attrs.evolve(
        c, awarding_bodies=(body,), specification=attrs.evolve(c.specification, provider=body)
    )


def _issuer_no_eidas() -> MicroCredential:
    c = samples.load("digital-health-fi-ee")
    return attrs.evolve(c, issuer=c.awarding_bodies[1])


def _agency_without_type() -> MicroCredential:
    c = _liffey()
    qa = attrs.evolve(c.specification.quality_assurance[0], type=None)
    return attrs.evolve(c, specification=attrs.evolve(c.specification, quality_assurance=(qa,)))


def _towards_without_title() -> MicroCredential:
    c = samples.load("secure-networks-de")
    stack = c.specification.stackability
    assert stack is not None
    towards = (attrs.evolve(stack.towards[0], title=None),)
    return attrs.evolve(
        c,
        specification=attrs.evolve(
            c.specification, stackability=attrs.evolve(stack, towards=towards)
        ),
    )


def _everything_wrong() -> MicroCredential:
    c = _no_country()
    qa = QualityAssurance(description=Text(en="Audited."), agency=c.awarding_bodies[0])
    return attrs.evolve(
        c,
        grade=None,
        learner=attrs.evolve(c.learner, id="urn:eumicro:node:person:7"),
        specification=attrs.evolve(c.specification, quality_assurance=(qa,)),
    )


PREFIX = "urn:eumicro:sample:credential:liffey:2024:00017"
COUNTRY = (
    "EDC requires the country of every organisation "
    "(Organisation.location → Address.countryCode, 1..1)"
)

LIMITS: list[tuple[str, Callable[[], MicroCredential], list[str]]] = [
    (
        "organisation without a country",
        _no_country,
        [
            f"$.awarding_bodies[0].country: {COUNTRY}",
            f"$.specification.provider.country: {COUNTRY}",
        ],
    ),
    (
        "first awarding body issues without an eIDAS identifier",
        _no_eidas,
        [
            "$.awarding_bodies[0].eidas_identifier: EDC requires the issuer's eIDAS legal "
            "identifier (issuer.eIDASIdentifier, 1..1); the issuer is the first awarding body"
        ],
    ),
    (
        "stated issuer without an eIDAS identifier",
        _issuer_no_eidas,
        [
            "$.issuer.eidas_identifier: EDC requires the issuer's eIDAS legal identifier "
            "(issuer.eIDASIdentifier, 1..1); the issuer is the credential's issuer"
        ],
    ),
    (
        "quality-assurance agency without a type",
        _agency_without_type,
        [
            "$.specification.quality_assurance[0].agency: EDC records a quality-assurance "
            "agency only on an Accreditation, which needs the quality-assurance type "
            "(Accreditation.dcType, 1..1): give the type"
        ],
    ),
    (
        "stacks towards a credential without a title",
        _towards_without_title,
        [
            "$.specification.stackability.towards[0].title: EDC requires a title for the "
            "qualification a micro-credential stacks towards (isPartOf → Qualification.title, "
            "1..*)"
        ],
    ),
    (
        "supervision without a grade",
        lambda: attrs.evolve(_liffey(), grade=None),
        [
            "$.supervision: EDC records supervision and identity verification on the learning "
            "assessment (LearningAssessment.idVerification), which needs a grade "
            "(LearningAssessment.grade, 1..1): give the grade as well"
        ],
    ),
    (
        "an id with the reserved prefix",
        lambda: attrs.evolve(
            _liffey(), learner=attrs.evolve(_liffey().learner, id="urn:eumicro:node:person:7")
        ),
        [
            "$.learner.id: ids beginning with 'urn:eumicro:node:' are reserved for the nodes "
            "eumicro generates, got 'urn:eumicro:node:person:7'"
        ],
    ),
    (
        "one id for two nodes",
        lambda: attrs.evolve(
            _liffey(),
            learner=attrs.evolve(_liffey().learner, id="urn:eumicro:sample:org:liffey-university"),
        ),
        [
            "$.learner.id: the id 'urn:eumicro:sample:org:liffey-university' is also the id of "
            "a different node ($.awarding_bodies[0]); in EDC one id names one node"
        ],
    ),
    (
        "the credential's id for another node",
        lambda: attrs.evolve(_liffey(), learner=attrs.evolve(_liffey().learner, id=PREFIX)),
        [
            f"$.learner.id: the id '{PREFIX}' is also the id of a different node (the "
            "credential); in EDC one id names one node"
        ],
    ),
    (
        "a title whose primary language is not in the EU list",
        lambda: attrs.evolve(
            _liffey(),
            specification=attrs.evolve(
                _liffey().specification, title=Text(qaa="Datenkunde", en="Data literacy")
            ),
        ),
        [
            "$.specification.title: the primary language 'qaa' of the title is not in the EU "
            "language list, which EDC requires for displayParameter.primaryLanguage"
        ],
    ),
    (
        "every problem at once",
        _everything_wrong,
        [
            f"$.awarding_bodies[0].country: {COUNTRY}",
            "$.learner.id: ids beginning with 'urn:eumicro:node:' are reserved for the nodes "
            "eumicro generates, got 'urn:eumicro:node:person:7'",
            f"$.specification.provider.country: {COUNTRY}",
            "$.specification.quality_assurance[0].agency: EDC records a quality-assurance "
            "agency only on an Accreditation, which needs the quality-assurance type "
            "(Accreditation.dcType, 1..1): give the type",
            "$.supervision: EDC records supervision and identity verification on the learning "
            "assessment (LearningAssessment.idVerification), which needs a grade "
            "(LearningAssessment.grade, 1..1): give the grade as well",
        ],
    ),
]


@pytest.mark.parametrize(
    ("make", "expected"), [(m, e) for _, m, e in LIMITS], ids=[n for n, _, _ in LIMITS]
)
def test_what_edc_cannot_carry(make: Callable[[], MicroCredential], expected: list[str]) -> None:
    credential = make()
    with pytest.raises(ValidationError) as info:
        to_edc(credential)
    assert not isinstance(info.value, AnnexIError)
    assert [str(p) for p in info.value.problems] == expected
    assert info.value.subject == f"credential {credential.id} (EDC export)"
    assert {p.code for p in info.value.problems} == {"edc"}


# ----------------------------------------------------------------------------- display


def _images(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    displays = doc["displayParameter"]["individualDisplay"]
    displays = displays if isinstance(displays, list) else [displays]
    return {d["language"]["id"].rsplit("/", 1)[1]: d["displayDetail"]["image"] for d in displays}


def test_display_languages_follow_the_title() -> None:
    c = samples.load("digital-health-fi-ee")  # title in fi, sv, en
    display = to_edc(c)["displayParameter"]
    assert display["title"] == dict(c.specification.title or {})
    assert display["primaryLanguage"]["id"].endswith("/FIN")
    assert [lang["id"].rsplit("/", 1)[1] for lang in display["language"]] == ["FIN", "SWE", "ENG"]
    images = _images(to_edc(c))
    assert list(images) == ["FIN", "SWE", "ENG"]
    assert b"Hantering av h\xc3\xa4lsodata" in base64.b64decode(images["SWE"]["content"])


def test_two_tags_of_one_language_share_a_display() -> None:
    c = _liffey()
    title = Text(es="Alfabetización de datos", en="Data literacy", **{"es-419": "Datos"})
    doc = to_edc(attrs.evolve(c, specification=attrs.evolve(c.specification, title=title)))
    assert list(_images(doc)) == ["SPA", "ENG"]


def test_caller_image_for_every_language() -> None:
    png = DisplayImage(content=b"\x89PNG\r\n\x1a\n...", file_type="PNG")
    doc = to_edc(samples.load("secure-networks-de"), image=png)
    for image in _images(doc).values():
        assert base64.b64decode(image["content"]) == png.content
        assert image["contentType"]["id"] == (
            "http://publications.europa.eu/resource/authority/file-type/PNG"
        )


def test_caller_images_by_language_and_rendered_for_the_others() -> None:
    pdf = DisplayImage(content=b"%PDF-1.7", file_type=vocab.FILE_TYPE["PDF"])
    images = _images(to_edc(samples.load("secure-networks-de"), image={"DE": pdf}))
    assert base64.b64decode(images["DEU"]["content"]) == b"%PDF-1.7"
    assert images["ENG"]["contentType"]["id"] == SVG


def test_custom_renderer() -> None:
    calls: list[str] = []

    def render(credential: MicroCredential, language: str) -> DisplayImage:
        calls.append(language)
        return fixed_render(credential, language)

    to_edc(samples.load("digital-health-fi-ee"), render=render)
    assert calls == ["fi", "sv", "en"]


def test_display_image_is_validated() -> None:
    with pytest.raises(ValidationError) as info:
        DisplayImage(content=b"", file_type="no such type")
    assert [str(p) for p in info.value.problems] == [
        "$.file_type: unknown code 'no such type': expected a concept from File types (an IRI "
        "or code)"
    ]
    with pytest.raises(ValidationError) as info:
        DisplayImage(content=b"", file_type="SVG")
    assert [str(p) for p in info.value.problems] == ["$.content: must not be empty"]


def test_render_svg() -> None:
    credential = samples.load("secure-networks-de")
    image = render_svg(credential, "de")
    assert image.file_type == vocab.FILE_TYPE["SVG"]
    assert image == render_svg(samples.load("secure-networks-de"), "de")  # deterministic
    root = ET.fromstring(image.content)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    text = " ".join(t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text"))
    for expected in (
        "Sichere Netzwerke",
        "Jonas Becker",
        "Technische Hochschule Rheinland",
        "2024-03-28",
        "6 ECTS · EQF 7",
        "Lernergebnisse",
        "Verliehen an",
    ):
        assert expected in text
    english = " ".join(
        t.text or ""
        for t in ET.fromstring(render_svg(credential, "en").content).iter(
            "{http://www.w3.org/2000/svg}text"
        )
    )
    assert "Secure Networks" in english
    assert "Awarded to" in english


def test_render_escapes_markup() -> None:
    c = _liffey()
    title = Text(en='<script>alert("x")</script> & </svg>')
    svg = svg_text(attrs.evolve(c, specification=attrs.evolve(c.specification, title=title)), "en")
    assert "<script>" not in svg
    assert '&lt;script&gt;alert("x")&lt;/script&gt; &amp; &lt;/svg&gt;' in svg
    ET.fromstring(svg.encode("utf-8"))


@given(gen.texts(), gen.strings())
def test_render_gives_well_formed_svg_for_any_text(title: Text, name: str) -> None:
    c = _liffey()
    credential = attrs.evolve(
        c,
        learner=attrs.evolve(c.learner, full_name=name),
        specification=attrs.evolve(c.specification, title=title),
    )
    for language in title.languages:
        ET.fromstring(render_svg(credential, language).content)


# ----------------------------------------------------------------------------- golden files


@pytest.mark.parametrize("name", EXPORTABLE)
def test_golden_file(name: str) -> None:
    path = GOLDEN_DIR / f"{name}.jsonld"
    text = to_edc_json(samples.load(name), render=fixed_render) + "\n"
    if UPDATE_GOLDEN:
        GOLDEN_DIR.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
    assert path.read_bytes().decode("utf-8") == text


def test_no_stray_golden_files() -> None:
    expected = {f"{name}.jsonld" for name in EXPORTABLE}
    if UPDATE_GOLDEN:
        for stray in GOLDEN_DIR.glob("*.jsonld"):
            if stray.name not in expected:
                stray.unlink()
    assert {p.name for p in GOLDEN_DIR.glob("*.jsonld")} == expected

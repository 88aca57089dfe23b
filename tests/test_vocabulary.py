"""Tests of the bundled controlled vocabularies (eumicro.vocab, eumicro._vocabulary)."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
import threading
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from eumicro import vocab
from eumicro._errors import EumicroError, UnknownConceptError
from eumicro._vocabulary import Concept, Vocabulary

REPO_ROOT = Path(__file__).resolve().parent.parent
GENERATOR = REPO_ROOT / "tools" / "gen_vocabularies.py"
XSD_SOURCE = REPO_ROOT.parent / "shared" / "conformance" / "loq-3.1" / "cv"
REPO_DATA = REPO_ROOT / "src" / "eumicro" / "_data" / "vocabularies"

# Number of xs:enumeration values in each XSD of ELM @ 9d7c5d22 xsd/loq/cv (counted with
# lxml; `grep -c '<xs:enumeration'` agrees), and of the concepts of the hand-made tables.
EXPECTED_COUNTS = {
    "country": 253,
    "atu": 3234,
    "nuts": 2160,
    "language": 8175,
    "currency": 179,
    "file-type": 195,
    "eqf": 8,
    "nqf": 424,
    "isced-f": 220,
    "credit-points": 2,
    "europass-accreditation-types": 4,
    "europass-content-encoding-types": 1,
    "europass-credential-types": 5,
    "europass-learning-activity-types": 11,
    "europass-learning-assessment-types": 14,
    "europass-learning-entitlement-statuses": 2,
    "europass-learning-entitlement-types": 3,
    "europass-learning-opportunity-types": 12,
    "europass-learning-schedule-types": 3,
    "europass-learning-setting-types": 2,
    "europass-modes": 6,
    "europass-target-groups": 20,
    "skill-reuse-levels": 4,
    "skill-types": 2,
    "supervision-verification": 4,
    "evidence-type": 3,
    "qf-ehea": 4,
}

CONSTANTS = {
    "COUNTRY": ("country", "http://publications.europa.eu/resource/authority/country"),
    "ATU": ("atu", "http://publications.europa.eu/resource/authority/atu"),
    "NUTS": ("nuts", "http://data.europa.eu/nuts"),
    "LANGUAGE": ("language", "http://publications.europa.eu/resource/authority/language"),
    "CURRENCY": ("currency", "http://publications.europa.eu/resource/authority/currency"),
    "FILE_TYPE": ("file-type", "http://publications.europa.eu/resource/authority/file-type"),
    "EQF": ("eqf", "http://data.europa.eu/snb/eqf/25831c2"),
    "NQF": ("nqf", "http://data.europa.eu/snb/qdr/25831c2"),
    "ISCED_F": ("isced-f", "http://data.europa.eu/snb/isced-f/25831c2"),
    "CREDIT_SYSTEM": ("credit-points", "http://data.europa.eu/snb/education-credit/25831c2"),
    "ACCREDITATION_TYPE": (
        "europass-accreditation-types",
        "http://data.europa.eu/snb/accreditation/25831c2",
    ),
    "CONTENT_ENCODING": (
        "europass-content-encoding-types",
        "http://data.europa.eu/snb/encoding/25831c2",
    ),
    "CREDENTIAL_TYPE": (
        "europass-credential-types",
        "http://data.europa.eu/snb/credential/25831c2",
    ),
    "LEARNING_ACTIVITY_TYPE": (
        "europass-learning-activity-types",
        "http://data.europa.eu/snb/learning-activity/25831c2",
    ),
    "ASSESSMENT_TYPE": (
        "europass-learning-assessment-types",
        "http://data.europa.eu/snb/assessment/25831c2",
    ),
    "ENTITLEMENT_STATUS": (
        "europass-learning-entitlement-statuses",
        "http://data.europa.eu/snb/entitlement-status/25831c2",
    ),
    "ENTITLEMENT_TYPE": (
        "europass-learning-entitlement-types",
        "http://data.europa.eu/snb/entitlement/25831c2",
    ),
    "LEARNING_OPPORTUNITY_TYPE": (
        "europass-learning-opportunity-types",
        "http://data.europa.eu/snb/learning-opportunity/25831c2",
    ),
    "LEARNING_SCHEDULE": (
        "europass-learning-schedule-types",
        "http://data.europa.eu/snb/learning-schedule/25831c2",
    ),
    "LEARNING_SETTING": (
        "europass-learning-setting-types",
        "http://data.europa.eu/snb/learning-setting/25831c2",
    ),
    "MODE": ("europass-modes", "http://data.europa.eu/snb/learning-assessment/25831c2"),
    "TARGET_GROUP": ("europass-target-groups", "http://data.europa.eu/snb/target-group/25831c2"),
    "SKILL_REUSE_LEVEL": (
        "skill-reuse-levels",
        "http://data.europa.eu/snb/skill-reuse-level/25831c2",
    ),
    "SKILL_TYPE": ("skill-types", "http://data.europa.eu/snb/skill-type/25831c2"),
    "SUPERVISION_VERIFICATION": (
        "supervision-verification",
        "http://data.europa.eu/snb/supervision-verification/25831c2",
    ),
    "EVIDENCE_TYPE": ("evidence-type", "http://data.europa.eu/snb/evidence-type/25831c2"),
    "QF_EHEA": ("qf-ehea", "urn:eumicro:vocab:qf-ehea-cycle"),
}

VOCABULARY_IDS = [v.name for v in vocab.ALL]


def _bundled(name: str) -> dict[str, Any]:
    resource = resources.files("eumicro").joinpath("_data").joinpath("vocabularies")
    text = resource.joinpath(f"{name}.json").read_text(encoding="utf-8")
    document: dict[str, Any] = json.loads(text)
    return document


def _package_parent() -> str:
    """The sys.path entry from which this test process imported eumicro."""
    return str(Path(vocab.__file__).resolve().parent.parent)


def _run_python(code: str) -> str:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (_package_parent(), env.get("PYTHONPATH", "")) if p
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


# -- the set of vocabularies ----------------------------------------------------------------


def test_all_lists_every_constant_once() -> None:
    constants = {k: v for k, v in vars(vocab).items() if isinstance(v, Vocabulary)}
    assert set(constants) == set(CONSTANTS)
    assert len(vocab.ALL) == len(CONSTANTS) == len({id(v) for v in vocab.ALL})
    assert {id(v) for v in vocab.ALL} == {id(v) for v in constants.values()}


@pytest.mark.parametrize("constant", sorted(CONSTANTS))
def test_constant_name_and_scheme(constant: str) -> None:
    name, scheme = CONSTANTS[constant]
    vocabulary = getattr(vocab, constant)
    assert vocabulary.name == name
    assert vocabulary.scheme == scheme
    assert vocabulary.official is (constant != "QF_EHEA")


@pytest.mark.parametrize("vocabulary", vocab.ALL, ids=VOCABULARY_IDS)
def test_bundled_file_matches_constant(vocabulary: Vocabulary) -> None:
    document = _bundled(vocabulary.name)
    assert document["name"] == vocabulary.name
    assert document["scheme"] == vocabulary.scheme
    assert document["title"] == vocabulary.title
    assert document["official"] is vocabulary.official
    assert document["source"]


@pytest.mark.parametrize("vocabulary", vocab.ALL, ids=VOCABULARY_IDS)
def test_counts(vocabulary: Vocabulary) -> None:
    expected = EXPECTED_COUNTS[vocabulary.name]
    assert len(_bundled(vocabulary.name)["concepts"]) == expected
    assert len(vocabulary) == expected
    assert len(list(vocabulary)) == expected


@pytest.mark.parametrize("vocabulary", vocab.ALL, ids=VOCABULARY_IDS)
def test_iris_unique_and_under_the_scheme_authority(vocabulary: Vocabulary) -> None:
    iris = [c["iri"] for c in _bundled(vocabulary.name)["concepts"]]
    assert len(iris) == len(set(iris))
    base = re.sub(r"/25831c2$", "", vocabulary.scheme)
    for iri in iris:
        assert iri.startswith((base + "/", base + ":")), iri
    for concept in vocabulary:
        assert concept.scheme == vocabulary.scheme
        assert concept.label  # never empty
        assert vocabulary.by_iri(concept.iri) is concept


@pytest.mark.parametrize("vocabulary", vocab.ALL, ids=VOCABULARY_IDS)
def test_file_format(vocabulary: Vocabulary) -> None:
    """Sorted keys, one concept per line, the core fields present."""
    folder = resources.files("eumicro").joinpath("_data").joinpath("vocabularies")
    path = folder.joinpath(f"{vocabulary.name}.json")
    text = path.read_text(encoding="utf-8")
    assert text.endswith("}\n")
    assert text.count("\n") == len(vocabulary) + 2

    def check_sorted(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        keys = [k for k, _ in pairs]
        assert keys == sorted(keys)
        return dict(pairs)

    document = json.loads(text, object_pairs_hook=check_sorted)
    for concept in document["concepts"]:
        assert {"iri", "code", "label", "alt"} <= set(concept)
        assert isinstance(concept["alt"], list)
        assert concept["code"]


def test_order_follows_the_source() -> None:
    assert [c.code for c in vocab.EQF] == [str(n) for n in range(1, 9)]
    assert next(iter(vocab.LANGUAGE)).code == "ENG"  # first in language.xsd
    assert [c.code for c in vocab.QF_EHEA] == ["short", "1", "2", "3"]


# -- lookups --------------------------------------------------------------------------------


def test_lookup_by_iri() -> None:
    concept = vocab.EQF.by_iri("http://data.europa.eu/snb/eqf/6")
    assert concept.code == "6"
    assert concept.label == "Level 6"
    assert concept.scheme == "http://data.europa.eu/snb/eqf/25831c2"
    assert vocab.ISCED_F["http://data.europa.eu/snb/isced-f/0613"].code == "0613"
    with pytest.raises(UnknownConceptError):
        vocab.EQF.by_iri("http://data.europa.eu/snb/eqf/6/")  # exact only
    with pytest.raises(UnknownConceptError):
        vocab.EQF.by_iri("6")


def test_lookup_by_code() -> None:
    assert vocab.EQF.by_code(6).iri == "http://data.europa.eu/snb/eqf/6"
    assert vocab.EQF[6] is vocab.EQF["6"] is vocab.EQF.by_code("6")
    assert vocab.ISCED_F.by_code("0613").iri == "http://data.europa.eu/snb/isced-f/0613"
    assert vocab.COUNTRY.by_code("deu").code == "DEU"
    assert vocab.LANGUAGE.by_code("eng").code == "ENG"
    assert vocab.NUTS["DEA29"].label == "Heinsberg"
    with pytest.raises(UnknownConceptError):
        vocab.EQF.by_code(9)
    with pytest.raises(UnknownConceptError):
        vocab.EQF.by_code(True)  # a bool is not a level


def test_lookup_by_alternative_code() -> None:
    germany = vocab.COUNTRY["DE"]
    assert germany.code == "DEU"
    assert germany.label == "Germany"
    assert "DE" in germany.alt_codes
    assert vocab.COUNTRY.by_code("de") is germany
    assert vocab.COUNTRY["EL"].code == "GRC"
    assert vocab.COUNTRY["GR"].code == "GRC"
    assert vocab.COUNTRY["UK"].code == "GBR"
    assert vocab.COUNTRY["GB"].code == "GBR"
    english = vocab.LANGUAGE["en"]
    assert english.code == "ENG"
    assert english.label == "English"
    assert vocab.LANGUAGE["EN"] is english
    assert vocab.LANGUAGE["de"].code == "DEU"


def test_lookup_by_label() -> None:
    assert (
        vocab.MODE.by_label("Online").iri
        == "http://data.europa.eu/snb/learning-assessment/920fbb3cbe"
    )
    assert vocab.MODE.by_label("  bLeNdEd ").code == "e92d221e4d"
    assert vocab.EQF.by_label("level   6").code == "6"
    assert vocab.CREDIT_SYSTEM.by_label("European Credit Transfer System").code == "6fcec5c5af"
    # a label spread over two lines in the XSD is whitespace-normalised
    assert (
        vocab.CREDIT_SYSTEM.by_label(
            "European credit system for vocational education and training"
        ).code
        == "60b314e826"
    )
    # shared labels resolve to the first concept in source order
    assert vocab.ISCED_F.by_label("Literacy and numeracy").code == "002"
    with pytest.raises(UnknownConceptError):
        vocab.EQF.by_label("Level 9")


def test_get_tries_concept_iri_code_then_label() -> None:
    six = vocab.EQF[6]
    assert vocab.EQF.get(six) is six
    assert vocab.EQF.get(six.iri) is six
    assert vocab.EQF.get(6) is six
    assert vocab.EQF.get("Level 6") is six
    assert vocab.EQF.get(" level 6 ") is six
    assert vocab.EQF.get("nine") is None
    assert vocab.EQF.get(vocab.NQF["c_c392e7a2"]) is None  # another scheme
    # a code wins over a label
    assert vocab.QF_EHEA.get("1").label == "First cycle"
    assert vocab.QF_EHEA.lookup("second cycle").code == "2"


def test_empty_labels_fall_back_to_the_code() -> None:
    document = _bundled("language")
    empty = [c for c in document["concepts"] if not c["label"]]
    assert len(empty) > 7000
    concept = vocab.LANGUAGE.by_iri(empty[0]["iri"])
    assert concept.label == concept.code == empty[0]["code"]
    assert str(concept) == concept.code
    atu_empty = next(c for c in _bundled("atu")["concepts"] if not c["label"])
    assert vocab.ATU[atu_empty["code"]].label == atu_empty["code"]


def test_unknown_concept_error() -> None:
    with pytest.raises(UnknownConceptError) as caught:
        vocab.COUNTRY["Germny"]
    error = caught.value
    assert isinstance(error, LookupError)
    assert isinstance(error, EumicroError)
    assert error.vocabulary == "country"
    assert error.value == "Germny"
    assert "Germany" in error.suggestions
    assert 1 <= len(error.suggestions) <= 3
    assert "Germny" in str(error)

    with pytest.raises(UnknownConceptError) as caught:
        vocab.LANGUAGE.lookup("Englsh")
    assert caught.value.suggestions[0] == "English"

    with pytest.raises(UnknownConceptError) as caught:
        vocab.EQF.lookup("zzzzzzzz")
    assert caught.value.suggestions == ()

    with pytest.raises(UnknownConceptError):
        vocab.EQF.lookup(vocab.NQF["c_c392e7a2"])


def test_contains() -> None:
    assert "DE" in vocab.COUNTRY
    assert "DEU" in vocab.COUNTRY
    assert "http://publications.europa.eu/resource/authority/country/DEU" in vocab.COUNTRY
    assert vocab.COUNTRY["DE"] in vocab.COUNTRY
    assert 6 in vocab.EQF
    assert "6" in vocab.EQF
    assert 9 not in vocab.EQF
    assert True not in vocab.EQF
    assert None not in vocab.EQF
    assert "Level 6" not in vocab.EQF  # labels are not members; use get()
    assert vocab.EQF[6] not in vocab.NQF
    assert "XX" not in vocab.COUNTRY
    foreign = Concept(iri="http://data.europa.eu/snb/eqf/6", code="6", label="x", scheme="urn:x")
    assert foreign not in vocab.EQF


def test_search() -> None:
    found = vocab.ISCED_F.search("ict")
    assert found
    assert all("ict" in c.label.casefold() or "ict" in c.code for c in found)
    assert len(vocab.ISCED_F.search("ict", limit=2)) == 2
    assert vocab.ISCED_F.search("ict", limit=0) == []
    assert [c.label for c in vocab.MODE.search("LINE")] == ["Online"]
    assert [c.code for c in vocab.ISCED_F.search("0613")] == ["0613"]
    assert vocab.EQF.search("nothing like this") == []
    assert len(vocab.LANGUAGE.search("", limit=5)) == 5


def test_extra() -> None:
    cycles = {c.code: vocab.QF_EHEA.extra(c, "eqf") for c in vocab.QF_EHEA}
    assert cycles == {"short": 5, "1": 6, "2": 7, "3": 8}
    assert vocab.QF_EHEA.extra(vocab.QF_EHEA["2"], "nope") is None
    assert vocab.EQF.extra(vocab.EQF[6], "eqf") is None
    assert vocab.EQF.extra(vocab.QF_EHEA["2"], "eqf") is None  # wrong vocabulary
    inferred = vocab.SUPERVISION_VERIFICATION["44314532f9"]
    assert vocab.SUPERVISION_VERIFICATION.extra(inferred, "label_inferred") is True
    confirmed = vocab.SUPERVISION_VERIFICATION["c598449d64"]
    assert confirmed.label == "Unsupervised without ID Verification"
    assert vocab.SUPERVISION_VERIFICATION.extra(confirmed, "label_inferred") is None


def test_non_xsd_vocabularies() -> None:
    assert vocab.EVIDENCE_TYPE["c_18016257"].label == "Mandate"
    assert vocab.EVIDENCE_TYPE.by_label("conversion").code == "c_c4f849d7"
    assert vocab.EVIDENCE_TYPE.by_label("accreditation").code == "c_991b06c6"
    assert vocab.SUPERVISION_VERIFICATION.by_label("supervised with id verification").code == (
        "70be69aaf9"
    )
    assert vocab.QF_EHEA["short"].iri == "urn:eumicro:vocab:qf-ehea-cycle:short"
    assert vocab.QF_EHEA[1].iri == "urn:eumicro:vocab:qf-ehea-cycle:1"


# -- Concept and Vocabulary objects ---------------------------------------------------------


def test_concepts_compare_and_hash_by_value() -> None:
    fresh = Vocabulary("eqf", vocab.EQF.title, vocab.EQF.scheme)
    assert fresh[6] == vocab.EQF[6]
    assert hash(fresh[6]) == hash(vocab.EQF[6])
    assert fresh[6] is not vocab.EQF[6]
    assert len({fresh[6], vocab.EQF[6], vocab.EQF["Level 6"]}) == 1
    assert vocab.EQF[6] != vocab.EQF[7]
    assert str(vocab.EQF[6]) == "Level 6"


def test_concept_is_frozen_and_label_never_empty() -> None:
    concept = Concept(iri="urn:x:1", code="1", label="  ", scheme="urn:x")
    assert concept.label == "1"
    with pytest.raises(AttributeError):
        concept.label = "other"  # type: ignore[misc]


def test_vocabulary_is_read_only() -> None:
    with pytest.raises(AttributeError):
        vocab.EQF.name = "other"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        vocab.EQF.extra_attribute = 1  # type: ignore[attr-defined]
    assert repr(vocab.EQF) == "Vocabulary('eqf', 8 concepts)"
    with pytest.raises(ValueError, match="invalid vocabulary name"):
        Vocabulary("../etc/passwd", "x", "urn:x")


def test_loading_is_lazy_and_thread_safe() -> None:
    fresh = Vocabulary("isced-f", vocab.ISCED_F.title, vocab.ISCED_F.scheme)
    assert not fresh._loaded
    barrier = threading.Barrier(8)
    results: list[Concept] = []

    def worker() -> None:
        barrier.wait()
        results.append(fresh["0613"])

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert fresh._loaded
    assert len(results) == 8
    assert all(r is results[0] for r in results)


def test_vocab_module_reads_no_data_on_import() -> None:
    """eumicro.vocab on its own, without running the package's __init__."""
    package_dir = str(Path(vocab.__file__).resolve().parent)
    out = _run_python(
        "import importlib.util, json, os, sys\n"
        f"package_dir = {package_dir!r}\n"
        "spec = importlib.util.spec_from_file_location(\n"
        "    'eumicro', os.path.join(package_dir, '__init__.py'),\n"
        "    submodule_search_locations=[package_dir])\n"
        "sys.modules['eumicro'] = importlib.util.module_from_spec(spec)  # not executed\n"
        "import eumicro.vocab as v\n"
        "before = [x.name for x in v.ALL if x._loaded]\n"
        "v.EQF[6]\n"
        "after = [x.name for x in v.ALL if x._loaded]\n"
        "for x in v.ALL: len(x)\n"
        "print(json.dumps([before, after, 'pycountry' in sys.modules]))\n"
    )
    before, after, pycountry_imported = json.loads(out)
    assert before == []
    assert after == ["eqf"]
    assert pycountry_imported is False  # the running library never needs pycountry


def test_import_reads_no_data() -> None:
    """`import eumicro.vocab` (which runs the package's __init__) reads no vocabulary."""
    out = _run_python(
        "import json, sys\n"
        "import eumicro.vocab as v\n"
        "before = [x.name for x in v.ALL if x._loaded]\n"
        "v.EQF[6]\n"
        "after = [x.name for x in v.ALL if x._loaded]\n"
        "for x in v.ALL: len(x)\n"
        "print(json.dumps([before, after, 'pycountry' in sys.modules]))\n"
    )
    before, after, pycountry_imported = json.loads(out)
    assert before == []
    assert after == ["eqf"]
    assert pycountry_imported is False  # the running library never needs pycountry


# -- get_vocabulary -------------------------------------------------------------------------


def test_get_vocabulary() -> None:
    assert vocab.get_vocabulary("eqf") is vocab.EQF
    assert vocab.get_vocabulary("EQF") is vocab.EQF
    assert vocab.get_vocabulary("isced-f") is vocab.ISCED_F
    assert vocab.get_vocabulary("ISCED_F") is vocab.ISCED_F
    assert vocab.get_vocabulary("europass-modes") is vocab.MODE
    assert vocab.get_vocabulary("MODE") is vocab.MODE
    for constant, (name, _) in CONSTANTS.items():
        assert vocab.get_vocabulary(name) is getattr(vocab, constant)
        assert vocab.get_vocabulary(constant) is getattr(vocab, constant)
    with pytest.raises(UnknownConceptError) as caught:
        vocab.get_vocabulary("eqff")
    assert caught.value.vocabulary == "vocabulary"
    assert caught.value.value == "eqff"
    assert caught.value.suggestions[0].casefold() == "eqf"


# -- regeneration ---------------------------------------------------------------------------


def test_regeneration_reproduces_bundled_files(tmp_path: Path) -> None:
    if not GENERATOR.is_file():
        pytest.skip(f"generator {GENERATOR} not present (not a source checkout)")
    if not XSD_SOURCE.is_dir():
        pytest.skip(f"official XSD snapshots not available at {XSD_SOURCE}")
    for module in ("pycountry", "lxml"):
        if importlib.util.find_spec(module) is None:
            pytest.skip(f"{module} (a dev-only dependency of the generator) is not installed")
    provenance = (REPO_DATA / "PROVENANCE.md").read_text(encoding="utf-8")
    date = re.search(r"^Generated: (\d{4}-\d{2}-\d{2})$", provenance, re.MULTILINE)
    recorded = re.search(r"\(pycountry ([^)]+)\)", provenance)
    assert date is not None
    assert recorded is not None
    from importlib.metadata import version

    if version("pycountry") != recorded.group(1):
        pytest.skip(
            f"pycountry {version('pycountry')} installed, the data was made with {recorded.group(1)}"
        )
    result = subprocess.run(
        [
            sys.executable,
            str(GENERATOR),
            "--source",
            str(XSD_SOURCE),
            "--output",
            str(tmp_path),
            "--date",
            date.group(1),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    bundled = sorted(p.name for p in REPO_DATA.iterdir() if p.is_file())
    regenerated = sorted(p.name for p in tmp_path.iterdir() if p.is_file())
    assert regenerated == bundled
    for name in bundled:
        assert (tmp_path / name).read_bytes() == (REPO_DATA / name).read_bytes(), name

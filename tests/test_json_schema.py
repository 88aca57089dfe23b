"""The published JSON Schema agrees with the native JSON reader and writer."""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from tests import strategies as gen

import eumicro
from eumicro import ParseError, Specification, samples, vocab
from eumicro._checks import Model, is_email, is_iri, is_url
from eumicro._model import _ESCO
from eumicro._text import normalise_language_tag
from eumicro.formats._json import SCHEMA_ID
from eumicro.formats._json_schema import _portable, build_json_schema

REPO_ROOT = Path(__file__).resolve().parent.parent
SCHEMA_FILE = REPO_ROOT / "src" / "eumicro" / "schemas" / "eumicro.schema.json"
GENERATOR = REPO_ROOT / "tools" / "gen_json_schema.py"

SCHEMA = build_json_schema()
VALIDATOR = Draft202012Validator(SCHEMA, format_checker=Draft202012Validator.FORMAT_CHECKER)
DEFS: dict[str, Any] = SCHEMA["$defs"]


def _schema_accepts(doc: Any) -> bool:
    return VALIDATOR.is_valid(doc)


def _reader_accepts(doc: Any) -> bool:
    """Whether eumicro's reader accepts ``doc`` (ParseError is the only refusal)."""
    try:
        if isinstance(doc, dict) and doc.get("type") == "MicroCredential":
            eumicro.from_dict(doc)
        elif isinstance(doc, dict) and doc.get("type") == "Specification":
            eumicro.from_dict(doc, Specification)
        else:
            eumicro.document_from_json(json.dumps(doc))
    except ParseError:
        return False
    return True


# ----------------------------------------------------------------------------- the file


def test_shipped_file_is_the_generated_schema() -> None:
    text = json.dumps(SCHEMA, indent=2, ensure_ascii=False) + "\n"
    assert SCHEMA_FILE.read_text(encoding="utf-8") == text, (
        "stale schema: run python tools/gen_json_schema.py"
    )
    assert eumicro.json_schema() == SCHEMA


def test_generator_check_mode(tmp_path: Path) -> None:
    run = [sys.executable, str(GENERATOR), "--check"]
    assert subprocess.run(run, capture_output=True, check=False).returncode == 0
    stale = tmp_path / "schema.json"
    stale.write_text("{}\n", encoding="utf-8")
    result = subprocess.run([*run, "--output", str(stale)], capture_output=True, check=False)
    assert result.returncode == 1
    assert b"stale" in result.stderr
    subprocess.run(
        [sys.executable, str(GENERATOR), "--output", str(stale)], capture_output=True, check=True
    )
    assert stale.read_text(encoding="utf-8") == SCHEMA_FILE.read_text(encoding="utf-8")


def test_schema_is_a_valid_draft_2020_12_schema() -> None:
    Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert SCHEMA["$id"] == SCHEMA_ID


def test_every_model_class_has_a_closed_definition() -> None:
    for cls in (
        eumicro.MicroCredential,
        eumicro.Specification,
        eumicro.Organisation,
        eumicro.Learner,
        eumicro.LearningOutcome,
        eumicro.Workload,
        eumicro.Level,
        eumicro.Assessment,
        eumicro.Participation,
        eumicro.QualityAssurance,
        eumicro.Stackability,
        eumicro.CredentialReference,
        eumicro.Grade,
        eumicro.Identifier,
        eumicro.LegalIdentifier,
    ):
        definition = DEFS[cls.__name__]
        assert definition["additionalProperties"] is False
        keys = {eumicro.formats.json_key(f.name) for f in attrs.fields(cls)}
        assert set(definition["properties"]) == keys
        required = {
            eumicro.formats.json_key(f.name)
            for f in attrs.fields(cls)
            if f.default is attrs.NOTHING
        }
        assert set(definition.get("required", ())) == required


# ----------------------------------------------------------------------------- valid documents


@pytest.mark.parametrize("name", samples.names())
def test_sample_credential_and_specification_validate(name: str) -> None:
    credential = samples.load(name)
    VALIDATOR.validate(eumicro.to_dict(credential))
    VALIDATOR.validate(eumicro.to_dict(credential.specification))


def test_collection_of_all_samples_validates() -> None:
    VALIDATOR.validate(eumicro.to_dict(samples.load_all()))
    VALIDATOR.validate(eumicro.to_dict([]))


@given(gen.micro_credentials())
def test_generated_credentials_validate(credential: eumicro.MicroCredential) -> None:
    doc = eumicro.to_dict(credential)
    VALIDATOR.validate(doc)
    VALIDATOR.validate(eumicro.to_dict(credential.specification))


# ----------------------------------------------------------------------------- edited documents


def _base() -> dict[str, Any]:
    return eumicro.to_dict(samples.load("data-literacy-ie"))


def _edit(*edits: tuple[str, Any]) -> Callable[[], Any]:
    """Edits of the base credential: dotted path → new value (``...`` deletes the key)."""

    def make() -> Any:
        doc: Any = _base()
        for path, value in edits:
            if path == "":
                doc = value(doc)
                continue
            node = doc
            *parents, last = path.split(".")
            for part in parents:
                node = node[int(part)] if isinstance(node, list) else node[part]
            key: Any = int(last) if isinstance(node, list) else last
            if value is ...:
                del node[key]
            else:
                node[key] = copy.deepcopy(value)
        return doc

    return make


def _spec_doc(doc: dict[str, Any]) -> dict[str, Any]:
    return {"type": "Specification", **doc["specification"]}


_COUNTRY_IRL = "http://publications.europa.eu/resource/authority/country/IRL"
_LANGUAGE_ENG = "http://publications.europa.eu/resource/authority/language/ENG"
_ISCED = "http://data.europa.eu/snb/isced-f/0688"
_EQF6 = "http://data.europa.eu/snb/eqf/6"
_CYCLE_2 = "urn:eumicro:vocab:qf-ehea-cycle:2"
_NQF = next(iter(vocab.NQF)).iri
_NUTS = vocab.NUTS["DEA29"].iri
_ATU = vocab.ATU["AUT_BLD_BURG"].iri
_FULL_TIME = vocab.LEARNING_SCHEDULE.lookup("full time").iri
_ONLINE = vocab.MODE.lookup("online").iri
_TOWARDS = [{"id": "urn:example:qualification:1"}]

INVALID: dict[str, Callable[[], Any]] = {
    # the document
    "not an object": lambda: ["MicroCredential"],
    "root type missing": _edit(("type", ...)),
    "root type unknown": _edit(("type", "Credential")),
    "root type not a string": _edit(("type", 1)),
    "collection credentials missing": lambda: {"type": "MicroCredentialCollection"},
    "collection credentials not an array": lambda: {
        "type": "MicroCredentialCollection",
        "credentials": {},
    },
    "collection unknown key": lambda: {
        "type": "MicroCredentialCollection",
        "credentials": [],
        "count": 0,
    },
    "collection with a bad credential": lambda: {
        "type": "MicroCredentialCollection",
        "credentials": [_edit(("type", ...), ("id", ...))()],
    },
    "specification with credential keys": _edit(("", _spec_doc), ("learner", {"fullName": "Jane"})),
    # missing required keys
    "missing id": _edit(("id", ...)),
    "missing specification": _edit(("specification", ...)),
    "missing specification id": _edit(("specification.id", ...)),
    "missing specification id (spec doc)": _edit(("", _spec_doc), ("id", ...)),
    "missing organisation name": _edit(("awardingBodies.0.name", ...)),
    "missing legal identifier country": _edit(("awardingBodies.0.registration.country", ...)),
    "missing learning outcome title": _edit(("specification.learningOutcomes.0.title", ...)),
    "missing stackability option": _edit(("specification.stackability.option", ...)),
    "missing grade value": _edit(("grade", {"scheme": {"en": "1-10"}})),
    "missing credential reference id": _edit(
        ("specification.stackability", {"option": "stackable", "towards": [{}]})
    ),
    # unknown keys
    "unknown root key": _edit(("credits", 5)),
    "unknown nested key": _edit(("specification.workload.credits", 5)),
    "snake_case key": _edit(("specification.workload", {"ects": 5}), ("awarding_bodies", [])),
    "unknown key in a list item": _edit(("awardingBodies.0.nickname", "LU")),
    # wrong types
    "id not a string": _edit(("id", 5)),
    "null value": _edit(("learner.email", None)),
    "ects as a string": _edit(("specification.workload.ects", "5")),
    "ects as a boolean": _edit(("specification.workload.ects", True)),
    "list not an array": _edit(("awardingBodies", {})),
    "object not an object": _edit(("learner", "Jane")),
    "text as a plain string": _edit(("specification.title", "Data literacy")),
    "text value not a string": _edit(("specification.title", {"en": 5})),
    "concept as a code": _edit(("specification.level.eqf", "6")),
    "concept as a number": _edit(("specification.level.eqf", 6)),
    "stackability option unknown": _edit(("specification.stackability.option", "standalone")),
    "date as a number": _edit(("learner.dateOfBirth", 19910314)),
    # IRIs, URLs, e-mails, ESCO
    "bad IRI": _edit(("id", "not an iri")),
    "IRI with a space": _edit(("id", "urn:eumicro:a b")),
    "bad URL": _edit(("specification.homepage", "ftp://example.org/")),
    "relative URL": _edit(("specification.homepage", "/courses/data")),
    "bad e-mail": _edit(("awardingBodies.0.email", "credentials")),
    "bad ESCO skill": _edit(
        ("specification.learningOutcomes.0.escoSkills.0", "http://example.org/skill/1")
    ),
    "bad related skill IRI": _edit(
        ("specification.learningOutcomes.0.relatedSkills", ["not an iri"])
    ),
    # dates and times
    "naive datetime": _edit(("issued", "2024-06-14T10:00:00")),
    "naive datetime with microseconds": _edit(("validFrom", "2024-06-14T10:00:00.123456")),
    "date instead of a datetime": _edit(("issued", "2024-06-14")),
    "month 13": _edit(("issued", "2024-13-14T10:00:00Z")),
    "hour 24": _edit(("issued", "2024-06-14T24:00:00Z")),
    "lower-case z": _edit(("issued", "2024-06-14T10:00:00z")),
    "seven fractional digits": _edit(("issued", "2024-06-14T10:00:00.1234567Z")),
    "30 February (datetime)": _edit(("issued", "2023-02-30T10:00:00Z")),
    "datetime as a date of birth": _edit(("learner.dateOfBirth", "1991-03-14T00:00:00Z")),
    "date in another format": _edit(("learner.dateOfBirth", "14/03/1991")),
    "30 February": _edit(("learner.dateOfBirth", "1991-02-30")),
    "year 0": _edit(("learner.dateOfBirth", "0000-01-01")),
    # vocabularies
    "EQF level from ISCED-F": _edit(("specification.level.eqf", _ISCED)),
    "language from the country table": _edit(("specification.languages", [_COUNTRY_IRL])),
    "country from the language table": _edit(("awardingBodies.0.country", _LANGUAGE_ENG)),
    "region from the country table": _edit(("awardingBodies.0.region", _COUNTRY_IRL)),
    "unknown EQF level": _edit(("specification.level.eqf", "http://data.europa.eu/snb/eqf/9")),
    "concept IRI with a trailing slash": _edit(("specification.level.eqf", _EQF6 + "/")),
    "duplicate language": _edit(("specification.languages", [_LANGUAGE_ENG, _LANGUAGE_ENG])),
    "duplicate ESCO skill": _edit(
        (
            "specification.learningOutcomes.0.escoSkills",
            ["http://data.europa.eu/esco/skill/db77825e-0f3e-47d0-abdb-356794484272"] * 2,
        )
    ),
    # numbers
    "negative ECTS": _edit(("specification.workload.ects", -1)),
    "negative hours": _edit(("specification.workload.hours", -0.5)),
    "ECTS of 10**9": _edit(("specification.workload.ects", 1_000_000_000)),
    # text
    "empty text": _edit(("specification.title", {})),
    "blank text": _edit(("specification.title", {"en": " \t\n"})),
    "text of a no-break space": _edit(("specification.title", {"en": "\u00a0\u3000"})),
    "empty string": _edit(("grade", {"value": ""})),
    "blank string": _edit(("learner.fullName", "  ")),
    "bad language tag": _edit(("specification.title", {"english": "Data"})),
    "one-letter language tag": _edit(("specification.title", {"e": "Data"})),
    "language tag with a space": _edit(("specification.title", {"en GB": "Data"})),
    "language tag ending in a dash": _edit(("specification.title", {"en-": "Data"})),
    # cross-field rules
    "empty workload": _edit(("specification.workload", {})),
    "empty level": _edit(("specification.level", {})),
    "level with an empty NQF list": _edit(("specification.level", {"nqf": []})),
    "QF-EHEA cycle does not match the EQF level": _edit(
        ("specification.level", {"eqf": _EQF6, "qfEhea": _CYCLE_2})
    ),
    "assessment with modes only": _edit(("specification.assessment", {"modes": [_ONLINE]})),
    "assessment with an empty type list": _edit(("specification.assessment", {"types": []})),
    "participation with a schedule only": _edit(
        ("specification.participation", {"schedule": _FULL_TIME})
    ),
    "participation with an empty mode list": _edit(("specification.participation", {"modes": []})),
    "quality assurance with a report only": _edit(
        ("specification.qualityAssurance", [{"report": "https://example.org/report"}])
    ),
    "stand-alone with towards": _edit(
        ("specification.stackability", {"option": "stand-alone", "towards": _TOWARDS})
    ),
    "duplicate awarding body": _edit(
        ("", lambda d: {**d, "awardingBodies": d["awardingBodies"] * 2})
    ),
}


@pytest.mark.parametrize("make", INVALID.values(), ids=INVALID.keys())
def test_invalid_document_is_refused_by_schema_and_reader(make: Callable[[], Any]) -> None:
    doc = make()
    assert not _schema_accepts(doc), "the schema accepts it"
    assert not _reader_accepts(doc), "the reader accepts it"


VALID: dict[str, Callable[[], Any]] = {
    "the base document": _base,
    "its specification alone": _edit(("", _spec_doc)),
    "empty arrays": _edit(
        ("identifiers", []),
        ("specification.languages", []),
        ("specification.learningOutcomes.0.escoSkills", []),
    ),
    "no awarding bodies": _edit(("awardingBodies", [])),
    "minimal credential": lambda: {
        "type": "MicroCredential",
        "id": "urn:x",
        "specification": {"id": "urn:y"},
    },
    "minimal specification": lambda: {"type": "Specification", "id": "tag:example.org,2024:s"},
    "empty collection": lambda: {"type": "MicroCredentialCollection", "credentials": []},
    "language tags in any case and with underscores": _edit(
        ("specification.title", {"EN": "Data", "pt_br": "Dados", "zh-hant-TW": "數據"})
    ),
    "language tag with variants": _edit(("specification.title", {"de-CH-1996": "Daten"})),
    "text with surrounding whitespace": _edit(("specification.title", {"en": "  Data \n"})),
    "datetime with fractional seconds": _edit(("issued", "2024-06-14T10:00:00.5+05:30")),
    "datetime with a negative offset": _edit(("validUntil", "2030-06-14T10:00:00-09:30")),
    "leap day": _edit(("learner.dateOfBirth", "2000-02-29")),
    "decimal values": _edit(("specification.workload", {"ects": 2.5, "ecvet": 0, "hours": 0.01})),
    "largest workload": _edit(("specification.workload", {"hours": 999_999_999.99})),
    "workload as a float with an integral value": _edit(("specification.workload", {"ects": 5.0})),
    "region from NUTS": _edit(("awardingBodies.0.region", _NUTS)),
    "region from ATU": _edit(("awardingBodies.0.region", _ATU)),
    "level by NQF only": _edit(("specification.level", {"nqf": [_NQF]})),
    "level by QF-EHEA only": _edit(("specification.level", {"qfEhea": _CYCLE_2})),
    "stand-alone with an empty towards": _edit(
        ("specification.stackability", {"option": "stand-alone", "towards": []})
    ),
    "stackable towards a credential": _edit(
        ("specification.stackability", {"option": "stackable", "towards": _TOWARDS})
    ),
    "assessment by description only": _edit(
        ("specification.assessment", {"types": [], "description": {"en": "Oral exam"}})
    ),
    "ESCO occupation": _edit(
        (
            "specification.learningOutcomes.0.escoSkills",
            ["http://data.europa.eu/esco/occupation/1234.5"],
        )
    ),
}


@pytest.mark.parametrize("make", VALID.values(), ids=VALID.keys())
def test_valid_document_is_accepted_by_schema_and_reader(make: Callable[[], Any]) -> None:
    doc = make()
    VALIDATOR.validate(doc)
    assert _reader_accepts(doc)


# What JSON Schema cannot express: the schema accepts these, eumicro refuses them.
NOT_EXPRESSIBLE: dict[str, Callable[[], Any]] = {
    "more than two decimals": _edit(("specification.workload.ects", 2.125)),
    "unknown language (large vocabulary, pattern only)": _edit(
        (
            "specification.languages",
            ["http://publications.europa.eu/resource/authority/language/QQQ"],
        )
    ),
    "unknown NUTS region (large vocabulary, pattern only)": _edit(
        ("awardingBodies.0.region", "http://data.europa.eu/nuts/code/ZZ9")
    ),
    "the same language twice in different case": _edit(
        ("specification.title", {"en": "Data", "EN": "Data"})
    ),
    "valid until before valid from": _edit(
        ("validFrom", "2024-06-14T10:00:00Z"), ("validUntil", "2024-06-13T10:00:00Z")
    ),
    "valid until before issued": _edit(
        ("issued", "2024-06-14T10:00:00Z"),
        ("validFrom", ...),
        ("validUntil", "2024-06-01T10:00:00Z"),
    ),
    # Python's jsonschema matches patterns with re.search, where "$" also matches before
    # a final newline; an ECMA-262 validator refuses this value, and so does eumicro.
    "date-time with a trailing newline": _edit(("issued", "2024-06-14T10:00:00Z\n")),
    "date of birth in the future": _edit(
        ("learner.dateOfBirth", (dt.date.today() + dt.timedelta(days=2)).isoformat())
    ),
}


@pytest.mark.parametrize("make", NOT_EXPRESSIBLE.values(), ids=NOT_EXPRESSIBLE.keys())
def test_reader_checks_what_the_schema_cannot(make: Callable[[], Any]) -> None:
    doc = make()
    assert _schema_accepts(doc)
    assert not _reader_accepts(doc)


# Date-time forms that are not RFC 3339 and odd document types: both refuse them.
BOTH_REFUSE: dict[str, Callable[[], Any]] = {
    "offset minutes of 60 or more": _edit(("issued", "2024-06-14T10:00:00+01:99")),
    "offset with seconds": _edit(("issued", "2024-06-14T10:00:00+01:00:30")),
    "date-time without seconds": _edit(("issued", "2024-06-14T10:00Z")),
    "date-time with a space": _edit(("issued", "2024-06-14 10:00:00Z")),
    "date-time with a lower-case t": _edit(("issued", "2024-06-14t10:00:00Z")),
    "date-time with a lower-case z": _edit(("issued", "2024-06-14T10:00:00z")),
    "root type is an array": _edit(("type", ["MicroCredential"])),
}


@pytest.mark.parametrize("make", BOTH_REFUSE.values(), ids=BOTH_REFUSE.keys())
def test_both_refuse(make: Callable[[], Any]) -> None:
    doc = make()
    assert not _schema_accepts(doc)
    assert not _reader_accepts(doc)


def test_writer_never_writes_an_offset_with_seconds() -> None:
    with pytest.raises(eumicro.ValidationError, match="whole minutes"):
        attrs.evolve(
            samples.load("data-literacy-ie"),
            issued=dt.datetime(2024, 1, 1, tzinfo=dt.timezone(dt.timedelta(seconds=30))),
        )


# ----------------------------------------------------------------------------- the definitions


def _matches(definition: str, value: str) -> bool:
    # ECMA-262 semantics of an anchored pattern: "$" does not match before a final
    # newline (Python's re.search would), so compare with fullmatch.
    pattern = DEFS[definition]["pattern"]
    if pattern.startswith("^"):
        return re.fullmatch(pattern, value) is not None
    return re.search(pattern, value) is not None


def test_whitespace_class_is_pythons() -> None:
    pattern = re.compile(DEFS["NonEmptyString"]["pattern"])
    for code in range(0x110000):
        char = chr(code)
        assert (pattern.search(char) is None) == char.isspace(), hex(code)


_TAG_CHARS = st.sampled_from("aBcDeZz0159-_ \n")
_IRI_CHARS = st.sampled_from('ahZ09:/.-+<>"{}|\\^` \t\n\u00a0\u2028@%éß')


@given(st.text(_TAG_CHARS, max_size=14))
def test_language_tag_pattern_is_the_readers(tag: str) -> None:
    pattern = DEFS["Text"]["propertyNames"]["pattern"]
    expected = normalise_language_tag(tag.replace("_", "-")) is not None
    assert (re.fullmatch(pattern, tag) is not None) == expected


@given(st.text(st.characters(exclude_categories=("Cs",)), max_size=8) | st.text(" \t\n\x1c"))
def test_non_empty_string_pattern_is_the_readers(value: str) -> None:
    assert _matches("NonEmptyString", value) == bool(value.strip())


@given(st.text(_IRI_CHARS, max_size=12) | gen.iris() | gen.urls())
def test_iri_pattern_is_the_readers(value: str) -> None:
    assert _matches("Iri", value) == is_iri(value)


@given(
    st.builds(
        lambda scheme, rest: scheme + rest,
        st.sampled_from(("http://", "https://", "ftp://", "http:/", "")),
        st.text(_IRI_CHARS, max_size=12),
    )
    | gen.urls()
)
def test_url_pattern_is_the_readers(value: str) -> None:
    assert _matches("Url", value) == is_url(value)


@given(st.text(_IRI_CHARS, max_size=12) | gen.emails())
def test_email_pattern_is_the_readers(value: str) -> None:
    assert _matches("Email", value) == is_email(value)


@given(
    st.builds(
        lambda kind, rest: f"http://data.europa.eu/esco/{kind}/{rest}",
        st.sampled_from(("skill", "isco", "occupation", "Skill", "")),
        st.text(st.sampled_from("0123456789abcdefABXYZ.-/ "), max_size=40),
    )
    | gen.esco_iris()
)
def test_esco_pattern_is_the_readers(value: str) -> None:
    assert _matches("EscoSkill", value) == bool(_ESCO.match(value))


@pytest.mark.parametrize("key", ["LANGUAGE", "ATU", "NUTS"])
def test_large_vocabulary_pattern_matches_every_concept(key: str) -> None:
    vocabulary: eumicro.Vocabulary = getattr(vocab, key)
    definition = DEFS[key]
    assert "enum" not in definition
    assert all(re.search(definition["pattern"], c.iri) for c in vocabulary)


def test_small_vocabularies_are_enums_of_every_concept() -> None:
    for key, definition in DEFS.items():
        vocabulary = getattr(vocab, key, None)
        if isinstance(vocabulary, eumicro.Vocabulary) and len(vocabulary) <= 500:
            assert definition["enum"] == [c.iri for c in vocabulary], key


def test_qf_ehea_rule_covers_every_cycle() -> None:
    for cycle in vocab.QF_EHEA:
        level = vocab.EQF.by_code(str(vocab.QF_EHEA.extra(cycle, "eqf")))
        for eqf in vocab.EQF:
            doc = _edit(("specification.level", {"eqf": eqf.iri, "qfEhea": cycle.iri}))()
            assert _schema_accepts(doc) == (eqf == level) == _reader_accepts(doc)


# ----------------------------------------------------------------------------- drift guards


def test_unportable_regex_is_refused() -> None:
    with pytest.raises(ValueError, match="portably"):
        _portable(r"^\d+$")
    assert _portable(r'^(?P<a>x)-[^\s"]$', dash_or_underscore=True).startswith("^(x)[-_][^\\t")


def test_unexpressed_cross_field_rule_is_refused() -> None:
    from eumicro.formats._json_schema import _Builder

    @attrs.frozen(kw_only=True)
    class Period(Model):
        start: str = attrs.field()

        def _validate(self) -> Any:
            return ()

    with pytest.raises(TypeError, match="cross-field"):
        _Builder().model(Period)


def test_format_checker_checks_dates_and_date_times() -> None:
    # Without rfc3339-validator installed, jsonschema silently skips "date-time".
    checkers = Draft202012Validator.FORMAT_CHECKER.checkers
    assert {"date", "date-time", "email"} <= set(checkers)

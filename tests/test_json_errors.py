"""Bad native JSON input: each case gives ParseError with exactly these problems."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

import pytest

import eumicro
from eumicro import ParseError, samples


def _base() -> dict[str, Any]:
    return eumicro.to_dict(samples.load("data-literacy-ie"))


def _set(doc: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """Set a dotted path (``a.b.0.c``) in a copy of doc; value ``...`` deletes the key."""
    out = copy.deepcopy(doc)
    node: Any = out
    *parents, last = path.split(".")
    for part in parents:
        node = node[int(part)] if isinstance(node, list) else node[part]
    key: Any = int(last) if isinstance(node, list) else last
    if value is ...:
        del node[key]
    else:
        node[key] = value
    return out


def _edits(*edits: tuple[str, Any]) -> Callable[[], str]:
    def make() -> str:
        doc = _base()
        for path, value in edits:
            doc = _set(doc, path, value)
        return json.dumps(doc)

    return make


CASES: list[tuple[str, Callable[[], str | bytes], list[str]]] = [
    (
        "malformed JSON",
        lambda: '{"type": "MicroCredential",\n  "id": }',
        ["$ (line 2, column 9): not valid JSON: Expecting value"],
    ),
    (
        "not UTF-8",
        lambda: b'{"type": "MicroCredential", "id": "\xff"}',
        [
            "$: not UTF-8 text: 'utf-8' codec can't decode byte 0xff in position 35: "
            "invalid start byte"
        ],
    ),
    ("root is an array", lambda: "[]", ["$: expected a JSON object, got an array []"]),
    (
        "missing document type",
        _edits(("type", ...)),
        [
            "$.type: required key 'type' is missing (one of 'MicroCredential', "
            "'Specification', 'MicroCredentialCollection')"
        ],
    ),
    (
        "unknown document type",
        _edits(("type", "Badge")),
        [
            "$.type: expected the document type, one of 'MicroCredential', 'Specification', "
            "'MicroCredentialCollection', got \"Badge\""
        ],
    ),
    (
        "unknown keys, with suggestions",
        _edits(("learnr", {}), ("specification.workload.ect", 5)),
        [
            "$.learnr: unknown key 'learnr' in MicroCredential; did you mean 'learner'?",
            "$.specification.workload.ect: unknown key 'ect' in Workload; did you mean 'ects'?",
        ],
    ),
    (
        "wrong types",
        _edits(
            ("specification.workload.ects", "five"),
            ("specification.title", "Data Literacy"),
            ("awardingBodies", {"name": {"en": "X"}}),
        ),
        [
            '$.specification.title: expected a language map such as {"en": "…"}, '
            'got a string "Data Literacy"',
            '$.specification.workload.ects: expected a number, got a string "five"',
            '$.awardingBodies: expected an array, got an object {"name": {"en": "X"}}',
        ],
    ),
    (
        "not an IRI",
        _edits(("id", "credential 17"), ("specification.homepage", "www.example.org")),
        [
            "$.specification.homepage: expected an http(s) URL, got 'www.example.org'",
            "$.id: expected an absolute IRI such as 'urn:…' or 'https://…', got 'credential 17'",
        ],
    ),
    (
        "naive date-time",
        _edits(("issued", "2024-06-14T10:00:00")),
        [
            "$.issued: date-time '2024-06-14T10:00:00' has no timezone: add an offset such as "
            "'Z' or '+02:00'"
        ],
    ),
    (
        "not a date",
        _edits(("learner.dateOfBirth", "2001-02-30"), ("validFrom", "yesterday")),
        [
            "$.learner.dateOfBirth: not a valid date: day is out of range for month",
            '$.validFrom: expected an RFC 3339 date-time such as 2024-05-01T10:00:00+02:00, got a string "yesterday"',
        ],
    ),
    (
        "unknown vocabulary codes",
        _edits(
            ("specification.level.eqf", "6"),
            (
                "awardingBodies.0.country",
                "http://publications.europa.eu/resource/authority/country/XYZ",
            ),
        ),
        [
            "$.specification.level.eqf: '6' is not the IRI of a concept from European "
            "Qualifications Framework levels; did you mean 'http://data.europa.eu/snb/eqf/6' (Level 6)?",
            "$.awardingBodies[0].country: 'http://publications.europa.eu/resource/authority/country/XYZ' "
            "is not the IRI of a concept from Countries and territories",
        ],
    ),
    (
        "concept from the wrong vocabulary",
        _edits(("specification.participation.modes", ["http://data.europa.eu/snb/eqf/6"])),
        [
            "$.specification.participation.modes[0]: 'http://data.europa.eu/snb/eqf/6' is not the "
            "IRI of a concept from Modes of learning and assessment",
        ],
    ),
    (
        "missing required keys",
        _edits(("specification", ...), ("awardingBodies.0.name", ...)),
        [
            "$.awardingBodies[0].name: required key 'name' of Organisation is missing",
            "$.specification: required key 'specification' of MicroCredential is missing",
        ],
    ),
    (
        "null instead of leaving out",
        _edits(("grade", None)),
        ["$.grade: null is not allowed: leave the key out when there is no value"],
    ),
    (
        "bad language tag and empty text",
        _edits(("specification.title", {"english": "Data", "ga": " "})),
        [
            "$.specification.title.english: 'english' is not a BCP 47 language tag "
            "(expected e.g. 'en', 'de', 'pt-BR')",
            "$.specification.title.ga: must not be empty or only whitespace",
        ],
    ),
    (
        "malformed ESCO IRI",
        _edits(
            ("specification.learningOutcomes.0.escoSkills", ["http://data.europa.eu/esco/skil/1"])
        ),
        [
            "$.specification.learningOutcomes[0].escoSkills[0]: expected an ESCO skill IRI such as "
            "'http://data.europa.eu/esco/skill/<uuid>', got 'http://data.europa.eu/esco/skil/1'"
        ],
    ),
    (
        "unknown stackability option",
        _edits(("specification.stackability.option", "standalone")),
        [
            "$.specification.stackability.option: expected one of 'stand-alone', 'stackable', "
            'got "standalone"'
        ],
    ),
    (
        "rule across fields of a nested object",
        _edits(("specification.level.qfEhea", "urn:eumicro:vocab:qf-ehea-cycle:3")),
        [
            "$.specification.level.qfEhea: Third cycle corresponds to EQF level 8, but the EQF "
            "level is 6",
        ],
    ),
    (
        "rules across fields of the credential",
        _edits(("validUntil", "2024-01-01T00:00:00Z")),
        [
            "$.validUntil: must be after valid_from (2024-07-01T00:00:00+01:00), got "
            "2024-01-01T00:00:00+00:00",
            "$.validUntil: must be after the date of issuing (2024-06-14T10:00:00+00:00), got "
            "2024-01-01T00:00:00+00:00",
        ],
    ),
    (
        "negative and over-precise numbers",
        _edits(("specification.workload.ects", -1), ("specification.workload.hours", 12.345)),
        [
            "$.specification.workload.ects: must not be negative, got -1",
            "$.specification.workload.hours: at most two decimals are recorded, got 12.345",
        ],
    ),
    (
        "empty workload",
        _edits(("specification.workload", {})),
        ["$.specification.workload: give ECTS credits, ECVET points or hours (none was given)"],
    ),
]


@pytest.mark.parametrize(
    ("make", "expected"), [pytest.param(m, e, id=name) for name, m, e in CASES]
)
def test_bad_input_reports_every_problem(
    make: Callable[[], str | bytes], expected: list[str]
) -> None:
    with pytest.raises(ParseError) as info:
        eumicro.from_json(make())
    assert sorted(str(p) for p in info.value.problems) == sorted(expected)


def test_error_is_one_exception_type_with_paths() -> None:
    doc = _edits(("id", "x"), ("learner.email", "nobody"), ("awardingBodies.0.country", 7))()
    with pytest.raises(eumicro.ValidationError) as info:
        eumicro.from_json(doc)
    err = info.value
    assert isinstance(err, ParseError)
    assert {p.location for p in err.problems} == {
        "$.id",
        "$.learner.email",
        "$.awardingBodies[0].country",
    }
    assert {p.code for p in err.problems} == {"iri", "email", "type"}
    assert str(err).startswith("3 problems in eumicro JSON:\n")


def test_document_kind_mismatch() -> None:
    spec_doc = eumicro.to_json(samples.load("data-literacy-ie").specification)
    with pytest.raises(
        ParseError, match=r"expected a MicroCredential document, got 'Specification'"
    ):
        eumicro.from_json(spec_doc)
    assert isinstance(eumicro.from_json(spec_doc, eumicro.Specification), eumicro.Specification)
    with pytest.raises(ParseError, match="expected a MicroCredentialCollection document"):
        eumicro.collection_from_json(spec_doc)


def test_collection_problems_carry_the_index() -> None:
    docs = [eumicro.to_dict(c) for c in samples.load_all()[:3]]
    docs[2]["specification"]["level"]["eqf"] = "http://data.europa.eu/snb/eqf/9"
    text = json.dumps(
        {
            "type": "MicroCredentialCollection",
            "credentials": [{k: v for k, v in d.items() if k != "type"} for d in docs],
        }
    )
    with pytest.raises(ParseError) as info:
        eumicro.collection_from_json(text)
    [problem] = info.value.problems
    assert problem.location == "$.credentials[2].specification.level.eqf"


def test_unreadable_file(tmp_path: Any) -> None:
    with pytest.raises(ParseError, match="cannot read"):
        eumicro.load_json(tmp_path / "missing.json")


def test_errors_pickle_and_show_their_public_path() -> None:
    import pickle

    with pytest.raises(eumicro.ValidationError) as info:
        eumicro.Workload(ects=-1)
    err = info.value
    assert repr(type(err)) == "<class 'eumicro.ValidationError'>"
    copy_ = pickle.loads(pickle.dumps(err))
    assert copy_.problems == err.problems
    assert str(copy_) == str(err)
    missing = eumicro.UnknownConceptError("eqf", "9", ("8",))
    assert str(pickle.loads(pickle.dumps(missing))) == str(missing)

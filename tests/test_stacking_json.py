"""Stacking rules as JSON: lossless round trip, bad documents, rules that can never hold."""

from __future__ import annotations

import copy
import datetime as dt
import json
import string
from decimal import Decimal
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import Phase, find, given, settings
from hypothesis import strategies as st
from tests import strategies as gen

from eumicro import ParseError, Text, vocab
from eumicro.stacking import (
    AllOf,
    AnyOf,
    AtLeast,
    Cap,
    Coverage,
    Filter,
    Named,
    Qualification,
    Select,
)
from eumicro.stacking._json import (
    build_stacking_schema,
    catalogue_from_dict,
    catalogue_from_json,
    catalogue_to_dict,
    catalogue_to_json,
    qualification_from_dict,
    qualification_from_json,
    qualification_to_dict,
    qualification_to_json,
    unsatisfiable_reasons,
)

# ----------------------------------------------------------------------------- strategies


def _unique(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[tuple[Any, ...]]:
    return st.lists(strategy, unique=True, max_size=3).map(tuple)


def _maybe(draw: st.DrawFn, strategy: st.SearchStrategy[Any]) -> Any:
    return draw(strategy) if draw(st.booleans()) else None


@st.composite
def filters(draw: st.DrawFn) -> Filter:
    """Filters with every condition sometimes present, sometimes absent."""
    after = _maybe(draw, gen.aware_datetimes())
    before = _maybe(draw, gen.aware_datetimes())
    if after is not None and before is not None and before <= after:
        before = None
    return Filter(
        min_ects=_maybe(draw, gen.decimals()),
        min_eqf=_maybe(draw, gen.concepts(vocab.EQF)),
        fields=draw(_unique(gen.concepts(vocab.ISCED_F))),
        esco_skills=draw(_unique(gen.esco_iris())),
        awarding_bodies=draw(_unique(gen.iris())),
        excluded_awarding_bodies=draw(_unique(gen.iris())),
        countries=draw(_unique(gen.concepts(vocab.COUNTRY))),
        qa_types=draw(_unique(gen.concepts(vocab.ACCREDITATION_TYPE))),
        assessment_types=draw(_unique(gen.concepts(vocab.ASSESSMENT_TYPE))),
        supervision=draw(_unique(gen.concepts(vocab.SUPERVISION_VERIFICATION))),
        participation_modes=draw(_unique(gen.concepts(vocab.MODE))),
        grades=draw(_unique(gen.strings())),
        issued_after=after,
        issued_before=before,
        issued_within_days=_maybe(draw, st.integers(0, 10_000)),
        valid_at_evaluation=draw(st.booleans()),
    )


class _Ids:
    """Hands out unique node, cap and coverage ids."""

    def __init__(self) -> None:
        self.n = 0

    def maybe(self, draw: st.DrawFn) -> str | None:
        if not draw(st.booleans()):
            return None
        self.n += 1
        return f"{draw(gen.strings(8))}#{self.n}"


def _node(draw: st.DrawFn, depth: int, ids: _Ids) -> Any:
    common: dict[str, Any] = {"id": ids.maybe(draw), "shared": draw(st.booleans())}
    choices = ["named", "select"] if depth >= 3 else ["named", "select", "all", "any", "at"]
    kind = draw(st.sampled_from(choices))
    if kind == "named":
        spec = draw(gen.iris())
        equivalents = tuple(e for e in draw(_unique(gen.iris())) if e != spec)
        return Named(specification_id=spec, equivalents=equivalents, **common)
    if kind == "select":
        count = draw(st.integers(0, 5))
        ects = draw(st.one_of(st.just(Decimal(0)), gen.decimals()))
        if count == 0 and ects == 0:
            count = 1
        return Select(filter=draw(filters()), min_count=count, min_ects=ects, **common)
    children = [_node(draw, depth + 1, ids) for _ in range(draw(st.integers(1, 3)))]
    if kind == "all":
        return AllOf(children=children, **common)
    if kind == "any":
        return AnyOf(children=children, **common)
    return AtLeast(n=draw(st.integers(1, len(children))), children=children, **common)


# Characters of IRIs (reserved, percent, non-ASCII, non-BMP) for learning outcome ids.
_URN_CHARS = string.ascii_letters + string.digits + "-._~:/?#[]@!$&'()*+,;=%" + "éüßжΩ中😀"


def esco_skills() -> st.SearchStrategy[str]:
    """ESCO skill IRIs, as ESCO gives them: by UUID."""
    return st.uuids().map(lambda u: f"http://data.europa.eu/esco/skill/{u}")


def outcome_ids() -> st.SearchStrategy[str]:
    """Learning outcome ids: URNs, by UUID or with any IRI characters."""
    return st.one_of(
        st.uuids().map(lambda u: f"urn:uuid:{u}"),
        st.text(_URN_CHARS, min_size=1, max_size=16).map(lambda nss: f"urn:eumicro:lo:{nss}"),
    )


def _coverage(draw: st.DrawFn, ids: _Ids) -> Coverage:
    skills = draw(_unique(esco_skills()))
    outcomes = draw(_unique(outcome_ids()))
    if not skills and not outcomes:
        skills = (draw(esco_skills()),)
    return Coverage(
        esco_skills=skills,
        learning_outcomes=outcomes,
        min_count=_maybe(draw, st.integers(1, len(skills) + len(outcomes))),
        id=ids.maybe(draw),
    )


@st.composite
def qualifications(draw: st.DrawFn) -> Qualification:
    """Qualifications with rule trees of depth at most 3, 0–2 caps and coverage constraints.

    Node, cap and coverage ids are unique in each qualification.
    """
    ids = _Ids()
    rule = _node(draw, 0, ids)
    caps = [
        Cap(filter=draw(filters()), max_ects=draw(gen.decimals()), id=ids.maybe(draw))
        for _ in range(draw(st.integers(0, 2)))
    ]
    coverage = [_coverage(draw, ids) for _ in range(draw(st.integers(0, 2)))]
    return Qualification(
        id=draw(gen.iris()),
        title=draw(gen.texts()),
        rule=rule,
        eqf=_maybe(draw, gen.concepts(vocab.EQF)),
        ects=_maybe(draw, gen.decimals()),
        awarding_body=_maybe(draw, gen.organisations()),
        min_total_ects=_maybe(draw, gen.decimals()),
        caps=caps,
        coverage=coverage,
    )


def _rich_coverage(q: Qualification) -> bool:
    return len(q.coverage) == 2 and any(
        c.esco_skills and c.learning_outcomes and c.min_count is not None and c.id is not None
        for c in q.coverage
    )


def test_generated_qualifications_reach_coverage() -> None:
    """The properties below see two coverage constraints, with every attribute set."""
    # find raises NoSuchExample when the strategy never draws such a qualification.
    quick = settings(max_examples=2000, phases=[Phase.generate], database=None)
    find(qualifications(), _rich_coverage, settings=quick)


# ----------------------------------------------------------------------------- round trip


@given(qualifications())
def test_qualification_round_trip(q: Qualification) -> None:
    assert qualification_from_json(qualification_to_json(q)) == q
    assert qualification_from_dict(qualification_to_dict(q)) == q


@given(st.lists(qualifications(), max_size=3, unique_by=lambda q: q.id))
def test_catalogue_round_trip(qs: list[Qualification]) -> None:
    assert catalogue_from_json(catalogue_to_json(qs)) == qs
    assert catalogue_from_dict(catalogue_to_dict(qs)) == qs


SKILL = "http://data.europa.eu/esco/skill/2d2a1ecc-4be1-4aaa-9e62-4b9a3ab8e2b0"
OUTCOME = "urn:x:lo:firewalls"


def _example() -> Qualification:
    return Qualification(
        id="urn:x:qual:cyber",
        title=Text(en="Certificate in cyber security"),
        rule=AllOf(
            children=[
                Named(id="networks", specification_id="urn:x:spec:net"),
                AtLeast(
                    n=1,
                    children=[
                        Select(id="level-7", filter=Filter(min_eqf=7, fields=["0612"]), min_ects=5),
                        AnyOf(children=[Named(specification_id="urn:x:spec:b")], shared=True),
                    ],
                ),
            ]
        ),
        caps=[Cap(id="external", filter=Filter(valid_at_evaluation=True), max_ects=10)],
        coverage=[
            Coverage(id="skills", esco_skills=[SKILL], learning_outcomes=[OUTCOME], min_count=1)
        ],
    )


def test_layout() -> None:
    doc = qualification_to_dict(_example())
    assert doc == {
        "type": "Qualification",
        "id": "urn:x:qual:cyber",
        "title": {"en": "Certificate in cyber security"},
        "rule": {
            "kind": "allOf",
            "children": [
                {"kind": "named", "id": "networks", "specificationId": "urn:x:spec:net"},
                {
                    "kind": "atLeast",
                    "n": 1,
                    "children": [
                        {
                            "kind": "select",
                            "id": "level-7",
                            "filter": {
                                "minEqf": "http://data.europa.eu/snb/eqf/7",
                                "fields": ["http://data.europa.eu/snb/isced-f/0612"],
                            },
                            "minEcts": 5,
                        },
                        {
                            "kind": "anyOf",
                            "shared": True,
                            "children": [{"kind": "named", "specificationId": "urn:x:spec:b"}],
                        },
                    ],
                },
            ],
        },
        "caps": [{"filter": {"validAtEvaluation": True}, "maxEcts": 10, "id": "external"}],
        "coverage": [
            {"escoSkills": [SKILL], "learningOutcomes": [OUTCOME], "minCount": 1, "id": "skills"}
        ],
    }


def test_coverage_without_min_count_or_id() -> None:
    q = _q(NAMED, coverage=[Coverage(learning_outcomes=[OUTCOME])])
    doc = qualification_to_dict(q)
    assert doc["coverage"] == [{"learningOutcomes": [OUTCOME]}]
    assert qualification_from_dict(doc) == q


def test_to_dict_refuses_other_objects() -> None:
    with pytest.raises(TypeError):
        qualification_to_dict(Filter())  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        catalogue_to_dict([Filter()])  # type: ignore[list-item]


# ----------------------------------------------------------------------------- bad documents


def _base() -> dict[str, Any]:
    return qualification_to_dict(_example())


def _edit(path: str, value: Any) -> dict[str, Any]:
    """A copy of the example document with one dotted path set (``...`` deletes)."""
    out = copy.deepcopy(_base())
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


AT = "rule.children.1.children"

BAD: list[tuple[str, Any, list[str]]] = [
    ("not an object", [], ["$: expected a JSON object, got an array []"]),
    (
        "wrong root type",
        {"type": "MicroCredential"},
        ['$.type: expected a Qualification document, got "MicroCredential"'],
    ),
    ("no root type", {}, ["$.type: required key 'type' is missing ('Qualification')"]),
    (
        "unknown kind",
        _edit("rule.children.0.kind", "oneOf"),
        [
            "$.rule.children[0].kind: expected one of 'allOf', 'anyOf', 'atLeast', 'named', "
            "'select', got \"oneOf\""
        ],
    ),
    (
        "missing kind",
        _edit("rule.children.0.kind", ...),
        [
            "$.rule.children[0].kind: required key 'kind' is missing (one of 'allOf', "
            "'anyOf', 'atLeast', 'named', 'select')"
        ],
    ),
    (
        "node not an object",
        _edit("rule.children.0", "urn:x:spec:net"),
        ['$.rule.children[0]: expected an object (a rule node), got a string "urn:x:spec:net"'],
    ),
    (
        "unknown keys",
        _edit(f"{AT}.0.minEct", 3),
        [
            "$.rule.children[1].children[0].minEct: unknown key 'minEct' in Select; did you mean 'minEcts'?"
        ],
    ),
    (
        "unknown key in a filter",
        _edit(f"{AT}.0.filter.minEqv", 7),
        [
            "$.rule.children[1].children[0].filter.minEqv: unknown key 'minEqv' in Filter; did you mean 'minEqf'?"
        ],
    ),
    (
        "atLeast n as a string",
        _edit("rule.children.1.n", "1"),
        ['$.rule.children[1].n: expected an integer, got a string "1"'],
    ),
    (
        "shared not a boolean",
        _edit("rule.children.1.children.1.shared", 1),
        ["$.rule.children[1].children[1].shared: expected true or false, got a number 1"],
    ),
    (
        "atLeast n above the children",
        _edit("rule.children.1.n", 3),
        ["$.rule.children[1].n: must be at most the number of children (2), got 3"],
    ),
    (
        "atLeast n zero",
        _edit("rule.children.1.n", 0),
        ["$.rule.children[1].n: must be at least 1, got 0"],
    ),
    (
        "no children",
        _edit("rule.children", []),
        ["$.rule.children: give at least one child"],
    ),
    (
        "duplicate node ids",
        _edit(f"{AT}.0.id", "networks"),
        [
            "$.rule.children[1].children[0].id: node id 'networks' is already used "
            "(at ('rule', 'children', 0))"
        ],
    ),
    (
        "cap id used by a node",
        _edit("caps.0.id", "level-7"),
        ["$.caps[0].id: id 'level-7' is used more than once"],
    ),
    (
        "bad IRI",
        _edit("rule.children.0.specificationId", "not an iri"),
        [
            "$.rule.children[0].specificationId: expected an absolute IRI such as 'urn:…' or "
            "'https://…', got 'not an iri'"
        ],
    ),
    (
        "unknown vocabulary concept",
        _edit(f"{AT}.0.filter.minEqf", "http://data.europa.eu/snb/eqf/9"),
        [
            "$.rule.children[1].children[0].filter.minEqf: 'http://data.europa.eu/snb/eqf/9' "
            "is not the IRI of a concept from European Qualifications Framework levels"
        ],
    ),
    (
        "select asks for nothing",
        _edit(f"{AT}.0.minEcts", 0),
        [
            "$.rule.children[1].children[0]: give a positive min_count or min_ects "
            "(the rule asks for nothing)"
        ],
    ),
    (
        "negative cap",
        _edit("caps.0.maxEcts", -1),
        ["$.caps[0].maxEcts: must not be negative, got -1"],
    ),
    (
        "null",
        _edit("caps.0.id", None),
        ["$.caps[0].id: null is not allowed: leave the key out when there is no value"],
    ),
    (
        "unknown key in a coverage",
        _edit("coverage.0.minCounts", 1),
        ["$.coverage[0].minCounts: unknown key 'minCounts' in Coverage; did you mean 'minCount'?"],
    ),
    (
        "coverage minCount above the items",
        _edit("coverage.0.minCount", 3),
        ["$.coverage[0].minCount: asks for 3 of 2 items: it can never be met"],
    ),
    (
        "coverage minCount zero",
        _edit("coverage.0.minCount", 0),
        ["$.coverage[0].minCount: must be at least 1, got 0"],
    ),
    (
        "empty coverage",
        _edit("coverage.0", {"escoSkills": [], "id": "nothing"}),
        ["$.coverage[0]: list at least one ESCO skill or learning outcome to cover"],
    ),
    (
        "coverage minCount as a string",
        _edit("coverage.0.minCount", "1"),
        ['$.coverage[0].minCount: expected an integer, got a string "1"'],
    ),
    (
        "coverage not an object",
        _edit("coverage.0", OUTCOME),
        ['$.coverage[0]: expected an object (Coverage), got a string "urn:x:lo:firewalls"'],
    ),
    (
        "coverage not an array",
        _edit("coverage", {"learningOutcomes": [OUTCOME]}),
        [
            '$.coverage: expected an array, got an object {"learningOutcomes": ["urn:x:lo:firewalls"]}'
        ],
    ),
    (
        "bad learning outcome id",
        _edit("coverage.0.learningOutcomes.0", "firewalls"),
        [
            "$.coverage[0].learningOutcomes[0]: expected an absolute IRI such as 'urn:…' or "
            "'https://…', got 'firewalls'"
        ],
    ),
    (
        "coverage id used by a node",
        _edit("coverage.0.id", "networks"),
        ["$.coverage[0].id: id 'networks' is used more than once"],
    ),
    (
        "coverage id used by a cap",
        _edit("coverage.0.id", "external"),
        [
            "$.caps[0].id: id 'external' is used more than once",
            "$.coverage[0].id: id 'external' is used more than once",
        ],
    ),
    (
        "several problems at once",
        _edit("rule.children.0.kind", "oneOf") | {"minTotalEcts": "60", "extra": 1},
        [
            "$.extra: unknown key 'extra' in Qualification",
            "$.rule.children[0].kind: expected one of 'allOf', 'anyOf', 'atLeast', 'named', "
            "'select', got \"oneOf\"",
            '$.minTotalEcts: expected a number, got a string "60"',
        ],
    ),
]


@pytest.mark.parametrize(("doc", "expected"), [c[1:] for c in BAD], ids=[c[0] for c in BAD])
def test_bad_documents(doc: Any, expected: list[str]) -> None:
    with pytest.raises(ParseError) as info:
        qualification_from_json(json.dumps(doc))
    assert [str(p) for p in info.value.problems] == expected


def test_malformed_json() -> None:
    with pytest.raises(ParseError) as info:
        qualification_from_json('{"type": ')
    (problem,) = info.value.problems
    assert problem.code == "syntax"
    assert "eumicro stacking JSON" in str(info.value)


def test_bad_catalogues() -> None:
    good = qualification_to_dict(_example())
    del good["type"]
    bad = copy.deepcopy(good)
    bad["rule"]["kind"] = "every"
    doc = {"type": "QualificationCatalogue", "qualifications": [good, bad, good], "x": 1}
    with pytest.raises(ParseError) as info:
        catalogue_from_json(json.dumps(doc))
    assert [str(p) for p in info.value.problems] == [
        "$.x: unknown key 'x' in QualificationCatalogue",
        "$.qualifications[1].rule.kind: expected one of 'allOf', 'anyOf', 'atLeast', "
        "'named', 'select', got \"every\"",
        "$.qualifications[2].id: qualification id 'urn:x:qual:cyber' is already used "
        "(at $.qualifications[0])",
    ]
    with pytest.raises(ParseError) as info:
        catalogue_from_json('{"type": "QualificationCatalogue", "qualifications": {}}')
    assert [str(p) for p in info.value.problems] == [
        "$.qualifications: expected an array of qualifications, got an object {}"
    ]


# ----------------------------------------------------------------------------- unsatisfiable


def _q(rule: Any, caps: list[Cap] = [], **more: Any) -> Qualification:  # noqa: B006
    return Qualification(id="urn:x:q", title=Text(en="Q"), rule=rule, caps=caps, **more)


EXTERNAL = Filter(excluded_awarding_bodies=["urn:x:org:home"])
NAMED = Named(specification_id="urn:x:spec:a")


def test_select_above_a_cap_on_the_same_group() -> None:
    q = _q(
        AllOf(children=[NAMED, Select(filter=EXTERNAL, min_ects=20)]),
        caps=[Cap(id="external", filter=EXTERNAL, max_ects=10)],
    )
    assert [str(p) for p in unsatisfiable_reasons(q)] == [
        "$.rule.children[1].minEcts: needs 20 ECTS from credentials that all fall under "
        "cap external (at most 10 ECTS, $.caps[0])"
    ]
    text = qualification_to_json(q)
    assert qualification_from_json(text) == q
    with pytest.raises(ParseError) as info:
        qualification_from_json(text, strict=True)
    assert [p.code for p in info.value.problems] == ["unsatisfiable"]
    with pytest.raises(ParseError):
        catalogue_from_json(catalogue_to_json([q]), strict=True)
    assert catalogue_from_json(catalogue_to_json([q])) == [q]


def test_narrower_select_under_a_broader_cap() -> None:
    narrow = Filter(excluded_awarding_bodies=["urn:x:org:home"], min_eqf=7)
    q = _q(Select(filter=narrow, min_ects=20), caps=[Cap(filter=EXTERNAL, max_ects=10)])
    assert [p.location for p in unsatisfiable_reasons(q)] == ["$.rule.minEcts"]


@pytest.mark.parametrize(
    ("select", "cap"),
    [
        (Filter(), EXTERNAL),  # the select may use home credentials
        (EXTERNAL, Filter(excluded_awarding_bodies=["urn:x:org:home", "urn:x:org:b"])),
        (Filter(min_ects=5), Filter(min_ects=4)),  # implied, but not proven by equality
    ],
)
def test_no_report_when_not_proven(select: Filter, cap: Filter) -> None:
    q = _q(Select(filter=select, min_ects=20), caps=[Cap(filter=cap, max_ects=10)])
    assert unsatisfiable_reasons(q) == ()


def test_cap_not_below_the_need() -> None:
    q = _q(Select(filter=EXTERNAL, min_ects=10), caps=[Cap(filter=EXTERNAL, max_ects=10)])
    assert unsatisfiable_reasons(q) == ()


def test_impossible_branch_with_a_way_out() -> None:
    impossible = Select(filter=EXTERNAL, min_ects=20)
    caps = [Cap(filter=EXTERNAL, max_ects=10)]
    assert unsatisfiable_reasons(_q(AnyOf(children=[impossible, NAMED]), caps)) == ()
    assert unsatisfiable_reasons(_q(AtLeast(n=1, children=[impossible, NAMED]), caps)) == ()
    assert [
        str(p) for p in unsatisfiable_reasons(_q(AtLeast(n=2, children=[impossible, NAMED]), caps))
    ] == [
        "$.rule: needs 2 of its children, but only 1 can ever be satisfied",
        "$.rule.children[0].minEcts: needs 20 ECTS from credentials that all fall under "
        "cap 0 (at most 10 ECTS, $.caps[0])",
    ]
    deep = _q(AllOf(children=[NAMED, AnyOf(children=[impossible, impossible])]), caps)
    assert [p.location for p in unsatisfiable_reasons(deep)] == [
        "$.rule.children[1]",
        "$.rule.children[1].children[0].minEcts",
        "$.rule.children[1].children[1].minEcts",
    ]


def test_every_accepted_body_excluded() -> None:
    flt = Filter(awarding_bodies=["urn:x:org:a"], excluded_awarding_bodies=["urn:x:org:a"])
    q = _q(Select(filter=flt, min_count=1))
    assert [str(p) for p in unsatisfiable_reasons(q)] == [
        "$.rule.filter.awardingBodies: every awarding body accepted is also excluded: "
        "no credential can match"
    ]
    some = Filter(
        awarding_bodies=["urn:x:org:a", "urn:x:org:b"], excluded_awarding_bodies=["urn:x:org:a"]
    )
    assert unsatisfiable_reasons(_q(Select(filter=some, min_count=1))) == ()


def test_total_above_a_cap_on_everything() -> None:
    q = _q(NAMED, caps=[Cap(filter=Filter(), max_ects=30)], min_total_ects=60)
    assert [str(p) for p in unsatisfiable_reasons(q)] == [
        "$.minTotalEcts: needs 60 ECTS in total, but cap 0 allows at most 30 ECTS from all "
        "credentials ($.caps[0])"
    ]
    fine = _q(NAMED, caps=[Cap(filter=EXTERNAL, max_ects=30)], min_total_ects=60)
    assert unsatisfiable_reasons(fine) == ()


def test_example_is_satisfiable_and_strict_reads_it() -> None:
    q = _example()
    assert unsatisfiable_reasons(q) == ()
    assert qualification_from_json(qualification_to_json(q), strict=True) == q


def test_datetimes_and_days() -> None:
    flt = Filter(
        issued_after=dt.datetime(2024, 1, 1, tzinfo=dt.UTC),
        issued_within_days=365,
        grades=["A", "B"],
    )
    q = _q(Select(filter=flt, min_count=2))
    doc = qualification_to_dict(q)
    assert doc["rule"] == {
        "kind": "select",
        "filter": {
            "grades": ["A", "B"],
            "issuedAfter": "2024-01-01T00:00:00+00:00",
            "issuedWithinDays": 365,
        },
        "minCount": 2,
    }
    assert qualification_from_dict(doc) == q


# ----------------------------------------------------------------------------- JSON Schema

SCHEMA_FILE = Path(__file__).resolve().parent.parent / "src/eumicro/schemas"
SCHEMA_FILE = SCHEMA_FILE / "eumicro-stacking.schema.json"


def _validator() -> jsonschema.Draft202012Validator:
    schema = build_stacking_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


VALIDATOR = _validator()


def test_schema_file_is_up_to_date() -> None:
    assert json.loads(SCHEMA_FILE.read_text("utf-8")) == build_stacking_schema()


@given(qualifications())
def test_written_documents_match_the_schema(q: Qualification) -> None:
    doc = json.loads(qualification_to_json(q))
    assert list(VALIDATOR.iter_errors(doc)) == []
    catalogue = json.loads(catalogue_to_json([q]))
    assert list(VALIDATOR.iter_errors(catalogue)) == []


SCHEMA_REFUSES = [
    "unknown kind",
    "missing kind",
    "unknown keys",
    "unknown key in a filter",
    "atLeast n as a string",
    "shared not a boolean",
    "atLeast n zero",
    "no children",
    "bad IRI",
    "unknown vocabulary concept",
    "select asks for nothing",
    "negative cap",
    "null",
    "unknown key in a coverage",
    "coverage minCount zero",
    "empty coverage",
    "coverage minCount as a string",
    "coverage not an object",
    "coverage not an array",
    "bad learning outcome id",
]


@pytest.mark.parametrize("name", SCHEMA_REFUSES)
def test_schema_refuses_bad_documents(name: str) -> None:
    (doc,) = [c[1] for c in BAD if c[0] == name]
    assert list(VALIDATOR.iter_errors(doc)) != []


def test_generator_checks_the_stacking_schema() -> None:
    import subprocess
    import sys
    from pathlib import Path

    tool = Path(__file__).resolve().parent.parent / "tools" / "gen_json_schema.py"
    result = subprocess.run(
        [sys.executable, str(tool), "--schema", "stacking", "--check"],
        capture_output=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr

"""Stacking rules: construction, validation with paths, and filters."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import attrs
import pytest

from eumicro import (
    Assessment,
    Level,
    MicroCredential,
    Organisation,
    Participation,
    QualityAssurance,
    Specification,
    Text,
    ValidationError,
    Workload,
    vocab,
)
from eumicro.samples import load
from eumicro.stacking import (
    AllOf,
    AnyOf,
    AtLeast,
    Cap,
    Coverage,
    Filter,
    Named,
    Node,
    Qualification,
    Select,
)

NOW = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)
A = "urn:eumicro:test:spec:a"
B = "urn:eumicro:test:spec:b"
SKILL = "http://data.europa.eu/esco/skill/9f3c0b1e-2a5d-4c8e-b7f6-0d1e2f3a4b5c"
OUTCOME = "urn:eumicro:test:lo:1"


def problems_of(build: Callable[[], object]) -> list[tuple[str, str]]:
    with pytest.raises(ValidationError) as info:
        build()
    return [(p.location, p.code) for p in info.value.problems]


def qualification(rule: Any, **kwargs: Any) -> Qualification:
    return Qualification(id="urn:eumicro:test:qual", title=Text(en="Q"), rule=rule, **kwargs)


def named(spec_id: str = A, **kwargs: Any) -> Named:
    return Named(specification_id=spec_id, **kwargs)


def test_valid_tree_is_built_and_immutable() -> None:
    q = qualification(
        AllOf(
            children=[
                named(id="core"),
                AtLeast(n=1, children=[named(B), Select(min_ects=5, filter=Filter(min_eqf=6))]),
                AnyOf(children=[Select(min_count=2)], shared=True),
            ]
        ),
        eqf=7,
        ects=60,
        min_total_ects="60",
        caps=[Cap(filter=Filter(excluded_awarding_bodies=["urn:x:org:home"]), max_ects=20)],
        coverage=[Coverage(esco_skills=[SKILL], learning_outcomes=[OUTCOME])],
    )
    assert q.eqf is vocab.EQF.get("7")
    assert q.coverage[0].items == (SKILL, OUTCOME)
    assert q.coverage[0].need == 2
    assert q.min_total_ects == Decimal(60)
    assert isinstance(q.rule, AllOf)
    assert isinstance(q.rule.children, tuple)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        q.rule.shared = True  # type: ignore[misc]


CASES: list[tuple[str, Callable[[], object], list[tuple[str, str]]]] = [
    ("at-least zero", lambda: AtLeast(n=0, children=[named()]), [("$.n", "range")]),
    ("at-least too many", lambda: AtLeast(n=3, children=[named(), named(B)]), [("$.n", "range")]),
    ("all-of empty", lambda: AllOf(children=[]), [("$.children", "missing")]),
    ("any-of empty", lambda: AnyOf(children=()), [("$.children", "missing")]),
    ("child not a node", lambda: AllOf(children=["x"]), [("$.children[0]", "type")]),
    ("negative ECTS", lambda: Select(min_ects=-1), [("$.min_ects", "range"), ("$", "missing")]),
    ("negative count", lambda: Select(min_count=-2), [("$.min_count", "range"), ("$", "missing")]),
    ("asks for nothing", lambda: Select(), [("$", "missing")]),
    ("three decimals", lambda: Select(min_ects="1.005"), [("$.min_ects", "precision")]),
    ("bad spec id", lambda: Named(specification_id="not an iri"), [("$.specification_id", "iri")]),
    (
        "equivalent repeats id",
        lambda: Named(specification_id=A, equivalents=[B, A]),
        [("$.equivalents[1]", "duplicate")],
    ),
    ("empty node id", lambda: named(id=" "), [("$.id", "empty")]),
    ("bad EQF", lambda: Filter(min_eqf=9), [("$.min_eqf", "vocabulary")]),
    ("bad ISCED-F", lambda: Filter(fields=["zz"]), [("$.fields[0]", "vocabulary")]),
    ("bad skill IRI", lambda: Filter(esco_skills=["skill"]), [("$.esco_skills[0]", "iri")]),
    (
        "naive date",
        lambda: Filter(issued_after=dt.datetime(2024, 1, 1)),
        [("$.issued_after", "timezone")],
    ),
    (
        "period backwards",
        lambda: Filter(issued_after=NOW, issued_before=NOW - dt.timedelta(days=1)),
        [("$.issued_before", "range")],
    ),
    (
        "negative recency",
        lambda: Filter(issued_within_days=-1),
        [("$.issued_within_days", "range")],
    ),
    ("cap negative", lambda: Cap(filter=Filter(), max_ects=-5), [("$.max_ects", "range")]),
    (
        "qualification id",
        lambda: Qualification(id="x", title=Text(en="Q"), rule=named()),
        [("$.id", "iri")],
    ),
    (
        "duplicate node ids",
        lambda: qualification(AllOf(children=[named(id="a"), AnyOf(id="a", children=[named(B)])])),
        [("$.rule.children[1].id", "duplicate")],
    ),
    (
        "cap id reuses a node id",
        lambda: qualification(named(id="a"), caps=[Cap(id="a", filter=Filter(), max_ects=1)]),
        [("$.caps[0].id", "duplicate")],
    ),
    ("coverage empty", lambda: Coverage(), [("$", "missing")]),
    (
        "coverage with empty lists",
        lambda: Coverage(esco_skills=[], learning_outcomes=[], min_count=1),
        [("$", "missing")],
    ),
    (
        "coverage min count zero",
        lambda: Coverage(esco_skills=[SKILL], min_count=0),
        [("$.min_count", "range")],
    ),
    (
        "coverage min count above the items",
        lambda: Coverage(esco_skills=[SKILL], learning_outcomes=[OUTCOME], min_count=3),
        [("$.min_count", "range")],
    ),
    (
        "coverage bad skill IRI",
        lambda: Coverage(esco_skills=[SKILL, "skill"]),
        [("$.esco_skills[1]", "iri")],
    ),
    (
        "coverage bad outcome id",
        lambda: Coverage(learning_outcomes=["outcome 1"]),
        [("$.learning_outcomes[0]", "iri")],
    ),
    (
        "coverage duplicate skill",
        lambda: Coverage(esco_skills=[SKILL, SKILL], min_count=2),
        [("$.esco_skills[1]", "duplicate")],
    ),
    (
        "coverage duplicate outcome",
        lambda: Coverage(learning_outcomes=[OUTCOME, OUTCOME]),
        [("$.learning_outcomes[1]", "duplicate")],
    ),
    ("coverage empty id", lambda: Coverage(esco_skills=[SKILL], id=""), [("$.id", "empty")]),
    (
        "coverage id reuses a node id",
        lambda: qualification(
            AllOf(children=[named(id="a"), named(B, id="b")]),
            coverage=[Coverage(id="b", esco_skills=[SKILL])],
        ),
        [("$.coverage[0].id", "duplicate")],
    ),
    (
        "coverage id reuses a cap id",
        lambda: qualification(
            named(id="a"),
            caps=[Cap(id="c", filter=Filter(), max_ects=1)],
            coverage=[Coverage(esco_skills=[SKILL]), Coverage(id="c", esco_skills=[SKILL])],
        ),
        [("$.caps[0].id", "duplicate"), ("$.coverage[1].id", "duplicate")],
    ),
    (
        "coverage ids repeated",
        lambda: qualification(
            named(),
            coverage=[Coverage(id="k", esco_skills=[SKILL]), Coverage(id="k", esco_skills=[SKILL])],
        ),
        [("$.coverage[0].id", "duplicate"), ("$.coverage[1].id", "duplicate")],
    ),
    ("rule not a node", lambda: qualification("all"), [("$.rule", "type")]),
    (
        "abstract node in the tree",
        lambda: qualification(AnyOf(children=[named(), Node()])),
        [("$.rule.children[1]", "type")],
    ),
]


@pytest.mark.parametrize(("build", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_construction_problems(
    build: Callable[[], object], expected: list[tuple[str, str]]
) -> None:
    assert problems_of(build) == expected


# ----------------------------------------------------------------------------- filters

HOME = "urn:eumicro:test:org:home"
OTHER = "urn:eumicro:test:org:other"


def credential(**kwargs: Any) -> MicroCredential:
    spec = Specification(
        id=A,
        workload=Workload(ects=5),
        level=Level(eqf=6),
        fields=["0613"],
        assessment=Assessment(types=["portfolio"]),
        participation=Participation(modes=["Online"]),
        quality_assurance=[QualityAssurance(type="Program Quality Assurance")],
    )
    kwargs.setdefault("specification", spec)
    kwargs.setdefault(
        "awarding_bodies", [Organisation(name=Text(en="Home"), id=HOME, country="IRL")]
    )
    kwargs.setdefault("issued", dt.datetime(2025, 6, 1, tzinfo=dt.UTC))
    return MicroCredential(id="urn:eumicro:test:cred:1", **kwargs)


FILTERS: list[tuple[Filter, bool]] = [
    (Filter(), True),
    (Filter(min_ects=5), True),
    (Filter(min_ects="5.5"), False),
    (Filter(min_eqf=6), True),
    (Filter(min_eqf=7), False),
    (Filter(fields=["06"]), True),  # a broad field matches a narrower one
    (Filter(fields=["0613"]), True),
    (Filter(fields=["0612"]), False),
    (Filter(awarding_bodies=[HOME, OTHER]), True),
    (Filter(awarding_bodies=[OTHER]), False),
    (Filter(excluded_awarding_bodies=[HOME]), False),
    (Filter(excluded_awarding_bodies=[OTHER]), True),
    (Filter(countries=["IRL"]), True),
    (Filter(countries=["DEU"]), False),
    (Filter(qa_types=["Program Quality Assurance"]), True),
    (Filter(qa_types=["Institutional License"]), False),
    (Filter(assessment_types=["portfolio"]), True),
    (Filter(assessment_types=["peer assessment"]), False),
    (Filter(participation_modes=["Online"]), True),
    (Filter(participation_modes=["Presential"]), False),
    (Filter(supervision=["Supervised with ID Verification"]), False),  # none recorded
    (Filter(grades=["Pass"]), False),  # no grade
    (Filter(issued_after=dt.datetime(2025, 1, 1, tzinfo=dt.UTC)), True),
    (Filter(issued_after=dt.datetime(2025, 7, 1, tzinfo=dt.UTC)), False),
    (Filter(issued_before=dt.datetime(2025, 6, 1, tzinfo=dt.UTC)), False),
    (Filter(issued_within_days=365), True),
    (Filter(issued_within_days=300), False),
    (Filter(valid_at_evaluation=True), True),
]


@pytest.mark.parametrize(("flt", "expected"), FILTERS)
def test_filter_on_one_credential(flt: Filter, expected: bool) -> None:
    assert flt.matches(credential(), at=NOW) is expected


def test_filter_supervision_grade_and_validity() -> None:
    graded = credential(
        supervision="Supervised with ID Verification",
        valid_until=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
    )
    assert Filter(supervision=["Supervised with ID Verification"]).matches(graded, at=NOW)
    assert not Filter(valid_at_evaluation=True).matches(graded, at=NOW)
    assert Filter(valid_at_evaluation=True).matches(
        graded, at=dt.datetime(2025, 12, 1, tzinfo=dt.UTC)
    )
    sample = load("data-literacy-ie")
    assert Filter(grades=["distinction"]).matches(sample, at=NOW)
    assert not Filter(grades=["Merit"]).matches(sample, at=NOW)


def test_recency_is_relative_to_the_evaluation_date() -> None:
    c = credential()
    recent = Filter(issued_within_days=30)
    assert recent.matches(c, at=dt.datetime(2025, 6, 20, tzinfo=dt.UTC))
    assert not recent.matches(c, at=dt.datetime(2025, 8, 1, tzinfo=dt.UTC))
    assert not recent.matches(c, at=dt.datetime(2025, 5, 1, tzinfo=dt.UTC))  # not issued yet


def test_named_accepts_equivalents_only() -> None:
    leaf = Named(specification_id=B, equivalents=[A])
    assert leaf.eligible(credential(), at=NOW)
    assert not Named(specification_id=B).eligible(credential(), at=NOW)


def test_select_with_ects_need_ignores_credentials_without_ects() -> None:
    no_ects = credential(specification=Specification(id=A, workload=Workload(hours=10)))
    assert not Select(min_ects=1).eligible(no_ects, at=NOW)
    assert Select(min_count=1).eligible(no_ects, at=NOW)

from __future__ import annotations

import datetime as dt
import gc
import json
import random
from decimal import Decimal

import attrs
import pytest

from eumicro import (
    LearningOutcome,
    Level,
    MicroCredential,
    Organisation,
    Specification,
    Text,
    ValidationError,
    Workload,
)
from eumicro.samples import load, load_all
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
    StackReport,
    Status,
    catalogue_to_json,
    evaluate,
)
from eumicro.stacking._catalogue import (
    Catalogue,
    load_example_catalogue,
    progress,
    stackable,
    stackable_many,
)

AT = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
LATER = dt.datetime(2026, 2, 1, tzinfo=dt.UTC)
Q = "urn:eumicro:sample:qualification:"
HOME = "urn:eumicro:test:org:home"
EXTERNAL = "urn:eumicro:test:org:external"


def cred(i: int, name: str, ects: int, field: str, eqf: int, body: str) -> MicroCredential:
    return MicroCredential(
        id=f"urn:eumicro:test:cred:{i}",
        specification=Specification(
            id=f"urn:eumicro:test:spec:{name}",
            title=Text(en=name),
            workload=Workload(ects=ects),
            level=Level(eqf=eqf),
            fields=[field],
            learning_outcomes=[
                LearningOutcome(
                    title=Text(en=f"outcome of {name}"),
                    esco_skills=[SKILL + f"k{sum(map(ord, name)) % 4}"],
                )
            ],
        ),
        awarding_bodies=[Organisation(name=Text(en=body), id=body)],
        issued=dt.datetime(2025, 1, 1, tzinfo=dt.UTC),
    )


FIELDS = ["0611", "0612", "0613", "0688"]
SKILL = "http://data.europa.eu/esco/skill/"
NAMES = [f"s{i}" for i in range(8)]


def random_learner(rng: random.Random) -> list[MicroCredential]:
    return [
        cred(
            i,
            rng.choice(NAMES),
            rng.choice([2, 3, 5, 6]),
            rng.choice(FIELDS),
            rng.choice([5, 6, 7]),
            rng.choice([HOME, EXTERNAL]),
        )
        for i in range(rng.randint(0, 7))
    ]


def random_leaf(rng: random.Random, ident: str) -> Node:
    if rng.random() < 0.3:
        return Named(id=ident, specification_id=f"urn:eumicro:test:spec:{rng.choice(NAMES)}")
    count, ects = rng.choice([(1, 0), (2, 0), (0, 5), (1, 6), (0, 10)])
    return Select(
        id=ident,
        filter=Filter(fields=[rng.choice(FIELDS)], min_eqf=rng.choice([None, 6, 7])),
        min_count=count,
        min_ects=ects,
    )


def random_qualification(rng: random.Random, i: int) -> Qualification:
    leaves = [random_leaf(rng, f"l{j}") for j in range(rng.randint(1, 4))]
    kind = rng.choice(["all", "any", "atleast"])
    rule: Node
    if kind == "all":
        rule = AllOf(children=leaves)
    elif kind == "any":
        rule = AnyOf(children=leaves)
    else:
        rule = AtLeast(n=rng.randint(1, len(leaves)), children=leaves)
    caps = (
        [Cap(filter=Filter(excluded_awarding_bodies=[HOME]), max_ects=rng.choice([0, 5, 10]))]
        if rng.random() < 0.3
        else []
    )
    skills = rng.sample(range(4), rng.randint(1, 3))
    coverage = (
        [Coverage(esco_skills=[SKILL + f"k{k}" for k in skills], min_count=rng.randint(1, 2))]
        if rng.random() < 0.25 and len(skills) >= 2
        else []
    )
    return Qualification(
        id=f"urn:eumicro:test:qual:{i:03d}",
        title=Text(en=f"Q{i}"),
        rule=rule,
        min_total_ects=rng.choice([None, None, 10, 15]),
        caps=caps,
        coverage=coverage,
    )


@pytest.mark.parametrize("seed", range(60))
def test_stackable_agrees_with_evaluating_each_qualification(seed: int) -> None:
    rng = random.Random(seed)
    catalogue = [random_qualification(rng, i) for i in range(30)]
    learner = random_learner(rng)
    closest = rng.choice([0, 1, 3, 5])
    report = stackable(learner, catalogue, at=AT, closest=closest)
    one_by_one = {q.id: evaluate(learner, q, at=AT) for q in catalogue}
    assert all(e.status is not Status.UNKNOWN for e in one_by_one.values())
    assert {i.qualification.id for i in report.completed} == {
        qid for qid, e in one_by_one.items() if e.status is Status.SATISFIED
    }
    for item in report.completed:
        assert item.evaluation.status is Status.SATISFIED
        assert item.status is Status.SATISFIED
        assert item.progress == 1
    for item in report.closest:  # figures read without building the evaluation agree
        assert item.status is item.evaluation.status
        assert item.progress == progress(item.evaluation)
    # Closest: the first ``closest`` of the others ranked by progress, then id.
    others = sorted(
        ((progress(e), qid) for qid, e in one_by_one.items() if e.status is not Status.SATISFIED),
        key=lambda t: (-t[0], t[1]),
    )
    got = [(i.progress, i.qualification.id) for i in report.closest]
    assert [p for p, _ in got] == [p for p, _ in others[:closest]]
    assert [qid for _, qid in got] == [qid for _, qid in others[:closest]]
    for item in report.closest:
        assert item.evaluation.status is one_by_one[item.qualification.id].status
        assert item.evaluation.assignment == one_by_one[item.qualification.id].assignment
        assert item.evaluation.root == one_by_one[item.qualification.id].root
        assert Decimal(0) <= item.progress < 1
    assert report.evaluated + report.skipped == len(catalogue)
    assert report.explain().startswith("Stacking report")


def summary(report: StackReport) -> list[tuple[str, str, Decimal, object]]:
    return [
        (kind, i.qualification.id, i.progress, i.evaluation.assignment)
        for kind, items in (("completed", report.completed), ("closest", report.closest))
        for i in items
    ]


@pytest.mark.parametrize("workers", [1, 2])
def test_stackable_many_agrees_with_stackable(workers: int) -> None:
    rng = random.Random(7)
    catalogue = [random_qualification(rng, i) for i in range(40)]
    learners = [random_learner(rng) for _ in range(25)]
    # A credential issued after the evaluation date counts nowhere.
    learners[3] = [*learners[3], attrs.evolve(learners[4][0], id="urn:x:future", issued=LATER)]
    compiled = Catalogue(catalogue)
    assert list(compiled) == catalogue
    assert len(compiled) == 40
    reports = stackable_many(learners, compiled, at=AT, closest=3, workers=workers)
    assert len(reports) == len(learners)
    for learner, report in zip(learners, reports, strict=True):
        alone = stackable(learner, catalogue, at=AT, closest=3)
        assert summary(report) == summary(alone)
        assert (report.evaluated, report.skipped) == (alone.evaluated, alone.skipped)
        assert report.not_yet_issued == alone.not_yet_issued
    assert reports[3].not_yet_issued == ("urn:x:future",)
    assert "Issued after this date, not counted: urn:x:future" in reports[3].explain()


def test_stackable_many_reports_bad_credentials_with_the_learner_index() -> None:
    a = cred(1, "s1", 5, "0611", 6, HOME)
    with pytest.raises(ValidationError) as info:
        stackable_many([[a], [a, a]], [random_qualification(random.Random(1), 0)], at=AT)
    assert [p.location for p in info.value.problems] == ["$.learners[1].credentials[1]"]


def test_catalogue_refuses_what_is_not_a_qualification() -> None:
    with pytest.raises(TypeError, match="item 1 is a str, not a Qualification"):
        Catalogue([random_qualification(random.Random(1), 0), "urn:x"])  # type: ignore[list-item]


def test_missing_mandatory_named_leaf_is_skipped_but_still_ranked() -> None:
    networks = load("secure-networks-de")
    qualification = Qualification(
        id="urn:x:qual:a",
        title=Text(en="A"),
        rule=AllOf(
            children=[
                Named(id="absent", specification_id="urn:x:spec:absent"),
                Named(id="networks", specification_id=networks.specification.id),
            ]
        ),
    )
    report = stackable([networks], [qualification], at=AT, closest=1)
    assert report.completed == ()
    (item,) = report.closest
    assert item.progress == Decimal("0.5")
    assert report.evaluated == 1
    report = stackable([networks], [qualification], at=AT, closest=0)
    assert report.closest == ()
    assert report.skipped == 1


def test_example_catalogue_loads_strictly_and_round_trips() -> None:
    catalogue = load_example_catalogue()
    assert 4 <= len(catalogue) <= 6
    assert len({q.id for q in catalogue}) == len(catalogue)
    again = json.loads(catalogue_to_json(catalogue))
    from eumicro.stacking import catalogue_from_dict

    assert catalogue_from_dict(again, strict=True) == catalogue
    assert any(q.caps for q in catalogue)
    assert any("issuedWithinDays" in json.dumps(d) for d in again["qualifications"]), (
        "a recency rule"
    )


def test_samples_complete_what_the_example_catalogue_was_designed_for() -> None:
    report = stackable(load_all(), load_example_catalogue(), at=AT)
    assert {i.qualification.id for i in report.completed} == {
        Q + "th-rheinland:msc-cyber-security",
        Q + "hha:master-health-informatics",
        Q + "eu:digital-skills-certificate",
    }
    assert [i.qualification.id for i in report.closest] == [
        Q + "estb:tecnico-superior-turismo",
        Q + "univ-loire:du-data-ai-ethics",
    ]
    text = report.explain()
    assert "recent-statistics: missing 5 ECTS" in text
    assert "tourism-electives: missing 12 ECTS" in text


def test_example_recency_rule_depends_on_the_date() -> None:
    (ethics_diploma,) = [q for q in load_example_catalogue() if "du-data-ai-ethics" in q.id]
    samples = load_all()
    early = dt.datetime(2025, 6, 1, tzinfo=dt.UTC)
    assert evaluate(samples, ethics_diploma, at=early).status is Status.SATISFIED
    assert evaluate(samples, ethics_diploma, at=AT).status is Status.NOT_SATISFIED


def test_credentials_issued_after_the_evaluation_date_count_nowhere() -> None:
    (ethics_diploma,) = [q for q in load_example_catalogue() if "du-data-ai-ethics" in q.id]
    samples = load_all()
    # Before the Loire credential (issued 2025-01-20) existed, the diploma was out of reach
    # even though its recency rule would have accepted the statistics module.
    before = evaluate(samples, ethics_diploma, at=dt.datetime(2024, 12, 1, tzinfo=dt.UTC))
    assert before.status is Status.NOT_SATISFIED
    assert before.not_yet_issued == (
        "urn:eumicro:sample:credential:univ-loire:2025:ia-311",
        "urn:eumicro:sample:credential:hha-tdc:2025:dh-77",
    )
    assert "urn:eumicro:sample:credential:univ-loire:2025:ia-311" not in before.assignment
    assert "issued after the evaluation date, not counted" in before.explain()
    after = evaluate(samples, ethics_diploma, at=dt.datetime(2025, 2, 1, tzinfo=dt.UTC))
    assert after.status is Status.SATISFIED
    assert after.not_yet_issued == ("urn:eumicro:sample:credential:hha-tdc:2025:dh-77",)


def test_example_cap_on_external_credits() -> None:
    (cyber,) = [q for q in load_example_catalogue() if "msc-cyber-security" in q.id]
    # The 10-ECTS external digital-health module fits the elective but breaks the 5-ECTS
    # cap on external credits; the 3-ECTS external AI-ethics module fits both.
    networks, health, ethics = (
        load("secure-networks-de"),
        load("digital-health-fi-ee"),
        load("ai-ethics-fr"),
    )
    assert evaluate([networks, health], cyber, at=AT).status is Status.NOT_SATISFIED
    uncapped = attrs.evolve(cyber, caps=())
    assert evaluate([networks, health], uncapped, at=AT).status is Status.SATISFIED
    assert evaluate([networks, health, ethics], cyber, at=AT).status is Status.SATISFIED


def test_the_engine_leaves_no_reference_cycles() -> None:
    # stackable_many pauses the cyclic garbage collector while it works: that is only
    # safe if nothing it runs (search, budgets running out, reports) leaves cycles.
    rng = random.Random(11)
    catalogue = [random_qualification(rng, i) for i in range(40)]
    learners = [random_learner(rng) for _ in range(30)]
    hard = Qualification(
        id="urn:eumicro:test:qual:hard",
        title=Text(en="hard"),
        rule=AllOf(children=[Select(id=f"g{i}", min_ects=15) for i in range(4)]),
    )
    sizes = [9, 7, 7, 7, 5, 7, 6, 7, 4, 3]
    heavy = [cred(100 + i, f"h{i}", e, "0611", 7, HOME) for i, e in enumerate(sizes)]
    gc.collect()
    was = gc.isenabled()
    gc.disable()
    try:
        reports = stackable_many([*learners, heavy], [*catalogue, hard], at=AT)
        budget = stackable(heavy, [hard], at=AT, max_nodes=3)  # runs out: unknown
        for report in [*reports, budget]:
            report.explain()  # builds every evaluation
        assert budget.closest[0].status is Status.UNKNOWN
        assert gc.collect() == 0
    finally:
        if was:
            gc.enable()

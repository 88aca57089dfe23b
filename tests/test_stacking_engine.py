"""The stacking engine: realistic scenarios, and exactness against a brute-force oracle."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

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
from eumicro.samples import load_all
from eumicro.stacking import (
    AllOf,
    AnyOf,
    AtLeast,
    Cap,
    Coverage,
    Evaluation,
    Filter,
    Leaf,
    Named,
    Node,
    NodeResult,
    Qualification,
    Select,
    Status,
    evaluate,
)

AT = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)
HOME = "urn:eumicro:test:org:home"
EXTERNAL = "urn:eumicro:test:org:external"


def org(org_id: str) -> Organisation:
    return Organisation(name=Text(en=org_id.rsplit(":", 1)[-1]), id=org_id)


SKILL = "http://data.europa.eu/esco/skill/"
# The skills (learning outcomes linked to ESCO) each random specification name teaches.
TEACHES = {"a": ("s1",), "b": ("s2",), "c": ("s1", "s3")}


def spec(name: str, ects: int | str | None, eqf: int = 7) -> Specification:
    return Specification(
        id=f"urn:eumicro:test:spec:{name}",
        title=Text(en=name),
        workload=Workload(ects=ects) if ects is not None else Workload(hours=20),
        level=Level(eqf=eqf),
        learning_outcomes=[
            LearningOutcome(
                id=f"urn:eumicro:test:lo:{name}",
                title=Text(en=f"outcome of {name}"),
                esco_skills=[SKILL + s for s in TEACHES.get(name, ())],
            )
        ],
    )


def cred(
    name: str,
    ects: int | str | None = 5,
    *,
    eqf: int = 7,
    body: str = HOME,
    issued: dt.datetime = dt.datetime(2025, 1, 1, tzinfo=dt.UTC),
    spec_name: str | None = None,
) -> MicroCredential:
    return MicroCredential(
        id=f"urn:eumicro:test:cred:{name}",
        specification=spec(spec_name or name, ects, eqf),
        awarding_bodies=[org(body)],
        issued=issued,
    )


def qual(rule: Node, **kwargs: Any) -> Qualification:
    return Qualification(
        id="urn:eumicro:test:qual:msc", title=Text(en="MSc (stacked)"), rule=rule, **kwargs
    )


def sid(name: str) -> str:
    return f"urn:eumicro:test:spec:{name}"


def find(result: NodeResult, label: str) -> NodeResult:
    if result.label == label:
        return result
    for child in result.children:
        try:
            return find(child, label)
        except KeyError:
            pass
    raise KeyError(label)


# ----------------------------------------------------------------------------- scenarios


def masters() -> Qualification:
    """A 60-ECTS master's programme (EQF 7) stacked from micro-credentials."""
    return qual(
        AllOf(
            children=[
                AllOf(
                    id="core",
                    children=[
                        Named(id="ml", specification_id=sid("ml"), equivalents=[sid("ml-other")]),
                        Named(id="stats", specification_id=sid("stats")),
                    ],
                ),
                Select(id="electives", filter=Filter(min_eqf=7), min_count=2, min_ects=20),
                AnyOf(
                    id="specialisation",
                    children=[
                        Select(id="spec-a", filter=Filter(min_eqf=7, min_ects=10), min_ects=10),
                        Named(id="spec-b", specification_id=sid("security")),
                    ],
                ),
                Named(id="thesis", specification_id=sid("thesis")),
            ]
        ),
        eqf=7,
        ects=60,
        min_total_ects=60,
        caps=[Cap(id="external", filter=Filter(excluded_awarding_bodies=[HOME]), max_ects=15)],
    )


def test_masters_programme_is_satisfied_with_a_proving_assignment() -> None:
    creds = [
        cred("ml", 10),
        cred("stats", 5),
        cred("e1", 10),
        cred("e2", 10),
        cred("big", 10, body=EXTERNAL),
        cred("thesis", 15),
        cred("low", 10, eqf=6),  # EQF 6 does not count as an elective
    ]
    result = evaluate(creds, masters(), at=AT)
    assert result.satisfied is True
    assert_valid(result, creds)
    assert result.total_ects >= 60
    assert find(result.root, "thesis").used == ("urn:eumicro:test:cred:thesis",)
    assert "urn:eumicro:test:cred:low" not in result.assignment
    text = result.explain()
    assert "satisfied" in text
    assert "[✓] thesis" in text


def test_masters_programme_not_satisfied_reports_what_is_missing() -> None:
    creds = [cred("ml-other", 10), cred("stats", 5), cred("e1", 10), cred("thesis", 15)]
    result = evaluate(creds, masters(), at=AT)
    assert result.satisfied is False
    assert_valid(result, creds)  # a partial assignment, with consistent figures
    assert find(result.root, "ml").status is Status.SATISFIED  # the equivalent counts
    assert find(result.root, "specialisation").status is Status.NOT_SATISFIED
    assert result.total_ects == 40
    text = result.explain()
    assert "not satisfied" in text
    assert "[✗] total ECTS 40/60" in text


def test_cap_on_external_credits_decides() -> None:
    q = qual(
        Select(id="any", min_ects=20),
        caps=[Cap(filter=Filter(excluded_awarding_bodies=[HOME]), max_ects=10)],
    )
    home = [cred("h1", 10)]
    external = [cred(f"x{i}", 5, body=EXTERNAL) for i in range(4)]
    assert evaluate(home + external, q, at=AT).satisfied is True  # 10 home + 10 external
    result = evaluate([cred("h1", 5), *external], q, at=AT)
    assert result.satisfied is False  # 5 home + at most 10 external
    assert all(cap.ok for cap in evaluate(home + external, q, at=AT).caps)


def test_cap_can_forbid_an_otherwise_useful_credential() -> None:
    # Only the external 12-ECTS credential is too much under a 10-ECTS cap; two 5s are fine.
    q = qual(
        Select(min_ects=10), caps=[Cap(filter=Filter(excluded_awarding_bodies=[HOME]), max_ects=10)]
    )
    assert evaluate([cred("x", 12, body=EXTERNAL)], q, at=AT).satisfied is False
    result = evaluate([cred("x", 12, body=EXTERNAL), cred("h", 10)], q, at=AT)
    assert result.satisfied is True
    assert list(result.assignment) == ["urn:eumicro:test:cred:h"]


def test_recency_depends_on_the_evaluation_date() -> None:
    q = qual(Select(filter=Filter(issued_within_days=3 * 365), min_count=1))
    old = cred("old", issued=dt.datetime(2022, 1, 1, tzinfo=dt.UTC))
    assert evaluate([old], q, at=dt.datetime(2024, 1, 1, tzinfo=dt.UTC)).satisfied is True
    assert evaluate([old], q, at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC)).satisfied is False


def test_indivisible_ects_partition_is_decided_exactly() -> None:
    # Two groups each need 10 ECTS from {6, 4, 5, 5}: 6+4 and 5+5. Greedy placement
    # that puts 6+5 first fails; the engine must find the split.
    q = qual(AllOf(children=[Select(id="a", min_ects=10), Select(id="b", min_ects=10)]))
    creds = [cred("c6", 6), cred("c5a", 5), cred("c5b", 5), cred("c4", 4)]
    result = evaluate(creds, q, at=AT)
    assert result.satisfied is True
    assert_valid(result, creds)
    no = evaluate([cred("c9", 9), cred("c6", 6), cred("c3", 3), cred("c2", 2)], q, at=AT)
    assert no.satisfied is False  # 20 ECTS in total, but no split into 10 + 10


def test_shared_node_lets_a_credential_count_twice() -> None:
    creds = [cred("a", 5)]
    exclusive = qual(AllOf(children=[Named(specification_id=sid("a")), Select(min_count=1)]))
    assert evaluate(creds, exclusive, at=AT).satisfied is False
    shared = qual(
        AllOf(children=[Named(specification_id=sid("a")), Select(min_count=1, shared=True)])
    )
    assert evaluate(creds, shared, at=AT).satisfied is True


def test_count_only_all_of_uses_matching() -> None:
    q = qual(AllOf(children=[Select(min_count=2), Named(specification_id=sid("a"))]))
    result = evaluate([cred("a"), cred("b"), cred("c")], q, at=AT)
    assert result.algorithm == "matching"
    assert result.satisfied is True
    short = evaluate([cred("a"), cred("b")], q, at=AT)
    assert short.satisfied is False
    assert short.root.missing_count == 1


def test_budget_gives_unknown_never_a_wrong_answer() -> None:
    # Four groups needing 15 ECTS each from 62 ECTS in ten credentials: every bound
    # passes (60 ≤ 62, two credentials per group at most from the largest), yet no split
    # into four sums of at least 15 exists; refuting it takes a search.
    q = qual(AllOf(children=[Select(id=f"g{i}", min_ects=15) for i in range(4)]))
    sizes = [9, 7, 7, 7, 5, 7, 6, 7, 4, 3]
    creds = [cred(f"c{i}", e) for i, e in enumerate(sizes)]
    assert evaluate(creds, q, at=AT).satisfied is False
    tight = evaluate(creds, q, at=AT, max_nodes=50)
    assert tight.status is Status.UNKNOWN
    assert tight.satisfied is None
    assert "budget" in tight.explain()


def test_timeout_gives_unknown() -> None:
    q = qual(AllOf(children=[Select(id=f"g{i}", min_ects=14) for i in range(3)]))
    creds = [cred(f"c{i}", 3) for i in range(14)]
    assert evaluate(creds, q, at=AT).satisfied is False  # proven with the default budget
    assert evaluate(creds, q, at=AT, timeout=0.0).status is Status.UNKNOWN


def test_unmatchable_counts_are_refuted_without_search() -> None:
    q = qual(
        AllOf(children=[Select(min_count=2, min_ects=4), Named(specification_id=sid("a"))]),
        caps=[Cap(filter=Filter(), max_ects=100)],
    )
    result = evaluate([cred("a"), cred("b")], q, at=AT)
    assert result.satisfied is False
    assert result.algorithm == "matching"
    assert_valid(result, [cred("a"), cred("b")])


def test_samples_against_a_level_rule() -> None:
    creds = load_all()
    q = qual(
        AllOf(
            children=[
                Select(id="eqf7", filter=Filter(min_eqf=7, valid_at_evaluation=True), min_ects=15),
                Select(id="eqf5", filter=Filter(min_eqf=5), min_count=2),
            ]
        )
    )
    result = evaluate(creds, q, at=AT)
    assert result.satisfied is True
    assert_valid(result, list(creds))


def test_naive_date_and_duplicate_credentials_are_refused() -> None:
    q = qual(Select(min_count=1))
    with pytest.raises(ValidationError) as info:
        evaluate([cred("a"), cred("a")], q, at=dt.datetime(2026, 1, 1))
    assert [p.location for p in info.value.problems] == ["$.at", "$.credentials[1]"]


# ----------------------------------------------------------------------------- the oracle


def leaves_of(
    node: Node, path: tuple[int, ...] = (), shared: bool = False
) -> Iterator[tuple[tuple[int, ...], Leaf, bool]]:
    shared = shared or node.shared
    if isinstance(node, Leaf):
        yield path, node, shared
    else:
        assert isinstance(node, AllOf | AnyOf | AtLeast)
        for i, child in enumerate(node.children):
            yield from leaves_of(child, (*path, i), shared)


def ects_of(c: MicroCredential) -> Decimal:
    return c.specification.ects or Decimal(0)


def holds(
    q: Qualification,
    creds: Sequence[MicroCredential],
    uses: dict[tuple[int, ...], set[int]],
) -> bool:
    """Whether leaf → credential indexes ``uses`` satisfies the tree and constraints."""

    def node_ok(node: Node, path: tuple[int, ...]) -> bool:
        if isinstance(node, Leaf):
            got = uses.get(path, set())
            return (
                len(got) >= node.need_count
                and sum((ects_of(creds[i]) for i in got), Decimal(0)) >= node.need_ects
            )
        assert isinstance(node, AllOf | AnyOf | AtLeast)
        ok = sum(node_ok(child, (*path, i)) for i, child in enumerate(node.children))
        return ok >= node.required

    counted = set().union(*uses.values()) if uses else set()
    total = sum((ects_of(creds[i]) for i in counted), Decimal(0))
    if q.min_total_ects is not None and total < q.min_total_ects:
        return False
    for cov in q.coverage:
        items = {
            item
            for i in counted
            for item in cov.items
            if item in creds[i].specification.esco_skills
            or any(lo.id == item for lo in creds[i].specification.learning_outcomes)
        }
        if len(items) < cov.need:
            return False
    for cap in q.caps:
        capped = sum(
            (ects_of(creds[i]) for i in counted if cap.filter.matches(creds[i], at=AT)), Decimal(0)
        )
        if capped > cap.max_ects:
            return False
    return node_ok(q.rule, ())


def oracle(q: Qualification, creds: Sequence[MicroCredential]) -> bool:
    """Try every assignment: each credential goes to at most one non-shared leaf it is
    eligible for, and to any subset of the shared leaves it is eligible for."""
    leaves = list(leaves_of(q.rule))
    per_credential = []
    for c in creds:
        if c.issued is not None and c.issued > AT:
            per_credential.append([[]])  # did not exist yet at the evaluation date
            continue
        exclusive = [path for path, leaf, s in leaves if not s and leaf.eligible(c, at=AT)]
        sharing = [path for path, leaf, s in leaves if s and leaf.eligible(c, at=AT)]
        options = []
        for one in [None, *exclusive]:
            for k in range(len(sharing) + 1):
                for subset in itertools.combinations(sharing, k):
                    options.append(([one] if one is not None else []) + list(subset))
        per_credential.append(options)
    for combo in itertools.product(*per_credential):
        uses: dict[tuple[int, ...], set[int]] = {}
        for i, paths in enumerate(combo):
            for path in paths:
                uses.setdefault(path, set()).add(i)
        if holds(q, creds, uses):
            return True
    return False


def assert_valid(result: Evaluation, creds: Sequence[MicroCredential]) -> None:
    """Re-check the reported assignment and every per-node figure, independently."""
    q = result.qualification
    index = {c.id: i for i, c in enumerate(creds)}
    leaves = {path: (leaf, s) for path, leaf, s in leaves_of(q.rule)}
    future = {i for i, c in enumerate(creds) if c.issued is not None and c.issued > AT}
    assert result.not_yet_issued == tuple(creds[i].id for i in sorted(future))
    uses: dict[tuple[int, ...], set[int]] = {}
    for cid, paths in result.assignment.items():
        assert index[cid] not in future, f"{cid} was issued after the evaluation date"
        exclusive = [p for p in paths if not leaves[p][1]]
        assert len(exclusive) <= 1, f"{cid} counts in {exclusive}"
        for path in paths:
            assert leaves[path][0].eligible(creds[index[cid]], at=AT)
            uses.setdefault(path, set()).add(index[cid])
    if result.status is Status.SATISFIED:
        assert holds(q, creds, uses)
    counted = set().union(*uses.values()) if uses else set()
    assert result.total_ects == sum((ects_of(creds[i]) for i in counted), Decimal(0))
    for j, cov in enumerate(q.coverage):
        got = [
            item
            for item in cov.items
            if any(item in cov.covered_by(creds[i].specification) for i in counted)
        ]
        r = result.coverage[j]
        assert r.covered == tuple(got)
        assert r.missing == tuple(i for i in cov.items if i not in got)
        assert r.ok is (len(got) >= cov.need)

    def check(r: NodeResult) -> set[int]:
        if isinstance(r.node, Leaf):
            got = uses.get(r.path, set())
            assert {index[u] for u in r.used} == got
            ects = sum((ects_of(creds[i]) for i in got), Decimal(0))
            assert r.got_count == len(got)
            assert r.got_ects == ects
            assert r.missing_count == max(0, r.node.need_count - len(got))
            assert r.missing_ects == max(Decimal(0), r.node.need_ects - ects)
            ok = r.missing_count == 0 and r.missing_ects == 0
            assert (r.status is Status.SATISFIED) is ok
            eligible = {
                i for i, c in enumerate(creds) if r.node.eligible(c, at=AT) and i not in future
            }
            assert {index[u] for u in r.eligible_unused} == eligible - counted
            return got
        assert isinstance(r.node, AllOf | AnyOf | AtLeast)
        below = set().union(*(check(child) for child in r.children))
        satisfied = sum(child.status is Status.SATISFIED for child in r.children)
        assert r.got_count == satisfied
        assert r.missing_count == max(0, r.node.required - satisfied)
        assert (r.status is Status.SATISFIED) is (satisfied >= r.node.required)
        assert {index[u] for u in r.used} == below
        return below

    check(result.root)
    result.explain()


# ----------------------------------------------------------------------------- random instances

SPEC_NAMES = ("a", "b", "c")
FILTERS = (
    Filter(),
    Filter(min_eqf=7),
    Filter(awarding_bodies=[HOME]),
    Filter(excluded_awarding_bodies=[HOME]),
    Filter(issued_within_days=365),
    Filter(min_ects=3),
)


@st.composite
def credentials(draw: st.DrawFn) -> list[MicroCredential]:
    n = draw(st.integers(0, 6))
    out = []
    for i in range(n):
        out.append(
            cred(
                f"k{i}",
                draw(st.sampled_from([None, 1, 2, 3, 5, "2.5"])),
                eqf=draw(st.sampled_from([6, 7])),
                body=draw(st.sampled_from([HOME, EXTERNAL])),
                issued=draw(
                    st.sampled_from(
                        [
                            dt.datetime(2025, 9, 1, tzinfo=dt.UTC),
                            dt.datetime(2023, 1, 1, tzinfo=dt.UTC),
                            dt.datetime(2026, 7, 1, tzinfo=dt.UTC),  # after AT
                        ]
                    )
                ),
                spec_name=draw(st.sampled_from(SPEC_NAMES)),
            )
        )
    return out


@st.composite
def leaves(draw: st.DrawFn) -> Leaf:
    shared = draw(st.integers(0, 5)) == 0
    if draw(st.booleans()):
        names = draw(st.lists(st.sampled_from(SPEC_NAMES), min_size=1, max_size=2, unique=True))
        return Named(
            specification_id=sid(names[0]), equivalents=[sid(n) for n in names[1:]], shared=shared
        )
    count = draw(st.integers(0, 3))
    ects = draw(st.integers(1 if count == 0 else 0, 8))
    return Select(
        filter=draw(st.sampled_from(FILTERS)), min_count=count, min_ects=ects, shared=shared
    )


def trees(max_leaves: int) -> st.SearchStrategy[Node]:
    def extend(children: st.SearchStrategy[Node]) -> st.SearchStrategy[Node]:
        kids = st.lists(children, min_size=1, max_size=3)
        return st.one_of(
            kids.map(lambda c: AllOf(children=c)),
            kids.map(lambda c: AnyOf(children=c)),
            kids.flatmap(lambda c: st.integers(1, len(c)).map(lambda n: AtLeast(n=n, children=c))),
        )

    return st.recursive(leaves(), extend, max_leaves=max_leaves)


@st.composite
def qualifications(draw: st.DrawFn) -> Qualification:
    caps = []
    if draw(st.booleans()):
        caps.append(
            Cap(filter=draw(st.sampled_from(FILTERS[2:])), max_ects=draw(st.integers(0, 6)))
        )
    total = draw(st.one_of(st.none(), st.integers(0, 14)))
    coverage = []
    if draw(st.integers(0, 3)) == 0:
        skills = draw(st.lists(st.sampled_from(["s1", "s2", "s3"]), min_size=1, unique=True))
        outcomes = draw(st.lists(st.sampled_from(SPEC_NAMES), max_size=1))
        items = len(skills) + len(outcomes)
        coverage.append(
            Coverage(
                esco_skills=[SKILL + x for x in skills],
                learning_outcomes=[f"urn:eumicro:test:lo:{x}" for x in outcomes],
                min_count=draw(st.one_of(st.none(), st.integers(1, items))),
            )
        )
    return qual(draw(trees(3)), caps=caps, min_total_ects=total, coverage=coverage)


def small(q: Qualification) -> bool:
    return len(list(leaves_of(q.rule))) <= 3


@given(q=qualifications().filter(small), creds=credentials())
def test_engine_agrees_with_brute_force(q: Qualification, creds: list[MicroCredential]) -> None:
    result = evaluate(creds, q, at=AT)
    assert result.status is not Status.UNKNOWN
    assert result.satisfied is oracle(q, creds)
    assert_valid(result, creds)


@given(q=qualifications().filter(small), creds=credentials())
def test_engine_with_count_only_all_of_agrees_with_brute_force(
    q: Qualification, creds: list[MicroCredential]
) -> None:
    # The same instances, reduced to the matching fragment (all-of, counts, no caps).
    def count_only(node: Node) -> Node:
        if isinstance(node, Select):
            return attrs.evolve(node, min_count=max(1, node.min_count), min_ects=0)
        if isinstance(node, AllOf | AnyOf | AtLeast):
            return AllOf(children=[count_only(c) for c in node.children], shared=node.shared)
        return node

    q = attrs.evolve(q, rule=count_only(q.rule), caps=(), coverage=())
    result = evaluate(creds, q, at=AT)
    assert result.algorithm == "matching"
    assert result.satisfied is oracle(q, creds)
    assert_valid(result, creds)


@given(
    q=qualifications(), creds=credentials().flatmap(lambda a: credentials().map(lambda b: a + b))
)
def test_matching_and_search_agree_on_larger_instances(
    q: Qualification, creds: list[MicroCredential]
) -> None:
    # Up to 12 credentials (too many for the oracle): a cap that can never bind must not
    # change the verdict, but it sends count-only rules to the search instead of matching.
    creds = [attrs.evolve(c, id=f"{c.id}:{i}") for i, c in enumerate(creds)]
    loose = attrs.evolve(q, caps=(*q.caps, Cap(filter=Filter(), max_ects=10**6)))
    first, second = evaluate(creds, q, at=AT), evaluate(creds, loose, at=AT)
    assert_valid(first, creds)
    assert_valid(second, creds)
    assert first.satisfied is second.satisfied


def test_coverage_of_skills_decides_which_credentials_count() -> None:
    # Two electives out of three, and together the credentials must cover skills s1 and
    # s2: "a" (s1) and "c" (s1, s3) would meet the count but leave s2 uncovered.
    q = qual(
        Select(id="electives", min_count=2),
        coverage=[Coverage(id="core-skills", esco_skills=[SKILL + "s1", SKILL + "s2"])],
    )
    without_b = [cred("a"), cred("c")]
    result = evaluate(without_b, q, at=AT)
    assert result.satisfied is False
    (cov,) = result.coverage
    assert (cov.covered, cov.missing, cov.need, cov.ok) == (
        (SKILL + "s1",),
        (SKILL + "s2",),
        2,
        False,
    )
    assert f"[✗] core-skills: 1/2 items covered; not covered {SKILL}s2" in result.explain()
    assert_valid(result, without_b)
    creds = [cred("a"), cred("b"), cred("c")]
    result = evaluate(creds, q, at=AT)
    assert result.satisfied is True
    assert result.coverage[0].ok
    assert "[✓] core-skills: 2/2 items covered" in result.explain()
    assert_valid(result, creds)


def test_coverage_by_learning_outcome_and_a_cap_that_excludes_the_only_source() -> None:
    # The outcome of "b" is required; the only "b" credential is external and the cap
    # on external ECTS leaves no room for it.
    q = qual(
        Select(id="any", min_count=1),
        coverage=[Coverage(learning_outcomes=["urn:eumicro:test:lo:b"])],
        caps=[Cap(filter=Filter(excluded_awarding_bodies=[HOME]), max_ects=4)],
    )
    creds = [cred("a"), cred("b", 5, body=EXTERNAL)]
    assert evaluate(creds, q, at=AT).satisfied is False
    roomy = attrs.evolve(q, caps=[Cap(filter=Filter(excluded_awarding_bodies=[HOME]), max_ects=5)])
    result = evaluate(creds, roomy, at=AT)
    assert result.satisfied is True
    assert_valid(result, creds)

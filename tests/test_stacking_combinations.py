"""Minimal combinations: scenarios, laziness, and agreement with a brute-force oracle."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.test_stacking_engine import (
    AT,
    EXTERNAL,
    cred,
    credentials,
    masters,
    oracle,
    qual,
    qualifications,
    sid,
    small,
)

from eumicro import MicroCredential, ValidationError
from eumicro.stacking import (
    AllOf,
    AtLeast,
    Named,
    Qualification,
    Select,
    Status,
    _combinations,
    evaluate,
)
from eumicro.stacking._combinations import (
    CombinationBudgetError,
    combinations,
    iter_combinations,
)

P = "urn:eumicro:test:cred:"


def names(sets: Sequence[frozenset[str]]) -> list[list[str]]:
    return [sorted(i.removeprefix(P) for i in s) for s in sets]


def order(s: frozenset[str]) -> tuple[int, tuple[str, ...]]:
    return len(s), tuple(sorted(s))


def brute_force(q: Qualification, creds: Sequence[MicroCredential]) -> list[frozenset[str]]:
    """Every subset decided by the engine; minimal ones kept, in size-then-ids order."""
    good = []
    for k in range(len(creds) + 1):
        for subset in itertools.combinations(creds, k):
            result = evaluate(subset, q, at=AT)
            assert result.status is not Status.UNKNOWN
            if result.satisfied:
                good.append(frozenset(c.id for c in subset))
    minimal = [s for s in good if not any(t < s for t in good)]
    return sorted(minimal, key=order)


# ----------------------------------------------------------------------------- scenarios


def test_minimal_sets_for_an_ects_sum_in_order() -> None:
    q = qual(Select(min_ects=10))
    creds = [cred("a5", 5), cred("b5", 5), cred("c10", 10), cred("d3", 3), cred("e2", 2)]
    got = combinations(creds, q, at=AT, limit=100)
    assert names(got) == [["c10"], ["a5", "b5"], ["a5", "d3", "e2"], ["b5", "d3", "e2"]]
    assert got == brute_force(q, creds)


def test_masters_programme_routes() -> None:
    creds = [
        cred("ml", 10),
        cred("ml-other", 10),
        cred("stats", 5),
        cred("e1", 10),
        cred("e2", 10),
        cred("x", 10, body=EXTERNAL),
        cred("thesis", 15),
        cred("security", 5),
    ]
    got = combinations(creds, masters(), at=AT, limit=100)
    assert got == brute_force(masters(), creds)
    assert got  # there are routes
    for s in got:
        assert f"{P}thesis" in s
        assert f"{P}stats" in s
        assert f"{P}ml" in s or f"{P}ml-other" in s  # the course or its equivalent


def test_unsatisfiable_gives_no_sets() -> None:
    q = qual(Named(specification_id=sid("missing")))
    assert combinations([cred("a"), cred("b")], q, at=AT) == []


def test_credentials_no_rule_accepts_are_never_in_a_set() -> None:
    q = qual(AllOf(children=[Named(specification_id=sid("a")), Select(min_count=1)]))
    creds = [cred("a"), cred("b"), cred("c", eqf=6)]
    assert names(combinations(creds, q, at=AT)) == [["a", "b"], ["a", "c"]]


def test_pages_concatenate_and_the_search_is_lazy(monkeypatch: pytest.MonkeyPatch) -> None:
    # 30 credentials of 5 ECTS, 10 needed: 435 minimal pairs.
    q = qual(Select(min_ects=10))
    creds = [cred(f"c{i:02}", 5) for i in range(30)]
    calls = counting(monkeypatch)
    first = combinations(creds, q, at=AT, limit=3)
    assert names(first) == [["c00", "c01"], ["c00", "c02"], ["c00", "c03"]]
    assert calls[0] < 20  # not 2**30 subsets, nor even the 435 pairs
    everything = combinations(creds, q, at=AT, limit=1000)
    assert len(everything) == 435
    pages = [combinations(creds, q, at=AT, limit=50, offset=o) for o in range(0, 450, 50)]
    assert list(itertools.chain.from_iterable(pages)) == everything


def test_large_counts_skip_the_impossible_sizes(monkeypatch: pytest.MonkeyPatch) -> None:
    # "At least 30 of these 60": sizes 1 to 29 are never searched.
    q = qual(Select(min_count=30))
    creds = [cred(f"c{i:02}", 5) for i in range(60)]
    calls = counting(monkeypatch)
    got = combinations(creds, q, at=AT, limit=2)
    assert [len(s) for s in got] == [30, 30]
    assert calls[0] < 200


def test_at_least_over_exclusive_bundles() -> None:
    bundles = [
        AllOf(children=[Named(specification_id=sid(f"{b}{i}")) for i in range(2)]) for b in "xyz"
    ]
    q = qual(AtLeast(n=2, children=bundles))
    creds = [cred(f"{b}{i}") for b in "xyz" for i in range(2)]
    got = combinations(creds, q, at=AT, limit=100)
    assert names(got) == [
        ["x0", "x1", "y0", "y1"],
        ["x0", "x1", "z0", "z1"],
        ["y0", "y1", "z0", "z1"],
    ]


def test_budget_is_reported_not_guessed() -> None:
    # Four groups of 15 ECTS from these ten credentials: every bound passes, and only a
    # search refutes it.
    q = qual(AllOf(children=[Select(id=f"g{i}", min_ects=15) for i in range(4)]))
    creds = [cred(f"c{i}", e) for i, e in enumerate([9, 7, 7, 7, 5, 7, 6, 7, 4, 3])]
    with pytest.raises(CombinationBudgetError):
        combinations(creds, q, at=AT, max_nodes=1)


def test_bad_arguments_are_refused() -> None:
    q = qual(Select(min_count=1))
    with pytest.raises(ValueError, match="negative"):
        combinations([cred("a")], q, at=AT, limit=-1)
    with pytest.raises(ValidationError):
        combinations([cred("a"), cred("a")], q, at=AT)
    assert combinations([cred("a")], q, at=AT, limit=0) == []


def counting(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls = [0]
    real: Callable[..., Any] = evaluate

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        calls[0] += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(_combinations, "evaluate", wrapper)
    return calls


# ----------------------------------------------------------------------------- properties


@st.composite
def pools(draw: st.DrawFn) -> list[MicroCredential]:
    creds = (draw(credentials()) + draw(credentials()))[:8]
    return [attrs.evolve(c, id=f"{c.id}:{i}") for i, c in enumerate(creds)]


@given(q=qualifications().filter(small), creds=pools())
def test_combinations_agree_with_brute_force(
    q: Qualification, creds: list[MicroCredential]
) -> None:
    expected = brute_force(q, creds)
    got = combinations(creds, q, at=AT, limit=1000)
    assert got == expected
    assert got == sorted(got, key=order)
    assert len(set(got)) == len(got)
    by_id = {c.id: c for c in creds}
    for s in got:  # minimality, checked directly
        assert evaluate([by_id[i] for i in s], q, at=AT).satisfied is True
        for i in s:
            assert evaluate([by_id[j] for j in s - {i}], q, at=AT).satisfied is False
        if len(s) <= 4:  # small enough for the engine-independent brute force
            assert oracle(q, [by_id[i] for i in s])


@given(q=qualifications().filter(small), creds=pools(), size=st.integers(1, 4))
def test_pages_concatenate_to_the_full_list(
    q: Qualification, creds: list[MicroCredential], size: int
) -> None:
    full = list(iter_combinations(creds, q, at=AT))
    pages: list[frozenset[str]] = []
    offset = 0
    while True:
        page = combinations(creds, q, at=AT, limit=size, offset=offset)
        assert len(page) <= size
        pages.extend(page)
        if len(page) < size:
            break
        offset += size
    assert pages == full

"""Cheapest completion: realistic scenarios, and optimality against an exhaustive oracle."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.test_stacking_engine import (
    AT,
    EXTERNAL,
    assert_valid,
    cred,
    credentials,
    masters,
    oracle,
    qual,
    qualifications,
    small,
)

from eumicro import MicroCredential, ValidationError
from eumicro.stacking import Evaluation, Filter, Qualification, Select, Status, _complete, evaluate
from eumicro.stacking._complete import Completion, CompletionStatus, Offer, complete


def ids(completion: Completion) -> set[str]:
    return {o.credential.id.rsplit(":", 1)[-1] for o in completion.offers}


# ----------------------------------------------------------------------------- scenarios

HELD = [cred("ml", 10), cred("stats", 5), cred("e1", 10), cred("thesis", 15)]  # 40 ECTS


def catalogue() -> list[Offer]:
    """Offers towards the master's programme, priced in euros."""
    return [
        Offer(cred("e2", 10), Decimal(900)),
        Offer(cred("ext10", 10, body=EXTERNAL), Decimal(300)),
        Offer(cred("ext12", 12, body=EXTERNAL), Decimal(350)),
        Offer(cred("security", 5), Decimal(400)),
        Offer(cred("big", 20), Decimal(1500)),
        Offer(cred("low", 10, eqf=6), Decimal(100)),  # EQF 6: counts nowhere
    ]


def test_cheapest_completion_of_a_masters_programme_by_price() -> None:
    # Missing: a second elective, a specialisation and 20 ECTS in total; at most 15 ECTS
    # from external issuers, so the two cheap external offers cannot both count.
    result = complete(HELD, masters(), catalogue(), at=AT)
    assert result.status is CompletionStatus.FOUND
    assert result.possible is True
    assert ids(result) == {"ext10", "e2"}
    assert result.cost == 1200
    assert result.evaluation is not None
    assert result.evaluation.satisfied is True
    assert_valid(result.evaluation, [*HELD, *(o.credential for o in result.offers)])
    assert [o.cost for o in result.offers] == sorted(o.cost for o in result.offers)


def test_cheapest_completion_by_ects_of_bare_credentials() -> None:
    offers = [o.credential for o in catalogue()]
    result = complete(HELD, masters(), offers, at=AT)  # the default cost is the ECTS
    assert result.status is CompletionStatus.FOUND
    assert result.cost == 20
    assert ids(result) == {"ext10", "e2"}


def test_cost_callable_prices_bare_credentials() -> None:
    hours = {"e2": 300, "ext10": 250, "ext12": 100, "security": 50, "big": 200, "low": 1}
    offers = [o.credential for o in catalogue()]
    result = complete(
        HELD,
        masters(),
        offers,
        at=AT,
        cost=lambda c: Decimal(hours[c.id.rsplit(":", 1)[-1]]),
    )
    # big (a 20-ECTS elective) + security (the specialisation): 65 ECTS in 250 hours;
    # ext12 + security is cheaper (150) but only reaches 57 ECTS.
    assert ids(result) == {"big", "security"}
    assert result.cost == 250


def test_impossible_is_proven_and_shows_what_is_missing() -> None:
    offers = [o for o in catalogue() if o.credential.id.rsplit(":", 1)[-1].startswith(("ext", "l"))]
    result = complete(HELD, masters(), offers, at=AT)
    assert result.status is CompletionStatus.IMPOSSIBLE
    assert result.possible is False
    assert result.offers == ()
    assert result.cost is None
    assert result.evaluation is not None
    assert result.evaluation.satisfied is False
    assert "external" in result.evaluation.explain()


def test_already_qualified_needs_nothing() -> None:
    q = qual(Select(min_ects=10))
    result = complete([cred("a", 10)], q, catalogue(), at=AT)
    assert result.status is CompletionStatus.FOUND
    assert result.offers == ()
    assert result.cost == 0


def test_free_offers_that_are_not_needed_are_not_taken() -> None:
    q = qual(Select(min_ects=10))
    offers = [Offer(cred(f"f{i}", 5), Decimal(0)) for i in range(4)]
    result = complete([], q, offers, at=AT)
    assert result.cost == 0
    assert len(result.offers) == 2


def test_interchangeable_offers_do_not_blow_up_the_search() -> None:
    # 40 identical offers, 3 needed: the search takes them in order instead of
    # trying every subset.
    q = qual(Select(min_count=3))
    offers = [Offer(cred(f"s{i:02}", 5), Decimal(7)) for i in range(40)]
    result = complete([], q, offers, at=AT)
    assert result.cost == 21
    assert ids(result) == {"s00", "s01", "s02"}
    assert result.explored < 50


def test_budget_gives_unknown() -> None:
    q = masters()
    assert complete(HELD, q, catalogue(), at=AT, max_nodes=1).status is CompletionStatus.UNKNOWN
    assert complete(HELD, q, catalogue(), at=AT, timeout=0.0).possible is None
    hard = qual(Select(min_ects=14))
    tiny = complete([], hard, [cred(f"c{i}", 3) for i in range(14)], at=AT, max_evaluation_nodes=1)
    assert tiny.status is not CompletionStatus.IMPOSSIBLE  # never a wrong proof


def test_an_undecided_cheaper_set_makes_the_answer_unknown(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # If the engine cannot decide the cheapest candidate, "found" with a dearer set
    # would be a guess: the answer must be "unknown" (with the best set seen).
    q = qual(Select(min_ects=10))
    offers = [Offer(cred("a", 10), Decimal(1)), Offer(cred("b", 10), Decimal(5))]
    real = evaluate

    def flaky(creds: Sequence[MicroCredential], *args: Any, **kwargs: Any) -> Evaluation:
        result = real(creds, *args, **kwargs)
        if [c.id.rsplit(":", 1)[-1] for c in creds] == ["a"]:
            return attrs.evolve(result, status=Status.UNKNOWN)
        return result

    monkeypatch.setattr(_complete, "evaluate", flaky)
    result = complete([], q, offers, at=AT)
    assert result.status is CompletionStatus.UNKNOWN
    assert ids(result) == {"b"}
    assert result.cost == 5


def test_bad_offers_are_refused() -> None:
    q = qual(Select(min_count=1))
    with pytest.raises(ValidationError) as info:
        complete(
            [cred("a")],
            q,
            [cred("a"), Offer(cred("b"), Decimal(-1)), cred("c", None), "x"],  # type: ignore[list-item]
            at=AT,
        )
    assert [p.code for p in info.value.problems] == ["duplicate", "cost", "cost", "type"]


# ----------------------------------------------------------------------------- the oracle


def cheapest(
    q: Qualification, held: Sequence[MicroCredential], offers: Sequence[Offer]
) -> Decimal | None:
    """The cheapest total over every subset of the offers (the engine decides each)."""
    best: Decimal | None = None
    for k in range(len(offers) + 1):
        for subset in itertools.combinations(offers, k):
            total = sum((o.cost for o in subset), Decimal(0))
            if best is not None and total >= best:
                continue
            result = evaluate([*held, *(o.credential for o in subset)], q, at=AT)
            assert result.status is not Status.UNKNOWN
            if result.satisfied:
                best = total
    return best


@st.composite
def offers(draw: st.DrawFn) -> list[Offer]:
    creds = draw(credentials()) + draw(credentials())
    out = [Offer(c, draw(st.integers(0, 6))) for c in creds]
    copies = draw(st.booleans())
    if out and copies:  # interchangeable copies: same credential and cost
        out += draw(st.lists(st.sampled_from(out), max_size=3))
    return [
        attrs.evolve(o, credential=attrs.evolve(o.credential, id=f"urn:eumicro:test:offer:{i}"))
        for i, o in enumerate(out[:8])
    ]


@given(q=qualifications().filter(small), held=credentials(), catalogue=offers())
def test_completion_is_optimal_against_exhaustive_search(
    q: Qualification, held: list[MicroCredential], catalogue: list[Offer]
) -> None:
    held = held[:3]
    result = complete(held, q, catalogue, at=AT)
    best = cheapest(q, held, catalogue)
    if best is None:
        assert result.status is CompletionStatus.IMPOSSIBLE
        assert result.evaluation is not None
        assert result.evaluation.satisfied is False
        return
    assert result.status is CompletionStatus.FOUND
    assert result.cost == best
    assert result.cost == sum((o.cost for o in result.offers), Decimal(0))
    assert set(result.offers) <= set(catalogue)
    chosen = [*held, *(o.credential for o in result.offers)]
    assert result.evaluation is not None
    assert result.evaluation.satisfied is True
    assert_valid(result.evaluation, chosen)
    if len(chosen) <= 5:  # small enough for the engine-independent brute force
        assert oracle(q, chosen)


@given(q=qualifications().filter(small), catalogue=offers())
def test_impossible_means_every_offer_together_fails(
    q: Qualification, catalogue: list[Offer]
) -> None:
    result = complete([], q, catalogue, at=AT)
    everything = evaluate([o.credential for o in catalogue], q, at=AT)
    assert (result.status is CompletionStatus.IMPOSSIBLE) is (everything.satisfied is False)
    if len(catalogue) <= 5:
        assert (result.status is CompletionStatus.IMPOSSIBLE) is not oracle(
            q, [o.credential for o in catalogue]
        )


def test_filter_on_offers_uses_the_evaluation_date() -> None:
    # An offer issued long ago does not meet a recency filter at the evaluation date.
    q = qual(Select(filter=Filter(issued_within_days=365), min_count=1))
    old = Offer(cred("old", issued=dt.datetime(2020, 1, 1, tzinfo=dt.UTC)), Decimal(1))
    new = Offer(cred("new", issued=dt.datetime(2026, 1, 1, tzinfo=dt.UTC)), Decimal(5))
    result = complete([], q, [old, new], at=AT)
    assert ids(result) == {"new"}

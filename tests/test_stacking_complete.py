"""Cheapest completion: realistic scenarios, and optimality against an exhaustive oracle."""

from __future__ import annotations

import datetime as dt
import itertools
import subprocess
import sys
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.test_stacking_engine import (
    AT,
    EXTERNAL,
    HOME,
    SPEC_NAMES,
    assert_valid,
    cred,
    credentials,
    ects_of,
    leaves_of,
    masters,
    oracle,
    org,
    qual,
    qualifications,
    sid,
    small,
    spec,
)

from eumicro import (
    LearningOpportunity,
    LearningOutcome,
    MicroCredential,
    Price,
    Text,
    UnknownConceptError,
    ValidationError,
    vocab,
)
from eumicro.stacking import (
    AllOf,
    AnyOf,
    AtLeast,
    Cap,
    Coverage,
    Evaluation,
    Filter,
    Named,
    Node,
    Qualification,
    Select,
    Status,
    _complete,
    _completion_bb,
    _mip,
    by_ects,
    by_price,
    evaluate,
)
from eumicro.stacking._complete import Completion, CompletionStatus, Offer, complete
from eumicro.stacking._completion_model import build, chosen_offers, model

# The back ends that solve every rule tree; HiGHS only when highspy is installed.
BACKENDS = [
    "builtin",
    "auto",
    pytest.param(
        "highs", marks=pytest.mark.skipif(not _mip.available(), reason="highspy not installed")
    ),
]


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


@pytest.mark.parametrize("backend", BACKENDS)
def test_cheapest_completion_of_a_masters_programme_by_price(backend: str) -> None:
    # Missing: a second elective, a specialisation and 20 ECTS in total; at most 15 ECTS
    # from external issuers, so the two cheap external offers cannot both count.
    result = complete(HELD, masters(), catalogue(), at=AT, backend=backend)
    assert result.status is CompletionStatus.FOUND
    assert result.possible is True
    assert ids(result) == {"ext10", "e2"}
    assert result.cost == 1200
    assert result.evaluation is not None
    assert result.evaluation.satisfied is True
    assert_valid(result.evaluation, [*HELD, *(o.credential for o in result.offers)])
    assert [o.cost for o in result.offers] == sorted(o.cost for o in result.offers)


@pytest.mark.parametrize("backend", BACKENDS)
def test_cheapest_completion_by_ects_of_bare_credentials(backend: str) -> None:
    offers = [o.credential for o in catalogue()]
    result = complete(
        HELD, masters(), offers, at=AT, backend=backend
    )  # the default cost is the ECTS
    assert result.status is CompletionStatus.FOUND
    assert result.cost == 20
    assert ids(result) == {"ext10", "e2"}


@pytest.mark.parametrize("backend", BACKENDS)
def test_cost_callable_prices_bare_credentials(backend: str) -> None:
    hours = {"e2": 300, "ext10": 250, "ext12": 100, "security": 50, "big": 200, "low": 1}
    offers = [o.credential for o in catalogue()]
    result = complete(
        HELD,
        masters(),
        offers,
        at=AT,
        cost=lambda c: Decimal(hours[c.id.rsplit(":", 1)[-1]]),
        backend=backend,
    )
    # big (a 20-ECTS elective) + security (the specialisation): 65 ECTS in 250 hours;
    # ext12 + security is cheaper (150) but only reaches 57 ECTS.
    assert ids(result) == {"big", "security"}
    assert result.cost == 250


@pytest.mark.parametrize("backend", BACKENDS)
def test_impossible_is_proven_and_shows_what_is_missing(backend: str) -> None:
    offers = [o for o in catalogue() if o.credential.id.rsplit(":", 1)[-1].startswith(("ext", "l"))]
    result = complete(HELD, masters(), offers, at=AT, backend=backend)
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


@pytest.mark.parametrize("backend", BACKENDS)
def test_free_offers_that_are_not_needed_are_not_taken(backend: str) -> None:
    q = qual(Select(min_ects=10))
    offers = [Offer(cred(f"f{i}", 5), Decimal(0)) for i in range(4)]
    result = complete([], q, offers, at=AT, backend=backend)
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


@pytest.mark.parametrize("backend", BACKENDS)
def test_budget_gives_unknown(backend: str) -> None:
    q = masters()
    assert complete(HELD, q, catalogue(), at=AT, timeout=0.0, backend=backend).possible is None
    # The root relaxation of this instance is fractional: one node is not enough.
    tight = complete(HELD, q, catalogue(), at=AT, max_nodes=1, backend="builtin")
    assert tight.status is CompletionStatus.UNKNOWN
    assert tight.offers == ()
    hard = qual(Select(min_ects=14))
    tiny = complete([], hard, [cred(f"c{i}", 3) for i in range(14)], at=AT, max_evaluation_nodes=1)
    assert tiny.status is not CompletionStatus.IMPOSSIBLE  # never a wrong proof


@pytest.mark.parametrize("backend", BACKENDS)
def test_an_unconfirmed_optimum_makes_the_answer_unknown(
    monkeypatch: pytest.MonkeyPatch, backend: str
) -> None:
    # If the engine cannot confirm the cheapest completion, "found" would be a guess:
    # the answer must be "unknown", with no completion claimed.
    q = qual(AnyOf(children=[Select(min_ects=10), Named(specification_id=sid("n"))]))
    offers = [Offer(cred("a", 10), Decimal(1)), Offer(cred("n", 1), Decimal(5))]
    real = evaluate

    def flaky(creds: Sequence[MicroCredential], *args: Any, **kwargs: Any) -> Evaluation:
        result = real(creds, *args, **kwargs)
        if [c.id.rsplit(":", 1)[-1] for c in creds] == ["a"]:
            return attrs.evolve(result, status=Status.UNKNOWN)
        return result

    monkeypatch.setattr(_complete, "evaluate", flaky)
    result = complete([], q, offers, at=AT, backend=backend)
    assert result.status is CompletionStatus.UNKNOWN
    assert result.offers == ()
    assert result.cost is None
    monkeypatch.setattr(_complete, "evaluate", real)
    assert ids(complete([], q, offers, at=AT, backend=backend)) == {"a"}


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
        for i, o in enumerate(out[:10])
    ]


def assert_optimal(
    q: Qualification,
    held: Sequence[MicroCredential],
    catalogue: Sequence[Offer],
    result: Completion,
) -> None:
    """The result against the exhaustive oracle, and its completion re-checked."""
    best = cheapest(q, held, catalogue)
    if best is None:
        assert result.status is CompletionStatus.IMPOSSIBLE
        assert result.evaluation is not None
        assert result.evaluation.satisfied is False
        again = evaluate([*held, *(o.credential for o in catalogue)], q, at=AT)
        assert again.satisfied is False
        return
    assert result.status is CompletionStatus.FOUND  # generous budgets: never unknown
    assert result.cost == best
    assert result.cost == sum((o.cost for o in result.offers), Decimal(0))
    assert set(result.offers) <= set(catalogue)
    assert len(set(result.offers)) == len(result.offers)
    chosen = [*held, *(o.credential for o in result.offers)]
    assert result.evaluation is not None
    assert result.evaluation.satisfied is True
    assert_valid(result.evaluation, chosen)
    # Re-checked independently: a fresh engine call, and the engine-free brute force.
    assert evaluate(chosen, q, at=AT).satisfied is True
    if len(chosen) <= 5:
        assert oracle(q, chosen)


@pytest.mark.parametrize("backend", BACKENDS)
@settings(max_examples=60, deadline=None)
@given(q=qualifications().filter(small), held=credentials(), catalogue=offers())
def test_completion_is_optimal_against_exhaustive_search(
    backend: str, q: Qualification, held: list[MicroCredential], catalogue: list[Offer]
) -> None:
    held = held[:3]
    result = complete(held, q, catalogue, at=AT, backend=backend)
    assert_optimal(q, held, catalogue, result)


@pytest.mark.parametrize("backend", BACKENDS)
@settings(max_examples=40, deadline=None)
@given(q=qualifications().filter(small), catalogue=offers())
def test_impossible_means_every_offer_together_fails(
    backend: str, q: Qualification, catalogue: list[Offer]
) -> None:
    result = complete([], q, catalogue, at=AT, backend=backend)
    everything = evaluate([o.credential for o in catalogue], q, at=AT)
    assert (result.status is CompletionStatus.IMPOSSIBLE) is (everything.satisfied is False)
    if len(catalogue) <= 5:
        assert (result.status is CompletionStatus.IMPOSSIBLE) is not oracle(
            q, [o.credential for o in catalogue]
        )


def count_only(node: Node) -> Node:
    """The same tree reduced to the flow fragment: all of, count needs, nothing shared."""
    if isinstance(node, Select):
        return attrs.evolve(node, min_count=max(1, node.min_count), min_ects=0, shared=False)
    if isinstance(node, AllOf | AnyOf | AtLeast):
        return AllOf(children=[count_only(c) for c in node.children])
    return attrs.evolve(node, shared=False)


@settings(max_examples=80, deadline=None)
@given(q=qualifications().filter(small), held=credentials(), catalogue=offers())
def test_min_cost_flow_is_optimal_on_count_only_rules(
    q: Qualification, held: list[MicroCredential], catalogue: list[Offer]
) -> None:
    q = attrs.evolve(q, rule=count_only(q.rule), caps=(), min_total_ects=None, coverage=())
    held = held[:3]
    result = complete(held, q, catalogue, at=AT, backend="flow")
    assert result.algorithm in ("min-cost-flow", "none", "evaluate")
    assert complete(held, q, catalogue, at=AT).algorithm == result.algorithm  # auto
    assert_optimal(q, held, catalogue, result)
    other = complete(held, q, catalogue, at=AT, backend="builtin")
    assert other.status is result.status
    assert other.cost == result.cost


def test_min_cost_flow_reassigns_held_credentials() -> None:
    # The held credential fits both leaves; the cheap offer fits only the first: the
    # flow moves the held one to the second leaf instead of buying the dear offer.
    q = qual(
        AllOf(
            children=[
                Select(filter=Filter(min_eqf=6), min_count=1),
                Select(filter=Filter(min_eqf=7), min_count=1),
            ]
        )
    )
    offers = [Offer(cred("cheap", eqf=6), Decimal(1)), Offer(cred("dear", eqf=7), Decimal(9))]
    result = complete([cred("mine", eqf=7)], q, offers, at=AT)
    assert result.algorithm == "min-cost-flow"
    assert ids(result) == {"cheap"}
    assert result.cost == 1


def bigger_instance(n: int, seed: int) -> tuple[Qualification, list[MicroCredential], list[Offer]]:
    """Groups needing ECTS, an any-of, a shared leaf, a cap and a total: a random catalogue."""
    import random

    rng = random.Random(seed)
    q = qual(
        AllOf(
            children=[
                Select(filter=Filter(min_eqf=7), min_ects=12),
                AnyOf(
                    children=[
                        Select(filter=Filter(awarding_bodies=[HOME]), min_count=2, min_ects=8),
                        Named(specification_id=sid("capstone")),
                    ]
                ),
                AtLeast(
                    n=1,
                    shared=True,
                    children=[Select(filter=Filter(min_ects=3), min_count=3)],
                ),
            ]
        ),
        min_total_ects=30,
        caps=[Cap(filter=Filter(excluded_awarding_bodies=[HOME]), max_ects=10)],
    )
    held = [cred("h1", 3, eqf=6), cred("h2", 2)]
    offers = []
    for i in range(n):
        ects = rng.choice([1, 2, 3, 4, 5, "2.5"])
        name = "capstone" if i % 17 == 5 else f"o{i}"
        c = cred(
            f"o{i}",
            ects,
            eqf=rng.choice([6, 7]),
            body=rng.choice([HOME, EXTERNAL]),
            spec_name=name,
        )
        offers.append(Offer(c, Decimal(rng.randint(1, 40))))
    return q, held, offers


@pytest.mark.skipif(not _mip.available(), reason="highspy not installed")
@pytest.mark.parametrize("seed", range(6))
def test_builtin_and_highs_agree_on_larger_catalogues(seed: int) -> None:
    q, held, offers = bigger_instance(40 + 20 * seed, seed)
    first = complete(held, q, offers, at=AT, backend="builtin", timeout=60)
    second = complete(held, q, offers, at=AT, backend="highs", timeout=60)
    assert first.status is second.status is CompletionStatus.FOUND
    assert first.cost == second.cost
    for result in (first, second):
        chosen = [*held, *(o.credential for o in result.offers)]
        assert evaluate(chosen, q, at=AT).satisfied is True


def test_builtin_proves_the_optimum_on_a_large_catalogue() -> None:
    q, held, offers = bigger_instance(400, 7)
    result = complete(held, q, offers, at=AT, backend="builtin", timeout=60)
    assert result.status is CompletionStatus.FOUND
    assert result.algorithm == "branch-and-bound"
    chosen = [*held, *(o.credential for o in result.offers)]
    assert evaluate(chosen, q, at=AT).satisfied is True
    # Leaving out any one bought offer breaks the completion (no offer of cost > 0 is spare).
    for offer in result.offers:
        rest = [c for c in chosen if c is not offer.credential]
        assert evaluate(rest, q, at=AT).satisfied is False


@pytest.mark.parametrize("backend", BACKENDS)
def test_small_budgets_give_unknown_or_the_right_answer(backend: str) -> None:
    q, held, offers = bigger_instance(60, 3)
    exact = complete(held, q, offers, at=AT, backend=backend)
    assert exact.status is CompletionStatus.FOUND
    for nodes in (1, 2, 5, 20):
        result = complete(held, q, offers, at=AT, backend=backend, max_nodes=nodes)
        assert result.status in (CompletionStatus.FOUND, CompletionStatus.UNKNOWN)
        if result.status is CompletionStatus.FOUND:
            assert result.cost == exact.cost
        elif result.cost is not None:  # the best seen, confirmed by the engine
            assert result.cost >= exact.cost  # type: ignore[operator]
            assert result.evaluation is not None
            assert result.evaluation.satisfied is True


def test_interchangeable_offers_beyond_what_can_count_are_not_modelled() -> None:
    # 50 identical 5-ECTS offers for a 10-ECTS group: two are all a minimal completion
    # can use, so the model keeps the two cheapest.
    from eumicro.stacking._completion_model import build

    q = qual(Select(min_ects=10))
    offers = [Offer(cred(f"s{i:02}", 5), Decimal(50 - i)) for i in range(50)]
    inst = build([], [o.credential for o in offers], [o.cost for o in offers], q, AT)
    assert [len(kept) for kept in inst.offers] == [2]
    result = complete([], q, offers, at=AT, backend="builtin")
    assert ids(result) == {"s49", "s48"}
    assert result.cost == 3


def test_backends_are_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    q = qual(Select(min_ects=10))
    with pytest.raises(ValueError, match="backend"):
        complete([], q, [], at=AT, backend="simplex")
    with pytest.raises(ValueError, match="count-only"):
        complete([], q, [cred("a", 10)], at=AT, backend="flow")
    # Without highspy, "auto" uses the built-in branch and bound and "highs" is refused.
    monkeypatch.setattr(_mip, "available", lambda: False)
    assert complete([], q, [cred("a", 10)], at=AT).algorithm == "branch-and-bound"
    with pytest.raises(ValueError, match="highspy"):
        complete([], q, [], at=AT, backend="highs")


def test_filter_on_offers_uses_the_evaluation_date() -> None:
    # An offer issued long ago does not meet a recency filter at the evaluation date.
    q = qual(Select(filter=Filter(issued_within_days=365), min_count=1))
    old = Offer(cred("old", issued=dt.datetime(2020, 1, 1, tzinfo=dt.UTC)), Decimal(1))
    new = Offer(cred("new", issued=dt.datetime(2026, 1, 1, tzinfo=dt.UTC)), Decimal(5))
    result = complete([], q, [old, new], at=AT)
    assert ids(result) == {"new"}


# ----------------------------------------------------------------------------- opportunities


def opportunity(
    name: str,
    ects: int | None = 5,
    *,
    eqf: int = 7,
    body: str = HOME,
    spec_name: str | None = None,
    prices: Sequence[tuple[str, str]] = (("EUR", "100"),),
) -> LearningOpportunity:
    """An offer of the specification ``cred(name, ects, …)`` is awarded against, by ``body``.

    Its id is that credential's, so that :func:`ids` names both alike.
    """
    return LearningOpportunity(
        id=f"urn:eumicro:test:cred:{name}",
        specification=spec(spec_name or name, ects, eqf),
        providers=[org(body)],
        start=dt.datetime(2020, 1, 1, tzinfo=dt.UTC),  # its own dates are not looked at
        prices=[Price(amount=amount, currency=currency) for currency, amount in prices],
    )


def priced_catalogue() -> list[LearningOpportunity]:
    """The offers of :func:`catalogue` as a provider's learning opportunities, in euros."""
    return [
        opportunity("e2", 10, prices=[("EUR", "900"), ("CHF", "10")]),
        opportunity("ext10", 10, body=EXTERNAL, prices=[("EUR", "300")]),
        opportunity("ext12", 12, body=EXTERNAL, prices=[("EUR", "350"), ("EUR", "400")]),
        opportunity("security", 5, prices=[("EUR", "400")]),
        opportunity("big", 20, prices=[("EUR", "1500")]),
        opportunity("low", 10, eqf=6, prices=[("EUR", "100")]),
    ]


def earned_at_evaluation(offers: Sequence[Offer]) -> list[Offer]:
    """The hand-built equivalent of offering opportunities: credentials issued at ``AT``."""
    return [Offer(attrs.evolve(o.credential, issued=AT), o.cost) for o in offers]


def test_an_opportunity_is_offered_as_the_credential_one_would_hold() -> None:
    chosen = opportunity("ext10", 10, body=EXTERNAL, prices=[("EUR", "300"), ("EUR", "250")])
    offer = Offer.of(chosen, at=AT, cost=by_price("EUR"))
    assert offer == Offer(cred("ext10", 10, body=EXTERNAL, issued=AT), 250, opportunity=chosen)
    assert offer.opportunity is chosen
    assert offer.credential.specification is chosen.specification
    assert Offer.of(chosen, at=AT).cost == 10  # by ECTS by default
    # Awarded by the specification's provider, else by the opportunity's providers.
    home = attrs.evolve(chosen.specification, provider=org(HOME))
    by_home = attrs.evolve(chosen, specification=home)
    assert Offer.of(by_home, at=AT).credential.awarding_bodies == (org(HOME),)
    nobody = attrs.evolve(chosen, providers=[])
    assert Offer.of(nobody, at=AT).credential.awarding_bodies == ()
    # Offers built by hand are unchanged.
    assert Offer(cred("a"), 3).opportunity is None
    with pytest.raises(ValidationError, match="timezone"):
        Offer.of(chosen, at=dt.datetime(2026, 1, 1))


@pytest.mark.parametrize("backend", BACKENDS)
def test_opportunities_give_the_answer_of_the_same_offers_built_by_hand(backend: str) -> None:
    by_hand = complete(HELD, masters(), earned_at_evaluation(catalogue()), at=AT, backend=backend)
    given = priced_catalogue()
    result = complete(HELD, masters(), given, at=AT, cost=by_price("EUR"), backend=backend)
    assert result.status is by_hand.status is CompletionStatus.FOUND
    assert result.cost == by_hand.cost == 1200
    assert ids(result) == ids(by_hand) == {"ext10", "e2"}
    assert [o.credential for o in result.offers] == [o.credential for o in by_hand.offers]
    assert [o.cost for o in result.offers] == [300, 900]
    # The very objects of the catalogue come back.
    for offer in result.offers:
        assert offer.opportunity is not None
        assert any(offer.opportunity is g for g in given)
        assert offer.opportunity.id == offer.credential.id
    assert result.evaluation is not None
    assert_valid(result.evaluation, [*HELD, *(o.credential for o in result.offers)])
    # By default an opportunity costs its specification's ECTS, as a bare credential does.
    by_ects_too = complete(HELD, masters(), given, at=AT, backend=backend)
    assert by_ects_too.cost == 20
    assert ids(by_ects_too) == {"ext10", "e2"}


@settings(max_examples=40, deadline=None)
@given(q=qualifications().filter(small), held=credentials(), catalogue=offers())
def test_opportunities_complete_like_offers_earned_at_the_evaluation_date(
    q: Qualification, held: list[MicroCredential], catalogue: list[Offer]
) -> None:
    given = [
        LearningOpportunity(
            id=o.credential.id,
            specification=o.credential.specification,
            providers=o.credential.awarding_bodies,
            prices=[Price(amount=o.cost + 1, currency="CHF"), Price(amount=o.cost, currency="EUR")],
        )
        for o in catalogue
    ]
    by_hand = earned_at_evaluation(catalogue)
    result = complete(held, q, given, at=AT, cost=by_price("EUR"), backend="builtin")
    expected = complete(held, q, by_hand, at=AT, backend="builtin")
    assert result.status is expected.status
    assert result.cost == expected.cost
    assert [o.credential for o in result.offers] == [o.credential for o in expected.offers]
    assert all(
        o.opportunity is given[by_hand.index(e)]
        for o, e in zip(result.offers, expected.offers, strict=True)
    )
    if result.status is CompletionStatus.FOUND:
        assert result.cost == cheapest(q, held, by_hand)


def test_by_price_takes_the_lowest_price_in_the_currency() -> None:
    offer = opportunity("a", prices=[("EUR", "450"), ("CHF", "100"), ("EUR", "390.50")])
    euro = vocab.CURRENCY["EUR"]
    for currency in ("EUR", "eur", euro.iri, euro):
        assert by_price(currency)(offer) == Decimal("390.50")
    assert by_price("CHF")(offer) == 100
    with pytest.raises(ValueError, match=r"^offer urn:eumicro:test:cred:a has no price in USD$"):
        by_price("USD")(offer)
    with pytest.raises(UnknownConceptError):
        by_price("XYZ")
    # The cheapest offer in euros is chosen, whatever its other prices.
    q = qual(Select(min_count=1))
    dear = opportunity("dear", prices=[("EUR", "500"), ("CHF", "1")])
    cheap = opportunity("cheap", prices=[("EUR", "800"), ("EUR", "300")])
    result = complete([], q, [dear, cheap], at=AT, cost=by_price("EUR"))
    assert ids(result) == {"cheap"}
    assert result.cost == 300
    assert result.offers[0].opportunity is cheap


def test_offers_without_a_cost_in_the_currency_are_refused() -> None:
    q = qual(Select(min_count=1))
    with pytest.raises(ValidationError) as info:
        complete(
            [cred("a")],
            q,
            [
                opportunity("chf", prices=[("CHF", "90")]),
                cred("bare"),
                opportunity("a"),  # the id of a credential held
                opportunity("ok"),
                opportunity("ok"),
                "x",  # type: ignore[list-item]
                opportunity("free", prices=[]),
            ],
            at=AT,
            cost=by_price("EUR"),
        )
    assert [(p.path, p.message, p.code) for p in info.value.problems] == [
        (("offers", 0), "offer urn:eumicro:test:cred:chf has no price in EUR", "cost"),
        (
            ("offers", 1),
            "offer urn:eumicro:test:cred:bare has no price in EUR: it is a bare credential,"
            " not a LearningOpportunity",
            "cost",
        ),
        (("offers", 2), "credential urn:eumicro:test:cred:a is held or offered twice", "duplicate"),
        (
            ("offers", 4),
            "credential urn:eumicro:test:cred:ok is held or offered twice",
            "duplicate",
        ),
        (("offers", 5), "expected an Offer, a MicroCredential or a LearningOpportunity", "type"),
        (("offers", 6), "offer urn:eumicro:test:cred:free has no price in EUR", "cost"),
    ]
    assert info.value.subject == "complete"


def test_opportunities_need_an_aware_evaluation_date() -> None:
    q = qual(Select(min_count=1))
    naive = dt.datetime(2026, 1, 1)
    with pytest.raises(ValidationError) as info:
        complete([], q, [opportunity("a"), opportunity("b"), cred("c", None)], at=naive)
    assert [(p.path, p.code) for p in info.value.problems] == [
        (("at",), "timezone"),
        (("offers", 2), "cost"),
    ]
    # A hand-built offer naming an opportunity must name one.
    with pytest.raises(ValidationError) as info:
        complete([], q, [Offer(cred("a"), 1, opportunity="x")], at=AT)  # type: ignore[arg-type]
    assert [(p.path, p.code) for p in info.value.problems] == [(("offers", 0), "type")]


@pytest.mark.parametrize("backend", BACKENDS)
def test_credentials_offers_and_opportunities_mix(backend: str) -> None:
    # Three named modules; hours of study as the cost, whatever form the offer takes.
    q = qual(AllOf(children=[Named(specification_id=sid(n)) for n in ("a", "b", "c")]))
    hours = {"b": 30, "b-online": 20, "c": 10, "c-online": 25, "d": 1}

    def cost(offer: MicroCredential | LearningOpportunity) -> Decimal:
        return Decimal(hours[offer.id.rsplit(":", 1)[-1]])

    b_online = opportunity("b-online", spec_name="b")
    offers: list[Offer | MicroCredential | LearningOpportunity] = [
        Offer(cred("a"), 7),
        cred("b"),
        b_online,
        cred("c"),
        opportunity("c-online", spec_name="c"),
        opportunity("d"),
    ]
    result = complete([], q, offers, at=AT, cost=cost, backend=backend)
    assert result.status is CompletionStatus.FOUND
    assert result.cost == 37
    assert [(o.credential.id.rsplit(":", 1)[-1], o.cost) for o in result.offers] == [
        ("a", Decimal(7)),
        ("c", Decimal(10)),
        ("b-online", Decimal(20)),
    ]
    assert [o.opportunity for o in result.offers[:2]] == [None, None]
    assert result.offers[2].opportunity is b_online
    assert result.offers[2].credential.issued == AT


def test_an_opportunity_counts_as_recent() -> None:
    # An opportunity is earned at the evaluation date: a recency filter counts it, while
    # an offer of a credential issued long ago does not count.
    q = qual(Select(filter=Filter(issued_within_days=30), min_count=1))
    old = Offer(cred("old", issued=dt.datetime(2020, 1, 1, tzinfo=dt.UTC)), Decimal(1))
    course = opportunity("course", prices=[("EUR", "5")])
    result = complete([], q, [old, course], at=AT, cost=by_price("EUR"))
    assert result.status is CompletionStatus.FOUND
    assert ids(result) == {"course"}
    assert result.cost == 5
    assert result.offers[0].opportunity is course
    assert result.offers[0].credential.issued == AT
    assert result.evaluation is not None
    assert result.evaluation.not_yet_issued == ()
    # Held credentials keep their own dates: an old one still does not count.
    held_old = complete(
        [cred("older", issued=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))],
        q,
        [course],
        at=AT,
        cost=by_price("EUR"),
    )
    assert ids(held_old) == {"course"}


def test_by_ects_costs_credentials_and_opportunities() -> None:
    assert by_ects(cred("a", 5)) == 5
    assert by_ects(opportunity("b", 3)) == 3
    with pytest.raises(ValueError, match="offer urn:eumicro:test:cred:c has no ECTS"):
        by_ects(opportunity("c", None))


# ----------------------------------------------------------------------------- coverage


def skill(name: str) -> str:
    return f"http://data.europa.eu/esco/skill/{name}"


def outcome(name: str, *skills: str) -> LearningOutcome:
    return LearningOutcome(
        id=f"urn:eumicro:test:lo:{name}", title=Text(en=name), esco_skills=list(skills)
    )


def teaching(credential: MicroCredential, *outcomes: LearningOutcome) -> MicroCredential:
    """The credential, its specification with these learning outcomes."""
    spec = attrs.evolve(credential.specification, learning_outcomes=list(outcomes))
    return attrs.evolve(credential, specification=spec)


def covers(q: Qualification, creds: Sequence[MicroCredential]) -> bool:
    """Whether ``creds`` together meet every coverage constraint (computed here)."""
    for cov in q.coverage:
        got: set[str] = set()
        for c in creds:
            skills = {s for lo in c.specification.learning_outcomes for s in lo.esco_skills}
            outcomes = {lo.id for lo in c.specification.learning_outcomes}
            got |= {item for item in cov.esco_skills if item in skills}
            got |= {item for item in cov.learning_outcomes if item in outcomes}
        if len(got) < (len(cov.items) if cov.min_count is None else cov.min_count):
            return False
    return True


def can_count(q: Qualification, c: MicroCredential) -> bool:
    return (c.issued is None or c.issued <= AT) and any(
        leaf.eligible(c, at=AT) for _path, leaf, _shared in leaves_of(q.rule)
    )


def all_count(q: Qualification, creds: Sequence[MicroCredential]) -> bool:
    """Whether the rules hold with every one of ``creds`` counted.

    Then the total and the caps are sums over ``creds``; the tree alone is decided by the
    engine on the rules without the global constraints: a credential its assignment
    leaves out can be added to a leaf that accepts it, and a tree only gains from that.
    """
    if not all(can_count(q, c) for c in creds):
        return False
    if q.min_total_ects is not None and sum(map(ects_of, creds), Decimal(0)) < q.min_total_ects:
        return False
    for cap in q.caps:
        capped = [ects_of(c) for c in creds if cap.filter.matches(c, at=AT)]
        if sum(capped, Decimal(0)) > cap.max_ects:
            return False
    tree = attrs.evolve(q, caps=(), min_total_ects=None, coverage=())
    result = evaluate(creds, tree, at=AT)
    assert result.status is not Status.UNKNOWN
    return result.satisfied is True


def cheapest_covering(
    q: Qualification, held: Sequence[MicroCredential], offers: Sequence[Offer]
) -> Decimal | None:
    """The cheapest total over every subset of the offers, coverage computed here.

    A set of credentials completes the qualification when some part of it can all count
    and covers enough: the oracle tries every subset of the held credentials and the
    offers as that counted part.
    """
    held = [c for c in held if can_count(q, c)]
    parts = [list(h) for k in range(len(held) + 1) for h in itertools.combinations(held, k)]
    best: Decimal | None = None
    for k in range(len(offers) + 1):
        for subset in itertools.combinations(offers, k):
            total = sum((o.cost for o in subset), Decimal(0))
            if best is not None and total >= best:
                continue
            bought = [o.credential for o in subset]
            if not all(can_count(q, c) for c in bought):
                continue  # a cheaper subset without it is tried too
            if any(covers(q, [*h, *bought]) and all_count(q, [*h, *bought]) for h in parts):
                best = total
    return best


ITEM_SKILLS = tuple(skill(f"s{i}") for i in range(1, 4))
OUTCOMES = (
    outcome("o1", ITEM_SKILLS[0]),
    outcome("o2", ITEM_SKILLS[1], ITEM_SKILLS[2]),
    outcome("o3"),
    outcome("o4", ITEM_SKILLS[2]),
)
ITEM_OUTCOMES = tuple(str(lo.id) for lo in OUTCOMES)


@st.composite
def coverages(draw: st.DrawFn) -> Coverage:
    skills = draw(st.lists(st.sampled_from(ITEM_SKILLS), max_size=3, unique=True))
    outcomes = draw(
        st.lists(
            st.sampled_from(ITEM_OUTCOMES), min_size=0 if skills else 1, max_size=2, unique=True
        )
    )
    n = len(skills) + len(outcomes)
    return Coverage(
        esco_skills=skills,
        learning_outcomes=outcomes,
        min_count=draw(st.one_of(st.none(), st.integers(1, n), st.just(1))),
    )


@st.composite
def covering_qualifications(draw: st.DrawFn) -> Qualification:
    q = draw(qualifications().filter(small))
    return attrs.evolve(q, coverage=draw(st.lists(coverages(), min_size=1, max_size=2)))


@st.composite
def taught(draw: st.DrawFn, creds: list[MicroCredential]) -> list[MicroCredential]:
    """The credentials with learning outcomes: per specification name, or their own."""
    some = st.lists(st.sampled_from(OUTCOMES), min_size=1, max_size=2, unique=True)
    by_name = {name: draw(some) for name in SPEC_NAMES}
    out = []
    for c in creds:
        name = c.specification.id.rsplit(":", 1)[-1]
        out.append(teaching(c, *(by_name[name] if draw(st.booleans()) else draw(some))))
    return out


@st.composite
def covering_credentials(draw: st.DrawFn) -> list[MicroCredential]:
    return draw(taught(draw(credentials())[:3]))


@st.composite
def covering_offers(draw: st.DrawFn) -> list[Offer]:
    catalogue = (draw(offers()) + draw(offers()))[:10]  # more offers, more completions
    creds = draw(taught([o.credential for o in catalogue]))
    return [
        Offer(attrs.evolve(c, id=f"urn:eumicro:test:offer:{i}"), o.cost)
        for i, (o, c) in enumerate(zip(catalogue, creds, strict=True))
    ]


def assert_optimal_with_coverage(
    q: Qualification,
    held: Sequence[MicroCredential],
    catalogue: Sequence[Offer],
    result: Completion,
) -> None:
    """The result against the coverage oracle, and its completion re-checked."""
    best = cheapest_covering(q, held, catalogue)
    if best is None:
        assert result.status is CompletionStatus.IMPOSSIBLE
        assert result.evaluation is not None
        assert result.evaluation.satisfied is False
        return
    assert result.status is CompletionStatus.FOUND
    assert result.cost == best
    assert result.cost == sum((o.cost for o in result.offers), Decimal(0))
    assert set(result.offers) <= set(catalogue)
    assert len(set(result.offers)) == len(result.offers)
    chosen = [*held, *(o.credential for o in result.offers)]
    assert result.evaluation is not None
    assert result.evaluation.satisfied is True
    assert_valid(result.evaluation, chosen)
    # The engine's proving assignment covers enough, and so does the oracle.
    counted = [c for c in chosen if result.evaluation.assignment.get(c.id)]
    assert covers(q, counted)
    free = [Offer(o.credential, Decimal(0)) for o in result.offers]
    assert cheapest_covering(q, held, free) == 0


@pytest.mark.parametrize("backend", BACKENDS)
@settings(max_examples=100, deadline=None)
@given(q=covering_qualifications(), held=covering_credentials(), catalogue=covering_offers())
def test_completion_with_coverage_is_optimal_against_exhaustive_search(
    backend: str, q: Qualification, held: list[MicroCredential], catalogue: list[Offer]
) -> None:
    result = complete(held, q, catalogue, at=AT, backend=backend)
    assert result.algorithm != "min-cost-flow"
    assert_optimal_with_coverage(q, held, catalogue, result)


SOLVERS = [
    _completion_bb.solve,
    pytest.param(
        _mip.solve, marks=pytest.mark.skipif(not _mip.available(), reason="highspy not installed")
    ),
]


@pytest.mark.parametrize("solve", SOLVERS)
@settings(max_examples=100, deadline=None)
@given(q=covering_qualifications(), held=covering_credentials(), catalogue=covering_offers())
def test_the_model_with_coverage_has_the_oracles_optimum(
    solve: Any, q: Qualification, held: list[MicroCredential], catalogue: list[Offer]
) -> None:
    # The integer program alone (the offers it keeps, its solution), without the engine's
    # checks around it, against the oracle that computes coverage itself.
    inst = build(held, [o.credential for o in catalogue], [o.cost for o in catalogue], q, AT)
    m = model(inst)
    outcome = solve(m, max_nodes=100_000, deadline=None)
    assert outcome.proven
    best = cheapest_covering(q, held, catalogue)
    if best is None:
        assert outcome.x is None
        return
    assert outcome.x is not None
    picked = [catalogue[i] for i in chosen_offers(m, inst, outcome.x)]
    assert m.objective(outcome.x) == best  # integer costs: not scaled
    assert sum((o.cost for o in picked), Decimal(0)) == best
    free = [Offer(o.credential, Decimal(0)) for o in picked]
    assert cheapest_covering(q, held, free) == 0


SQL, PYTHON, VIZ = skill("sql"), skill("python"), skill("visualisation")


def data_certificate(**coverage: Any) -> Qualification:
    """10 ECTS of EQF 7 credentials that cover SQL, Python and visualisation."""
    return qual(
        Select(filter=Filter(min_eqf=7), min_ects=10),
        coverage=[Coverage(esco_skills=[SQL, PYTHON, VIZ], id="data-skills", **coverage)],
    )


def data_offers() -> list[Offer]:
    def course(name: str, ects: int, *skills: str) -> Offer:
        c = teaching(cred(name, ects), outcome(name, *skills))
        return Offer(c, Decimal(ects))

    return [
        course("intro", 5),
        course("spreadsheets", 5, VIZ),
        course("databases", 6, SQL),
        course("analytics", 8, SQL, VIZ),
        course("dashboards", 4, VIZ, PYTHON),
    ]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_certificate_needing_three_skills_takes_the_dearer_offer_that_covers_them(
    backend: str,
) -> None:
    held = [teaching(cred("scripting", 5), outcome("scripting", PYTHON))]
    offers = data_offers()
    # Without coverage, any 5-ECTS course completes the 10 ECTS.
    plain = complete(held, attrs.evolve(data_certificate(), coverage=()), offers, at=AT)
    assert plain.cost == 5
    # SQL and visualisation are missing: analytics covers both (databases and
    # spreadsheets would too, at 11; databases and dashboards at 10).
    result = complete(held, data_certificate(), offers, at=AT, backend=backend)
    assert result.status is CompletionStatus.FOUND
    assert result.algorithm != "min-cost-flow"
    assert ids(result) == {"analytics"}
    assert result.cost == 8
    assert result.evaluation is not None
    assert result.evaluation.satisfied is True
    # Two of the three are enough: the cheapest course that adds one is taken.
    two = complete(held, data_certificate(min_count=2), offers, at=AT, backend=backend)
    assert ids(two) == {"spreadsheets"}
    assert two.cost == 5


@pytest.mark.parametrize("backend", BACKENDS)
def test_only_counted_credentials_cover_skills(backend: str) -> None:
    # "legacy" covers SQL and visualisation but is EQF 6: the rule does not accept it,
    # so what it covers does not count.
    held = [teaching(cred("scripting", 5), outcome("scripting", PYTHON))]
    offers = [
        *data_offers(),
        Offer(teaching(cred("legacy", 3, eqf=6), outcome("legacy", SQL, VIZ)), Decimal(1)),
    ]
    result = complete(held, data_certificate(), offers, at=AT, backend=backend)
    assert ids(result) == {"analytics"}
    # Without an accepted course covering SQL, it is impossible.
    no_sql = [o for o in offers if SQL not in o.credential.specification.esco_skills]
    impossible = complete(held, data_certificate(), no_sql, at=AT, backend=backend)
    assert impossible.status is CompletionStatus.IMPOSSIBLE


def test_learning_outcomes_are_covered_by_id() -> None:
    # The capstone outcome must be covered: only the project has it.
    capstone = outcome("capstone")
    q = qual(
        Select(min_count=1),
        coverage=[Coverage(learning_outcomes=[str(capstone.id)])],
    )
    offers = [
        Offer(teaching(cred("lecture", 5), outcome("lecture")), Decimal(1)),
        Offer(teaching(cred("project", 5), outcome("lecture"), capstone), Decimal(4)),
    ]
    assert ids(complete([], q, offers, at=AT)) == {"project"}


def test_offers_differing_only_in_what_they_cover_are_kept_apart() -> None:
    q = data_certificate()
    same = [teaching(cred(f"c{i}", 5), outcome(f"c{i}", *s)) for i, s in enumerate([[SQL], [VIZ]])]
    inst = build([], same, [Decimal(1), Decimal(1)], q, AT)
    assert len(inst.profiles) == 2
    # Fifty interchangeable offers covering SQL: two are all a minimal completion can use
    # for the 10 ECTS, and one more cannot be needed for SQL alone.
    many = [teaching(cred(f"s{i:02}", 5), outcome(f"s{i:02}", SQL)) for i in range(50)]
    inst = build([], many, [Decimal(50 - i) for i in range(50)], q, AT)
    assert [len(kept) for kept in inst.offers] == [2]
    # A zero-ECTS offer counted only for what it covers is still kept.
    zero = [teaching(cred(f"z{i}", 0), outcome(f"z{i}", PYTHON)) for i in range(3)]
    inst = build(
        [],
        zero,
        [Decimal(1)] * 3,
        qual(Select(min_ects=5), coverage=[Coverage(esco_skills=[PYTHON])]),
        AT,
    )
    assert [len(kept) for kept in inst.offers] == [1]


def test_coverage_rules_out_the_flow() -> None:
    q = qual(Select(min_count=1), coverage=[Coverage(esco_skills=[SQL])])
    offers = [
        Offer(teaching(cred("a", 5), outcome("a")), Decimal(1)),
        Offer(teaching(cred("b", 5), outcome("b", SQL)), Decimal(2)),
    ]
    with pytest.raises(ValueError, match="coverage"):
        complete([], q, offers, at=AT, backend="flow")
    result = complete([], q, offers, at=AT)
    assert result.algorithm in ("branch-and-bound", "highs")
    assert ids(result) == {"b"}


@pytest.mark.skipif(not _mip.available(), reason="highspy not installed")
def test_highs_back_end_writes_nothing_to_standard_output() -> None:
    """The solver's banner and log would mix with a program's own output (a CLI's, say)."""
    # A knapsack: cover 7 with items of 3, 4 and 5 at costs 3, 4 and 6 (optimum 7).
    script = (
        "from eumicro.stacking._completion_model import GE, Model\n"
        "from eumicro.stacking import _mip\n"
        "m = Model()\n"
        "xs = [m.var(c, 0, 1) for c in (3, 4, 6)]\n"
        "m.rows.append(({xs[0]: 3, xs[1]: 4, xs[2]: 5}, GE, 7))\n"
        "out = _mip.solve(m, max_nodes=1000, deadline=None)\n"
        "assert (out.x, out.proven) == ([1, 1, 0], True), out\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == ""

"""Cheapest completion: which offers, added to a learner's credentials, complete a qualification?

:func:`complete` is exact: a completion it reports as found is a cheapest one (and the
engine, :func:`evaluate`, confirms it satisfies the rules); "impossible" is proven by the
engine on the learner's credentials plus every offer that could count; when a budget
runs out, the answer is "unknown", never a guess.

Algorithms (the model is described in ``_completion_model``):

* Exact reductions: offers no rule leaf accepts are dropped; offers the rules cannot tell
  apart (a *profile*: the same eligible leaves, ECTS, caps and coverage items) are taken
  cheapest first, and only as many of each profile are kept as a minimal completion
  could use.
* Count-only "all of" rules without caps, totals, coverage or shared leaves: a
  minimum-cost flow (polynomial).
* Otherwise: an integer program over the profiles (leaf assignment, node satisfaction,
  shared leaves, caps, minimum total, coverage), solved by branch and bound with LP-relaxation
  bounds (built in, no dependency), or by HiGHS when ``highspy`` is installed (the
  ``solver`` extra).
"""

from __future__ import annotations

import datetime as dt
import enum
import time
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal

import attrs

from eumicro import vocab
from eumicro._checks import ConceptLike
from eumicro._errors import Problem, ValidationError
from eumicro._model import MicroCredential
from eumicro._opportunity import LearningOpportunity
from eumicro.stacking import _completion_bb, _flow, _mip
from eumicro.stacking._completion_model import Instance, build, chosen_offers, model
from eumicro.stacking._engine import Evaluation, Status, evaluate
from eumicro.stacking._rules import Qualification

__all__ = ["Completion", "CompletionStatus", "Offer", "by_ects", "by_price", "complete"]

#: The cost of something offered: a bare credential or a learning opportunity.
Cost = Callable[[MicroCredential | LearningOpportunity], Decimal]


def _decimal(value: Decimal | int | str) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(value)


def by_ects(offer: MicroCredential | LearningOpportunity) -> Decimal:
    """The default cost of an offer: its ECTS (for an opportunity, its specification's).

    Raises:
        ValueError: the offer states no ECTS.
    """
    ects = offer.specification.ects
    if ects is None:
        raise ValueError(f"offer {offer.id} has no ECTS: give it a cost")
    return ects


def by_price(currency: ConceptLike) -> Cost:
    """A cost for :func:`complete`: a learning opportunity's lowest price in ``currency``.

    Args:
        currency: an ISO 4217 code (``"EUR"``), an IRI or a concept of the currency
            vocabulary.

    Returns:
        A function from an offer to its lowest price in ``currency``. It raises
        :class:`ValueError` for a learning opportunity with no price in that currency
        and for a bare credential (which has no price at all); :func:`complete` reports
        either as a problem of that offer.

    Raises:
        UnknownConceptError: ``currency`` is not in the currency vocabulary.

    >>> from eumicro import LearningOpportunity, Price, Specification
    >>> spec = Specification(id="urn:example:spec:1")
    >>> offer = LearningOpportunity(id="urn:example:offer:1", specification=spec, prices=[
    ...     Price(amount="450", currency="EUR"), Price(amount="390", currency="EUR"),
    ...     Price(amount="300", currency="CHF")])
    >>> by_price("EUR")(offer)
    Decimal('390')
    >>> by_price("USD")(offer)
    Traceback (most recent call last):
    ...
    ValueError: offer urn:example:offer:1 has no price in USD
    """
    wanted = vocab.CURRENCY.lookup(currency)

    def price(offer: MicroCredential | LearningOpportunity) -> Decimal:
        if not isinstance(offer, LearningOpportunity):
            raise ValueError(
                f"offer {offer.id} has no price in {wanted.code}: it is a bare credential,"
                " not a LearningOpportunity"
            )
        amounts = [p.amount for p in offer.prices if p.currency.iri == wanted.iri]
        if not amounts:
            raise ValueError(f"offer {offer.id} has no price in {wanted.code}")
        return min(amounts)

    price.__qualname__ = price.__name__ = f"by_price({wanted.code!r})"
    return price


@attrs.frozen
class Offer:
    """A micro-credential one could still earn, at a cost (ECTS, price, hours …).

    Attributes:
        credential: the credential the learner would hold.
        cost: what it costs, not negative.
        opportunity: the learning opportunity it comes from, if any (see :meth:`of`).
    """

    credential: MicroCredential
    cost: Decimal = attrs.field(converter=_decimal)
    opportunity: LearningOpportunity | None = attrs.field(default=None, kw_only=True)

    @classmethod
    def of(
        cls, opportunity: LearningOpportunity, *, at: dt.datetime, cost: Cost = by_ects
    ) -> Offer:
        """The offer of a learning opportunity: the credential one would hold after it.

        The prospective credential has the opportunity's id and specification, is awarded
        by the specification's provider (or else the opportunity's providers) and is
        issued at ``at``: an offer is evaluated as if earned at the evaluation date, so
        that recency and validity filters treat it as new. The opportunity's own dates
        (start, end, application deadlines) are not looked at: choose the opportunities
        one can still take before offering them.

        Args:
            opportunity: the learning opportunity.
            at: the evaluation date (timezone-aware).
            cost: its cost, from the opportunity: by default its ECTS; ``by_price("EUR")``
                for its lowest price in euros.

        Raises:
            ValueError: ``cost`` refused the opportunity (no ECTS, no price in that
                currency …).
            ValidationError: the credential cannot be built (``at`` is naive, say).
        """
        spec = opportunity.specification
        credential = MicroCredential(
            id=opportunity.id,
            specification=spec,
            awarding_bodies=(spec.provider,)
            if spec.provider is not None
            else opportunity.effective_providers,
            issued=at,
        )
        return cls(credential, cost(opportunity), opportunity=opportunity)


class CompletionStatus(enum.Enum):
    """Outcome of :func:`complete`."""

    FOUND = "found"
    IMPOSSIBLE = "impossible"
    UNKNOWN = "unknown"


@attrs.frozen(kw_only=True)
class Completion:
    """The result of :func:`complete`.

    Attributes:
        status: ``FOUND`` (``offers`` is a cheapest completion, possibly empty when the
            learner already qualifies), ``IMPOSSIBLE`` (proven: even every offer together
            does not complete the qualification) or ``UNKNOWN`` (a budget ran out).
        offers: the offers to take, cheapest first (empty unless found; when unknown, the
            best completion seen, if any, which may not be the cheapest).
        cost: their total cost (``None`` when none was found).
        evaluation: the engine's result for the learner's credentials plus ``offers``
            (for ``IMPOSSIBLE``: plus every offer, showing what is still missing).
        explored: branch-and-bound nodes explored (0 for a flow).
        evaluations: calls to the engine.
        algorithm: how the answer was found: ``"none"`` (nothing missing),
            ``"min-cost-flow"``, ``"branch-and-bound"`` (built in), ``"highs"`` or
            ``"evaluate"`` (impossible, proven by the engine).
    """

    status: CompletionStatus
    offers: tuple[Offer, ...]
    cost: Decimal | None
    evaluation: Evaluation | None
    explored: int
    evaluations: int
    algorithm: str = ""

    @property
    def possible(self) -> bool | None:
        """True (found), False (proven impossible) or None (unknown)."""
        if self.status is CompletionStatus.UNKNOWN:
            return None
        return self.status is CompletionStatus.FOUND


class _BudgetExhaustedError(Exception):
    pass


def _offers(
    offers: Iterable[Offer | MicroCredential | LearningOpportunity],
    held: Sequence[MicroCredential],
    cost: Cost,
    at: dt.datetime,
) -> list[Offer]:
    out: list[Offer] = []
    problems: list[Problem] = []
    # An opportunity becomes a credential issued at ``at``: a naive date is reported once,
    # instead of a problem per opportunity (without opportunities, evaluate reports it).
    aware = isinstance(at, dt.datetime) and at.utcoffset() is not None
    seen = {c.id for c in held if isinstance(c, MicroCredential)}
    for i, item in enumerate(offers):
        if isinstance(item, LearningOpportunity):
            if not aware:
                if not any(p.path == ("at",) for p in problems):
                    problems.insert(
                        0, Problem(("at",), "expected a date and time with a timezone", "timezone")
                    )
                continue
            try:
                item = Offer.of(item, at=at, cost=cost)
            except ValidationError as error:
                problems.extend(error.prefixed("offers", i))
                continue
            except (ValueError, ArithmeticError) as error:
                problems.append(Problem(("offers", i), str(error), "cost"))
                continue
        elif isinstance(item, MicroCredential):
            try:
                item = Offer(item, cost(item))
            except (ValueError, ArithmeticError) as error:
                problems.append(Problem(("offers", i), str(error), "cost"))
                continue
        if (
            not isinstance(item, Offer)
            or not isinstance(item.credential, MicroCredential)
            or not isinstance(item.opportunity, LearningOpportunity | None)
        ):
            problems.append(
                Problem(
                    ("offers", i),
                    "expected an Offer, a MicroCredential or a LearningOpportunity",
                    "type",
                )
            )
            continue
        if not item.cost.is_finite() or item.cost < 0:
            problems.append(
                Problem(("offers", i), f"cost must be a non-negative number: {item.cost}", "cost")
            )
        if item.credential.id in seen:
            problems.append(
                Problem(
                    ("offers", i),
                    f"credential {item.credential.id} is held or offered twice",
                    "duplicate",
                )
            )
        seen.add(item.credential.id)
        out.append(item)
    if problems:
        raise ValidationError(problems, "complete")
    return out


BACKENDS = ("auto", "builtin", "highs", "flow")


def _by_flow(inst: Instance) -> list[int] | None:
    """The offers of a cheapest completion of count-only "all of" rules, by min-cost flow."""
    eligible: list[tuple[int, ...]] = []
    costs: list[int] = []
    owner: list[int | None] = []  # offer index, None for a held credential
    for k, profile in enumerate(inst.profiles):
        leaves = profile[0]
        for _ in range(inst.held[k]):
            eligible.append(leaves)
            costs.append(0)
            owner.append(None)
        for i in inst.offers[k]:
            eligible.append(leaves)
            costs.append(inst.costs[i])
            owner.append(i)
    choice = _flow.min_cost_assignment(eligible, costs, inst.need_count)
    if choice is None:
        return None
    return [i for i, li in zip(owner, choice, strict=True) if i is not None and li is not None]


def complete(
    credentials: Iterable[MicroCredential],
    qualification: Qualification,
    offers: Iterable[Offer | MicroCredential | LearningOpportunity],
    *,
    at: dt.datetime,
    cost: Cost = by_ects,
    max_nodes: int = 100_000,
    max_evaluation_nodes: int = 1_000_000,
    timeout: float | None = None,
    backend: str = "auto",
) -> Completion:
    """The cheapest set of ``offers`` that, with ``credentials``, satisfies ``qualification``.

    Args:
        credentials: the learner's credentials (distinct ids).
        qualification: the qualification to complete.
        offers: what the learner could still earn: :class:`Offer` objects (with their own
            cost), bare :class:`MicroCredential` objects or
            :class:`~eumicro.LearningOpportunity` objects (a provider's catalogue), both
            costed by ``cost``. An opportunity is offered as :meth:`Offer.of` makes it: the
            credential one would hold after it, issued at ``at``; the completion's offers
            carry the very opportunity objects given (:attr:`Offer.opportunity`).
        at: evaluation date (timezone-aware), as for :func:`evaluate`.
        cost: the cost of a bare credential or an opportunity offered: by default its
            ECTS; :func:`by_price` for an opportunity's price.
        max_nodes: branch-and-bound budget in nodes (also given to HiGHS); when it runs
            out, the status is UNKNOWN.
        max_evaluation_nodes: the budget of each call to :func:`evaluate`.
        timeout: optional budget in seconds for the whole search.
        backend: ``"auto"`` (a minimum-cost flow when the rules allow it, else HiGHS when
            ``highspy`` is installed, else the built-in branch and bound), ``"builtin"``,
            ``"highs"`` (requires ``highspy``) or ``"flow"`` (count-only "all of" rules
            without caps, totals, coverage or shared leaves).

    Raises:
        ValidationError: a bad date, credential or offer (not one, given twice, with a
            negative cost or with no cost, such as an opportunity without a price in the
            currency of :func:`by_price`).
        ValueError: an unknown back end, ``"flow"`` for rules it does not cover, or
            ``"highs"`` without ``highspy`` installed.
    """
    if backend not in BACKENDS:
        raise ValueError(f"backend must be one of {', '.join(BACKENDS)}, got {backend!r}")
    if backend == "highs" and not _mip.available():
        raise ValueError('backend "highs" needs highspy: pip install "eumicro[solver]"')
    held = tuple(credentials)
    offered = _offers(offers, held, cost, at)
    deadline = None if timeout is None else time.monotonic() + timeout
    calls = 0

    def check(extra: Iterable[Offer]) -> Evaluation:
        nonlocal calls
        left = None
        if deadline is not None:
            left = deadline - time.monotonic()
            if left <= 0:
                raise _BudgetExhaustedError
        calls += 1
        return evaluate(
            [*held, *(o.credential for o in extra)],
            qualification,
            at=at,
            max_nodes=max_evaluation_nodes,
            timeout=left,
        )

    explored = 0
    algorithm = ""

    def result(
        status: CompletionStatus,
        chosen: Sequence[Offer] = (),
        evaluation: Evaluation | None = None,
    ) -> Completion:
        # Offers are reported only when the engine confirmed that they complete it.
        found = evaluation is not None and evaluation.status is Status.SATISFIED
        return Completion(
            status=status,
            offers=tuple(chosen) if found else (),
            cost=sum((o.cost for o in chosen), Decimal(0)) if found else None,
            evaluation=evaluation,
            explored=explored,
            evaluations=calls,
            algorithm=algorithm,
        )

    try:
        now = check(())  # also validates the date and the learner's credentials
        if now.status is Status.SATISFIED:
            algorithm = "none"
            return result(CompletionStatus.FOUND, (), now)
        if now.status is Status.UNKNOWN:
            return result(CompletionStatus.UNKNOWN)
        inst = build(
            held, [o.credential for o in offered], [o.cost for o in offered], qualification, at
        )
        flow = inst.count_only_all_of()
        if backend == "flow" and not flow:
            raise ValueError(
                'backend "flow" covers count-only "all of" rules without caps, totals,'
                " coverage or shared leaves"
            )
        kept = sorted(i for offs in inst.offers for i in offs)
        everything = check([offered[i] for i in kept])
        if everything.status is Status.NOT_SATISFIED:
            # No completion uses an offer that was dropped unless one without it exists.
            algorithm = "evaluate"
            return result(CompletionStatus.IMPOSSIBLE, (), everything)
        if everything.status is Status.UNKNOWN:
            return result(CompletionStatus.UNKNOWN)
        picked: list[int] | None
        if flow and backend in ("auto", "flow"):
            algorithm = "min-cost-flow"
            picked = _by_flow(inst)
        else:
            m = model(inst)
            if backend == "highs" or (backend == "auto" and _mip.available()):
                algorithm = "highs"
                outcome = _mip.solve(m, max_nodes=max_nodes, deadline=deadline)
            else:
                algorithm = "branch-and-bound"
                outcome = _completion_bb.solve(m, max_nodes=max_nodes, deadline=deadline)
            explored = outcome.nodes
            picked = None if outcome.x is None else chosen_offers(m, inst, outcome.x)
            if not outcome.proven:
                if picked is not None:  # the best seen, not proven the cheapest
                    seen = sorted((offered[i] for i in picked), key=_by_cost)
                    evaluation = check(seen)
                    return result(CompletionStatus.UNKNOWN, seen, evaluation)
                return result(CompletionStatus.UNKNOWN)
        if picked is None:
            # The model has no solution although the engine found one: never guess.
            return result(CompletionStatus.UNKNOWN)
        best = sorted((offered[i] for i in picked), key=_by_cost)
        evaluation = check(best)
        if evaluation.status is not Status.SATISFIED:
            return result(CompletionStatus.UNKNOWN)
    except (_BudgetExhaustedError, _completion_bb.BudgetExhaustedError):
        return result(CompletionStatus.UNKNOWN)
    try:
        # Offers of cost 0 may be in the answer without being needed: drop those (the
        # cost stays optimal; if the budget runs out here, the answer is still optimal).
        for offer in [o for o in best if o.cost == 0]:
            rest = [o for o in best if o is not offer]
            again = check(rest)
            if again.status is Status.SATISFIED:
                best, evaluation = rest, again
    except _BudgetExhaustedError:
        pass
    return result(CompletionStatus.FOUND, best, evaluation)


def _by_cost(offer: Offer) -> tuple[Decimal, str]:
    return offer.cost, offer.credential.id

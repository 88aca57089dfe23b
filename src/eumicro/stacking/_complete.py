"""Cheapest completion: which offers, added to a learner's credentials, complete a qualification?

:func:`complete` is exact. It relies on one property of the rules: satisfaction is
monotone in the set of credentials (an extra credential may always stay uncounted), so

* if the learner's credentials plus *every* offer do not satisfy the qualification, no
  set of offers does (the answer "impossible" is proven by one :func:`evaluate`);
* in a branch-and-bound over the offers (cheapest first), a branch is cut when the
  offers chosen so far plus every remaining offer that could still give a cheaper total
  do not satisfy the qualification, or when the cost so far plus the cheapest remaining
  offer is not below the best total found.

Offers that no rule leaf accepts never count and are dropped; offers that the engine
cannot tell apart (same leaves, caps and ECTS) and that cost the same are taken in a
fixed order, which skips permuted duplicates. The engine is the oracle for every
feasibility question; when it answers "unknown" (budget), the branch is not cut, and if
a set that could be cheaper than the answer stayed undecided, the result is "unknown".
"""

from __future__ import annotations

import datetime as dt
import enum
import time
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal

import attrs

from eumicro._errors import Problem, ValidationError
from eumicro._model import MicroCredential
from eumicro.stacking._engine import Evaluation, Status, evaluate
from eumicro.stacking._rules import Leaf, Qualification, walk

__all__ = ["Completion", "CompletionStatus", "Offer", "by_ects", "complete"]


def _decimal(value: Decimal | int | str) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(value)


@attrs.frozen
class Offer:
    """A micro-credential one could still earn, at a cost (ECTS, price, hours …)."""

    credential: MicroCredential
    cost: Decimal = attrs.field(converter=_decimal)


def by_ects(credential: MicroCredential) -> Decimal:
    """The default cost of a bare credential offered: its ECTS.

    Raises:
        ValueError: the credential states no ECTS.
    """
    ects = credential.specification.ects
    if ects is None:
        raise ValueError(f"offer {credential.id} has no ECTS: give it a cost")
    return ects


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
        explored: branch-and-bound nodes explored.
        evaluations: calls to the engine.
    """

    status: CompletionStatus
    offers: tuple[Offer, ...]
    cost: Decimal | None
    evaluation: Evaluation | None
    explored: int
    evaluations: int

    @property
    def possible(self) -> bool | None:
        """True (found), False (proven impossible) or None (unknown)."""
        if self.status is CompletionStatus.UNKNOWN:
            return None
        return self.status is CompletionStatus.FOUND


class _BudgetExhaustedError(Exception):
    pass


def _offers(
    offers: Iterable[Offer | MicroCredential],
    held: Sequence[MicroCredential],
    cost: Callable[[MicroCredential], Decimal],
) -> list[Offer]:
    out: list[Offer] = []
    problems: list[Problem] = []
    seen = {c.id for c in held if isinstance(c, MicroCredential)}
    for i, item in enumerate(offers):
        if isinstance(item, MicroCredential):
            try:
                item = Offer(item, cost(item))
            except (ValueError, ArithmeticError) as error:
                problems.append(Problem(("offers", i), str(error), "cost"))
                continue
        if not isinstance(item, Offer) or not isinstance(item.credential, MicroCredential):
            problems.append(
                Problem(("offers", i), "expected an Offer or a MicroCredential", "type")
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


def complete(
    credentials: Iterable[MicroCredential],
    qualification: Qualification,
    offers: Iterable[Offer | MicroCredential],
    *,
    at: dt.datetime,
    cost: Callable[[MicroCredential], Decimal] = by_ects,
    max_nodes: int = 100_000,
    max_evaluation_nodes: int = 1_000_000,
    timeout: float | None = None,
) -> Completion:
    """The cheapest set of ``offers`` that, with ``credentials``, satisfies ``qualification``.

    Args:
        credentials: the learner's credentials (distinct ids).
        qualification: the qualification to complete.
        offers: what the learner could still earn: :class:`Offer` objects (with their own
            cost) or bare :class:`MicroCredential` objects (costed by ``cost``).
        at: evaluation date (timezone-aware), as for :func:`evaluate`.
        cost: the cost of a bare credential offered; by default its ECTS.
        max_nodes: branch-and-bound budget; when it runs out, the status is UNKNOWN.
        max_evaluation_nodes: the budget of each call to :func:`evaluate`.
        timeout: optional budget in seconds for the whole search.

    Raises:
        ValidationError: a bad date, credential or offer (not one, given twice, with a
            negative cost or with no cost).
    """
    held = tuple(credentials)
    offered = _offers(offers, held, cost)
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

    def result(
        status: CompletionStatus,
        chosen: Sequence[Offer] = (),
        evaluation: Evaluation | None = None,
        explored: int = 0,
    ) -> Completion:
        found = status is not CompletionStatus.IMPOSSIBLE and evaluation is not None
        return Completion(
            status=status,
            offers=tuple(chosen) if found else (),
            cost=sum((o.cost for o in chosen), Decimal(0)) if found else None,
            evaluation=evaluation,
            explored=explored,
            evaluations=calls,
        )

    try:
        now = check(())  # also validates the date and the learner's credentials
        if now.status is Status.SATISFIED:
            return result(CompletionStatus.FOUND, (), now)
        if now.status is Status.UNKNOWN:
            return result(CompletionStatus.UNKNOWN)
        leaves = [n for _path, n in walk(qualification.rule) if isinstance(n, Leaf)]

        def signature(o: Offer) -> tuple[Decimal, tuple[bool, ...], tuple[bool, ...], Decimal]:
            c = o.credential
            return (
                o.cost,
                tuple(leaf.eligible(c, at=at) for leaf in leaves),
                tuple(cap.filter.matches(c, at=at) for cap in qualification.caps),
                c.specification.ects or Decimal(0),
            )

        keyed = [(signature(o), o) for o in offered]
        keyed = [(k, o) for k, o in keyed if any(k[1])]  # offers no leaf accepts never count
        keyed.sort(key=lambda ko: (ko[0], ko[1].credential.id))
        order = [o for _k, o in keyed]
        same = [k > 0 and keyed[k][0] == keyed[k - 1][0] for k in range(len(keyed))]
        everything = check(order)
        if everything.status is Status.NOT_SATISFIED:
            return result(CompletionStatus.IMPOSSIBLE, (), everything)
        if everything.status is Status.UNKNOWN:
            return result(CompletionStatus.UNKNOWN)
    except _BudgetExhaustedError:
        return result(CompletionStatus.UNKNOWN)

    n = len(order)
    best: list[Offer] = list(order)
    best_cost = sum((o.cost for o in order), Decimal(0))
    best_eval = everything
    unsure: Decimal | None = None  # the cheapest total whose verdict stayed unknown
    chosen: list[Offer] = []
    explored = 0

    def dfs(k: int, spent: Decimal) -> None:
        # Invariants: held + chosen does not satisfy (or its verdict is unknown);
        # spent < best_cost; order[k - 1], if any, is the last offer chosen.
        nonlocal best, best_cost, best_eval, explored, unsure
        explored += 1
        if explored > max_nodes:
            raise _BudgetExhaustedError
        # Only offers that keep the total below the best can be part of a better answer;
        # sorted by cost, they are order[k:limit].
        limit = k
        while limit < n and spent + order[limit].cost < best_cost:
            limit += 1
        if limit == k:
            return
        if (limit < n or k > 0) and check(
            [*chosen, *order[k:limit]]
        ).status is Status.NOT_SATISFIED:
            return  # even every affordable offer does not complete it (monotonicity)
        for j in range(k, limit):
            if spent + order[j].cost >= best_cost:
                return  # sorted by cost: every later offer costs as much
            if same[j] and j > k:
                # Taking j skips order[j - 1], which the engine cannot tell from order[j]
                # and which costs the same: that set was (or will be) tried with j - 1.
                continue
            chosen.append(order[j])
            total = spent + order[j].cost
            evaluation = check(chosen)
            if evaluation.status is Status.SATISFIED:
                best, best_cost, best_eval = list(chosen), total, evaluation
            else:
                if evaluation.status is Status.UNKNOWN and (unsure is None or total < unsure):
                    unsure = total
                dfs(j + 1, total)
            chosen.pop()

    try:
        dfs(0, Decimal(0))
    except _BudgetExhaustedError:
        return result(CompletionStatus.UNKNOWN, best, best_eval, explored)
    if unsure is not None and unsure < best_cost:
        return result(CompletionStatus.UNKNOWN, best, best_eval, explored)
    try:
        # Offers of cost 0 may be in the answer without being needed: drop those (the
        # cost stays optimal; if the budget runs out here, the answer is still optimal).
        for offer in [o for o in best if o.cost == 0]:
            rest = [o for o in best if o is not offer]
            evaluation = check(rest)
            if evaluation.status is Status.SATISFIED:
                best, best_eval = rest, evaluation
    except _BudgetExhaustedError:
        pass
    return result(CompletionStatus.FOUND, best, best_eval, explored)

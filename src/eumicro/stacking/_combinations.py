"""Minimal combinations: which sets of a learner's credentials satisfy a qualification?

A set is *minimal* when it satisfies the qualification and no proper subset does. There
can be exponentially many, so :func:`iter_combinations` generates them lazily, in a
fixed order (by size, then by their sorted ids), and :func:`combinations` returns one
page of them.

Satisfaction is monotone in the set of credentials (an extra credential may always stay
uncounted), which gives the pruning:

* the sets are searched level by level (size 0, 1, 2 …); a set of size ``s`` that
  contains no minimal set found at a smaller size and satisfies the rules is minimal;
* while a set is built from the credentials sorted by id, a branch is cut when it already
  contains a minimal set, or when the credentials chosen plus every later one do not
  satisfy the rules (then no set in the branch does). These superset verdicts do not
  depend on the size searched and are cached across levels;
* credentials that no rule leaf accepts are in no minimal set and are left out;
* the levels start at a lower bound on the size of any satisfying set, computed from
  the counts and ECTS the rules need (so "30 of these 60" does not search sizes 1 to 29).

The engine decides every verdict. When it answers "unknown" (budget) for a superset, the
branch is not cut; when it does for a candidate set, the list cannot be exact and
:class:`CombinationBudgetError` is raised.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Iterator
from decimal import Decimal

from eumicro._model import MicroCredential
from eumicro.stacking._engine import Status, evaluate
from eumicro.stacking._rules import AllOf, AnyOf, AtLeast, Leaf, Node, Qualification, walk

__all__ = ["CombinationBudgetError", "combinations", "iter_combinations"]


class CombinationBudgetError(RuntimeError):
    """The engine's budget ran out on a set whose verdict the list depends on."""


def _fewest(values: list[Decimal], need: Decimal) -> int:
    """How many of ``values`` are needed at least to reach ``need`` (all of them + 1: never)."""
    if need <= 0:
        return 0
    got = Decimal(0)
    for k, value in enumerate(sorted(values, reverse=True), 1):
        got += value
        if got >= need:
            return k
    return len(values) + 1


def _lower_bound(pool: list[MicroCredential], qualification: Qualification, at: dt.datetime) -> int:
    """A size below which no set of ``pool`` satisfies the qualification.

    A leaf needs its count, and as many credentials as its largest eligible ECTS need to
    reach its ECTS. Below an inner node, children whose leaves are all exclusive use
    disjoint credentials (their bounds add up over the cheapest children that must hold);
    otherwise only the largest of those bounds is sure. The total ECTS gives another bound.
    """
    ects = [c.specification.ects or Decimal(0) for c in pool]

    def exclusive(node: Node) -> bool:
        return not any(n.shared for _path, n in walk(node))

    def bound(node: Node, shared: bool) -> int:
        shared = shared or node.shared  # sharing is inherited by every node below
        if isinstance(node, Leaf):
            eligible = [e for c, e in zip(pool, ects, strict=True) if node.eligible(c, at=at)]
            return max(node.need_count, _fewest(eligible, node.need_ects))
        assert isinstance(node, AllOf | AnyOf | AtLeast)
        cheapest = sorted(bound(child, shared) for child in node.children)[: node.required]
        if not cheapest:
            return 0
        if not shared and all(exclusive(child) for child in node.children):
            return sum(cheapest)
        return cheapest[-1]

    total = _fewest(ects, qualification.min_total_ects or Decimal(0))
    return max(bound(qualification.rule, False), total)


def iter_combinations(
    credentials: Iterable[MicroCredential],
    qualification: Qualification,
    *,
    at: dt.datetime,
    max_nodes: int = 1_000_000,
) -> Iterator[frozenset[str]]:
    """The minimal sets of ``credentials`` (as ids) that satisfy ``qualification``.

    In order of size, then of sorted ids; generated lazily.

    Args:
        credentials: the learner's credentials (distinct ids).
        qualification: the qualification.
        at: evaluation date (timezone-aware), as for :func:`evaluate`.
        max_nodes: the budget of each call to :func:`evaluate`.

    Raises:
        ValidationError: a bad date or credentials (when the first set is asked for).
        CombinationBudgetError: the engine could not decide a set that matters.
    """
    held = tuple(credentials)
    everything = evaluate(held, qualification, at=at, max_nodes=max_nodes)  # validates
    if everything.status is Status.NOT_SATISFIED:
        return
    leaves = [n for _path, n in walk(qualification.rule) if isinstance(n, Leaf)]
    pool = sorted(
        (c for c in held if any(leaf.eligible(c, at=at) for leaf in leaves)),
        key=lambda c: c.id,
    )
    n = len(pool)
    found: list[int] = []  # minimal sets as bit masks over the pool
    cache: dict[tuple[int, int], bool] = {}  # (chosen mask, first free index) -> may satisfy

    def satisfied(mask: int) -> Status:
        chosen = [pool[i] for i in range(n) if mask >> i & 1]
        return evaluate(chosen, qualification, at=at, max_nodes=max_nodes).status

    def may_satisfy(mask: int, start: int) -> bool:
        """Whether the chosen credentials plus every one from ``start`` on may satisfy."""
        key = (mask, start)
        if key not in cache:
            rest = ((1 << n) - 1) >> start << start
            cache[key] = satisfied(mask | rest) is not Status.NOT_SATISFIED
        return cache[key]

    def contains_found(mask: int) -> bool:
        return any(f & mask == f for f in found)

    def level(size: int, mask: int, start: int, chosen: int) -> Iterator[int]:
        if chosen == size:
            status = satisfied(mask)
            if status is Status.UNKNOWN:
                raise CombinationBudgetError(
                    "the engine's budget ran out on "
                    + ", ".join(pool[i].id for i in range(n) if mask >> i & 1)
                )
            if status is Status.SATISFIED:
                yield mask
            return
        for i in range(start, n - (size - chosen) + 1):
            bigger = mask | 1 << i
            if contains_found(bigger) or not may_satisfy(bigger, i + 1):
                continue
            yield from level(size, bigger, i + 1, chosen + 1)

    for size in itertools.count(_lower_bound(pool, qualification, at)):
        if size > n:
            return
        level_found: list[int] = []
        for mask in level(size, 0, 0, 0):
            level_found.append(mask)
            yield frozenset(pool[i].id for i in range(n) if mask >> i & 1)
        found.extend(level_found)
        if size == 0 and level_found:
            return  # the empty set satisfies: it is the only minimal set


def combinations(
    credentials: Iterable[MicroCredential],
    qualification: Qualification,
    *,
    at: dt.datetime,
    limit: int = 10,
    offset: int = 0,
    max_nodes: int = 1_000_000,
) -> list[frozenset[str]]:
    """One page of the minimal sets of ``credentials`` that satisfy ``qualification``.

    The sets are the ids of the credentials, in order of size, then of sorted ids: the
    page is items ``offset`` to ``offset + limit`` of :func:`iter_combinations`, and the
    search stops once they are found.

    Raises:
        ValueError: a negative ``limit`` or ``offset``.
        ValidationError: a bad date or credentials.
        CombinationBudgetError: the engine could not decide a set that matters.
    """
    if limit < 0 or offset < 0:
        raise ValueError("limit and offset must not be negative")
    if limit == 0:
        return []
    sets = iter_combinations(credentials, qualification, at=at, max_nodes=max_nodes)
    return list(itertools.islice(sets, offset, offset + limit))

"""The cheapest-completion problem as a small integer program over credential profiles.

Credentials (held or offered) that the rules cannot tell apart — the same eligible leaves,
the same ECTS, the same caps and the same coverage items — form a *profile*. Within a
profile only the number taken matters, and the cheapest offers are taken first (held
credentials cost 0), so the problem is an integer program over:

* ``z``: per profile, the held credentials counted (one integer variable) and each offer
  kept (a binary variable), in cost order;
* ``y``: per profile with several options, how many of its counted credentials go to each
  non-shared leaf, and how many count in the shared leaves only;
* ``u``: per rule node, whether it is satisfied (the root must be);
* ``w``: per coverage constraint, per item some profile covers, whether it is covered.

Rows: per multi-option profile, assigned ≤ taken; per leaf, its count and ECTS needs
(when satisfied); per inner node, enough satisfied children; the minimum total; the caps;
per coverage item, w ≤ the counted credentials (held or offered) covering it; per
coverage constraint, the sum of its w at least its need. Every coefficient is an integer (ECTS in hundredths, costs scaled to integers), so a
solution is checked exactly.

Exact reductions, before the model is built:

* offers that no leaf accepts (or issued after the evaluation date) never count and are
  dropped;
* in a *minimal* completion (no offer can be left out) every offer is needed by some
  leaf it counts in or by the minimum total, or it is the one counted credential of its
  profile covering some coverage item (two of one profile cover the same items), which
  bounds how many offers of one profile it can hold; only that many of the cheapest of
  each profile are kept (a cap bounds it too, as every offer of a minimal completion
  counts).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

import attrs

from eumicro._model import MicroCredential
from eumicro.stacking._rules import AllOf, AnyOf, AtLeast, Leaf, Node, Qualification

SCALE = 100  # ECTS in hundredths, as the engine counts them

# eligible leaves, ECTS, capped, and per coverage constraint the items covered (indexes)
_Profile = tuple[tuple[int, ...], int, tuple[bool, ...], tuple[tuple[int, ...], ...]]


def hundredths(value: Decimal | None) -> int:
    return 0 if value is None else int(value * SCALE)


@attrs.frozen
class Tree:
    """A rule node: a leaf index, or an inner node with its children."""

    required: int
    children: tuple[int | Tree, ...]


@attrs.define
class Instance:
    """A completion problem over profiles (held credentials and kept offers)."""

    leaf_shared: list[bool]
    need_count: list[int]
    need_ects: list[int]
    tree: int | Tree
    cap_max: list[int]
    min_total: int
    cover_items: list[int]  # per coverage constraint, how many items it lists
    cover_need: list[int]  # per coverage constraint, how many must be covered
    profiles: list[_Profile]
    held: list[int]  # per profile, how many held credentials
    offers: list[list[int]]  # per profile, offer indexes (into the caller's list), by cost
    costs: list[int]  # per offer index: scaled cost (only kept offers are read)

    def count_only_all_of(self) -> bool:
        """Whether the rules are a conjunction of count needs, with nothing global."""

        def all_of(t: int | Tree) -> bool:
            return isinstance(t, int) or (
                t.required == len(t.children) and all(all_of(c) for c in t.children)
            )

        return (
            all_of(self.tree)
            and not any(self.need_ects)
            and not any(self.leaf_shared)
            and not self.cap_max
            and self.min_total <= 0
            and not self.cover_need
        )


def _compile(node: Node, leaves: list[tuple[Leaf, bool]], shared: bool = False) -> int | Tree:
    shared = shared or node.shared
    if isinstance(node, Leaf):
        leaves.append((node, shared))
        return len(leaves) - 1
    assert isinstance(node, AllOf | AnyOf | AtLeast)
    return Tree(node.required, tuple(_compile(c, leaves, shared) for c in node.children))


def scale_costs(costs: Sequence[Decimal]) -> list[int]:
    """Costs as integers, all multiplied by one power of ten."""
    exponent = 0
    for cost in costs:
        exp = cost.normalize().as_tuple().exponent
        assert isinstance(exp, int)  # finite, checked by the caller
        exponent = min(exponent, exp)
    factor = Decimal(10) ** -exponent
    return [int(cost * factor) for cost in costs]


def _ceil_div(a: int, b: int) -> int:
    return -(-a // b)


def build(
    held: Sequence[MicroCredential],
    offers: Sequence[MicroCredential],
    costs: Sequence[Decimal],
    qualification: Qualification,
    at: dt.datetime,
) -> Instance:
    """The instance, with the exact reductions applied."""
    leaves: list[tuple[Leaf, bool]] = []
    tree = _compile(qualification.rule, leaves)
    caps = qualification.caps
    coverage = qualification.coverage

    def covered(c: MicroCredential) -> tuple[tuple[int, ...], ...]:
        out = []
        for cov in coverage:
            items = cov.covered_by(c.specification)
            out.append(tuple(i for i, item in enumerate(cov.items) if item in items))
        return tuple(out)

    def profile(c: MicroCredential) -> _Profile:
        # As in the engine, a credential issued after ``at`` did not exist then: it
        # counts nowhere.
        current = c.issued is None or c.issued <= at
        return (
            tuple(i for i, (leaf, _s) in enumerate(leaves) if current and leaf.eligible(c, at=at)),
            hundredths(c.specification.ects),
            tuple(cap.filter.matches(c, at=at) for cap in caps),
            covered(c),
        )

    need_count = [leaf.need_count for leaf, _s in leaves]
    need_ects = [hundredths(leaf.need_ects) for leaf, _s in leaves]
    cap_max = [hundredths(cap.max_ects) for cap in caps]
    min_total = hundredths(qualification.min_total_ects)
    index: dict[_Profile, int] = {}
    profiles: list[_Profile] = []
    held_count: list[int] = []
    offered: list[list[int]] = []

    def slot(p: _Profile) -> int:
        if p not in index:
            index[p] = len(profiles)
            profiles.append(p)
            held_count.append(0)
            offered.append([])
        return index[p]

    for c in held:
        p = profile(c)
        if p[0]:
            held_count[slot(p)] += 1
    scaled = scale_costs(costs)
    for i, c in enumerate(offers):
        p = profile(c)
        if p[0]:  # offers no leaf accepts never count
            offered[slot(p)].append(i)
    for k, (eligible, ects, capped, covers) in enumerate(profiles):
        # A minimal completion with more offers of this profile than ``useful`` could
        # leave one out: every leaf and the total would still hold, and so would every
        # coverage item, as another credential of the profile covers the same items.
        useful = 0
        for li in eligible:
            if ects > 0:
                useful += max(need_count[li], _ceil_div(need_ects[li], ects))
            else:
                useful += need_count[li]
        if ects > 0:
            useful += _ceil_div(max(min_total, 0), ects)
        if any(covers):
            useful = max(useful, 1)  # one offer may be needed for the items it covers
        if ects > 0:
            for j, inside in enumerate(capped):
                if inside:
                    useful = min(useful, cap_max[j] // ects)
        ranked = sorted(offered[k], key=lambda i: (scaled[i], offers[i].id))
        offered[k] = ranked[:useful]
    return Instance(
        leaf_shared=[s for _leaf, s in leaves],
        need_count=need_count,
        need_ects=need_ects,
        tree=tree,
        cap_max=cap_max,
        min_total=min_total,
        cover_items=[len(cov.items) for cov in coverage],
        cover_need=[cov.need for cov in coverage],
        profiles=profiles,
        held=held_count,
        offers=offered,
        costs=scaled,
    )


# ----------------------------------------------------------------------------- the model

LE, GE = "<=", ">="


@attrs.define
class Model:
    """min cost·x subject to rows, lower ≤ x ≤ upper, x integer; all data integers.

    Each row is (coefficients by variable, sense, right-hand side).
    """

    cost: list[int] = attrs.Factory(list)
    lower: list[int] = attrs.Factory(list)
    upper: list[int] = attrs.Factory(list)
    rows: list[tuple[dict[int, int], str, int]] = attrs.Factory(list)
    # per profile: its z variables in cost order (the held one first, if any), and for
    # each an offer index (None for the held credentials)
    z: list[list[tuple[int, int | None]]] = attrs.Factory(list)
    # per profile: its y variables (or the z variables themselves for one option)
    counted: list[list[tuple[int, int | None]]] = attrs.Factory(list)  # (var, leaf or None)

    def var(self, cost: int, lower: int, upper: int) -> int:
        self.cost.append(cost)
        self.lower.append(lower)
        self.upper.append(upper)
        return len(self.cost) - 1

    def holds(self, x: Sequence[int]) -> bool:
        """Exact feasibility of an integer point."""
        if any(not lo <= v <= hi for v, lo, hi in zip(x, self.lower, self.upper, strict=True)):
            return False
        for coefs, sense, rhs in self.rows:
            value = sum(a * x[j] for j, a in coefs.items())
            if (sense == LE and value > rhs) or (sense == GE and value < rhs):
                return False
        return True

    def objective(self, x: Sequence[int]) -> int:
        return sum(c * v for c, v in zip(self.cost, x, strict=True))


def model(inst: Instance) -> Model:
    """The integer program of an instance."""
    m = Model()
    n_leaves = len(inst.need_count)
    # Per leaf, the total and each cap: (variable, ECTS) of the credentials counted there.
    leaf_terms: list[list[tuple[int, int]]] = [[] for _ in range(n_leaves)]  # (var, ects)
    total_terms: list[tuple[int, int]] = []
    cap_terms: list[list[tuple[int, int]]] = [[] for _ in inst.cap_max]
    # Per coverage constraint and item: the variables counting credentials that cover it.
    cover_terms: list[list[list[int]]] = [[[] for _ in range(n)] for n in inst.cover_items]
    for k, (eligible, ects, capped, covers) in enumerate(inst.profiles):
        zs: list[tuple[int, int | None]] = []
        if inst.held[k]:
            zs.append((m.var(0, 0, inst.held[k]), None))
        for i in inst.offers[k]:
            zs.append((m.var(inst.costs[i], 0, 1), i))
        m.z.append(zs)
        exclusive = [li for li in eligible if not inst.leaf_shared[li]]
        sharing = [li for li in eligible if inst.leaf_shared[li]]
        options: list[int | None] = list(exclusive)
        if sharing:
            options.append(None)
        if len(options) == 1:
            # Everything taken counts, in the one option (taking more would be useless).
            counted = [(v, options[0]) for v, _i in zs]
        else:
            size = inst.held[k] + len(inst.offers[k])
            counted = [(m.var(0, 0, size), opt) for opt in options]
            row = {v: 1 for v, _o in counted}
            for v, _i in zs:
                row[v] = -1
            m.rows.append((row, LE, 0))
        m.counted.append(counted)
        for v, opt in counted:
            if opt is not None:
                leaf_terms[opt].append((v, ects))
            for li in sharing:
                leaf_terms[li].append((v, ects))
            total_terms.append((v, ects))
            for j, inside in enumerate(capped):
                if inside:
                    cap_terms[j].append((v, ects))
            for j, items in enumerate(covers):
                for item in items:
                    cover_terms[j][item].append(v)

    def node(t: int | Tree, root: bool) -> int:
        u = m.var(0, 1 if root else 0, 1)
        if isinstance(t, int):
            if inst.need_count[t]:
                row = _sum(leaf_terms[t], count=True)
                row[u] = row.get(u, 0) - inst.need_count[t]
                m.rows.append((row, GE, 0))
            if inst.need_ects[t]:
                row = _sum(leaf_terms[t], count=False)
                row[u] = row.get(u, 0) - inst.need_ects[t]
                m.rows.append((row, GE, 0))
            return u
        kids = [node(c, False) for c in t.children]
        row = dict.fromkeys(kids, 1)
        row[u] = -t.required
        m.rows.append((row, GE, 0))
        return u

    node(inst.tree, True)
    if inst.min_total > 0:
        m.rows.append((_sum(total_terms, count=False), GE, inst.min_total))
    for j, cap in enumerate(inst.cap_max):
        if cap_terms[j]:
            m.rows.append((_sum(cap_terms[j], count=False), LE, cap))
    for j, need in enumerate(inst.cover_need):
        # w ≤ Σ counted credentials covering the item; Σ w ≥ need (items nothing
        # covers get no variable: they stay uncovered).
        enough: dict[int, int] = {}
        for terms in cover_terms[j]:
            if terms:
                w = m.var(0, 0, 1)
                row = dict.fromkeys(terms, 1)
                row[w] = -1
                m.rows.append((row, GE, 0))
                enough[w] = 1
        m.rows.append((enough, GE, need))
    return m


def _sum(terms: list[tuple[int, int]], *, count: bool) -> dict[int, int]:
    row: dict[int, int] = {}
    for v, ects in terms:
        add = 1 if count else ects
        if add:
            row[v] = row.get(v, 0) + add
    return row


def chosen_offers(m: Model, inst: Instance, x: Sequence[int]) -> list[int]:
    """The offers a solution takes, leaving out those it takes but does not count."""
    out: list[int] = []
    for k, zs in enumerate(m.z):
        taken = [i for v, i in zs if i is not None and x[v] >= 1]
        counted = sum(x[v] for v, _o in m.counted[k])
        needed = max(0, counted - inst.held[k])  # held credentials first: they are free
        out.extend(sorted(taken, key=lambda i: inst.costs[i])[:needed])
    return out

"""The stacking engine: does a set of credentials satisfy a qualification?

:func:`evaluate` is exact. When the rules are satisfiable with the credentials given,
it returns a satisfying assignment (which credential counted for which leaf); when it
says "not satisfied", that is proven. Within the budget it never guesses: a search that
runs out of budget reports :attr:`Status.UNKNOWN`.

Algorithms:

* Every per-credential condition (filters, dates, validity at ``at``) is evaluated
  first; it only shrinks the set of credentials eligible for each leaf.
* When the tree reduces to "all of" count-only leaves, with no caps, the question is a
  bipartite b-matching (each non-shared leaf has ``need`` slots, each credential fills
  at most one): it is decided exactly by augmenting paths in polynomial time, and a
  maximum matching is the best partial assignment.
* Otherwise (ECTS sums are indivisible, "any of"/"at least" choose competing subtrees,
  caps and totals constrain the counted set), a complete depth-first branch and bound
  decides, over the credentials, which non-shared leaf (if any) each one counts for and
  whether it counts at all. Shared leaves take every counted credential they accept.
  A branch is cut only when it provably cannot succeed: a cap already exceeded, the
  total ECTS out of reach, or the tree unsatisfiable even if every undecided credential
  could count everywhere at once.
"""

from __future__ import annotations

import collections
import datetime as dt
import enum
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal

import attrs

from eumicro._errors import Problem, ValidationError
from eumicro._model import MicroCredential
from eumicro.stacking._rules import (
    AllOf,
    AnyOf,
    AtLeast,
    Coverage,
    Leaf,
    Named,
    Node,
    Qualification,
    Select,
)

__all__ = ["CapResult", "CoverageResult", "Evaluation", "NodeResult", "Status", "evaluate"]

_SCALE = 100  # ECTS have at most two decimals: work in hundredths, as integers


class Status(enum.Enum):
    """Status of a qualification or of one of its rule nodes."""

    SATISFIED = "satisfied"
    NOT_SATISFIED = "not satisfied"
    UNKNOWN = "unknown"


@attrs.frozen(kw_only=True)
class NodeResult:
    """The result for one rule node, under the assignment reported.

    For a leaf, counts are credentials; for an inner node, ``got_count`` is the number of
    satisfied children and ``need_count`` the number required, and the ECTS figures are
    sums over the distinct credentials used below it (``need_ects`` is 0).

    Attributes:
        path: child indexes from the root.
        node: the rule node.
        status: satisfied or not, under the reported assignment.
        used: ids of the credentials counted here (below an inner node: all of them).
        got_count, need_count, got_ects, need_ects: what is there and what is needed.
        missing_count, missing_ects: what is still needed (0 when there is enough).
        eligible_unused: ids of credentials this leaf accepts that count nowhere.
        children: results of the children.
    """

    path: tuple[int, ...]
    node: Node
    status: Status
    used: tuple[str, ...]
    got_count: int
    need_count: int
    got_ects: Decimal
    need_ects: Decimal
    missing_count: int
    missing_ects: Decimal
    eligible_unused: tuple[str, ...] = ()
    children: tuple[NodeResult, ...] = ()

    @property
    def label(self) -> str:
        """The node's id, or its path."""
        if self.node.id is not None:
            return self.node.id
        return "rule" + "".join(f".{i}" for i in self.path)


@attrs.frozen(kw_only=True)
class CapResult:
    """ECTS counted in a capped group, against its cap."""

    index: int
    id: str | None
    used_ects: Decimal
    max_ects: Decimal

    @property
    def ok(self) -> bool:
        """Whether the cap holds."""
        return self.used_ects <= self.max_ects


@attrs.frozen(kw_only=True)
class CoverageResult:
    """Items of a coverage constraint covered by the counted credentials."""

    index: int
    id: str | None
    covered: tuple[str, ...]
    missing: tuple[str, ...]
    need: int

    @property
    def ok(self) -> bool:
        """Whether enough items are covered."""
        return len(self.covered) >= self.need


@attrs.frozen(kw_only=True)
class Evaluation:
    """The result of :func:`evaluate`.

    Attributes:
        qualification: the qualification evaluated.
        at: the evaluation date.
        status: satisfied, not satisfied (proven) or unknown (budget exhausted).
        assignment: credential id → paths of the leaves it counts for. When satisfied,
            it proves it; otherwise it is a partial assignment (a maximum matching for
            count-only rules; the best the search saw otherwise).
        root: per-node results under that assignment.
        total_ects: ECTS of all credentials that count.
        caps: every cap, under that assignment.
        algorithm: ``"matching"``, ``"greedy"`` (a greedy assignment, checked, satisfied
            the rules) or ``"branch-and-bound"``; in a :class:`StackReport`, ``"bound"``
            for a qualification the optimistic bound proved out of reach.
        explored: search nodes explored (0 for matching).
        not_yet_issued: ids of the credentials issued after ``at``, which count nowhere.
        coverage: every coverage constraint, under that assignment.
    """

    qualification: Qualification
    at: dt.datetime
    status: Status
    assignment: dict[str, tuple[tuple[int, ...], ...]]
    root: NodeResult
    total_ects: Decimal
    caps: tuple[CapResult, ...]
    algorithm: str
    explored: int
    not_yet_issued: tuple[str, ...] = ()
    coverage: tuple[CoverageResult, ...] = ()

    @property
    def satisfied(self) -> bool | None:
        """True, False (proven) or None (unknown)."""
        if self.status is Status.UNKNOWN:
            return None
        return self.status is Status.SATISFIED

    def explain(self) -> str:
        """The result as readable text."""
        q = self.qualification
        lines = [
            f"{q.title} ({q.id}) at {self.at.isoformat()}: {self.status.value}"
            f" [{self.algorithm}, {self.explored} nodes explored]"
        ]
        if self.status is Status.UNKNOWN:
            lines.append("  the search budget ran out before a proof was found")
        elif self.status is Status.NOT_SATISFIED:
            lines.append("  no assignment of the credentials satisfies the rules; a best try:")
        _explain_node(self.root, 1, lines)
        if self.not_yet_issued:
            lines.append(
                "  issued after the evaluation date, not counted: " + ", ".join(self.not_yet_issued)
            )
        if q.min_total_ects is not None:
            mark = "✓" if self.total_ects >= q.min_total_ects else "✗"
            lines.append(f"  [{mark}] total ECTS {_num(self.total_ects)}/{_num(q.min_total_ects)}")
        for cov in self.coverage:
            mark = "✓" if cov.ok else "✗"
            name = cov.id or f"coverage {cov.index}"
            text = f"  [{mark}] {name}: {len(cov.covered)}/{cov.need} items covered"
            if cov.missing and not cov.ok:
                text += "; not covered " + ", ".join(cov.missing)
            lines.append(text)
        for cap in self.caps:
            mark = "✓" if cap.ok else "✗"
            name = cap.id or f"cap {cap.index}"
            lines.append(
                f"  [{mark}] {name}: {_num(cap.used_ects)} ECTS counted, at most {_num(cap.max_ects)}"
            )
        return "\n".join(lines)


def _num(value: Decimal) -> str:
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _explain_node(result: NodeResult, depth: int, lines: list[str]) -> None:
    node = result.node
    mark = "✓" if result.status is Status.SATISFIED else "✗"
    pad = "  " * depth
    if isinstance(node, Named):
        what = f"credential {node.specification_id}"
        if node.equivalents:
            what += " (or " + ", ".join(node.equivalents) + ")"
    elif isinstance(node, Select):
        needs = []
        if node.min_count:
            needs.append(f"{result.got_count}/{node.min_count} credentials")
        if node.min_ects:
            needs.append(f"{_num(result.got_ects)}/{_num(node.min_ects)} ECTS")
        what = "selection: " + ", ".join(needs)
    else:
        if isinstance(node, AllOf):
            kind = "all of"
        elif isinstance(node, AnyOf):
            kind = "any of"
        else:
            kind = f"at least {result.need_count} of"
        what = f"{kind} ({result.got_count}/{result.need_count} satisfied)"
    line = f"{pad}[{mark}] {result.label}: {what}"
    if isinstance(node, Leaf):
        if result.used:
            line += "; used " + ", ".join(result.used)
        missing = []
        if result.missing_count:
            missing.append(f"{result.missing_count} credential(s)")
        if result.missing_ects:
            missing.append(f"{_num(result.missing_ects)} ECTS")
        if missing:
            line += "; missing " + " and ".join(missing)
        if result.eligible_unused:
            line += "; eligible but unused " + ", ".join(result.eligible_unused)
    lines.append(line)
    for child in result.children:
        _explain_node(child, depth + 1, lines)


# ----------------------------------------------------------------------------- compiled form


@attrs.frozen
class _Inner:
    required: int
    children: tuple[int | _Inner, ...]  # an int is a leaf index


def _compile(
    node: Node,
    leaves: list[tuple[tuple[int, ...], Leaf, bool]],
    path: tuple[int, ...] = (),
    shared: bool = False,
) -> int | _Inner:
    """The tree with leaves numbered; ``leaves`` collects (path, leaf, shared).

    (Recursive helpers here are module functions, not closures: a closure that calls
    itself is a reference cycle, and the engine leaves none behind.)
    """
    shared = shared or node.shared
    if isinstance(node, Leaf):
        leaves.append((path, node, shared))
        return len(leaves) - 1
    assert isinstance(node, AllOf | AnyOf | AtLeast)
    return _Inner(
        node.required,
        tuple(_compile(c, leaves, (*path, i), shared) for i, c in enumerate(node.children)),
    )


def _holds(tree: int | _Inner, leaf_ok: Sequence[bool]) -> bool:
    if isinstance(tree, int):
        return leaf_ok[tree]
    need = tree.required
    left = len(tree.children)
    for child in tree.children:
        if _holds(child, leaf_ok):
            need -= 1
            if need <= 0:
                return True
        left -= 1
        if left < need:
            return False
    return need <= 0


def _forced(tree: int | _Inner) -> list[int]:
    """The leaves every satisfying assignment meets: those under "all of" nodes only."""
    if isinstance(tree, int):
        return [tree]
    if tree.required < len(tree.children):
        return []
    return [li for child in tree.children for li in _forced(child)]


def _all_of(tree: int | _Inner) -> bool:
    """Whether the tree is a conjunction of its leaves."""
    if isinstance(tree, int):
        return True
    return tree.required == len(tree.children) and all(_all_of(c) for c in tree.children)


@attrs.define
class _Problem:
    """A qualification compiled against one set of credentials."""

    ids: list[str]
    ects: list[int]  # hundredths
    leaves: list[tuple[tuple[int, ...], Leaf, bool]]
    tree: int | _Inner
    eligible: list[list[int]]  # per credential: leaf indexes it may count for
    need_count: list[int]
    need_ects: list[int]
    capped: list[list[bool]]  # per cap, per credential
    cap_max: list[int]
    min_total: int
    not_yet_issued: list[str] = attrs.Factory(list)
    # Per coverage constraint: how many items it needs, and per credential the items it
    # covers (a bit mask over the constraint's items).
    cover_need: list[int] = attrs.Factory(list)
    covers: list[list[int]] = attrs.Factory(list)

    def covered(self, counted: Sequence[bool]) -> list[int]:
        """Per coverage constraint, the items the counted credentials cover (bit mask)."""
        out = []
        for masks in self.covers:
            got = 0
            for c, m in enumerate(masks):
                if counted[c]:
                    got |= m
            out.append(got)
        return out

    def leaf_ok(self, count: Sequence[int], ects: Sequence[int]) -> list[bool]:
        return [
            count[i] >= self.need_count[i] and ects[i] >= self.need_ects[i]
            for i in range(len(self.leaves))
        ]


# ----------------------------------------------------------------------------- matching


def _matching(p: _Problem) -> tuple[bool, list[int | None]]:
    """Maximum b-matching of credentials to non-shared leaves (slots = need)."""
    n = len(p.ids)
    slots_of: list[list[int]] = [[] for _ in p.leaves]
    slot_leaf: list[int] = []
    for li, (_path, _leaf, shared) in enumerate(p.leaves):
        if not shared:
            for _ in range(p.need_count[li]):
                slots_of[li].append(len(slot_leaf))
                slot_leaf.append(li)
    owner: list[int | None] = [None] * len(slot_leaf)

    def augment(root: int) -> bool:
        # Breadth-first search for an augmenting path (iterative: no recursion limit).
        reached_from: dict[int, int] = {}  # slot -> credential that reached it
        via: dict[int, int] = {}  # credential -> the slot it holds, through which it was reached
        queue = collections.deque([root])
        seen = {root}
        while queue:
            c = queue.popleft()
            for li in p.eligible[c]:
                for s in slots_of[li]:
                    if s in reached_from:
                        continue
                    reached_from[s] = c
                    other = owner[s]
                    if other is None:
                        while True:  # shift every credential on the path by one slot
                            holder = reached_from[s]
                            owner[s] = holder
                            if holder == root:
                                return True
                            s = via[holder]
                    if other not in seen:
                        seen.add(other)
                        via[other] = s
                        queue.append(other)
        return False

    free = len(slot_leaf)
    for c in range(n):
        if free == 0:
            break
        if p.eligible[c] and augment(c):
            free -= 1
    choice: list[int | None] = [None] * n
    for s, holder in enumerate(owner):
        if holder is not None:
            choice[holder] = slot_leaf[s]
    return all(c is not None for c in owner), choice


# ----------------------------------------------------------------------------- search


class _BudgetExhaustedError(Exception):
    pass


def _search(
    p: _Problem, max_nodes: int, deadline: float | None
) -> tuple[Status, list[int | None], list[bool], int]:
    """Complete depth-first search with memoised dead ends.

    Returns the status, per credential the non-shared leaf it counts for (or None),
    per credential whether it counts at all, and the nodes explored.

    Exactness rests on three facts. (1) Every constraint but the caps asks for "at
    least": a credential no cap covers is never worse counted than not, so "does not
    count" is tried only for capped credentials. (2) What is left to decide depends only
    on the *state*: per leaf the count and ECTS got so far, each cut at the leaf's need,
    the ECTS used under each cap, and the total cut at the minimum. Options that lead to
    the same state (e.g. two leaves already met) are tried once, and a state known to be
    a dead end at a given depth is not searched again. (3) Interchangeable credentials
    (same leaves, ECTS, caps and items covered) are next to each other in the order; among them the
    option index never decreases, which skips permuted duplicates (the state key carries
    that lower index, so a dead end is only reused under the same restriction).
    """
    n_leaves = len(p.leaves)
    shared = [s for _path, _leaf, s in p.leaves]
    n_caps = len(p.cap_max)
    need_count = p.need_count
    need_ects = p.need_ects

    def kind(c: int) -> tuple[int, tuple[int, ...], int, tuple[bool, ...], tuple[int, ...]]:
        return (
            len(p.eligible[c]),
            tuple(p.eligible[c]),
            p.ects[c],
            tuple(p.capped[j][c] for j in range(n_caps)),
            tuple(masks[c] for masks in p.covers),
        )

    # Credentials that no leaf accepts never count; the others, most constrained first.
    order = sorted((c for c in range(len(p.ids)) if p.eligible[c]), key=kind)
    same = [k > 0 and kind(order[k]) == kind(order[k - 1]) for k in range(len(order))]
    picked = [0] * len(order)
    rem_count = [0] * n_leaves
    rem_ects = [0] * n_leaves
    for c in order:
        for li in p.eligible[c]:
            rem_count[li] += 1
            rem_ects[li] += p.ects[c]
    asg_count = [0] * n_leaves
    asg_ects = [0] * n_leaves
    cap_used = [0] * len(p.cap_max)
    total = [0, sum(p.ects[c] for c in order)]  # counted, still undecided
    choice: list[int | None] = [None] * len(p.ids)
    counted = [False] * len(p.ids)
    dead: set[tuple[object, ...]] = set()
    explored = 0
    leaf_range = range(n_leaves)

    n_cover = len(p.cover_need)
    covered = [0] * n_cover  # items covered by the credentials counted so far
    # Items the credentials from position k of the order on could still cover.
    reach = [[0] * (len(order) + 1) for _ in range(n_cover)]
    for j in range(n_cover):
        for k in range(len(order) - 1, -1, -1):
            reach[j][k] = reach[j][k + 1] | p.covers[j][order[k]]

    def covered_enough(j: int, mask: int) -> bool:
        return mask.bit_count() >= p.cover_need[j]

    def done() -> bool:
        return (
            total[0] >= p.min_total
            and all(covered_enough(j, covered[j]) for j in range(n_cover))
            and _holds(p.tree, p.leaf_ok(asg_count, asg_ects))
        )

    def hopeless(k: int) -> bool:
        if total[0] + total[1] < p.min_total:
            return True
        if any(not covered_enough(j, covered[j] | reach[j][k]) for j in range(n_cover)):
            return True
        optimistic = [
            asg_count[i] + rem_count[i] >= need_count[i]
            and asg_ects[i] + rem_ects[i] >= need_ects[i]
            for i in leaf_range
        ]
        return not _holds(p.tree, optimistic)

    # Leaves every satisfying assignment must meet (all their ancestors are "all of"),
    # each with a bit; per credential, the bits of those it may count for, the caps it
    # falls under, and per leaf its credentials from the largest down.
    forced = list(dict.fromkeys(li for li in _forced(p.tree) if not shared[li]))
    bit_of = {li: 1 << b for b, li in enumerate(forced)}
    forced_mask = [sum(bit_of.get(li, 0) for li in el) for el in p.eligible]
    caps_of = [[j for j in range(n_caps) if p.capped[j][c]] for c in range(len(p.ids))]
    position = {c: k for k, c in enumerate(order)}
    largest = [
        sorted((c for c in order if li in p.eligible[c]), key=lambda c: -p.ects[c]) for li in forced
    ]

    def joint_hopeless(k: int) -> bool:
        """Hall's condition over the forced leaves still unmet, and the total under caps.

        For every set X of those leaves, what X still needs (in ECTS, and in count) must
        not exceed what the undecided credentials eligible for some leaf of X can bring,
        capped credentials bringing no more than the room left under the caps (in ECTS,
        and in how many of the smallest fit in it). A leaf short of ECTS needs at least
        as many more credentials as it takes of the largest it accepts to cover it.
        """
        room = sum(p.cap_max[j] - cap_used[j] for j in range(n_caps))
        unmet = 0
        for b, li in enumerate(forced):
            if not met(li):
                unmet |= 1 << b
        # Undecided credentials that can still count, grouped by the unmet leaves they
        # may count for: mask -> [free ECTS, capped ECTS, free count, capped count].
        groups: dict[int, list[int]] = {}
        capped_sizes: list[int] = []
        free_total = capped_total = 0
        blocked: set[int] = set()
        for c in order[k:]:
            e = p.ects[c]
            if caps_of[c]:
                if any(cap_used[j] + e > p.cap_max[j] for j in caps_of[c]):
                    blocked.add(c)
                    continue
                capped_total += e
            else:
                free_total += e
            m = forced_mask[c] & unmet
            if m:
                g = groups.get(m)
                if g is None:
                    g = groups[m] = [0, 0, 0, 0]
                if caps_of[c]:
                    g[1] += e
                    g[3] += 1
                    capped_sizes.append(e)
                else:
                    g[0] += e
                    g[2] += 1
        if total[0] + free_total + min(capped_total, room) < p.min_total:
            return True
        if not unmet:
            return False
        fit = 0
        if capped_sizes:
            used = 0
            for e in sorted(capped_sizes):
                used += e
                if used > room:
                    break
                fit += 1
        need_e: dict[int, int] = {0: 0}
        need_c: dict[int, int] = {0: 0}
        for b, li in enumerate(forced):
            bit = 1 << b
            if not unmet & bit:
                continue
            short = need_ects[li] - asg_ects[li]
            need_e[bit] = max(0, short)
            fewest = 0
            if short > 0:
                for c in largest[b]:
                    if position[c] < k or c in blocked:
                        continue
                    fewest += 1
                    short -= p.ects[c]
                    if short <= 0:
                        break
                if short > 0:
                    return True
            need_c[bit] = max(need_count[li] - asg_count[li], fewest)
        # Hall's condition need only be checked on the sets of leaves X(G) whose every
        # credential lies in a union G of the groups above: any other set X needs no more
        # than X(N(X)) and has the same supply, N(X) being the groups touching X.
        masks = list(groups)
        values = list(groups.values())
        reached = []  # per unmet leaf: its bit, and the groups that touch it (bit mask)
        for b in range(len(forced)):
            bit = 1 << b
            if unmet & bit:
                touching = 0
                for index, m in enumerate(masks):
                    if m & bit:
                        touching |= 1 << index
                reached.append((bit, touching))
        n_groups = len(masks)
        free_e = [0] * (1 << n_groups)
        capped_e = [0] * (1 << n_groups)
        free_c = [0] * (1 << n_groups)
        capped_c = [0] * (1 << n_groups)
        for union in range(1, 1 << n_groups):
            low_bit = union & -union
            rest = union ^ low_bit
            fe, ce, fc, cc = values[low_bit.bit_length() - 1]
            free_e[union] = free_e[rest] + fe
            capped_e[union] = capped_e[rest] + ce
            free_c[union] = free_c[rest] + fc
            capped_c[union] = capped_c[rest] + cc
            want_e = want_c = 0
            for bit, touching in reached:
                if not touching & ~union:
                    want_e += need_e[bit]
                    want_c += need_c[bit]
            if want_e > free_e[union] + min(capped_e[union], room):
                return True
            if want_c > free_c[union] + min(capped_c[union], fit):
                return True
        return False

    def met(li: int) -> bool:
        return asg_count[li] >= need_count[li] and asg_ects[li] >= need_ects[li]

    def urgency(option: int | None) -> tuple[int, int]:
        # Visit first the leaf that misses most (the visiting order does not change which
        # options are tried, only how soon a satisfying assignment shows up).
        if option is None or met(option):
            return (1, 0)
        short_count = max(0, need_count[option] - asg_count[option])
        short_ects = max(0, need_ects[option] - asg_ects[option])
        return (0, -(short_ects + short_count * _SCALE * 5))

    def state(k: int, low: int) -> tuple[object, ...]:
        return (
            k,
            low,
            tuple(min(asg_count[i], need_count[i]) for i in leaf_range),
            tuple(min(asg_ects[i], need_ects[i]) for i in leaf_range),
            tuple(cap_used),
            min(total[0], p.min_total),
            tuple(-1 if covered_enough(j, m) else m for j, m in enumerate(covered)),
        )

    # The joint bound costs more than a node: the first dive (the visiting order makes it
    # a greedy assignment, which often succeeds) goes without it, below the root.
    diving = True

    recurse: list[Callable[[int], bool]] = []  # dfs, for its recursive calls

    def dfs(k: int) -> bool:
        nonlocal explored, diving
        explored += 1
        if explored > max_nodes or (
            deadline is not None and explored % 256 == 1 and time.monotonic() > deadline
        ):
            raise _BudgetExhaustedError
        if done():
            return True
        if k == len(order) or hopeless(k):
            return False
        low = picked[k - 1] if same[k] else 0
        key = state(k, low)
        if key in dead:
            return False
        if (k == 0 or not diving) and joint_hopeless(k):
            dead.add(key)
            return False
        c = order[k]
        e = p.ects[c]
        for li in p.eligible[c]:
            rem_count[li] -= 1
            rem_ects[li] -= e
        total[1] -= e
        sharing = [li for li in p.eligible[c] if shared[li]]
        options: list[int | None] = [li for li in p.eligible[c] if not shared[li]]
        if sharing:
            options.append(None)  # counts only in the shared leaves
        out = len(options)  # the index of "does not count"
        capped = [j for j in range(n_caps) if p.capped[j][c]]
        found = False
        sharing_met = all(met(li) for li in sharing)
        before = covered[:]
        adds_coverage = False
        for j in range(n_cover):
            if not covered_enough(j, covered[j]) and p.covers[j][c] & ~covered[j]:
                adds_coverage = True
        if low < out and all(cap_used[j] + e <= p.cap_max[j] for j in capped):
            for j in capped:
                cap_used[j] += e
            total[0] += e
            counted[c] = True
            for j in range(n_cover):
                covered[j] |= p.covers[j][c]
            for li in sharing:
                asg_count[li] += 1
                asg_ects[li] += e
            # Options leading to the same state are tried once; an option that changes no
            # non-shared leaf (met already, or none) is, for a capped credential once the
            # total is reached, its shared leaves met and its items covered or not
            # needed, no better than not counting.
            skip_idle = (
                bool(capped) and total[0] - e >= p.min_total and sharing_met and not adds_coverage
            )
            idle = False
            for index in sorted(range(low, out), key=lambda i: urgency(options[i])):
                option = options[index]
                if option is None or met(option):
                    if idle or skip_idle:
                        continue
                    idle = True
                if option is not None:
                    asg_count[option] += 1
                    asg_ects[option] += e
                choice[c] = option
                picked[k] = index
                found = recurse[0](k + 1)
                if found:
                    break
                if option is not None:
                    asg_count[option] -= 1
                    asg_ects[option] -= e
            if not found:
                choice[c] = None
                counted[c] = False
                for li in sharing:
                    asg_count[li] -= 1
                    asg_ects[li] -= e
                total[0] -= e
                for j in capped:
                    cap_used[j] -= e
                covered[:] = before
        if not found and (capped or low >= out):
            # Not counting only ever helps by leaving room under a cap.
            picked[k] = out
            found = recurse[0](k + 1)
        if not found:
            for li in p.eligible[c]:
                rem_count[li] += 1
                rem_ects[li] += e
            total[1] += e
            dead.add(key)
            diving = False
        return found

    recurse.append(dfs)
    # One Python frame per credential decided: make room for long transcripts.
    limit = sys.getrecursionlimit()
    if limit < len(order) + 200:
        sys.setrecursionlimit(len(order) + 200)
    try:
        ok = dfs(0)
    except _BudgetExhaustedError:
        return Status.UNKNOWN, [None] * len(p.ids), [False] * len(p.ids), explored
    finally:
        sys.setrecursionlimit(limit)
        recurse.clear()  # dfs reached itself through it: no cycle is left to collect
    if ok:
        return Status.SATISFIED, choice, counted, explored
    return Status.NOT_SATISFIED, choice, counted, explored


# ----------------------------------------------------------------------------- evaluate


def _hundredths(value: Decimal | None) -> int:
    return 0 if value is None else int(value * _SCALE)


def _check_inputs(credentials: Sequence[MicroCredential], at: dt.datetime) -> None:
    problems: list[Problem] = []
    if not isinstance(at, dt.datetime) or at.utcoffset() is None:
        problems.append(Problem(("at",), "expected a date and time with a timezone", "timezone"))
    seen: set[str] = set()
    for i, credential in enumerate(credentials):
        if not isinstance(credential, MicroCredential):
            problems.append(Problem(("credentials", i), "expected a MicroCredential", "type"))
        elif credential.id in seen:
            problems.append(
                Problem(
                    ("credentials", i), f"credential {credential.id} is given twice", "duplicate"
                )
            )
        else:
            seen.add(credential.id)
    if problems:
        raise ValidationError(problems, "evaluate")


def evaluate(
    credentials: Iterable[MicroCredential],
    qualification: Qualification,
    *,
    at: dt.datetime,
    max_nodes: int = 1_000_000,
    timeout: float | None = None,
) -> Evaluation:
    """Whether ``credentials`` satisfy ``qualification`` at the moment ``at``.

    Credentials issued after ``at`` did not exist at that moment: they count nowhere
    (the evaluation lists them in :attr:`Evaluation.not_yet_issued`).

    Args:
        credentials: the learner's credentials (distinct ids).
        qualification: the qualification and its rules.
        at: evaluation date (timezone-aware); recency and validity are relative to it.
        max_nodes: search budget in nodes; when it runs out, the status is UNKNOWN.
        timeout: optional budget in seconds, with the same effect.

    Raises:
        ValidationError: ``at`` is naive, or a credential is not one or is given twice.
    """
    creds = tuple(credentials)
    _check_inputs(creds, at)
    leaves: list[tuple[tuple[int, ...], Leaf, bool]] = []
    tree = _compile(qualification.rule, leaves)
    caps = qualification.caps
    current = [c.issued is None or c.issued <= at for c in creds]
    p = _Problem(
        ids=[c.id for c in creds],
        ects=[_hundredths(c.specification.ects) for c in creds],
        leaves=leaves,
        tree=tree,
        eligible=[
            [li for li, (_p, leaf, _s) in enumerate(leaves) if leaf.eligible(c, at=at)]
            if ok
            else []
            for c, ok in zip(creds, current, strict=True)
        ],
        need_count=[leaf.need_count for _p, leaf, _s in leaves],
        need_ects=[_hundredths(leaf.need_ects) for _p, leaf, _s in leaves],
        capped=[[cap.filter.matches(c, at=at) for c in creds] for cap in caps],
        cap_max=[_hundredths(cap.max_ects) for cap in caps],
        min_total=_hundredths(qualification.min_total_ects),
        not_yet_issued=[c.id for c, ok in zip(creds, current, strict=True) if not ok],
        cover_need=[cov.need for cov in qualification.coverage],
        covers=[_cover_masks(cov, creds) for cov in qualification.coverage],
    )
    return _decide(p, max_nodes, timeout).evaluation(p, qualification, at)


def _cover_masks(coverage: Coverage, credentials: Sequence[MicroCredential]) -> list[int]:
    """Per credential, the items of ``coverage`` it covers, as a bit mask."""
    bit = {item: 1 << i for i, item in enumerate(coverage.items)}
    out = []
    for credential in credentials:
        mask = 0
        for item in coverage.covered_by(credential.specification):
            mask |= bit[item]
        out.append(mask)
    return out


@attrs.frozen
class _Outcome:
    """What the engine decided on a compiled problem, before it is turned into results."""

    status: Status
    choice: list[int | None]
    counted: list[bool]
    algorithm: str
    explored: int

    def evaluation(self, p: _Problem, qualification: Qualification, at: dt.datetime) -> Evaluation:
        return _result(
            p,
            qualification,
            at,
            self.status,
            self.choice,
            self.counted,
            self.algorithm,
            self.explored,
        )


def _decide(p: _Problem, max_nodes: int, timeout: float | None) -> _Outcome:
    """Decide a compiled problem exactly (or UNKNOWN on budget), with its assignment."""
    tree = p.tree
    count_only = all(ne == 0 for ne in p.need_ects)
    if _all_of(tree) and count_only and not p.cap_max and not p.cover_need:
        ok, choice = _matching(p)
        # Shared leaves take every credential they accept; with no caps, every credential
        # some leaf accepts may also count as surplus, which gives the largest total.
        everything = sum(e for e, el in zip(p.ects, p.eligible, strict=True) if el)
        shared_ok = all(
            sum(1 for el in p.eligible if li in el) >= p.need_count[li]
            for li, (_path, _leaf, s) in enumerate(p.leaves)
            if s
        )
        satisfied = ok and shared_ok and everything >= p.min_total
        counted = _counted(p, choice)
        if satisfied and _total(p, counted) < p.min_total:
            for c, el in enumerate(p.eligible):
                if el and not counted[c]:
                    counted[c] = True
                    if choice[c] is None and not any(p.leaves[li][2] for li in el):
                        choice[c] = el[0]
        status = Status.SATISFIED if satisfied else Status.NOT_SATISFIED
        return _Outcome(status, choice, counted, "matching", 0)
    quick = _greedy(p)
    if quick is not None:
        return _Outcome(Status.SATISFIED, quick[0], quick[1], "greedy", 0)
    if _all_of(tree):
        # Every leaf is needed, so the count needs alone must be matchable: when they are
        # not, no assignment exists (a proof in polynomial time, whatever else the rules ask).
        ok, _choice = _matching(p)
        if not ok:
            choice = _partial(p)
            return _Outcome(Status.NOT_SATISFIED, choice, _counted(p, choice), "matching", 0)
    deadline = None if timeout is None else time.monotonic() + timeout
    status, choice, counted, explored = _search(p, max_nodes, deadline)
    if status is not Status.SATISFIED:
        choice = _partial(p)
        counted = _counted(p, choice)
    return _Outcome(status, choice, counted, "branch-and-bound", explored)


def _greedy(p: _Problem) -> tuple[list[int | None], list[bool]] | None:
    """One greedy assignment, returned only if it satisfies everything (checked here).

    Credentials with the fewest leaves first, larger ones first among them; each goes to
    the non-shared leaf it may count for that misses most, or counts as surplus when the
    total or a coverage still needs it; a capped credential is left out unless it is
    needed and fits. Whatever this misses, the complete search finds.
    """
    n_leaves = len(p.leaves)
    shared = [s for _path, _leaf, s in p.leaves]
    count = [0] * n_leaves
    ects = [0] * n_leaves
    cap_used = [0] * len(p.cap_max)
    covered = [0] * len(p.cover_need)
    total = 0
    choice: list[int | None] = [None] * len(p.ids)
    counted = [False] * len(p.ids)
    order = sorted(
        (c for c, el in enumerate(p.eligible) if el),
        key=lambda c: (len(p.eligible[c]), -p.ects[c]),
    )
    for c in order:
        el = p.eligible[c]
        e = p.ects[c]
        best: int | None = None
        most = 0
        for li in el:
            if shared[li]:
                continue
            short = max(0, p.need_count[li] - count[li]) * _SCALE * 5
            short += max(0, p.need_ects[li] - ects[li])
            if short > most:
                best, most = li, short
        capped = [j for j in range(len(p.cap_max)) if p.capped[j][c]]
        if capped:
            needed = (
                best is not None
                or total < p.min_total
                or any(
                    shared[li] and (count[li] < p.need_count[li] or ects[li] < p.need_ects[li])
                    for li in el
                )
                or any(
                    covered[j].bit_count() < p.cover_need[j] and masks[c] & ~covered[j]
                    for j, masks in enumerate(p.covers)
                )
            )
            if not needed or any(cap_used[j] + e > p.cap_max[j] for j in capped):
                continue
        if best is None:
            best = next((li for li in el if not shared[li]), None)
        choice[c] = best
        counted[c] = True
        total += e
        for j in capped:
            cap_used[j] += e
        for j, masks in enumerate(p.covers):
            covered[j] |= masks[c]
        for li in el:
            if li == best or shared[li]:
                count[li] += 1
                ects[li] += e
    if total < p.min_total:
        return None
    if any(got.bit_count() < need for got, need in zip(covered, p.cover_need, strict=True)):
        return None
    if not _holds(p.tree, p.leaf_ok(count, ects)):
        return None
    return choice, counted


def _partial(p: _Problem) -> list[int | None]:
    """A partial assignment to show what is there when no full one exists (or is known).

    A maximum matching for the count needs of the non-shared leaves, then every credential
    left over goes to the first non-shared leaf it may count for that still needs something.
    """
    _ok, choice = _matching(p)
    count = [0] * len(p.leaves)
    ects = [0] * len(p.leaves)
    for c, li in enumerate(choice):
        if li is not None:
            count[li] += 1
            ects[li] += p.ects[c]
    for c, el in enumerate(p.eligible):
        if choice[c] is not None:
            continue
        for li in el:
            if not p.leaves[li][2] and (count[li] < p.need_count[li] or ects[li] < p.need_ects[li]):
                choice[c] = li
                count[li] += 1
                ects[li] += p.ects[c]
                break
    return choice


def _counted(p: _Problem, choice: Sequence[int | None]) -> list[bool]:
    return [
        ch is not None or any(p.leaves[li][2] for li in el)
        for ch, el in zip(choice, p.eligible, strict=True)
    ]


def _total(p: _Problem, counted: Sequence[bool]) -> int:
    return sum(e for e, c in zip(p.ects, counted, strict=True) if c)


def _ects(hundredths: int) -> Decimal:
    return Decimal(hundredths) / _SCALE


def _build_node(
    node: Node,
    path: tuple[int, ...],
    p: _Problem,
    uses: Sequence[Sequence[int]],
    by_path: dict[tuple[int, ...], int],
    counted: Sequence[bool],
) -> tuple[NodeResult, set[int]]:
    """The result of ``node`` (at ``path``) under an assignment, and the credentials below."""
    if isinstance(node, Leaf):
        li = by_path[path]
        cs = uses[li]
        got_count = len(cs)
        got_ects = sum(p.ects[c] for c in cs)
        need_count, need_ects = p.need_count[li], p.need_ects[li]
        ok = got_count >= need_count and got_ects >= need_ects
        unused = tuple(p.ids[c] for c, el in enumerate(p.eligible) if li in el and not counted[c])
        return (
            NodeResult(
                path=path,
                node=node,
                status=Status.SATISFIED if ok else Status.NOT_SATISFIED,
                used=tuple(p.ids[c] for c in cs),
                got_count=got_count,
                need_count=need_count,
                got_ects=_ects(got_ects),
                need_ects=_ects(need_ects),
                missing_count=max(0, need_count - got_count),
                missing_ects=_ects(max(0, need_ects - got_ects)),
                eligible_unused=unused,
            ),
            set(cs),
        )
    assert isinstance(node, AllOf | AnyOf | AtLeast)
    built = [
        _build_node(child, (*path, i), p, uses, by_path, counted)
        for i, child in enumerate(node.children)
    ]
    below: set[int] = set().union(*(b for _r, b in built))
    satisfied = sum(1 for r, _b in built if r.status is Status.SATISFIED)
    ordered = sorted(below)
    return (
        NodeResult(
            path=path,
            node=node,
            status=Status.SATISFIED if satisfied >= node.required else Status.NOT_SATISFIED,
            used=tuple(p.ids[c] for c in ordered),
            got_count=satisfied,
            need_count=node.required,
            got_ects=_ects(sum(p.ects[c] for c in ordered)),
            need_ects=Decimal(0),
            missing_count=max(0, node.required - satisfied),
            missing_ects=Decimal(0),
            children=tuple(r for r, _b in built),
        ),
        below,
    )


def _result(
    p: _Problem,
    qualification: Qualification,
    at: dt.datetime,
    status: Status,
    choice: Sequence[int | None],
    counted: Sequence[bool],
    algorithm: str,
    explored: int,
) -> Evaluation:
    n_leaves = len(p.leaves)
    uses: list[list[int]] = [[] for _ in range(n_leaves)]
    for c, el in enumerate(p.eligible):
        if not counted[c]:
            continue
        for li in el:
            if choice[c] == li or p.leaves[li][2]:
                uses[li].append(c)
    by_path = {path: li for li, (path, _leaf, _s) in enumerate(p.leaves)}
    assignment: dict[str, tuple[tuple[int, ...], ...]] = {}
    for li, cs in enumerate(uses):
        for c in cs:
            assignment[p.ids[c]] = (*assignment.get(p.ids[c], ()), p.leaves[li][0])

    root, _below = _build_node(qualification.rule, (), p, uses, by_path, counted)
    cap_results = tuple(
        CapResult(
            index=j,
            id=cap.id,
            used_ects=_ects(
                sum(p.ects[c] for c in range(len(p.ids)) if counted[c] and p.capped[j][c])
            ),
            max_ects=cap.max_ects,
        )
        for j, cap in enumerate(qualification.caps)
    )
    return Evaluation(
        qualification=qualification,
        at=at,
        status=status,
        assignment=assignment,
        root=root,
        total_ects=_ects(_total(p, counted)),
        caps=cap_results,
        algorithm=algorithm,
        explored=explored,
        not_yet_issued=tuple(p.not_yet_issued),
        coverage=tuple(
            CoverageResult(
                index=j,
                id=cov.id,
                covered=tuple(item for i, item in enumerate(cov.items) if mask >> i & 1),
                missing=tuple(item for i, item in enumerate(cov.items) if not mask >> i & 1),
                need=cov.need,
            )
            for j, (cov, mask) in enumerate(
                zip(qualification.coverage, p.covered(counted), strict=True)
            )
        ),
    )

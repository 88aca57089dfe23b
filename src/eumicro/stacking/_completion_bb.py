"""A small exact integer-programming solver: branch and bound with LP-relaxation bounds.

The LP relaxation is solved by a dense bounded-variable primal simplex (two phases,
Dantzig's rule with Bland's rule after a run of degenerate pivots), from scratch at every
node, in floating point. Floating point only steers the search and the bounds:

* a candidate solution is rounded and checked exactly (integer data) before it is kept;
* costs are integers, so a node is cut only when its bound exceeds the best cost minus
  one by more than a tolerance far above the rounding error;
* a node whose LP does not solve within its iteration limit, or whose rounded solution
  fails the exact check, is not cut silently: the answer is then "unknown".

Branching keeps the structure of the model: the ``z`` variables of one profile are taken
cheapest first, so fixing one to 0 fixes every later one to 0, and fixing one to 1 fixes
every earlier one to its upper bound.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence

import attrs

from eumicro.stacking._completion_model import LE, Model

_EPS = 1e-9
_INT_TOL = 1e-6
_INF = math.inf


class BudgetExhaustedError(Exception):
    """The node or time budget ran out."""


@attrs.define
class Outcome:
    """The result of :func:`solve`."""

    x: list[int] | None  # an optimal solution, None when infeasible (or not proven)
    proven: bool  # optimality / infeasibility is proven
    nodes: int


def _lp(
    m: Model, lower: Sequence[int], upper: Sequence[int], max_iter: int
) -> tuple[str, list[float], float, list[float]]:
    """Solve the relaxation; status "optimal", "infeasible" or "limit".

    Returns the status, the values, the objective and the reduced costs (0 for fixed
    variables). Fixed variables are left out of the tableau.
    """
    free = [j for j in range(len(m.cost)) if lower[j] < upper[j]]
    where = {j: k for k, j in enumerate(free)}
    rows: list[tuple[dict[int, int], str, int]] = []
    for coefs, sense, rhs in m.rows:
        fixed = sum(a * lower[j] for j, a in coefs.items() if j not in where)
        rows.append(({where[j]: a for j, a in coefs.items() if j in where}, sense, rhs - fixed))
    costs = [m.cost[j] for j in free]
    status, xs, _value, ds = _simplex(
        costs, rows, [lower[j] for j in free], [upper[j] for j in free], max_iter
    )
    if status != "optimal":
        return status, [], 0.0, []
    x = [float(v) for v in lower]
    d = [0.0] * len(m.cost)
    for k, j in enumerate(free):
        x[j] = xs[k]
        d[j] = ds[k]
    return status, x, sum(c * v for c, v in zip(m.cost, x, strict=True)), d


def _simplex(
    cost_in: Sequence[int],
    model_rows: Sequence[tuple[dict[int, int], str, int]],
    lower: Sequence[int],
    upper: Sequence[int],
    max_iter: int,
) -> tuple[str, list[float], float, list[float]]:
    n = len(cost_in)
    n_rows = len(model_rows)
    # Columns: structural 0..n-1, one slack per row, then artificials as needed.
    tab: list[list[float]] = []
    lo = [float(v) for v in lower]
    hi = [float(v) for v in upper]
    x = list(lo)
    basis: list[int] = []
    art_rows: list[int] = []
    rhs_rows: list[float] = []
    for i, (coefs, sense, rhs) in enumerate(model_rows):
        row = [0.0] * (n + n_rows)
        for j, a in coefs.items():
            row[j] = float(a)
        row[n + i] = 1.0 if sense == LE else -1.0
        lo.append(0.0)
        hi.append(_INF)
        x.append(0.0)
        tab.append(row)
        rhs_rows.append(float(rhs))
    width = n + n_rows
    for i in range(n_rows):
        residual = rhs_rows[i] - sum(tab[i][j] * x[j] for j in model_rows[i][0])
        slack_coef = tab[i][n + i]
        if residual * slack_coef >= 0:
            x[n + i] = residual / slack_coef
            basis.append(n + i)
        else:
            art_rows.append(i)
            basis.append(-1)  # filled below
    n_art = len(art_rows)
    for row in tab:
        row.extend([0.0] * n_art)
    for a, i in enumerate(art_rows):
        residual = rhs_rows[i] - sum(tab[i][j] * x[j] for j in range(width))
        sign = 1.0 if residual >= 0 else -1.0
        col = width + a
        tab[i][col] = sign
        lo.append(0.0)
        hi.append(_INF)
        x.append(abs(residual))
        basis[i] = col
    total = width + n_art
    # Make the tableau canonical: basic columns are unit vectors.
    for i in range(n_rows):
        piv = tab[i][basis[i]]
        if piv != 1.0:
            inv = 1.0 / piv
            tab[i] = [v * inv for v in tab[i]]
    iterations = [0]

    reduced: list[float] = []

    def run(cost: Sequence[float]) -> str:
        d = list(cost)
        for i, b in enumerate(basis):
            cb = cost[b]
            if cb:
                row = tab[i]
                for j in range(total):
                    d[j] -= cb * row[j]
        degenerate = 0
        while True:
            iterations[0] += 1
            if iterations[0] > max_iter:
                return "limit"
            bland = degenerate > 50
            enter = -1
            best = 0.0
            direction = 0
            for j in range(total):
                dj = d[j]
                if dj < -_EPS and x[j] < hi[j] - _EPS:
                    score = -dj
                    dirj = 1
                elif dj > _EPS and x[j] > lo[j] + _EPS:
                    score = dj
                    dirj = -1
                else:
                    continue
                if j in basis_set:
                    continue
                if bland:
                    enter, direction = j, dirj
                    break
                if score > best:
                    best, enter, direction = score, j, dirj
            if enter < 0:
                reduced[:] = d
                return "optimal"
            step = hi[enter] - lo[enter]
            leave = -1
            leave_to_upper = False
            for i in range(n_rows):
                alpha = tab[i][enter] * direction
                b = basis[i]
                if alpha > _EPS:
                    limit = (x[b] - lo[b]) / alpha
                    if limit < step - 1e-12 or (
                        bland and leave >= 0 and limit <= step and b < basis[leave]
                    ):
                        step, leave, leave_to_upper = limit, i, False
                elif alpha < -_EPS and hi[b] < _INF:
                    limit = (hi[b] - x[b]) / -alpha
                    if limit < step - 1e-12 or (
                        bland and leave >= 0 and limit <= step and b < basis[leave]
                    ):
                        step, leave, leave_to_upper = limit, i, True
            if step == _INF:
                return "unbounded"
            step = max(step, 0.0)
            degenerate = degenerate + 1 if step <= _EPS else 0
            if step:
                x[enter] += direction * step
                for i in range(n_rows):
                    alpha = tab[i][enter]
                    if alpha:
                        x[basis[i]] -= direction * alpha * step
            if leave < 0:
                continue  # the entering variable went to its other bound
            out = basis[leave]
            x[out] = hi[out] if leave_to_upper else lo[out]
            prow = tab[leave]
            inv = 1.0 / prow[enter]
            prow = [v * inv for v in prow]
            tab[leave] = prow
            for i in range(n_rows):
                if i != leave:
                    f = tab[i][enter]
                    if f:
                        row = tab[i]
                        tab[i] = [a - f * b for a, b in zip(row, prow, strict=True)]
            f = d[enter]
            if f:
                d = [a - f * b for a, b in zip(d, prow, strict=True)]
            basis_set.discard(out)
            basis_set.add(enter)
            basis[leave] = enter

    basis_set = set(basis)
    if n_art:
        phase1 = [0.0] * width + [1.0] * n_art
        status = run(phase1)
        if status != "optimal":
            return ("limit", [], 0.0, [])
        if sum(x[width:]) > 1e-7 * (1 + max((abs(r) for r in rhs_rows), default=0.0)):
            return ("infeasible", [], 0.0, [])
        for a in range(width, total):
            hi[a] = 0.0
            x[a] = 0.0 if a not in basis_set else x[a]
    cost = [float(c) for c in cost_in] + [0.0] * (total - n)
    status = run(cost)
    if status != "optimal":
        return ("limit", [], 0.0, [])
    values = x[:n]
    return (
        "optimal",
        values,
        sum(c * v for c, v in zip(cost_in, values, strict=True)),
        reduced[:n],
    )


def solve(
    m: Model,
    *,
    max_nodes: int,
    deadline: float | None,
    incumbent: Sequence[int] | None = None,
    max_lp_iterations: int = 20_000,
) -> Outcome:
    """An optimal integer solution of ``m`` (costs ≥ 0), by depth-first branch and bound.

    When the budget runs out after a solution was found, that solution is returned as
    not proven.

    Raises:
        BudgetExhaustedError: ``max_nodes`` or the deadline ran out before any solution.
    """
    best: list[int] | None = list(incumbent) if incumbent is not None else None
    best_cost = m.objective(best) if best is not None else None
    tol = 1e-7 * (1 + sum(abs(c) for c in m.cost))
    # z variables: the prefix structure of each profile
    chain: dict[int, tuple[list[int], int]] = {}
    for zs in m.z:
        vs = [v for v, _i in zs]
        for pos, v in enumerate(vs):
            chain[v] = (vs, pos)
    order = sorted(range(len(m.cost)), key=lambda j: (j not in chain, j))
    proven = True
    nodes = 0
    stack: list[tuple[list[int], list[int]]] = [(list(m.lower), list(m.upper))]
    while stack:
        nodes += 1
        if nodes > max_nodes or (deadline is not None and time.monotonic() > deadline):
            if best is None:
                raise BudgetExhaustedError
            return Outcome(best, False, nodes - 1)  # the best seen, not proven optimal
        lower, upper = stack.pop()
        status, x, value, d = _lp(m, lower, upper, max_lp_iterations)
        if status == "infeasible":
            continue
        if status != "optimal":
            proven = False
            continue
        if best_cost is not None and value > best_cost - 1 + tol:
            continue  # costs are integers: nothing here is cheaper than the best
        if best_cost is not None:
            # Reduced-cost fixing: moving a variable off its bound by one costs at least
            # its reduced cost, so a variable that would cost too much stays where it is.
            gap = best_cost - 1 + tol - value
            lower, upper = list(lower), list(upper)
            for j, dj in enumerate(d):
                if lower[j] < upper[j]:
                    if dj > gap and x[j] <= lower[j] + _INT_TOL:
                        upper[j] = lower[j]
                    elif -dj > gap and x[j] >= upper[j] - _INT_TOL:
                        lower[j] = upper[j]
        branch = -1
        frac = 0.0
        for j in order:
            f = x[j] - math.floor(x[j])
            if _INT_TOL < f < 1 - _INT_TOL:
                branch, frac = j, f
                break
        if branch < 0:
            point = [round(v) for v in x]
            if not m.holds(point):
                proven = False  # a numerical failure: do not trust this node
                continue
            cost = m.objective(point)
            if best_cost is None or cost < best_cost:
                best, best_cost = point, cost
            continue
        floor = math.floor(x[branch])
        down_lo, down_hi = list(lower), list(upper)
        up_lo, up_hi = list(lower), list(upper)
        down_hi[branch] = floor
        up_lo[branch] = floor + 1
        if branch in chain:
            vs, pos = chain[branch]
            for v in vs[pos + 1 :]:
                down_hi[v] = min(down_hi[v], down_lo[v])
            for v in vs[:pos]:
                up_lo[v] = max(up_lo[v], up_hi[v])
        children = [(down_lo, down_hi), (up_lo, up_hi)]
        if frac >= 0.5:
            children.reverse()  # explore the nearer rounding first
        for lo_, hi_ in reversed(children):
            if all(a <= b for a, b in zip(lo_, hi_, strict=True)):
                stack.append((lo_, hi_))
    return Outcome(best, proven, nodes)

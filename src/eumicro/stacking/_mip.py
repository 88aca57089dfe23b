"""Optional back end: the completion model solved by the HiGHS MIP solver (``highspy``).

Installed with the ``solver`` extra (``pip install eumicro[solver]``). The solver runs
with a zero relative gap and an absolute gap below one cost unit (costs are integers),
so its answer is optimal; the solution is rounded and checked exactly against the model,
and the caller re-checks it with the engine.
"""

from __future__ import annotations

import importlib
import importlib.util
import math
import time
from typing import Any

from eumicro.stacking._completion_bb import BudgetExhaustedError, Outcome
from eumicro.stacking._completion_model import LE, Model


def available() -> bool:
    """Whether ``highspy`` is installed."""
    return importlib.util.find_spec("highspy") is not None


def _silent_solver(highspy: Any) -> Any:
    """A HiGHS instance that writes nothing to standard output.

    ``highspy.Highs()`` registers its callbacks on construction, which prints the HiGHS
    banner before any option can be set; the core binding does not, so output is turned
    off first. (Older highspy versions have no core binding: their banner comes later.)
    """
    try:
        core: Any = importlib.import_module("highspy._core")._Highs
    except (ImportError, AttributeError):  # pragma: no cover - highspy < 1.8
        core = highspy.Highs
    h = core()
    h.setOptionValue("output_flag", False)
    return h


def solve(m: Model, *, max_nodes: int, deadline: float | None) -> Outcome:
    """An optimal integer solution of ``m``, or None when it has none.

    Raises:
        BudgetExhaustedError: the node budget or the deadline ran out.
        ImportError: ``highspy`` is not installed.
    """
    highspy: Any = importlib.import_module("highspy")
    h: Any = _silent_solver(highspy)
    h.setOptionValue("mip_rel_gap", 0.0)
    h.setOptionValue("mip_abs_gap", 0.5)
    h.setOptionValue("threads", 1)
    h.setOptionValue("mip_max_nodes", max_nodes)
    if deadline is not None:
        left = deadline - time.monotonic()
        if left <= 0:
            raise BudgetExhaustedError
        h.setOptionValue("time_limit", left)
    n = len(m.cost)
    for j in range(n):
        h.addCol(float(m.cost[j]), float(m.lower[j]), float(m.upper[j]), 0, [], [])
    if n:
        h.changeColsIntegrality(n, list(range(n)), [highspy.HighsVarType.kInteger] * n)
    inf = highspy.kHighsInf
    for coefs, sense, rhs in m.rows:
        idx = list(coefs)
        vals = [float(coefs[j]) for j in idx]
        lower, upper = (-inf, float(rhs)) if sense == LE else (float(rhs), inf)
        h.addRow(lower, upper, len(idx), idx, vals)
    h.run()
    status = h.getModelStatus()
    nodes = int(h.getInfo().mip_node_count)
    if status == highspy.HighsModelStatus.kInfeasible:
        return Outcome(None, True, nodes)
    if status == highspy.HighsModelStatus.kOptimal:
        values = h.getSolution().col_value
        point = [math.floor(v + 0.5) for v in values]
        if m.holds(point):
            return Outcome(point, True, nodes)
        return Outcome(None, False, nodes)  # a numerical failure: not trusted
    if status in (
        highspy.HighsModelStatus.kTimeLimit,
        highspy.HighsModelStatus.kSolutionLimit,
        highspy.HighsModelStatus.kInterrupt,
    ):
        raise BudgetExhaustedError
    return Outcome(None, False, nodes)

"""What a learner's credentials add up to across a catalogue of qualifications.

:func:`stackable` evaluates a learner against every qualification of a catalogue and
reports those completed and the closest ones not yet completed, ranked by
:func:`progress`.

Progress of an evaluation (a number in [0, 1]) is read from the assignment the engine
reports (a satisfying one, or its best partial one):

* a leaf: the mean, over its positive needs (count, ECTS), of ``min(1, got / need)``;
* :class:`AllOf`: the mean of its children; :class:`AnyOf`: the best child;
  :class:`AtLeast` ``n``: the mean of its ``n`` best children;
* with a ``min_total_ects``, the mean of the tree's progress and ``min(1, total / min)``;
* a satisfied evaluation has progress 1; one that is not is held below 1 (at most
  0.999: its assignment may meet every need yet break a cap).

Speed: the eligibility of every credential for every distinct leaf is computed once per
learner (leaves repeated across qualifications are cached). An upper bound of the
progress (the same formulas with every eligible credential counted everywhere at once)
proves "not completed" without a search whenever it is below 1 (e.g. a mandatory Named
leaf the learner lacks, or too few ECTS in reach); the engine only runs on the others,
and on as many of the rest, in decreasing order of bound, as needed to rank the closest.
For those already proven not completed the engine runs with no search budget: the
partial assignment it reports does not depend on the search, and the status is set to
"not satisfied" (proven by the bound). The engine is given only the credentials some leaf accepts: the others can count
nowhere, so the verdict is unchanged.
"""

from __future__ import annotations

import datetime as dt
import importlib.resources
from collections.abc import Iterable, Sequence
from decimal import Decimal

import attrs

from eumicro._model import MicroCredential
from eumicro.stacking._engine import Evaluation, NodeResult, Status, evaluate
from eumicro.stacking._json import catalogue_from_json
from eumicro.stacking._rules import AllOf, AnyOf, AtLeast, Leaf, Node, Qualification

__all__ = [
    "QualificationProgress",
    "StackReport",
    "load_example_catalogue",
    "progress",
    "stackable",
]

_EXAMPLE = "example-catalogue.json"
_NOT_DONE = Decimal("0.999")


def load_example_catalogue() -> list[Qualification]:
    """The bundled example catalogue, built around the sample credentials (read strictly)."""
    resource = importlib.resources.files("eumicro") / "_data" / "catalogue" / _EXAMPLE
    return catalogue_from_json(resource.read_bytes(), strict=True)


def _fraction(got: Decimal, need: Decimal) -> Decimal:
    if need <= 0:
        return Decimal(1)
    return min(Decimal(1), got / need)


def _leaf_progress(
    got_count: int, need_count: int, got_ects: Decimal, need_ects: Decimal
) -> Decimal:
    parts: list[Decimal] = []
    if need_count > 0:
        parts.append(_fraction(Decimal(got_count), Decimal(need_count)))
    if need_ects > 0:
        parts.append(_fraction(got_ects, need_ects))
    if not parts:
        return Decimal(1)
    return sum(parts, Decimal(0)) / len(parts)


def _combine(node: Node, children: Sequence[Decimal]) -> Decimal:
    if isinstance(node, AnyOf):
        return max(children)
    n = node.n if isinstance(node, AtLeast) else len(children)
    best = sorted(children, reverse=True)[:n]
    return sum(best, Decimal(0)) / n


def _node_progress(result: NodeResult) -> Decimal:
    if isinstance(result.node, AllOf | AnyOf | AtLeast):
        return _combine(result.node, [_node_progress(c) for c in result.children])
    return _leaf_progress(result.got_count, result.need_count, result.got_ects, result.need_ects)


def _with_total(qualification: Qualification, tree: Decimal, total: Decimal) -> Decimal:
    minimum = qualification.min_total_ects
    if minimum is None or minimum <= 0:
        return tree
    return (tree + _fraction(total, minimum)) / 2


def progress(evaluation: Evaluation) -> Decimal:
    """Progress of an evaluation towards its qualification, in [0, 1] (see the module doc)."""
    if evaluation.status is Status.SATISFIED:
        return Decimal(1)
    tree = _node_progress(evaluation.root)
    return min(_NOT_DONE, _with_total(evaluation.qualification, tree, evaluation.total_ects))


@attrs.frozen(kw_only=True)
class QualificationProgress:
    """One qualification of a :class:`StackReport`, with its evaluation and progress."""

    qualification: Qualification
    evaluation: Evaluation
    progress: Decimal


@attrs.frozen(kw_only=True)
class StackReport:
    """The result of :func:`stackable`.

    Attributes:
        at: the evaluation date.
        completed: qualifications satisfied, by id.
        closest: up to ``closest`` qualifications not (or not provably) completed, by
            decreasing progress, then id.
        evaluated: how many qualifications the engine ran on.
        skipped: how many were proven not completed without running it.
    """

    at: dt.datetime
    completed: tuple[QualificationProgress, ...]
    closest: tuple[QualificationProgress, ...]
    evaluated: int
    skipped: int

    def explain(self) -> str:
        """A readable summary of the report."""
        lines = [f"Stacking report at {self.at.isoformat()}"]
        lines.append(f"Completed ({len(self.completed)}):")
        for item in self.completed:
            lines.append(f"  - {item.qualification.id} ({_title(item.qualification)})")
        if not self.completed:
            lines.append("  (none)")
        lines.append(f"Closest not yet completed ({len(self.closest)}):")
        for item in self.closest:
            status = item.evaluation.status.value
            pct = (item.progress * 100).quantize(Decimal(1))
            lines.append(
                f"  - {item.qualification.id} ({_title(item.qualification)}): {pct}% [{status}]"
            )
            lines.extend(f"      {line}" for line in _missing(item.evaluation.root))
        if not self.closest:
            lines.append("  (none)")
        return "\n".join(lines)


def _title(qualification: Qualification) -> str:
    title = qualification.title
    text = getattr(title, "en", None)
    return str(text) if text else str(title)


def _missing(result: NodeResult) -> list[str]:
    out: list[str] = []
    if result.children:
        if result.status is not Status.SATISFIED:
            for child in result.children:
                out.extend(_missing(child))
        return out
    if result.status is not Status.SATISFIED:
        needs = []
        if result.missing_count:
            needs.append(f"{result.missing_count} credential(s)")
        if result.missing_ects:
            needs.append(f"{result.missing_ects} ECTS")
        out.append(f"{result.label}: missing {' and '.join(needs) or 'something'}")
    return out


class _Learner:
    """One learner's credentials, with leaf eligibility computed once per distinct leaf."""

    def __init__(self, credentials: Sequence[MicroCredential], at: dt.datetime) -> None:
        self.credentials = credentials
        self.at = at
        self.ects = [c.specification.ects or Decimal(0) for c in credentials]
        self._cache: dict[Leaf, frozenset[int]] = {}

    def eligible(self, leaf: Leaf) -> frozenset[int]:
        found = self._cache.get(leaf)
        if found is None:
            found = frozenset(
                i for i, c in enumerate(self.credentials) if leaf.eligible(c, at=self.at)
            )
            self._cache[leaf] = found
        return found

    def bound(self, node: Node, relevant: set[int]) -> Decimal:
        """Upper bound of the tree's progress, every eligible credential counting everywhere."""
        if isinstance(node, AllOf | AnyOf | AtLeast):
            return _combine(node, [self.bound(child, relevant) for child in node.children])
        assert isinstance(node, Leaf)
        eligible = self.eligible(node)
        relevant.update(eligible)
        ects = sum((self.ects[i] for i in eligible), Decimal(0))
        return _leaf_progress(len(eligible), node.need_count, ects, node.need_ects)


def stackable(
    credentials: Iterable[MicroCredential],
    catalogue: Iterable[Qualification],
    *,
    at: dt.datetime,
    closest: int = 5,
    max_nodes: int = 1_000_000,
    timeout: float | None = None,
) -> StackReport:
    """Every qualification of ``catalogue`` the credentials complete, and the ``closest`` others.

    Args:
        credentials: the learner's credentials.
        catalogue: the qualifications.
        at: evaluation date (timezone-aware).
        closest: how many not-completed qualifications to report, by progress.
        max_nodes, timeout: the engine's budget per qualification.
    """
    creds = tuple(credentials)
    learner = _Learner(creds, at)
    to_run: list[tuple[Qualification, list[MicroCredential]]] = []
    proven_not: list[tuple[Decimal, Qualification, list[MicroCredential]]] = []
    for qualification in catalogue:
        relevant: set[int] = set()
        tree = learner.bound(qualification.rule, relevant)
        total = sum((learner.ects[i] for i in relevant), Decimal(0))
        bound = _with_total(qualification, tree, total)
        subset = [creds[i] for i in sorted(relevant)]
        if bound < 1:
            proven_not.append((bound, qualification, subset))
        else:
            to_run.append((qualification, subset))

    def run(
        qualification: Qualification, subset: list[MicroCredential], proven: bool = False
    ) -> QualificationProgress:
        if proven:
            # Already proven not completed: no search is needed, only the engine's partial
            # assignment (which does not depend on the search) for the report.
            evaluation = evaluate(subset, qualification, at=at, max_nodes=0)
            if evaluation.status is Status.UNKNOWN:
                evaluation = attrs.evolve(evaluation, status=Status.NOT_SATISFIED)
        else:
            evaluation = evaluate(
                subset, qualification, at=at, max_nodes=max_nodes, timeout=timeout
            )
        return QualificationProgress(
            qualification=qualification, evaluation=evaluation, progress=progress(evaluation)
        )

    completed: list[QualificationProgress] = []
    others: list[QualificationProgress] = []
    for qualification, subset in to_run:
        item = run(qualification, subset)
        (completed if item.evaluation.status is Status.SATISFIED else others).append(item)
    # Evaluate the proven-not-completed ones by decreasing bound, until the bound of the
    # next one cannot beat the current ``closest``-th best.
    proven_not.sort(key=lambda t: (-t[0], t[1].id))
    evaluated = len(to_run)
    for bound, qualification, subset in proven_not:
        ranked = sorted(others, key=_rank)
        if closest <= 0 or (len(ranked) >= closest and bound < ranked[closest - 1].progress):
            break
        others.append(run(qualification, subset, proven=True))
        evaluated += 1
    completed.sort(key=lambda item: item.qualification.id)
    best = sorted(others, key=_rank)[: max(closest, 0)]
    return StackReport(
        at=at,
        completed=tuple(completed),
        closest=tuple(best),
        evaluated=evaluated,
        skipped=len(to_run) + len(proven_not) - evaluated,
    )


def _rank(item: QualificationProgress) -> tuple[Decimal, str]:
    return (-item.progress, item.qualification.id)

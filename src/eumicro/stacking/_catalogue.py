"""What a learner's credentials add up to across a catalogue of qualifications.

:func:`stackable` evaluates a learner against every qualification of a catalogue and
reports those completed and the closest ones not yet completed, ranked by
:func:`progress`; :func:`stackable_many` does it for many learners, on several processes
if asked. A :class:`Catalogue` is the qualifications compiled once for this.

Progress of an evaluation (a number in [0, 1]) is read from the assignment the engine
reports (a satisfying one, or its best partial one):

* a leaf: the mean, over its positive needs (count, ECTS), of ``min(1, got / need)``;
* :class:`AllOf`: the mean of its children; :class:`AnyOf`: the best child;
  :class:`AtLeast` ``n``: the mean of its ``n`` best children;
* with a ``min_total_ects`` or coverage constraints, the mean of the tree's progress,
  ``min(1, total / min)`` and, per coverage, ``min(1, covered / needed)``;
* a satisfied evaluation has progress 1; one that is not is held below 1 (at most
  0.999: its assignment may meet every need yet break a cap).

Speed (see :mod:`eumicro.stacking._index`): leaf conditions are numbered once per
catalogue and looked up by ISCED-F field and specification id; only the qualifications
a learner's credentials touch are looked at. An upper bound of the progress (the same
formulas with every eligible credential counted everywhere at once) proves "not
completed" without a search whenever a leaf or the minimum total is out of reach; the
engine runs exactly on the others, and on as many of the rest, in decreasing order of
bound, as needed to rank the closest (their partial assignment, for the report, does
not need a search). The full :class:`Evaluation` of a reported qualification is built
when it is first read.
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib.resources
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal

import attrs

from eumicro import _gc
from eumicro._errors import Problem, ValidationError
from eumicro._model import MicroCredential
from eumicro.stacking import _index
from eumicro.stacking._engine import (
    Evaluation,
    NodeResult,
    Status,
    _check_inputs,
    _hundredths,
    _Inner,
    _Outcome,
    _Problem,
)
from eumicro.stacking._json import catalogue_from_json
from eumicro.stacking._rules import AllOf, AnyOf, AtLeast, Qualification

__all__ = [
    "Catalogue",
    "QualificationProgress",
    "StackReport",
    "load_example_catalogue",
    "progress",
    "stackable",
    "stackable_many",
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


def _combine(required: int, children: Sequence[Decimal]) -> Decimal:
    # all of: the mean of every child; any of: the best; at least n: the mean of the n best.
    if required == 1:
        return max(children)
    best = sorted(children, reverse=True)[:required]
    return sum(best, Decimal(0)) / required


def _node_progress(result: NodeResult) -> Decimal:
    if isinstance(result.node, AllOf | AnyOf | AtLeast):
        children = [_node_progress(c) for c in result.children]
        return _combine(result.node.required, children)
    return _leaf_progress(result.got_count, result.need_count, result.got_ects, result.need_ects)


def _with_constraints(
    qualification: Qualification, tree: Decimal, total: Decimal, covered: Sequence[int]
) -> Decimal:
    """The tree's progress averaged with the minimum total's and each coverage's."""
    parts = [tree]
    minimum = qualification.min_total_ects
    if minimum is not None and minimum > 0:
        parts.append(_fraction(total, minimum))
    for cov, got in zip(qualification.coverage, covered, strict=True):
        parts.append(_fraction(Decimal(got), Decimal(cov.need)))
    if len(parts) == 1:
        return tree
    return sum(parts, Decimal(0)) / len(parts)


def progress(evaluation: Evaluation) -> Decimal:
    """Progress of an evaluation towards its qualification, in [0, 1] (see the module doc)."""
    if evaluation.status is Status.SATISFIED:
        return Decimal(1)
    tree = _node_progress(evaluation.root)
    covered = [len(cov.covered) for cov in evaluation.coverage]
    return min(
        _NOT_DONE,
        _with_constraints(evaluation.qualification, tree, evaluation.total_ects, covered),
    )


@attrs.frozen(kw_only=True)
class QualificationProgress:
    """One qualification of a :class:`StackReport`: its status, progress and evaluation.

    Attributes:
        qualification: the qualification.
        status: the engine's verdict (not satisfied is proven).
        progress: see :func:`progress`.
        evaluation: the full :class:`Evaluation` (built when first read).
    """

    qualification: Qualification
    status: Status
    progress: Decimal
    _build: Callable[[], Evaluation] = attrs.field(alias="build", eq=False, repr=False)

    @functools.cached_property
    def evaluation(self) -> Evaluation:
        """The evaluation behind this entry (its assignment, per-node results)."""
        return self._build()


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
        not_yet_issued: ids of the credentials issued after ``at``, which count nowhere.
    """

    at: dt.datetime
    completed: tuple[QualificationProgress, ...]
    closest: tuple[QualificationProgress, ...]
    evaluated: int
    skipped: int
    not_yet_issued: tuple[str, ...] = ()

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
            status = item.status.value
            pct = (item.progress * 100).quantize(Decimal(1))
            lines.append(
                f"  - {item.qualification.id} ({_title(item.qualification)}): {pct}% [{status}]"
            )
            lines.extend(f"      {line}" for line in _missing(item.evaluation.root))
        if not self.closest:
            lines.append("  (none)")
        if self.not_yet_issued:
            lines.append("Issued after this date, not counted: " + ", ".join(self.not_yet_issued))
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


class Catalogue:
    """Qualifications compiled once for :func:`stackable` and :func:`stackable_many`.

    Iterating gives the qualifications, in the order given. Build one per catalogue and
    reuse it: compiling is the part of the work that does not depend on the learner.

    >>> catalogue = Catalogue(load_example_catalogue())
    >>> len(catalogue)
    5
    """

    def __init__(self, qualifications: Iterable[Qualification]) -> None:
        items = tuple(qualifications)
        problems = [
            f"item {i} is a {type(q).__name__}, not a Qualification"
            for i, q in enumerate(items)
            if not isinstance(q, Qualification)
        ]
        if problems:
            raise TypeError("; ".join(problems))
        self._index = _index.CatalogueIndex(items)

    @property
    def qualifications(self) -> tuple[Qualification, ...]:
        """The qualifications, in the order given."""
        return self._index.qualifications

    def __len__(self) -> int:
        return len(self._index.qualifications)

    def __iter__(self) -> Iterator[Qualification]:
        return iter(self._index.qualifications)

    def __repr__(self) -> str:
        return f"<Catalogue of {len(self)} qualifications>"


def _tree_progress(tree: int | _Inner, leaf: Callable[[int], Decimal]) -> Decimal:
    if isinstance(tree, int):
        return leaf(tree)
    return _combine(tree.required, [_tree_progress(child, leaf) for child in tree.children])


def _outcome_progress(p: _Problem, qualification: Qualification, outcome: _Outcome) -> Decimal:
    """:func:`progress` of the evaluation ``outcome`` stands for, without building it."""
    if outcome.status is Status.SATISFIED:
        return Decimal(1)
    n = len(p.leaves)
    got_count = [0] * n
    got_ects = [0] * n
    total = 0
    for c, el in enumerate(p.eligible):
        if not outcome.counted[c]:
            continue
        total += p.ects[c]
        for li in el:
            if outcome.choice[c] == li or p.leaves[li][2]:
                got_count[li] += 1
                got_ects[li] += p.ects[c]
    scale = Decimal(100)

    def leaf(li: int) -> Decimal:
        return _leaf_progress(
            got_count[li],
            p.need_count[li],
            Decimal(got_ects[li]) / scale,
            Decimal(p.need_ects[li]) / scale,
        )

    tree = _tree_progress(p.tree, leaf)
    covered = [mask.bit_count() for mask in p.covered(outcome.counted)]
    return min(_NOT_DONE, _with_constraints(qualification, tree, Decimal(total) / scale, covered))


def _float_bound(
    c: _index._Compiled,
    counts: Sequence[int],
    ects: Sequence[int],
    total: int,
    reach: Sequence[int],
) -> float:
    """The progress bound (every eligible credential everywhere), for ranking only."""
    tree = _float_tree(c, counts, ects)
    parts = 1
    if c.min_total > 0:
        tree += min(1.0, total / c.min_total)
        parts += 1
    for got, need in zip(reach, c.cover_need, strict=True):
        tree += min(1.0, got / need)
        parts += 1
    return tree / parts


def _float_tree(c: _index._Compiled, counts: Sequence[int], ects: Sequence[int]) -> float:
    def leaf(li: int) -> float:
        parts = []
        if c.need_count[li] > 0:
            parts.append(min(1.0, counts[li] / c.need_count[li]))
        if c.need_ects[li] > 0:
            parts.append(min(1.0, ects[li] / c.need_ects[li]))
        return sum(parts) / len(parts) if parts else 1.0

    return _float_node(c.tree, leaf)


def _float_node(tree: int | _Inner, leaf: Callable[[int], float]) -> float:
    if isinstance(tree, int):
        return leaf(tree)
    values = [_float_node(child, leaf) for child in tree.children]
    if tree.required == len(values):
        return sum(values) / len(values)
    if tree.required == 1:
        return max(values)
    return sum(sorted(values, reverse=True)[: tree.required]) / tree.required


# What one learner's run sends back (also across processes): per reported qualification,
# its index, the learner's credentials it was decided on (indexes), the outcome and the
# progress; ``None`` as outcome stands for "no credential at all".
_Entry = tuple[int, tuple[int, ...], _Outcome | None, Decimal]
# Sent as plain tuples and strings, which cost a fraction of objects to (un)pickle.
_Wire = tuple[str, tuple[int | None, ...], tuple[bool, ...], str, int]
_WireEntry = tuple[int, tuple[int, ...], _Wire | None, str]
_Compact = tuple[list[_WireEntry], list[_WireEntry], int, int, tuple[str, ...]]
_STATUS = {status.value: status for status in Status}


def _wire(entry: _Entry) -> _WireEntry:
    qi, subset, outcome, value = entry
    if outcome is None:
        return qi, subset, None, str(value)
    wire = (
        outcome.status.value,
        tuple(outcome.choice),
        tuple(outcome.counted),
        outcome.algorithm,
        outcome.explored,
    )
    return qi, subset, wire, str(value)


def _unwire(wire: _Wire) -> _Outcome:
    status, choice, counted, algorithm, explored = wire
    return _Outcome(_STATUS[status], list(choice), list(counted), algorithm, explored)


_MARGIN = 1e-9  # float bounds only rank; a bound this close to the cut is looked at


def _stack(
    index: _index.CatalogueIndex,
    creds: Sequence[MicroCredential],
    at: dt.datetime,
    closest: int,
    max_nodes: int,
    timeout: float | None,
) -> _Compact:
    keys: list[set[int]] = []
    not_yet: list[str] = []
    for cred in creds:
        if cred.issued is not None and cred.issued > at:
            keys.append(set())
            not_yet.append(cred.id)
        else:
            keys.append(set(index.keys_for(cred, at)))
    ects = [_hundredths(cred.specification.ects) for cred in creds]
    holders: dict[int, list[int]] = {}
    for i, ks in enumerate(keys):
        for kid in ks:
            holders.setdefault(kid, []).append(i)
    stats = {kid: (len(held), sum(ects[i] for i in held)) for kid, held in holders.items()}
    touched = dict.fromkeys(qi for kid in holders for qi in index.users[kid])

    def problem(qi: int, subset: Sequence[int]) -> _Problem:
        return index.problem(qi, [creds[i] for i in subset], [keys[i] for i in subset])

    to_run: list[tuple[int, tuple[int, ...]]] = []
    ranked: list[tuple[float, str, int, set[int]]] = []
    for qi in touched:
        compiled = index.compiled[qi]
        if compiled.flat and not compiled.cover_need:
            # The common case, "all of" leaves, in one pass: the bound and its figure.
            ok = True
            value = 0.0
            relevant: set[int] = set()
            for li, kid in enumerate(compiled.keys):
                found = stats.get(kid)
                if found is None:
                    ok = False  # every leaf needs something
                    continue
                count, total_ects = found
                relevant.update(holders[kid])
                if count < compiled.need_count[li] or total_ects < compiled.need_ects[li]:
                    ok = False
                per_count, per_ects = compiled.inverse[li]
                if per_count and per_ects:
                    value += (min(1.0, count * per_count) + min(1.0, total_ects * per_ects)) / 2
                elif per_count:
                    value += min(1.0, count * per_count)
                else:
                    value += min(1.0, total_ects * per_ects)
            value /= len(compiled.keys)
            if compiled.min_total > 0 or ok:
                total = sum(ects[i] for i in relevant)
                if compiled.min_total > 0:
                    value = (value + min(1.0, total / compiled.min_total)) / 2
                ok = ok and total >= compiled.min_total
            if ok:
                to_run.append((qi, tuple(sorted(relevant))))
            else:
                ranked.append((value, compiled.qualification.id, qi, relevant))
            continue
        counts: list[int] = []
        sums: list[int] = []
        relevant = set()
        for kid in compiled.keys:
            count, total_ects = stats.get(kid, (0, 0))
            counts.append(count)
            sums.append(total_ects)
            if count:
                relevant.update(holders[kid])
        total = sum(ects[i] for i in relevant)
        subset = tuple(sorted(relevant))
        reach = index.reach(qi, [creds[i] for i in subset]) if compiled.cover_need else []
        if _index.bound(compiled, counts, sums, total, reach):
            to_run.append((qi, subset))
        else:
            bound = _float_bound(compiled, counts, sums, total, reach)
            ranked.append((bound, compiled.qualification.id, qi, relevant))
    completed: list[_Entry] = []
    others: list[_Entry] = []
    for qi, subset in to_run:
        p = problem(qi, subset)
        outcome = _index.decide(p, max_nodes, timeout)
        entry = (qi, subset, outcome, _outcome_progress(p, index.qualifications[qi], outcome))
        (completed if outcome.status is Status.SATISFIED else others).append(entry)
    # Those proven not completed, by decreasing bound, until the next bound cannot beat
    # the current ``closest``-th best; then, if too few, those no credential touches.
    ranked.sort(key=lambda t: (-t[0], t[1]))
    evaluated = len(to_run)

    def cut() -> float | None:
        if closest <= 0:
            return 2.0
        if len(others) < closest:
            return None
        ordered = sorted(others, key=lambda e: (-e[3], index.qualifications[e[0]].id))
        return float(ordered[closest - 1][3])

    for bound, _qid, qi, relevant in ranked:
        line = cut()
        if line is not None and bound < line - _MARGIN:
            break
        subset = tuple(sorted(relevant))
        p = problem(qi, subset)
        outcome = _index.proven_not(p)
        others.append(
            (qi, subset, outcome, _outcome_progress(p, index.qualifications[qi], outcome))
        )
        evaluated += 1
    if closest > 0 and len(others) < closest:
        untouched = sorted(
            (index.qualifications[qi].id, qi)
            for qi in range(len(index.qualifications))
            if qi not in touched
        )
        for _qid, qi in untouched[: closest - len(others)]:
            others.append((qi, (), None, Decimal(0)))
    others.sort(key=lambda e: (-e[3], index.qualifications[e[0]].id))
    completed.sort(key=lambda e: index.qualifications[e[0]].id)
    skipped = len(index.qualifications) - evaluated
    return (
        [_wire(e) for e in completed],
        [_wire(e) for e in others[: max(closest, 0)]],
        evaluated,
        skipped,
        tuple(not_yet),
    )


def _report(
    index: _index.CatalogueIndex,
    creds: Sequence[MicroCredential],
    at: dt.datetime,
    compact: _Compact,
) -> StackReport:
    completed, closest, evaluated, skipped, not_yet = compact

    def item(entry: _WireEntry) -> QualificationProgress:
        qi, subset, wire, value = entry
        qualification = index.qualifications[qi]

        def build() -> Evaluation:
            if wire is None:
                return index.empty(qi, at)
            chosen = [creds[i] for i in subset]
            keys = [set(index.keys_for(cred, at)) for cred in chosen]
            problem = index.problem(qi, chosen, keys)
            return _unwire(wire).evaluation(problem, qualification, at)

        status = Status.NOT_SATISFIED if wire is None else _STATUS[wire[0]]
        return QualificationProgress(
            qualification=qualification, status=status, progress=Decimal(value), build=build
        )

    return StackReport(
        at=at,
        completed=tuple(item(e) for e in completed),
        closest=tuple(item(e) for e in closest),
        evaluated=evaluated,
        skipped=skipped,
        not_yet_issued=not_yet,
    )


def _catalogue(catalogue: Catalogue | Iterable[Qualification]) -> Catalogue:
    return catalogue if isinstance(catalogue, Catalogue) else Catalogue(catalogue)


def stackable(
    credentials: Iterable[MicroCredential],
    catalogue: Catalogue | Iterable[Qualification],
    *,
    at: dt.datetime,
    closest: int = 5,
    max_nodes: int = 1_000_000,
    timeout: float | None = None,
) -> StackReport:
    """Every qualification of ``catalogue`` the credentials complete, and the ``closest`` others.

    Args:
        credentials: the learner's credentials (distinct ids). Those issued after ``at``
            count nowhere (the report lists them).
        catalogue: a :class:`Catalogue` (compiled once: reuse it for many learners) or
            the qualifications themselves.
        at: evaluation date (timezone-aware).
        closest: how many not-completed qualifications to report, by progress.
        max_nodes, timeout: the engine's budget per qualification.

    Raises:
        ValidationError: ``at`` is naive, or a credential is not one or is given twice.
    """
    creds = tuple(credentials)
    _check_inputs(creds, at)
    index = _catalogue(catalogue)._index
    return _report(index, creds, at, _stack(index, creds, at, closest, max_nodes, timeout))


# The work of a pool of processes started by fork: set before the pool starts, read by
# the workers (nothing of it is sent to them).
_WORK: (
    tuple[
        _index.CatalogueIndex,
        Sequence[Sequence[MicroCredential]],
        dt.datetime,
        int,
        int,
        float | None,
    ]
    | None
) = None


def _work(span: tuple[int, int]) -> list[_Compact]:
    assert _WORK is not None
    index, learners, at, closest, max_nodes, timeout = _WORK
    with _gc.paused():  # the engine leaves no reference cycles behind
        return [_stack(index, learners[i], at, closest, max_nodes, timeout) for i in range(*span)]


def stackable_many(
    learners: Iterable[Iterable[MicroCredential]],
    catalogue: Catalogue | Iterable[Qualification],
    *,
    at: dt.datetime,
    closest: int = 5,
    workers: int = 1,
    max_nodes: int = 1_000_000,
    timeout: float | None = None,
) -> list[StackReport]:
    """:func:`stackable` for each learner, in order, on ``workers`` processes.

    With ``workers`` above 1 the learners are split between forked processes, which
    inherit the compiled catalogue and the credentials (nothing is pickled on the way
    there); each sends back only its verdicts, progress figures and assignments. Where
    processes cannot be forked (Windows), or with ``workers=1``, it runs in this process.
    ``workers=0`` means one per CPU.

    Raises:
        ValidationError: ``at`` is naive, or a learner's credential is not one or is
            given twice (the problem paths start with the learner's index).
    """
    global _WORK
    people = [tuple(creds) for creds in learners]
    problems: list[Problem] = []
    for i, creds in enumerate(people):
        try:
            _check_inputs(creds, at)
        except ValidationError as error:
            problems.extend(attrs.evolve(p, path=("learners", i, *p.path)) for p in error.problems)
    if problems:
        raise ValidationError(problems, "stackable_many")
    index = _catalogue(catalogue)._index
    count = (os.cpu_count() or 1) if workers == 0 else workers
    count = max(1, min(count, len(people)))
    if count == 1 or "fork" not in multiprocessing.get_all_start_methods():
        with _gc.paused():  # the engine leaves no reference cycles behind
            compacts = [_stack(index, creds, at, closest, max_nodes, timeout) for creds in people]
    else:
        size = -(-len(people) // (count * 4))  # a few chunks per worker evens out the load
        spans = [(start, min(start + size, len(people))) for start in range(0, len(people), size)]
        _WORK = (index, people, at, closest, max_nodes, timeout)
        try:
            with multiprocessing.get_context("fork").Pool(count) as pool:
                compacts = [c for chunk in pool.map(_work, spans) for c in chunk]
        finally:
            _WORK = None
    with _gc.paused():
        return [_report(index, creds, at, c) for creds, c in zip(people, compacts, strict=True)]


def _rank(item: QualificationProgress) -> tuple[Decimal, str]:
    return (-item.progress, item.qualification.id)

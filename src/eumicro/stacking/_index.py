"""A catalogue of qualifications compiled once, to evaluate many learners against it fast.

The compiled form numbers every distinct leaf condition of the catalogue (a filter, with
or without "must have ECTS", or a specification id with its equivalents) and indexes the
filters by ISCED-F field and the named leaves by specification id. For one learner:

1. each credential is matched against the conditions that can accept it (looked up in
   the indexes; the specification part of a filter is cached per specification, so
   learners holding credentials of the same specification share that work);
2. only the qualifications with a leaf some credential meets are looked at (the others
   are not completed, with progress 0);
3. an optimistic bound (every eligible credential counted everywhere at once) proves
   most of those not completed; the exact engine runs on the rest, on a problem built
   from the cached eligibility, with exactly what :func:`evaluate` would build.

Nothing here changes a verdict: it only avoids work whose outcome is known.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from eumicro._model import MicroCredential, Specification
from eumicro.stacking._engine import (
    Evaluation,
    Status,
    _compile,
    _counted,
    _cover_masks,
    _decide,
    _holds,
    _hundredths,
    _Inner,
    _Outcome,
    _partial,
    _Problem,
    evaluate,
)
from eumicro.stacking._rules import Filter, Leaf, Named, Qualification, Select

__all__: list[str] = []

Tree = int | _Inner


class _Compiled:
    """One qualification of the catalogue, compiled."""

    __slots__ = (
        "cap_keys",
        "cap_max",
        "cover_need",
        "coverage",
        "flat",
        "inverse",
        "keys",
        "leaves",
        "min_total",
        "need_count",
        "need_ects",
        "qualification",
        "tree",
    )

    def __init__(self, qualification: Qualification, key_of: dict[object, int]) -> None:
        self.qualification = qualification
        self.leaves: list[tuple[tuple[int, ...], Leaf, bool]] = []
        self.tree: Tree = _compile(qualification.rule, self.leaves)
        self.keys = [key_of[_leaf_key(leaf)] for _p, leaf, _s in self.leaves]
        self.cap_keys = [key_of[("select", cap.filter, False)] for cap in qualification.caps]
        self.need_count = [leaf.need_count for _p, leaf, _s in self.leaves]
        self.need_ects = [_hundredths(leaf.need_ects) for _p, leaf, _s in self.leaves]
        self.cap_max = [_hundredths(cap.max_ects) for cap in qualification.caps]
        self.min_total = _hundredths(qualification.min_total_ects)
        self.coverage = qualification.coverage
        self.cover_need = [cov.need for cov in qualification.coverage]
        # For the ranking bound: 1/need per leaf (0 where nothing is needed), and whether
        # the tree is "all of" its leaves.
        self.inverse = [
            (1 / n if n > 0 else 0.0, 1 / e if e > 0 else 0.0)
            for n, e in zip(self.need_count, self.need_ects, strict=True)
        ]
        tree = self.tree
        self.flat = isinstance(tree, _Inner) and (
            tree.required == len(tree.children)
            and all(isinstance(child, int) for child in tree.children)
        )


def _leaf_key(leaf: Leaf) -> tuple[object, ...]:
    if isinstance(leaf, Named):
        return ("named", leaf.specification_id, leaf.equivalents)
    assert isinstance(leaf, Select)
    return ("select", leaf.filter, leaf.min_ects > 0)


class CatalogueIndex:
    """The compiled catalogue (see the module doc); built by :class:`Catalogue`."""

    def __init__(self, qualifications: Sequence[Qualification]) -> None:
        self.qualifications = tuple(qualifications)
        self.key_of: dict[object, int] = {}
        keys: list[tuple[object, ...]] = []

        def add(key: tuple[object, ...]) -> None:
            if key not in self.key_of:
                self.key_of[key] = len(keys)
                keys.append(key)

        for q in self.qualifications:
            leaves: list[tuple[tuple[int, ...], Leaf, bool]] = []
            _compile(q.rule, leaves)
            for _p, leaf, _s in leaves:
                add(_leaf_key(leaf))
            for cap in q.caps:
                add(("select", cap.filter, False))
        self.compiled = [_Compiled(q, self.key_of) for q in self.qualifications]
        # Which qualifications use a key in a leaf (caps alone do not make one relevant).
        self.users: list[list[int]] = [[] for _ in keys]
        for qi, compiled in enumerate(self.compiled):
            for kid in dict.fromkeys(compiled.keys):
                self.users[kid].append(qi)
        # Filters, numbered; each select key is a filter and "needs ECTS" or not.
        self.filters: list[Filter] = []
        filter_id: dict[Filter, int] = {}
        self.filter_keys: list[list[tuple[int, bool]]] = []
        self.named: dict[str, list[int]] = {}
        for kid, key in enumerate(keys):
            if key[0] == "named":
                spec_id, equivalents = key[1], key[2]
                assert isinstance(spec_id, str)
                assert isinstance(equivalents, tuple)
                for name in (spec_id, *equivalents):
                    self.named.setdefault(name, []).append(kid)
                continue
            f, needs_ects = key[1], key[2]
            assert isinstance(f, Filter)
            assert isinstance(needs_ects, bool)
            if f not in filter_id:
                filter_id[f] = len(self.filters)
                self.filters.append(f)
                self.filter_keys.append([])
            self.filter_keys[filter_id[f]].append((kid, needs_ects))
        self.reads_award = [f.reads_award for f in self.filters]
        # Filters on ISCED-F fields, by the codes they name (a broad code matches every
        # narrower one: a credential's field is looked up by each of its prefixes).
        self.by_field: dict[str, list[int]] = {}
        self.general: list[int] = []
        for fid, f in enumerate(self.filters):
            if f.fields:
                for wanted in f.fields:
                    self.by_field.setdefault(wanted.code, []).append(fid)
            else:
                self.general.append(fid)
        self._specs: dict[str, list[tuple[Specification, list[int]]]] = {}
        self._empty: dict[tuple[int, dt.datetime], Evaluation] = {}

    # ------------------------------------------------------------------ eligibility

    def _spec_filters(self, spec: Specification) -> list[int]:
        """The filters whose conditions on the specification hold (cached per spec)."""
        cached = self._specs.get(spec.id)
        if cached is not None:
            for known, fids in cached:
                if known is spec or known == spec:
                    return fids
        candidates = dict.fromkeys(self.general)
        for field in spec.fields:
            code = field.code
            for end in range(1, len(code) + 1):
                for fid in self.by_field.get(code[:end], ()):
                    candidates[fid] = None
        fids = [fid for fid in candidates if self.filters[fid].matches_specification(spec)]
        self._specs.setdefault(spec.id, []).append((spec, fids))
        return fids

    def keys_for(self, credential: MicroCredential, at: dt.datetime) -> list[int]:
        """The key ids a credential meets at ``at``."""
        spec = credential.specification
        out = list(self.named.get(spec.id, ()))
        has_ects = spec.ects is not None
        for fid in self._spec_filters(spec):
            if self.reads_award[fid] and not self.filters[fid].matches_award(credential, at=at):
                continue
            for kid, needs_ects in self.filter_keys[fid]:
                if has_ects or not needs_ects:
                    out.append(kid)
        return out

    # ------------------------------------------------------------------ problems

    def problem(
        self,
        qi: int,
        credentials: Sequence[MicroCredential],
        keys: Sequence[set[int]],
    ) -> _Problem:
        """The engine's problem for qualification ``qi``: exactly what evaluate builds."""
        c = self.compiled[qi]
        return _Problem(
            ids=[cred.id for cred in credentials],
            ects=[_hundredths(cred.specification.ects) for cred in credentials],
            leaves=c.leaves,
            tree=c.tree,
            eligible=[[li for li, kid in enumerate(c.keys) if kid in ks] for ks in keys],
            need_count=c.need_count,
            need_ects=c.need_ects,
            capped=[[kid in ks for ks in keys] for kid in c.cap_keys],
            cap_max=c.cap_max,
            min_total=c.min_total,
            cover_need=c.cover_need,
            covers=[_cover_masks(cov, credentials) for cov in c.coverage],
        )

    def reach(self, qi: int, credentials: Sequence[MicroCredential]) -> list[int]:
        """Per coverage constraint of ``qi``, how many items the credentials cover at most."""
        out = []
        for cov in self.compiled[qi].coverage:
            mask = 0
            for m in _cover_masks(cov, credentials):
                mask |= m
            out.append(mask.bit_count())
        return out

    def empty(self, qi: int, at: dt.datetime) -> Evaluation:
        """The evaluation of qualification ``qi`` with no credential (cached)."""
        found = self._empty.get((qi, at))
        if found is None:
            found = evaluate((), self.qualifications[qi], at=at)
            self._empty[(qi, at)] = found
        return found


def bound(
    c: _Compiled, counts: Sequence[int], ects: Sequence[int], total: int, reach: Sequence[int]
) -> bool:
    """Whether the optimistic bound allows completion (False proves it is not completed)."""
    if total < c.min_total:
        return False
    if any(got < need for got, need in zip(reach, c.cover_need, strict=True)):
        return False
    ok = [
        counts[li] >= c.need_count[li] and ects[li] >= c.need_ects[li]
        for li in range(len(c.leaves))
    ]
    return _holds(c.tree, ok)


def decide(p: _Problem, max_nodes: int, timeout: float | None) -> _Outcome:
    """The engine's exact decision."""
    return _decide(p, max_nodes, timeout)


def proven_not(p: _Problem) -> _Outcome:
    """The outcome of a problem already proven unsatisfiable by the bound."""
    choice = _partial(p)
    return _Outcome(Status.NOT_SATISFIED, choice, _counted(p, choice), "bound", 0)

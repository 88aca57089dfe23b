"""Benchmark: the stacking engine, batch stacking over a catalogue, cheapest completion.

Three workloads (see ``../shared/reference/stacking.md`` §6), printed as tables; nothing
is asserted on times:

1. **engine vs brute force** on growing rule trees: an "all of" of ``m`` ECTS groups
   (5 ECTS each), ``3m`` credentials of 2–3 ECTS each carrying two of the ``m`` fields,
   a minimum total and a cap on external credits. The baseline enumerates every
   assignment (each credential to one eligible group or to none), degree-audit style,
   and is stopped at a time cap (reported as "> cap").
2. **batch**: N learners × M qualifications with realistic overlap (25 fields, learners
   hold 3–25 credentials in 1–2 fields, qualifications have 2–6 groups, some named
   modules, caps and minimum totals): the engine on every pair (the reference, on a
   sample), :func:`stackable` on one process, and :func:`stackable_many` on two
   processes over the whole batch (default 10,000 × 500; the target is under 20 s on
   2 cores).
3. **cheapest completion** (:func:`complete`) on catalogues of 20 to 2,000 offers.

Usage::

    python bench/stacking.py            # full run
    python bench/stacking.py --quick    # small sizes (smoke test)
    python bench/stacking.py --learners 1000 --quals 500   # a smaller batch
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import random
import time
from collections.abc import Sequence
from decimal import Decimal

from eumicro import Level, MicroCredential, Organisation, Specification, Text, Workload
from eumicro.stacking import (
    AllOf,
    Cap,
    Catalogue,
    Filter,
    Named,
    Node,
    Offer,
    Qualification,
    Select,
    StackReport,
    _mip,
    complete,
    evaluate,
    stackable,
    stackable_many,
)

AT = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
HOME = "urn:eumicro:bench:org:home"
FIELDS = [
    "0011", "0111", "0211", "0223", "0311", "0314", "0411", "0413", "0421", "0511",
    "0521", "0532", "0542", "0588", "0611", "0612", "0613", "0688", "0712", "0715",
    "0732", "0811", "0912", "0919", "1015",
]  # fmt: skip
ORGS = [HOME] + [f"urn:eumicro:bench:org:o{i}" for i in range(9)]


def org(org_id: str) -> Organisation:
    return Organisation(name=Text(en=org_id.rsplit(":", 1)[-1]), id=org_id)


ORG_OBJECTS = {o: org(o) for o in ORGS}


def make_cred(
    i: int, spec_name: str, ects: int, fields: Sequence[str], eqf: int, body: str
) -> MicroCredential:
    return MicroCredential(
        id=f"urn:eumicro:bench:cred:{i}",
        specification=Specification(
            id=f"urn:eumicro:bench:spec:{spec_name}",
            title=Text(en=spec_name),
            workload=Workload(ects=ects),
            level=Level(eqf=eqf),
            fields=list(fields),
        ),
        awarding_bodies=[ORG_OBJECTS[body]],
        issued=dt.datetime(2025, 1, 1, tzinfo=dt.UTC),
    )


def fmt_time(seconds: float) -> str:
    if seconds < 1e-3:
        return f"{seconds * 1e6:.0f} µs"
    if seconds < 1:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds:.2f} s"


def table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    print("  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)))
    print("  ".join("-" * w for w in widths))
    for row in rows:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)))
    print()


# ----------------------------------------------------------------------------- 1


def tree_instance(m: int, rng: random.Random) -> tuple[Qualification, list[MicroCredential]]:
    fields = FIELDS[:m]
    creds = [
        make_cred(
            i,
            f"t{i}",
            rng.choice([2, 3]),
            rng.sample(fields, 2) if m >= 2 else fields,
            7,
            rng.choice([HOME, HOME, ORGS[1]]),
        )
        for i in range(3 * m)
    ]
    groups: list[Node] = [
        Select(id=f"g{j}", filter=Filter(fields=[f]), min_ects=5) for j, f in enumerate(fields)
    ]
    qualification = Qualification(
        id=f"urn:eumicro:bench:qual:tree-{m}",
        title=Text(en=f"tree {m}"),
        rule=AllOf(children=groups),
        min_total_ects=5 * m + 1,
        caps=[Cap(filter=Filter(excluded_awarding_bodies=[HOME]), max_ects=2 * m)],
    )
    return qualification, creds


def brute_force(
    qualification: Qualification, creds: Sequence[MicroCredential], cap: float
) -> tuple[bool | None, int, float]:
    """Every assignment, degree-audit style; (verdict or None at the cap, candidates, time)."""
    rule = qualification.rule
    assert isinstance(rule, AllOf)
    leaves = [c for c in rule.children if isinstance(c, Select)]
    options = [
        [None, *(j for j, leaf in enumerate(leaves) if leaf.eligible(c, at=AT))] for c in creds
    ]
    ects = [c.specification.ects or Decimal(0) for c in creds]
    capped = [qualification.caps[0].filter.matches(c, at=AT) for c in creds]
    cap_max = qualification.caps[0].max_ects
    need = [leaf.min_ects for leaf in leaves]
    minimum = qualification.min_total_ects or Decimal(0)
    start = time.perf_counter()
    found = False
    candidates = 0
    for choice in itertools.product(*options):
        candidates += 1
        if candidates % 4096 == 0 and time.perf_counter() - start > cap:
            return None, candidates, time.perf_counter() - start
        got = [Decimal(0)] * len(leaves)
        total = Decimal(0)
        external = Decimal(0)
        for c, j in enumerate(choice):
            if j is not None:
                got[j] += ects[c]
                total += ects[c]
                if capped[c]:
                    external += ects[c]
        if (
            total >= minimum
            and external <= cap_max
            and all(g >= n for g, n in zip(got, need, strict=True))
        ):
            found = True  # a degree audit keeps going, to pick the best candidate
    return found, candidates, time.perf_counter() - start


def bench_trees(sizes: Sequence[int], cap: float) -> None:
    print(f"(1) engine vs brute-force enumeration (baseline capped at {cap:g} s)\n")
    rng = random.Random(1)
    rows = []
    for m in sizes:
        qualification, creds = tree_instance(m, rng)
        start = time.perf_counter()
        result = evaluate(creds, qualification, at=AT, timeout=60)
        engine = time.perf_counter() - start
        verdict, candidates, spent = brute_force(qualification, creds, cap)
        rule = qualification.rule
        assert isinstance(rule, AllOf)
        space = 1
        for c in creds:
            space *= 1 + len(
                [
                    leaf
                    for leaf in rule.children
                    if isinstance(leaf, Select) and leaf.eligible(c, at=AT)
                ]
            )
        rows.append(
            [
                str(m),
                str(len(creds)),
                f"{space:.2e}",
                result.status.value,
                result.algorithm,
                str(result.explored),
                fmt_time(engine),
                "-" if verdict is None else ("satisfied" if verdict else "not satisfied"),
                f"{candidates:,}",
                f"> {cap:g} s" if verdict is None else fmt_time(spent),
            ]
        )
        if verdict is not None:
            assert verdict == result.satisfied, (m, verdict, result.status)
    table(
        [
            "groups",
            "creds",
            "assignments",
            "engine",
            "algorithm",
            "nodes",
            "engine time",
            "brute verdict",
            "candidates seen",
            "brute time",
        ],
        rows,
    )


# ----------------------------------------------------------------------------- 2


def batch_world(
    n_learners: int, n_quals: int, rng: random.Random
) -> tuple[list[list[MicroCredential]], list[Qualification]]:
    pool: list[MicroCredential] = []
    by_field: dict[str, list[int]] = {f: [] for f in FIELDS}
    for i in range(600):
        field = FIELDS[i % len(FIELDS)]
        extra = rng.choice(FIELDS)
        fields = [field] if extra == field or rng.random() < 0.6 else [field, extra]
        cred = make_cred(
            i,
            f"p{i}",
            rng.choice([2, 3, 4, 5, 6, 10]),
            fields,
            rng.choice([5, 6, 6, 7, 7]),
            rng.choice(ORGS),
        )
        pool.append(cred)
        by_field[field].append(i)
    learners = []
    for _ in range(n_learners):
        fields = rng.sample(FIELDS, rng.choice([1, 2]))
        candidates = [i for f in fields for i in by_field[f]]
        held = rng.sample(candidates, min(len(candidates), rng.randint(3, 25)))
        learners.append([pool[i] for i in held])
    quals = []
    for q in range(n_quals):
        fields = rng.sample(FIELDS, rng.choice([1, 2]))
        groups: list[Node] = []
        for j in range(rng.randint(2, 6)):
            if rng.random() < 0.15:
                spec = pool[rng.choice(by_field[fields[0]])].specification.id
                groups.append(Named(id=f"n{j}", specification_id=spec))
            elif rng.random() < 0.5:
                groups.append(
                    Select(
                        id=f"g{j}",
                        filter=Filter(fields=[rng.choice(fields)], min_eqf=rng.choice([5, 6, 7])),
                        min_count=rng.choice([1, 2, 3]),
                    )
                )
            else:
                groups.append(
                    Select(
                        id=f"g{j}",
                        filter=Filter(fields=[rng.choice(fields)], min_eqf=rng.choice([5, 6])),
                        min_ects=rng.choice([5, 10, 15]),
                    )
                )
        caps = (
            [Cap(filter=Filter(excluded_awarding_bodies=[HOME]), max_ects=rng.choice([10, 20]))]
            if rng.random() < 0.3
            else []
        )
        quals.append(
            Qualification(
                id=f"urn:eumicro:bench:qual:{q}",
                title=Text(en=f"Q{q}"),
                rule=AllOf(children=groups),
                min_total_ects=rng.choice([None, 30, 60]),
                caps=caps,
            )
        )
    return learners, quals


def bench_batch(n_learners: int, n_quals: int, workers: int, sample: int) -> None:
    print(
        f"(2) batch: {n_learners:,} learners × {n_quals:,} qualifications"
        f" (target for 10,000 × 500: under 20 s on 2 cores)\n"
    )
    learners, quals = batch_world(n_learners, n_quals, random.Random(2))
    start = time.perf_counter()
    catalogue = Catalogue(quals)
    compile_time = time.perf_counter() - start
    rows = []

    def row(name: str, people: int, spent: float, reports: Sequence[StackReport] | None) -> None:
        pairs = people * n_quals
        completed = "-" if reports is None else f"{sum(len(r.completed) for r in reports):,}"
        searched = "-" if reports is None else f"{sum(r.evaluated for r in reports):,}"
        rows.append(
            [
                name,
                f"{people:,}",
                f"{pairs:,}",
                completed,
                searched,
                fmt_time(spent),
                f"{pairs / spent:,.0f}",
                f"{spent / pairs * 10_000 * 500:.1f} s",
            ]
        )

    # The reference: the engine on every (learner, qualification) pair, one by one.
    few = learners[: max(1, sample // 10)]
    start = time.perf_counter()
    for creds in few:
        for q in quals:
            evaluate(creds, q, at=AT)
    baseline = time.perf_counter() - start
    row("evaluate every pair", len(few), baseline, None)
    some = learners[:sample]
    start = time.perf_counter()
    one = [stackable(creds, catalogue, at=AT, closest=5) for creds in some]
    single = time.perf_counter() - start
    row("stackable, 1 process", len(some), single, one)
    start = time.perf_counter()
    many = stackable_many(learners, catalogue, at=AT, closest=5, workers=workers)
    spent = time.perf_counter() - start
    row(f"stackable_many, {workers} processes", len(learners), spent, many)
    assert [len(r.completed) for r in many[: len(one)]] == [len(r.completed) for r in one]
    table(
        [
            "method",
            "learners",
            "pairs",
            "completed",
            "engine runs",
            "wall",
            "pairs/s",
            "10k×500 at this rate",
        ],
        rows,
    )
    per_pair = baseline / (len(few) * n_quals)
    print(
        f"catalogue compiled in {fmt_time(compile_time)}; stackable_many is"
        f" {per_pair * len(learners) * n_quals / spent:,.0f}× evaluating every pair"
        f" ({workers} processes), stackable {per_pair * len(some) * n_quals / single:,.0f}×"
        " (1 process)\n"
    )


# ----------------------------------------------------------------------------- 3


def bench_complete(sizes: Sequence[int], timeout: float) -> None:
    print(f"(3) cheapest completion (timeout {timeout:g} s per call)\n")
    # The built-in branch and bound always; HiGHS too when highspy is installed.
    backends = ["builtin", *(["highs"] if _mip.available() else [])]
    rng = random.Random(3)
    fields = FIELDS[:8]
    qualification = Qualification(
        id="urn:eumicro:bench:qual:complete",
        title=Text(en="completion"),
        rule=AllOf(
            children=[
                Select(id=f"g{j}", filter=Filter(fields=[f], min_eqf=6), min_ects=10)
                for j, f in enumerate(fields[:5])
            ]
        ),
        min_total_ects=60,
        caps=[Cap(filter=Filter(excluded_awarding_bodies=[HOME]), max_ects=30)],
    )
    held = [
        make_cred(i, f"h{i}", rng.choice([3, 5]), [rng.choice(fields)], 7, HOME) for i in range(6)
    ]
    rows = []
    for n in sizes:
        offers = []
        for i in range(n):
            ects = rng.choice([2, 3, 4, 5, 6, 10])
            cred = make_cred(
                1000 + i,
                f"o{i}",
                ects,
                [rng.choice(fields)],
                rng.choice([5, 6, 7]),
                rng.choice(ORGS),
            )
            offers.append(Offer(credential=cred, cost=Decimal(ects * rng.randint(40, 80))))
        for backend in backends:
            start = time.perf_counter()
            result = complete(held, qualification, offers, at=AT, timeout=timeout, backend=backend)
            spent = time.perf_counter() - start
            cost = result.cost
            rows.append(
                [
                    str(n),
                    backend,
                    result.status.value,
                    "-" if cost is None else str(cost),
                    str(len(result.offers)),
                    result.algorithm or "-",
                    str(result.explored),
                    str(result.evaluations),
                    fmt_time(spent),
                ]
            )
    table(
        [
            "offers",
            "backend",
            "status",
            "cost",
            "bought",
            "algorithm",
            "nodes",
            "engine calls",
            "time",
        ],
        rows,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="small sizes (smoke test)")
    parser.add_argument("--learners", type=int, default=None)
    parser.add_argument("--quals", type=int, default=None)
    args = parser.parse_args()
    quick: bool = args.quick
    bench_trees([2, 3, 4, 5] if quick else [2, 3, 4, 5, 6, 8, 12, 20], 0.5 if quick else 5.0)
    learners = args.learners or (200 if quick else 10_000)
    quals = args.quals or (100 if quick else 500)
    bench_batch(learners, quals, workers=2, sample=min(learners, 100 if quick else 1000))
    bench_complete([20, 200] if quick else [20, 200, 500, 1000, 2000], 5.0 if quick else 10.0)


if __name__ == "__main__":
    main()

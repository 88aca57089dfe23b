"""Benchmark: export and import of micro-credentials as European Digital Credentials (EDC).

Workload: 10,000 credentials cycling through the built-in samples that can be exported
(every sample but the draft), each with its own id and learner name (as ``run.py``
builds its workload), one EDC document per credential.

Timed, each the best of N runs (``time.perf_counter``, a ``gc.collect()`` before each):

* ``export``: ``to_edc_json(c, indent=None)``, display images drawn by eumicro
  (``render_svg``, one SVG per language of the title) — what a caller gets by default;
* ``export, caller's image``: the same with a display image given (no drawing);
* ``export to dict``: ``to_edc(c)`` (no JSON text; with drawing);
* ``import``: ``from_edc(text)`` — parse, read, build and validate the model;
* ``round trip``: ``from_edc(to_edc_json(c))``;
* for scale, eumicro's native JSON: ``to_json(c, indent=None)`` and ``from_json(text)``.

Before timing, the run checks that every credential reads back equal, with no notes,
from its EDC (``from_edc(to_edc_json(c)).credential == c``); if not, it stops with exit
status 1. Nothing is asserted about the timings.

Usage::

    python bench/edc_io.py                  # 10,000 credentials, best of 3
    python bench/edc_io.py --quick          # 1,000 credentials, best of 2 (smoke test)
    python bench/edc_io.py --count 2000 --repeats 5
    python bench/edc_io.py --json out.json  # also write the results as JSON
"""

from __future__ import annotations

import argparse
import gc
import json
import platform
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import attrs

import eumicro
from eumicro import Learner, MicroCredential
from eumicro.formats.europass import DisplayImage, from_edc, to_edc, to_edc_json

DRAFT = "draft-green-skills"


def _renamed(learner: Learner | None, i: int) -> Learner:
    if learner is None:
        return Learner(full_name=f"Learner {i:06d}")
    changes = {}
    if learner.full_name:
        changes["full_name"] = f"{learner.full_name} {i:06d}"
    if learner.family_name:
        changes["family_name"] = f"{learner.family_name} {i:06d}"
    if not changes:
        changes["full_name"] = f"Learner {i:06d}"
    return attrs.evolve(learner, **changes)


def build_workload(count: int) -> list[MicroCredential]:
    """``count`` exportable credentials cycling through the samples, each unique."""
    bases = [eumicro.samples.load(n) for n in eumicro.samples.names() if n != DRAFT]
    out = []
    for i in range(count):
        base = bases[i % len(bases)]
        out.append(
            attrs.evolve(base, id=f"{base.id}:bench:{i:06d}", learner=_renamed(base.learner, i))
        )
    return out


@dataclass
class Case:
    name: str
    run: Callable[[], object]
    times: list[float] = field(default_factory=list)

    @property
    def best(self) -> float:
        return min(self.times)


def time_once(run: Callable[[], object]) -> float:
    gc.collect()
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def check(credentials: list[MicroCredential], texts: list[str]) -> None:
    for credential, text in zip(credentials, texts, strict=True):
        result = from_edc(text)
        if result.credential != credential or result.notes:
            raise SystemExit(f"round trip failed for {credential.id}: {result.notes}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1,000 credentials, best of 2")
    parser.add_argument("--count", type=int, default=None, help="number of credentials")
    parser.add_argument("--repeats", type=int, default=None, help="runs per case (best kept)")
    parser.add_argument("--json", type=Path, default=None, help="write the results as JSON")
    args = parser.parse_args(argv)
    count = args.count or (1_000 if args.quick else 10_000)
    repeats = args.repeats or (2 if args.quick else 3)

    credentials = build_workload(count)
    texts = [to_edc_json(c, indent=None) for c in credentials]
    natives = [eumicro.to_json(c, indent=None) for c in credentials]
    image = DisplayImage(content=b"<svg xmlns='http://www.w3.org/2000/svg'/>", file_type="SVG")
    check(credentials, texts)
    sizes = [len(t.encode("utf-8")) for t in texts]

    cases = [
        Case("export", lambda: [to_edc_json(c, indent=None) for c in credentials]),
        Case(
            "export, caller's image",
            lambda: [to_edc_json(c, indent=None, image=image) for c in credentials],
        ),
        Case("export to dict", lambda: [to_edc(c) for c in credentials]),
        Case("import", lambda: [from_edc(t) for t in texts]),
        Case("round trip", lambda: [from_edc(to_edc_json(c, indent=None)) for c in credentials]),
        Case("native JSON dump", lambda: [eumicro.to_json(c, indent=None) for c in credentials]),
        Case("native JSON load", lambda: [eumicro.from_json(t) for t in natives]),
    ]
    for _ in range(repeats):
        for case in cases:
            case.times.append(time_once(case.run))

    print(
        f"eumicro {eumicro.__version__}, Python {platform.python_version()} "
        f"({platform.machine()}), {count:,} credentials, best of {repeats}"
    )
    print(
        f"EDC documents: {sum(sizes) / len(sizes) / 1024:.1f} KiB on average "
        f"(native JSON: {sum(len(n.encode()) for n in natives) / len(natives) / 1024:.1f} KiB)"
    )
    print()
    print(f"{'operation':<26}{'total s':>10}{'µs/cred':>12}{'creds/s':>12}")
    for case in cases:
        per = case.best / count
        print(f"{case.name:<26}{case.best:>10.3f}{per * 1e6:>12.1f}{1 / per:>12,.0f}")
    if args.json is not None:
        results = {
            "count": count,
            "repeats": repeats,
            "python": platform.python_version(),
            "eumicro": eumicro.__version__,
            "cases": {
                c.name: {"best_s": c.best, "us_per_credential": c.best / count * 1e6} for c in cases
            },
        }
        args.json.write_text(json.dumps(results, indent=2) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

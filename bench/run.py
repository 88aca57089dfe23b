"""Benchmark: native JSON dump and load of micro-credentials, side by side.

Measures, in one run and on the same workload (10,000 credentials built from the
built-in samples, each with its own id and learner name):

* eumicro: ``to_json`` (model → JSON text) and ``collection_from_json`` / ``from_json``
  (JSON text → fully validated model);
* pydantic v2: an equivalent model (``bench/pydantic_model.py``), ``model_dump_json`` and
  ``model_validate_json``;
* the floor: ``orjson`` and the standard library's ``json`` dumping and loading the
  equivalent plain dicts (``eumicro.to_dict`` output), with no validation.

Each is run on one collection document (``MicroCredentialCollection``) and on one
document per credential. Times are the best of N repeats (``time.perf_counter``).
Before timing, the run checks that eumicro reads back what it writes, that the pydantic
model dumps every document back to the same JSON as eumicro, and that both refuse the
same broken documents.

Usage::

    python bench/run.py                  # 10,000 credentials, best of 5
    python bench/run.py --quick          # 1,000 credentials, best of 2 (smoke test)
    python bench/run.py --json out.json  # also write the results as JSON
    python bench/run.py --profile        # also profile eumicro's load (cProfile)
"""

from __future__ import annotations

import argparse
import copy
import cProfile
import datetime as dt
import gc
import io
import json
import platform
import pstats
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

import attrs
import orjson
import pydantic
import pydantic_model as pm

import eumicro
from eumicro import Learner, MicroCredential

ROOT = Path(__file__).resolve().parent.parent
LIBRARIES = ("eumicro", "pydantic", "orjson", "json")
LAYOUTS = ("collection", "per-credential")


# ----------------------------------------------------------------------------- workload


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
    """``count`` credentials cycling through the samples, each with a unique id and learner."""
    samples = eumicro.samples.load_all()
    out = []
    for i in range(count):
        base = samples[i % len(samples)]
        out.append(
            attrs.evolve(base, id=f"{base.id}:bench:{i:06d}", learner=_renamed(base.learner, i))
        )
    return out


@dataclass
class Workload:
    """Everything the timed functions work on, prepared up front."""

    credentials: list[MicroCredential]
    collection_text: str
    collection_dict: dict[str, Any]
    texts: list[str]
    dicts: list[dict[str, Any]]
    pydantic_collection: pm.MicroCredentialCollection = field(repr=False)
    pydantic_documents: list[pm.MicroCredentialDocument] = field(repr=False)


def prepare(count: int) -> Workload:
    credentials = build_workload(count)
    texts = [eumicro.to_json(c, indent=None) for c in credentials]
    collection_text = eumicro.to_json(credentials, indent=None)
    return Workload(
        credentials=credentials,
        collection_text=collection_text,
        collection_dict=eumicro.to_dict(credentials),
        texts=texts,
        dicts=[eumicro.to_dict(c) for c in credentials],
        pydantic_collection=pm.MicroCredentialCollection.model_validate_json(collection_text),
        pydantic_documents=[pm.MicroCredentialDocument.model_validate_json(t) for t in texts],
    )


# ----------------------------------------------------------------------------- correctness guards


class GuardError(Exception):
    """A correctness guard failed: the comparison would not be apples to apples."""


def check_eumicro_round_trip(w: Workload, per_credential: int) -> None:
    if eumicro.collection_from_json(w.collection_text) != w.credentials:
        raise GuardError("eumicro: collection_from_json(to_json(credentials)) != credentials")
    for credential, text in zip(
        w.credentials[:per_credential], w.texts[:per_credential], strict=True
    ):
        if eumicro.from_json(text) != credential:
            raise GuardError(f"eumicro: from_json(to_json(c)) != c for {credential.id}")


def check_pydantic_parity(w: Workload) -> None:
    """Every pydantic-loaded document dumps back to eumicro's JSON (compared as parsed dicts)."""
    dumped = orjson.loads(w.pydantic_collection.model_dump_json(**pm.DUMP_OPTIONS))
    if dumped != orjson.loads(w.collection_text):
        raise GuardError("pydantic: the collection does not dump back to eumicro's JSON")
    for i, (model, text) in enumerate(zip(w.pydantic_documents, w.texts, strict=True)):
        if orjson.loads(model.model_dump_json(**pm.DUMP_OPTIONS)) != orjson.loads(text):
            raise GuardError(f"pydantic: credential {i} does not dump back to eumicro's JSON")


def _set(*path: str | int, value: Any) -> Callable[[dict[str, Any]], None]:
    def mutate(doc: dict[str, Any]) -> None:
        target: Any = doc
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return mutate


def _delete(*path: str | int) -> Callable[[dict[str, Any]], None]:
    def mutate(doc: dict[str, Any]) -> None:
        target: Any = doc
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]

    return mutate


def _double(*path: str | int) -> Callable[[dict[str, Any]], None]:
    def mutate(doc: dict[str, Any]) -> None:
        target: Any = doc
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = target[path[-1]] * 2

    return mutate


_COUNTRY_IRL = "http://publications.europa.eu/resource/authority/country/IRL"
_ONLINE = "http://data.europa.eu/snb/learning-assessment/920fbb3cbe"
_SPEC = "specification"

# Broken variants of the first sample (data-literacy-ie): both models must refuse each.
MUTATIONS: tuple[tuple[str, Callable[[dict[str, Any]], None]], ...] = (
    ("unknown key", _set("colour", value="blue")),
    ("unknown nested key", _set(_SPEC, "workload", "credits", value=5)),
    ("missing required key", _delete(_SPEC)),
    ("wrong document type", _set("type", value="Specification")),
    ("IRI that is not one", _set("id", value="not an iri")),
    ("bad URL", _set(_SPEC, "homepage", value="ftp://example.org/x")),
    ("bad e-mail", _set("learner", "email", value="nobody")),
    ("bad ESCO IRI", _set(_SPEC, "learningOutcomes", 0, "escoSkills", 0, value="urn:x:y")),
    ("blank string", _set("grade", "value", value="  ")),
    ("number for a string", _set("grade", "value", value=7)),
    ("bad language tag", _set(_SPEC, "title", value={"e": "Data"})),
    ("blank text", _set(_SPEC, "title", value={"en": " "})),
    ("empty language map", _set(_SPEC, "title", value={})),
    ("unknown concept IRI", _set("supervision", value="http://data.europa.eu/snb/x/1")),
    ("concept of another vocabulary", _set(_SPEC, "level", "eqf", value=_COUNTRY_IRL)),
    ("region that is a country", _set("awardingBodies", 0, "region", value=_COUNTRY_IRL)),
    ("string for a concept list", _set(_SPEC, "languages", value="ENG")),
    ("naive date-time", _set("issued", value="2024-06-14T10:00:00")),
    ("not a date-time", _set("issued", value="yesterday")),
    ("date of birth in the future", _set("learner", "dateOfBirth", value="2999-01-01")),
    ("negative ECTS", _set(_SPEC, "workload", "ects", value=-1)),
    ("three decimals", _set(_SPEC, "workload", "ects", value=5.125)),
    ("empty workload", _set(_SPEC, "workload", value={})),
    ("empty level", _set(_SPEC, "level", value={})),
    (
        "QF-EHEA cycle vs EQF level",
        _set(_SPEC, "level", "qfEhea", value="urn:eumicro:vocab:qf-ehea-cycle:2"),
    ),
    ("assessment without type or text", _set(_SPEC, "assessment", value={"modes": [_ONLINE]})),
    ("participation without mode", _set(_SPEC, "participation", value={})),
    (
        "QA without type or text",
        _set(_SPEC, "qualityAssurance", 0, value={"report": "https://x.example/"}),
    ),
    ("unknown stackability option", _set(_SPEC, "stackability", "option", value="maybe")),
    (
        "stand-alone stacking towards",
        _set(_SPEC, "stackability", "towards", value=[{"id": "urn:x:y"}]),
    ),
    ("validUntil before validFrom", _set("validUntil", value="2024-01-01T00:00:00+00:00")),
    ("validUntil at issuing", _set("validUntil", value="2024-06-14T11:00:00+01:00")),
    ("duplicate citizenship", _double("learner", "citizenship")),
    ("duplicate awarding body", _double("awardingBodies")),
    ("duplicate ESCO skill", _double(_SPEC, "learningOutcomes", 0, "escoSkills")),
    ("duplicate language", _double(_SPEC, "languages")),
)


def _accepts(load: Callable[[str], object], text: str, errors: type[Exception]) -> bool:
    try:
        load(text)
    except errors:
        return False
    return True


def check_rejection_parity(w: Workload) -> int:
    """eumicro and the pydantic model accept the intact document and refuse each broken one."""

    def eumicro_load(text: str) -> object:
        return eumicro.from_json(text)

    def pydantic_load(text: str) -> object:
        return pm.MicroCredentialDocument.model_validate_json(text)

    base = orjson.loads(w.texts[0])
    mismatches = []
    for name, mutate in (("intact document", None), *MUTATIONS):
        doc = copy.deepcopy(base)
        if mutate is not None:
            mutate(doc)
        text = orjson.dumps(doc).decode()
        want = mutate is None
        got = {
            "eumicro": _accepts(eumicro_load, text, eumicro.EumicroError),
            "pydantic": _accepts(pydantic_load, text, pydantic.ValidationError),
        }
        wrong = [lib for lib, accepted in got.items() if accepted is not want]
        if wrong:
            verb = "refuses" if want else "accepts"
            mismatches.append(f"{name}: {' and '.join(wrong)} {verb} it")
    if mismatches:
        raise GuardError("rejection parity: " + "; ".join(mismatches))
    return len(MUTATIONS)


# ----------------------------------------------------------------------------- timing


@dataclass
class Case:
    layout: str
    library: str
    operation: str  # "dump" or "load"
    run: Callable[[], object]
    variant: str = ""
    times: list[float] = field(default_factory=list)

    @property
    def label(self) -> str:
        name = f"{self.library} {self.operation}"
        return f"{name} ({self.variant})" if self.variant else name

    @property
    def best(self) -> float:
        return min(self.times)


def make_cases(w: Workload) -> list[Case]:
    dump_opts = pm.DUMP_OPTIONS
    coll = pm.MicroCredentialCollection
    doc = pm.MicroCredentialDocument
    creds, texts, dicts = w.credentials, w.texts, w.dicts
    ctext, cdict, pcoll, pdocs = (
        w.collection_text,
        w.collection_dict,
        w.pydantic_collection,
        w.pydantic_documents,
    )
    c, p = "collection", "per-credential"
    return [
        Case(c, "eumicro", "dump", lambda: eumicro.to_json(creds, indent=None)),
        Case(c, "eumicro", "dump", lambda: eumicro.to_json(creds), variant="indent=2, the default"),
        Case(c, "pydantic", "dump", lambda: pcoll.model_dump_json(**dump_opts)),
        Case(c, "orjson", "dump", lambda: orjson.dumps(cdict)),
        Case(c, "json", "dump", lambda: json.dumps(cdict, ensure_ascii=False)),
        Case(c, "eumicro", "load", lambda: eumicro.collection_from_json(ctext)),
        Case(c, "pydantic", "load", lambda: coll.model_validate_json(ctext)),
        Case(c, "orjson", "load", lambda: orjson.loads(ctext)),
        Case(c, "json", "load", lambda: json.loads(ctext)),
        Case(p, "eumicro", "dump", lambda: [eumicro.to_json(x, indent=None) for x in creds]),
        Case(p, "pydantic", "dump", lambda: [m.model_dump_json(**dump_opts) for m in pdocs]),
        Case(p, "orjson", "dump", lambda: [orjson.dumps(d) for d in dicts]),
        Case(p, "json", "dump", lambda: [json.dumps(d, ensure_ascii=False) for d in dicts]),
        Case(p, "eumicro", "load", lambda: [eumicro.from_json(t) for t in texts]),
        Case(p, "pydantic", "load", lambda: [doc.model_validate_json(t) for t in texts]),
        Case(p, "orjson", "load", lambda: [orjson.loads(t) for t in texts]),
        Case(p, "json", "load", lambda: [json.loads(t) for t in texts]),
    ]


def time_once(run: Callable[[], object], gc_off: bool) -> float:
    gc.collect()
    if gc_off:
        gc.disable()
    try:
        start = time.perf_counter()
        result = run()
        elapsed = time.perf_counter() - start
    finally:
        if gc_off:
            gc.enable()
    del result
    return elapsed


def run_cases(cases: Sequence[Case], repeats: int, gc_off: bool, progress: bool) -> None:
    # Round robin (every case once per round) so that drift of the machine hits all alike.
    for round_ in range(1, repeats + 1):
        for case in cases:
            case.times.append(time_once(case.run, gc_off))
        if progress:
            print(f"  round {round_}/{repeats} done", file=sys.stderr, flush=True)


# ----------------------------------------------------------------------------- reporting


def _reference(cases: Sequence[Case], case: Case, library: str) -> Case:
    return next(
        x
        for x in cases
        if x.layout == case.layout
        and x.operation == case.operation
        and x.library == library
        and not x.variant
    )


def _ratio(value: float) -> str:
    if value >= 100:
        return f"{value:,.0f}×"
    if value >= 10:
        return f"{value:.1f}×"
    return f"{value:.2f}×"


def results(cases: Sequence[Case], count: int) -> list[dict[str, Any]]:
    out = []
    for case in cases:
        out.append(
            {
                "layout": case.layout,
                "library": case.library,
                "operation": case.operation,
                "variant": case.variant or None,
                "label": case.label,
                "best_s": case.best,
                "times_s": case.times,
                "us_per_credential": case.best / count * 1e6,
                "credentials_per_s": count / case.best,
                "vs_pydantic": case.best / _reference(cases, case, "pydantic").best,
                "vs_orjson": case.best / _reference(cases, case, "orjson").best,
            }
        )
    return out


def table(rows: Sequence[dict[str, Any]]) -> str:
    header = ("layout", "case", "total s", "µs/cred", "creds/s", "vs pydantic", "vs orjson")
    groups = [(layout, op) for layout in LAYOUTS for op in ("dump", "load")]
    ordered = sorted(rows, key=lambda r: groups.index((r["layout"], r["operation"])))
    body = [
        (
            row["layout"],
            row["label"],
            f"{row['best_s']:.4f}",
            f"{row['us_per_credential']:,.1f}",
            f"{row['credentials_per_s']:,.0f}",
            _ratio(row["vs_pydantic"]),
            _ratio(row["vs_orjson"]),
        )
        for row in ordered
    ]
    widths = [max(len(cells[i]) for cells in (header, *body)) for i in range(len(header))]

    def fmt(cells: Sequence[str]) -> str:
        return "  ".join(
            cell.ljust(widths[i]) if i < 2 else cell.rjust(widths[i])
            for i, cell in enumerate(cells)
        )

    lines = [fmt(header), "  ".join("-" * width for width in widths)]
    previous = None
    for cells, row in zip(body, ordered, strict=True):
        group = (row["layout"], row["operation"])
        if previous is not None and group != previous:
            lines.append("")
        previous = group
        lines.append(fmt(cells))
    return "\n".join(lines)


def summary(rows: Sequence[dict[str, Any]]) -> list[str]:
    out = []
    for row in rows:
        if row["library"] == "eumicro" and not row["variant"]:
            out.append(
                f"{row['layout']}: eumicro {row['operation']} is "
                f"{_ratio(row['vs_pydantic'])} pydantic, {_ratio(row['vs_orjson'])} orjson"
            )
    return out


# ----------------------------------------------------------------------------- environment


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def _git() -> str | None:
    try:
        head = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None
    return f"{head}{' (modified)' if dirty else ''}"


def _cpu() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def environment() -> dict[str, Any]:
    return {
        "python": sys.version.replace("\n", " "),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "cpu": _cpu(),
        "packages": {
            name: _version(name)
            for name in ("eumicro", "pydantic", "pydantic-core", "orjson", "attrs", "cattrs")
        },
        "eumicro_path": str(Path(eumicro.__file__).parent),
        "git": _git(),
    }


# ----------------------------------------------------------------------------- profile


def profile_eumicro_load(w: Workload, count: int) -> str:
    text = eumicro.to_json(w.credentials[:count], indent=None)
    profiler = cProfile.Profile()
    profiler.enable()
    eumicro.collection_from_json(text)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(25)
    return out.getvalue()


# ----------------------------------------------------------------------------- main


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, help="number of credentials (default 10000)")
    parser.add_argument("--repeats", type=int, help="repeats, the best is kept (default 5)")
    parser.add_argument(
        "--quick", action="store_true", help="1000 credentials, 2 repeats (smoke test)"
    )
    parser.add_argument("--json", type=Path, metavar="PATH", help="write the results as JSON")
    parser.add_argument(
        "--gc-off", action="store_true", help="disable the garbage collector while timing"
    )
    parser.add_argument(
        "--profile",
        type=int,
        nargs="?",
        const=700,
        metavar="N",
        help="also profile eumicro's collection load of N credentials (default 700)",
    )
    args = parser.parse_args(argv)
    if args.count is None:
        args.count = 1000 if args.quick else 10_000
    if args.repeats is None:
        args.repeats = 2 if args.quick else 5
    if args.count < 1 or args.repeats < 1:
        parser.error("--count and --repeats must be at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    env = environment()
    print("eumicro JSON benchmark")
    print(f"  python    {env['python']} ({env['implementation']})")
    print(f"  platform  {env['platform']}; {env['cpu']}")
    print("  packages  " + ", ".join(f"{k} {v}" for k, v in env["packages"].items()))
    print(f"  eumicro   {env['eumicro_path']} (git {env['git'] or 'unknown'})")

    started = time.perf_counter()
    w = prepare(args.count)
    size = len(w.collection_text.encode())
    per_doc = sum(len(t.encode()) for t in w.texts) / len(w.texts)
    print(
        f"  workload  {args.count:,} credentials from {len(eumicro.samples.names())} samples; "
        f"collection {size / 1e6:.2f} MB, {per_doc:,.0f} bytes per credential document"
    )
    print(
        f"  timing    best of {args.repeats}, time.perf_counter, "
        f"GC {'off' if args.gc_off else 'on'} while timing"
    )

    print("checking (not timed) ...", file=sys.stderr, flush=True)
    try:
        check_eumicro_round_trip(w, per_credential=len(eumicro.samples.names()))
        check_pydantic_parity(w)
        refused = check_rejection_parity(w)
    except GuardError as exc:
        print(f"correctness guard failed: {exc}", file=sys.stderr)
        return 1
    print(
        "  checks    eumicro round trip of the whole workload; pydantic dumps all "
        f"{args.count + 1:,} documents back to eumicro's JSON; both refuse the same "
        f"{refused} broken documents"
    )
    print(f"  set-up    {time.perf_counter() - started:.1f} s")

    cases = make_cases(w)
    print("timing ...", file=sys.stderr, flush=True)
    run_cases(cases, args.repeats, args.gc_off, progress=True)
    rows = results(cases, args.count)

    print()
    print(table(rows))
    print()
    print("vs X = time taken / time taken by X for the same operation (> 1: slower)")
    for line in summary(rows):
        print("  " + line)

    profile = None
    if args.profile:
        n = min(args.profile, args.count)
        profile = profile_eumicro_load(w, n)
        print()
        print(f"cProfile of eumicro.collection_from_json, {n} credentials, top 25 by cumtime:")
        print(profile.strip("\n"))

    if args.json:
        document = {
            "benchmark": "eumicro native JSON dump/load",
            "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "environment": env,
            "parameters": {
                "count": args.count,
                "repeats": args.repeats,
                "gc_off": args.gc_off,
                "collection_bytes": size,
                "mean_document_bytes": per_doc,
            },
            "results": rows,
            "summary": summary(rows),
            "profile": profile,
        }
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", "utf-8")
        print(f"\nresults written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

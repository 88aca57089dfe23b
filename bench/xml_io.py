"""Benchmark: native XML dump and load, against xsdata, and streaming of large collections.

Workload: the credentials of ``edc_io.build_workload`` (the built-in samples but the
draft, each with its own id and learner name).

Part 1, eumicro against xsdata on the same documents. xsdata bindings are generated
from eumicro's own XSD (``src/eumicro/schemas/eumicro.xsd``) at the start of the run,
into a temporary directory, with the ``xsdata generate`` command line; xsdata runs with
its defaults (lxml event handler and writer when lxml is installed), pretty-printed
with two spaces as eumicro writes. Both read the XML bytes eumicro wrote; before
timing, the run checks that xsdata reads every document and that eumicro reads what
xsdata writes back equal to the original credential. Timed, each the best of N runs:

* one document per credential: ``to_xml_bytes(c)`` vs ``XmlSerializer.render(obj)``,
  ``from_xml(data)`` vs ``XmlParser.from_bytes(data, Credential)``;
* one ``<collection>`` of every credential: ``to_xml_bytes(list)`` vs
  ``render(Collection)``, ``collection_from_xml(data)`` vs ``from_bytes(data, Collection)``.

eumicro's load validates against the XSD and builds the validated model; xsdata's does
neither (it maps elements to dataclasses). The ratio is eumicro's time divided by
xsdata's: below 1 means eumicro is faster.

Part 2, a collection of 10,000 and of 100,000 credentials written and read as a stream
(``write_xml_stream`` from a generator, ``iter_xml``) and as a whole document
(``save_xml`` of a list, ``load_xml``). Each measurement runs in a fresh Python process,
after a warm-up that loads the vocabularies, samples and XSD: wall time, the process's
peak resident memory (``VmHWM`` on Linux, else ``ru_maxrss``) and how much the operation
raised it. The whole-document writer gets the list of credentials it needs, the stream
writer a generator. With ``--traced``, another run of each reports the peak of Python
allocations (``tracemalloc``; libxml2's memory is not traced).

Nothing is asserted about the timings; a failed check stops the run with exit status 1.

Usage::

    python bench/xml_io.py                  # 10,000 credentials; streams of 10k and 100k
    python bench/xml_io.py --quick          # 1,000 credentials; streams of 1k and 10k
    python bench/xml_io.py --count 2000 --repeats 5 --streams 5000 50000
    python bench/xml_io.py --traced         # also the tracemalloc peaks
    python bench/xml_io.py --json out.json  # also write the results as JSON
"""

from __future__ import annotations

import argparse
import gc
import importlib
import json
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import attrs
from edc_io import DRAFT, _renamed, build_workload

import eumicro
from eumicro import (
    MicroCredential,
    collection_from_xml,
    from_xml,
    load_xml,
    save_xml,
    to_xml_bytes,
)
from eumicro.formats._xml_stream import iter_xml, write_xml_stream

ROOT = Path(__file__).resolve().parent.parent
XSD = ROOT / "src" / "eumicro" / "schemas" / "eumicro.xsd"
PACKAGE = "eumicro_xsdata"
NS = "urn:eumicro:xml:1"
MiB = 1024 * 1024


def iter_workload(count: int) -> Iterator[MicroCredential]:
    """The credentials of ``build_workload(count)``, built one at a time."""
    bases = [eumicro.samples.load(n) for n in eumicro.samples.names() if n != DRAFT]
    for i in range(count):
        base = bases[i % len(bases)]
        yield attrs.evolve(base, id=f"{base.id}:bench:{i:06d}", learner=_renamed(base.learner, i))


# ----------------------------------------------------------------------------- xsdata


def generate_bindings(directory: Path) -> Any:
    """Generate xsdata bindings for eumicro.xsd into ``directory``; return the module."""
    xsdata = shutil.which("xsdata") or str(Path(sys.executable).with_name("xsdata"))
    subprocess.run(
        [xsdata, "generate", str(XSD), "--package", PACKAGE],
        cwd=directory,
        check=True,
        capture_output=True,
    )
    sys.path.insert(0, str(directory))
    return importlib.import_module(f"{PACKAGE}.eumicro")


@attrs.define
class Pair:
    """One operation timed for eumicro and for xsdata."""

    name: str
    ours: Callable[[], object]
    theirs: Callable[[], object]
    ours_times: list[float] = attrs.Factory(list)
    theirs_times: list[float] = attrs.Factory(list)


def time_once(run: Callable[[], object]) -> float:
    gc.collect()
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def versus_xsdata(count: int, repeats: int, directory: Path) -> list[dict[str, Any]]:
    from xsdata.formats.dataclass.context import XmlContext
    from xsdata.formats.dataclass.parsers import XmlParser
    from xsdata.formats.dataclass.serializers import XmlSerializer
    from xsdata.formats.dataclass.serializers.config import SerializerConfig

    bindings = generate_bindings(directory)
    context = XmlContext()
    parser = XmlParser(context=context)
    serializer = XmlSerializer(context=context, config=SerializerConfig(indent="  "))
    ns_map = {None: NS}

    credentials = build_workload(count)
    docs = [to_xml_bytes(c) for c in credentials]
    whole = to_xml_bytes(credentials)
    objects = [parser.from_bytes(d, bindings.Credential) for d in docs]
    collection = parser.from_bytes(whole, bindings.Collection)
    for credential, obj in zip(credentials, objects, strict=True):
        if from_xml(serializer.render(obj, ns_map=ns_map)) != credential:
            raise SystemExit(f"xsdata's XML of {credential.id} does not read back equal")
    if collection_from_xml(serializer.render(collection, ns_map=ns_map)) != credentials:
        raise SystemExit("xsdata's XML of the collection does not read back equal")
    if collection_from_xml(whole) != credentials:
        raise SystemExit("eumicro does not read its collection back equal")

    pairs = [
        Pair(
            "dump, a document each",
            lambda: [to_xml_bytes(c) for c in credentials],
            lambda: [serializer.render(o, ns_map=ns_map) for o in objects],
        ),
        Pair(
            "load, a document each",
            lambda: [from_xml(d) for d in docs],
            lambda: [parser.from_bytes(d, bindings.Credential) for d in docs],
        ),
        Pair(
            "dump, one collection",
            lambda: to_xml_bytes(credentials),
            lambda: serializer.render(collection, ns_map=ns_map),
        ),
        Pair(
            "load, one collection",
            lambda: collection_from_xml(whole),
            lambda: parser.from_bytes(whole, bindings.Collection),
        ),
    ]
    for _ in range(repeats):
        for pair in pairs:
            pair.ours_times.append(time_once(pair.ours))
            pair.theirs_times.append(time_once(pair.theirs))

    size = sum(len(d) for d in docs) / len(docs) / 1024
    print(
        f"Part 1: eumicro vs xsdata, {count:,} credentials ({size:.1f} KiB each), best of {repeats}"
    )
    print()
    print(f"{'operation':<24}{'eumicro s':>11}{'xsdata s':>11}{'eumicro/xsdata':>16}")
    out = []
    for pair in pairs:
        ours, theirs = min(pair.ours_times), min(pair.theirs_times)
        print(f"{pair.name:<24}{ours:>11.3f}{theirs:>11.3f}{ours / theirs:>15.2f}×")
        out.append({"operation": pair.name, "eumicro_s": ours, "xsdata_s": theirs})
    print()
    return out


# ----------------------------------------------------------------------------- streaming

OPERATIONS = ("write-stream", "write-whole", "read-stream", "read-whole")


def peak_rss() -> int:
    """This process's peak resident set size, in bytes.

    On Linux ``VmHWM``: ``ru_maxrss`` would include the parent's peak, which a child
    process inherits across ``exec``.
    """
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss if sys.platform == "darwin" else rss * 1024


def measure(operation: str, count: int, path: Path, traced: bool) -> dict[str, Any]:
    """Run one operation in this process; its time and memory."""
    work: Callable[[], object]
    if operation == "write-stream":

        def work() -> object:
            return write_xml_stream(iter_workload(count), path)

    elif operation == "write-whole":

        def work() -> object:
            save_xml(list(iter_workload(count)), path)
            return count

    elif operation == "read-stream":

        def work() -> object:
            n = 0
            for _ in iter_xml(path):
                n += 1
            return n

    else:

        def work() -> object:
            document = load_xml(path, max_bytes=path.stat().st_size)
            assert isinstance(document, list)
            return len(document)

    # Warm up first: the vocabularies, samples and XSD load on first use.
    warm = path.with_name(f"warm-{operation}.xml")
    write_xml_stream(iter_workload(7), warm)
    list(iter_xml(warm))
    load_xml(warm)
    warm.unlink()
    gc.collect()
    before = peak_rss()
    if traced:
        tracemalloc.start()
    start = time.perf_counter()
    done = work()
    seconds = time.perf_counter() - start
    traced_peak = tracemalloc.get_traced_memory()[1] if traced else None
    peak = peak_rss()
    if done != count:
        raise SystemExit(f"{operation}: {done} credentials instead of {count}")
    return {
        "seconds": seconds,
        "rss_peak": peak,
        "rss_growth": peak - before,
        "traced_peak": traced_peak,
    }


def run_measure(operation: str, count: int, path: Path, traced: bool) -> dict[str, Any]:
    """:func:`measure` in a fresh Python process."""
    command = [sys.executable, __file__, "--measure", operation, str(count), str(path)]
    if traced:
        command.append("--traced")
    done = subprocess.run(command, check=False, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{operation} of {count:,} credentials failed:\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def streaming(counts: Sequence[int], traced: bool, directory: Path) -> list[dict[str, Any]]:
    small = list(iter_workload(50))
    if small != build_workload(50):
        raise SystemExit("iter_workload does not build the same credentials as build_workload")
    check = directory / "check.xml"
    write_xml_stream(iter(small), check)
    if check.read_bytes() != to_xml_bytes(small) or list(iter_xml(check)) != small:
        raise SystemExit("the stream writer or reader disagrees with to_xml / collection_from_xml")

    rows = []
    for count in counts:
        stream_path = directory / f"stream-{count}.xml"
        whole_path = directory / f"whole-{count}.xml"
        for operation in OPERATIONS:
            path = whole_path if operation.endswith("whole") else stream_path
            row: dict[str, Any] = {"operation": operation, "count": count}
            row.update(run_measure(operation, count, path, traced=False))
            if traced:
                row["traced_peak"] = run_measure(operation, count, path, traced=True)["traced_peak"]
            if operation == "write-whole" and stream_path.read_bytes() != whole_path.read_bytes():
                raise SystemExit(f"stream and whole document differ at {count} credentials")
            row["file_bytes"] = path.stat().st_size
            rows.append(row)

    print("Part 2: a <collection> as a stream vs as a whole document (a fresh process each)")
    print()
    header = (
        f"{'credentials':>12}  {'operation':<14}{'s':>9}{'µs/cred':>10}"
        f"{'peak RSS MiB':>14}{'growth MiB':>12}"
    )
    if traced:
        header += f"{'traced MiB':>12}"
    print(header)
    for row in rows:
        line = (
            f"{row['count']:>12,}  {row['operation']:<14}{row['seconds']:>9.2f}"
            f"{row['seconds'] / row['count'] * 1e6:>10.0f}{row['rss_peak'] / MiB:>14.1f}"
            f"{row['rss_growth'] / MiB:>12.1f}"
        )
        if traced:
            line += f"{row['traced_peak'] / MiB:>12.1f}"
        print(line)
    print()
    sizes = sorted({(r["count"], r["file_bytes"]) for r in rows})
    print("file sizes: " + ", ".join(f"{c:,} credentials {b / MiB:,.0f} MiB" for c, b in sizes))
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1,000 credentials, best of 2")
    parser.add_argument("--count", type=int, default=None, help="credentials in part 1")
    parser.add_argument("--repeats", type=int, default=None, help="runs per case (best kept)")
    parser.add_argument("--streams", type=int, nargs="+", default=None, help="part 2 sizes")
    parser.add_argument("--traced", action="store_true", help="also tracemalloc peaks")
    parser.add_argument("--json", type=Path, default=None, help="write the results as JSON")
    parser.add_argument("--measure", nargs=3, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.measure is not None:
        operation, count, path = args.measure
        if operation not in OPERATIONS:
            parser.error(f"unknown operation {operation!r}")
        print(json.dumps(measure(operation, int(count), Path(path), args.traced)))
        return 0

    count = args.count or (1_000 if args.quick else 10_000)
    repeats = args.repeats or (2 if args.quick else 3)
    streams = args.streams or ([1_000, 10_000] if args.quick else [10_000, 100_000])
    print(
        f"eumicro {eumicro.__version__}, Python {platform.python_version()} ({platform.machine()})"
    )
    print()
    with tempfile.TemporaryDirectory(prefix="eumicro-xml-bench-") as tmp:
        directory = Path(tmp)
        pairs = versus_xsdata(count, repeats, directory)
        rows = streaming(streams, args.traced, directory)
    if args.json is not None:
        results = {
            "python": platform.python_version(),
            "eumicro": eumicro.__version__,
            "count": count,
            "repeats": repeats,
            "versus_xsdata": pairs,
            "streaming": rows,
        }
        args.json.write_text(json.dumps(results, indent=2) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

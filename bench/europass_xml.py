"""Benchmark: Europass XML export and import (LOQ learning opportunities, legacy EDCI).

Workload: the credentials of ``edc_io.build_workload`` (the built-in samples but the
draft, each with its own id and learner). Timed, each the best of N runs
(``time.perf_counter``, a ``gc.collect()`` before each), with native XML beside them
for scale:

* LOQ: ``to_loq_xml`` of the specifications, one ``Courses`` document with all of them,
  and ``from_loq_xml`` of that document (safe parsing, validation against the official
  ``loq.xsd``, mapping); ``read_loq`` of it (the same, keeping the document), and the
  lossless re-export ``to_loq_xml(items, base=document)`` with one specification in ten
  changed, beside the plain export of the same items;
* legacy Europass credentials: ``to_edci_xml`` per credential and ``from_edci_xml`` per
  document (validation against ``genericschema_1.2.xsd`` included);
* native XML: ``to_xml_bytes`` and ``from_xml`` per credential.

Before timing, every document is checked to read back: the LOQ document gives the same
number of specifications, and every EDCI document one credential with the same id.
Nothing is asserted about the timings.

Usage::

    python bench/europass_xml.py            # 2,000 credentials, best of 3
    python bench/europass_xml.py --quick    # 200 credentials, best of 2
"""

from __future__ import annotations

import argparse
import gc
import time
from collections.abc import Callable

import attrs
from edc_io import build_workload

from eumicro import Text, from_xml, to_xml_bytes
from eumicro.formats.europass import (
    from_edci_xml,
    from_loq_xml,
    read_loq,
    to_edci_xml,
    to_loq_xml,
)


def best(run: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        gc.collect()
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="200 credentials, best of 2")
    parser.add_argument("--count", type=int, default=None)
    parser.add_argument("--repeats", type=int, default=None)
    args = parser.parse_args()
    count = args.count or (200 if args.quick else 2000)
    repeats = args.repeats or (2 if args.quick else 3)
    credentials = build_workload(count)
    # LOQ publishes specifications, not awards: one distinct specification per credential.
    specifications = [
        attrs.evolve(c.specification, id=f"{c.specification.id}:v{i}")
        for i, c in enumerate(credentials)
    ]
    loq = to_loq_xml(specifications)
    edci = [to_edci_xml(c) for c in credentials]
    native = [to_xml_bytes(c) for c in credentials]
    if len(from_loq_xml(loq)) != len(specifications):
        raise SystemExit("the LOQ document does not read back")
    document = read_loq(loq)
    edited = [
        attrs.evolve(s, title=Text(en=f"Edition {i}")) if i % 10 == 0 else s
        for i, s in enumerate(document.items)
    ]
    if read_loq(document.to_xml(edited)).items != tuple(edited):
        raise SystemExit("the edited LOQ document does not read back")
    for c, doc in zip(credentials, edci, strict=True):
        (back,) = from_edci_xml(doc).credentials
        if back.id != c.id:
            raise SystemExit(f"{c.id} does not read back from EDCI XML")
    cases: list[tuple[str, int, Callable[[], object]]] = [
        (
            "LOQ export (one Courses document)",
            len(specifications),
            lambda: to_loq_xml(specifications),
        ),
        ("LOQ import (one Courses document)", len(specifications), lambda: from_loq_xml(loq)),
        ("LOQ read_loq (document kept)", len(specifications), lambda: read_loq(loq)),
        (
            "LOQ export of edited items, fresh",
            len(specifications),
            lambda: to_loq_xml(edited),
        ),
        (
            "LOQ export of edited items, over the document",
            len(specifications),
            # The first re-export over a document also renders the items as read (the
            # merge's common ancestor), which the document then keeps: timed here.
            lambda: (document._cache.clear(), to_loq_xml(edited, base=document)),
        ),
        ("EDCI export (a document each)", count, lambda: [to_edci_xml(c) for c in credentials]),
        ("EDCI import (a document each)", count, lambda: [from_edci_xml(d) for d in edci]),
        (
            "native XML dump (a document each)",
            count,
            lambda: [to_xml_bytes(c) for c in credentials],
        ),
        ("native XML load (a document each)", count, lambda: [from_xml(d) for d in native]),
    ]
    print(f"Europass XML: {count:,} credentials and as many specifications, best of {repeats}\n")
    rows = []
    for name, items, run in cases:
        spent = best(run, repeats)
        rows.append((name, f"{items:,}", f"{spent:.3f}", f"{spent / items * 1e6:,.0f}"))
    headers = ("operation", "items", "s", "µs/item")
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    print("  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)))
    print("  ".join("-" * w for w in widths))
    for row in rows:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)))
    print(
        f"\nsizes: LOQ {len(loq) / len(specifications):,.0f} bytes per specification, "
        f"EDCI {sum(map(len, edci)) / count:,.0f} bytes per credential, "
        f"native XML {sum(map(len, native)) / count:,.0f}"
    )


if __name__ == "__main__":
    main()

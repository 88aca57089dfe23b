"""EDC validation: eumicro's built-in check against pySHACL on the same documents.

Run with ``nox -s bench`` or ``python bench/edc_check.py [--quick]``.

The documents: the official conforming samples (the ELM 3.2 ``credential-sample`` and
the payload of the European Commission's sealed micro-credential sample, from
``tests/data/edc-samples``), broken variants of both, and eumicro's own EDC exports of
the built-in samples (all but the draft) when the exporter is there.

Before any timing, ``check_edc`` and ``shacl_validate_edc`` must agree on every
document: the same verdict and the same (path, constraint component) pairs; otherwise
the run stops with exit status 1. Then each function is timed per document (best of N
runs; ``check_edc`` in a loop long enough to measure) and the ratio printed. Nothing is
asserted about the timings.

``shacl_validate_edc`` is the whole pySHACL route as eumicro offers it: pyld to
N-Quads, rdflib, pySHACL (the shapes graph parsed once, before timing), and the mapping
of the results back to JSON paths. Both functions get the parsed credential (a Python
dict), so JSON parsing is timed for neither.
"""

from __future__ import annotations

import argparse
import copy
import gc
import json
import math
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from eumicro import ParseError, samples
from eumicro.formats.europass._check import check_edc, read_graph
from eumicro.formats.europass._shacl import shacl_validate_edc

SAMPLES = Path(__file__).resolve().parent.parent / "tests" / "data" / "edc-samples"
Doc = dict[str, Any]


def _load(relative: str) -> Doc | None:
    path = SAMPLES / relative
    if not path.exists():
        return None
    document: Doc = json.loads(path.read_text(encoding="utf-8"))
    return document


def _edited(base: Doc, edit: Callable[[Doc], object]) -> Doc:
    document = copy.deepcopy(base)
    edit(document)
    return document


def _detail(doc: Doc) -> Doc:
    detail = doc["displayParameter"]["individualDisplay"]
    detail = detail[0] if isinstance(detail, list) else detail
    found = detail["displayDetail"]
    result: Doc = found[0] if isinstance(found, list) else found
    return result


def _wrong_country_scheme(doc: Doc) -> None:
    address = doc["issuer"]["location"]
    address = (address[0] if isinstance(address, list) else address)["address"]
    address["countryCode"] = {
        "id": "http://publications.europa.eu/resource/authority/language/FRA",
        "type": "Concept",
        "inScheme": {
            "id": "http://publications.europa.eu/resource/authority/language",
            "type": "ConceptScheme",
        },
    }


VARIANTS: Sequence[tuple[str, Callable[[Doc], object]]] = (
    ("no issued", lambda d: d.pop("issued")),
    ("issuer without eIDASIdentifier", lambda d: d["issuer"].pop("eIDASIdentifier")),
    ("issued 'yesterday'", lambda d: d.__setitem__("issued", "yesterday")),
    ("page 0", lambda d: _detail(d).__setitem__("page", 0)),
    (
        "two validFrom",
        lambda d: d.__setitem__("validFrom", [d["validFrom"], "2011-01-01T00:00:00Z"]),
    ),
    ("title without language", lambda d: d["displayParameter"].__setitem__("title", "A title")),
    ("country from the language list", _wrong_country_scheme),
    (
        "hasClaim of a wrong type",
        lambda d: d["credentialSubject"]["hasClaim"].__setitem__("type", "Note"),
    ),
)


def corpus(quick: bool) -> list[tuple[str, Doc]]:
    """(name, credential) pairs: official samples, broken variants, eumicro exports."""
    documents: list[tuple[str, Doc]] = []
    small = _load("elm-3.2/credential-sample.jsonld")
    sealed = _load("elm-3.1/Sample-MC-Annex1-signed.jsonld")
    bases: list[tuple[str, Doc]] = []
    if small is not None:
        bases.append(("ELM 3.2 credential-sample", small))
    if sealed is not None:
        bases.append(("EC micro-credential (sealed payload)", json.loads(sealed["payload"])))
    if not bases:
        print(f"note: no official samples under {SAMPLES}; timing eumicro exports only")
    for name, base in bases:
        documents.append((name, base))
        for variant, edit in VARIANTS[:3] if quick else VARIANTS:
            documents.append((f"{name}: {variant}", _edited(base, edit)))
    try:
        from eumicro.formats.europass import to_edc
    except ImportError:
        print("note: eumicro.formats.europass.to_edc is not available; no exports timed")
    else:
        names = [n for n in samples.names() if n != "draft-green-skills"]
        for name in names[:2] if quick else names:
            documents.append((f"eumicro export {name}", to_edc(samples.load(name))))
    return documents


def _pairs(problems: Sequence[Any]) -> Counter[tuple[str, str]]:
    return Counter((p.location, p.code) for p in problems)


def agree(documents: Sequence[tuple[str, Doc]]) -> list[str]:
    """The documents on which the two functions disagree (empty: they all agree)."""
    disagreements = []
    for name, document in documents:
        try:
            report = shacl_validate_edc(document)
            problems = check_edc(document)
        except ParseError as exc:
            disagreements.append(f"{name}: {exc}")
            continue
        if report.conforms != (not problems) or _pairs(report.problems) != _pairs(problems):
            disagreements.append(
                f"{name}: pySHACL {sorted(_pairs(report.problems))} != "
                f"built-in {sorted(_pairs(problems))}"
            )
    return disagreements


def best(run: Callable[[], object], repeats: int, loops: int = 1) -> float:
    """Best time of ``repeats`` runs of ``loops`` calls, per call, in seconds."""
    fastest = math.inf
    for _ in range(repeats):
        gc.collect()
        start = time.perf_counter()
        for _ in range(loops):
            run()
        fastest = min(fastest, (time.perf_counter() - start) / loops)
    return fastest


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer documents and runs")
    parser.add_argument("--repeats", type=int, default=None, help="runs per measurement")
    args = parser.parse_args(argv)
    repeats = args.repeats or (2 if args.quick else 5)

    documents = corpus(args.quick)
    if not documents:
        print("no documents to time")
        return 1
    # Warm up: the shapes graph, the rules file, the contexts (each read once per process).
    for _, document in documents[:1]:
        shacl_validate_edc(document)
        check_edc(document)
    disagreements = agree(documents)
    if disagreements:
        print("check_edc and shacl_validate_edc disagree:", file=sys.stderr)
        for line in disagreements:
            print(f"  {line}", file=sys.stderr)
        return 1
    failing = sum(1 for _, d in documents if check_edc(d))
    print(
        f"{len(documents)} documents ({failing} with problems): identical verdicts and "
        "(path, constraint) pairs from both"
    )
    print(f"best of {repeats} runs per document\n")
    width = max(len(name) for name, _ in documents)
    print(
        f"{'document':<{width}} {'nodes':>5} {'problems':>8} "
        f"{'built-in µs':>11} {'pySHACL ms':>10} {'ratio':>7}"
    )
    ratios = []
    total_fast = total_slow = 0.0
    for name, document in documents:
        nodes = len(read_graph(document).nodes)
        problems = len(check_edc(document))
        fast = best(lambda document=document: check_edc(document), repeats, loops=20)
        slow = best(lambda document=document: shacl_validate_edc(document), max(1, repeats // 2))
        ratios.append(slow / fast)
        total_fast += fast
        total_slow += slow
        print(
            f"{name:<{width}} {nodes:>5} {problems:>8} {fast * 1e6:>11.0f} "
            f"{slow * 1e3:>10.1f} {slow / fast:>6.0f}×"
        )
    geometric = math.exp(sum(math.log(r) for r in ratios) / len(ratios))
    print(
        f"\nmean per document: built-in {total_fast / len(documents) * 1e6:.0f} µs, "
        f"pySHACL {total_slow / len(documents) * 1e3:.1f} ms; "
        f"ratio {min(ratios):.0f}× to {max(ratios):.0f}× (geometric mean {geometric:.0f}×)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

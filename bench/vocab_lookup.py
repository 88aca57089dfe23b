"""Vocabulary lookups: eumicro's indexes against a linear scan of the same concepts.

Run with ``nox -s bench`` (after the JSON benchmark) or ``python bench/vocab_lookup.py``.
Looks up every concept of the largest vocabularies by IRI, by code, by alternative code
and by English label, and prints the time per lookup and the ratio to a plain scan of
the concept list (what a user without an index would write). Nothing is asserted about
the timings.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable, Sequence

from eumicro import vocab
from eumicro._vocabulary import Concept, Vocabulary


def _scan(
    concepts: Sequence[Concept], matches: Callable[[Concept, str], bool], value: str
) -> Concept:
    for concept in concepts:
        if matches(concept, value):
            return concept
    raise LookupError(value)


def _best(run: Callable[[], object], repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return best


Case = tuple[
    str,
    list[str],
    Callable[[str], Concept],
    Callable[[Concept, str], bool],
]


def measure(vocabulary: Vocabulary, repeats: int, sample: int) -> list[tuple[str, float, float]]:
    concepts = list(vocabulary)
    picked = concepts[:: max(1, len(concepts) // sample)]
    cases: list[Case] = [
        ("IRI", [c.iri for c in picked], vocabulary.by_iri, lambda c, v: c.iri == v),
        (
            "code",
            [c.code for c in picked],
            vocabulary.by_code,
            lambda c, v: c.code.casefold() == v.casefold(),
        ),
        (
            "alt code",
            [c.alt_codes[0] for c in picked if c.alt_codes],
            vocabulary.by_code,
            lambda c, v: (
                c.code.casefold() == v.casefold()
                or v.casefold() in {a.casefold() for a in c.alt_codes}
            ),
        ),
        (
            "label",
            [c.label for c in picked if c.label != c.code],
            vocabulary.by_label,
            lambda c, v: c.label.casefold() == v.casefold(),
        ),
    ]
    rows = []
    for name, keys, indexed, matches in cases:
        if not keys:
            continue
        for key in keys:  # correctness first: the index and the scan agree
            assert indexed(key) is _scan(concepts, matches, key), (vocabulary.name, name, key)
        fast = _best(lambda keys=keys, indexed=indexed: [indexed(k) for k in keys], repeats)
        slow = _best(
            lambda keys=keys, matches=matches: [_scan(concepts, matches, k) for k in keys],
            max(1, repeats // 2),
        )
        rows.append((name, fast / len(keys), slow / len(keys)))
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--sample", type=int, default=400, help="concepts looked up per case")
    args = parser.parse_args(argv)
    print("eumicro vocabulary lookups (best of", args.repeats, "runs)")
    print(
        f"{'vocabulary':<12} {'concepts':>8}  {'by':<9} {'index µs':>9} {'scan µs':>9} {'scan/index':>10}"
    )
    for vocabulary in (vocab.LANGUAGE, vocab.ATU, vocab.NUTS, vocab.COUNTRY, vocab.EQF):
        start = time.perf_counter()
        size = len(vocabulary)  # first use loads the data file
        load_ms = (time.perf_counter() - start) * 1000
        for name, fast, slow in measure(vocabulary, args.repeats, args.sample):
            print(
                f"{vocabulary.name:<12} {size:>8}  {name:<9} {fast * 1e6:>9.3f} {slow * 1e6:>9.1f} "
                f"{slow / fast:>9.0f}×"
            )
        print(
            f"{vocabulary.name:<12} {size:>8}  first use (reading the data file): {load_ms:.1f} ms"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The ``eumicro`` command line.

Sub-commands:

* ``eumicro demo [--out DIR]`` — shows the built-in samples, their Annex I check, and
  writes them as native JSON to DIR.
* ``eumicro validate FILE…`` — checks documents; one line per problem; exit code 0 when
  every file is valid, 1 otherwise (``--annex-i`` also requires Annex I compliance).
* ``eumicro annex FILE…`` — prints the Annex I report of each credential.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from eumicro import __version__
from eumicro._annex import check_annex_i
from eumicro._errors import ParseError, Problem, UnsupportedFormatError
from eumicro._model import MicroCredential, Specification
from eumicro._samples import SAMPLES
from eumicro.formats import Document, json_key, load_json, save_json

__all__ = ["main"]


def _format_problem(source: str, problem: Problem) -> str:
    where = source
    if problem.line is not None:
        where += f":{problem.line}:{problem.column or 0}"
    return f"{where}: {problem.location}: {problem.message}"


_READERS = {".json": load_json}


def _read(name: str) -> Document:
    """Read a document, choosing the format by the file's extension."""
    path = Path(name)
    reader = _READERS.get(path.suffix.lower())
    if reader is None:
        known = ", ".join(sorted(_READERS))
        raise UnsupportedFormatError(
            f"{name}: cannot tell the format from the extension {path.suffix or '(none)'!r}; "
            f"eumicro reads {known}"
        )
    return reader(path)


def _json_path(prefix: str, model_path: str) -> str:
    return prefix + "".join("." + json_key(part) for part in model_path.split("."))


def _credentials_of(document: object) -> list[MicroCredential | Specification]:
    if isinstance(document, list):
        return list(document)
    if isinstance(document, MicroCredential | Specification):
        return [document]
    return []  # pragma: no cover - load_json returns one of the above


def _cmd_demo(args: argparse.Namespace, out: TextIO) -> int:
    target: Path = args.out
    target.mkdir(parents=True, exist_ok=True)
    credentials = []
    out.write(f"eumicro {__version__}: {len(SAMPLES)} built-in sample micro-credentials\n\n")
    for name, factory in SAMPLES.items():
        credential = factory()
        credentials.append(credential)
        spec = credential.specification
        report = check_annex_i(credential)
        learner = credential.learner.display_name if credential.learner else None
        bodies = "; ".join(str(b.name) for b in credential.awarding_bodies) or "-"
        level = spec.level.eqf.code if spec.level and spec.level.eqf else "-"
        ects = spec.ects if spec.ects is not None else "-"
        languages = ", ".join(spec.title.languages) if spec.title else "-"
        verdict = "meets Annex I" if report.compliant else "DRAFT - does not meet Annex I"
        out.write(f"{name}\n")
        out.write(f"  title      : {spec.title or '-'} [{languages}]\n")
        out.write(f"  learner    : {learner or '-'}\n")
        out.write(f"  awarded by : {bodies}\n")
        issued = credential.issued.isoformat() if credential.issued else "-"
        out.write(f"  EQF {level}, {ects} ECTS; issued {issued}\n")
        out.write(f"  Annex I    : {verdict}\n")
        for finding in report.problems + report.weak:
            out.write(f"    {finding}\n")
        path = target / f"{name}.json"
        save_json(credential, path)
        out.write(f"  written to : {path}\n\n")
    collection = target / "all-samples.json"
    save_json(credentials, collection)
    out.write(f"All samples as one collection: {collection}\n")
    return 0


def _cmd_validate(args: argparse.Namespace, out: TextIO) -> int:
    failed = False
    for name in args.files:
        try:
            document = _read(name)
        except UnsupportedFormatError as exc:
            failed = True
            out.write(f"{exc}\n")
            continue
        except ParseError as exc:
            failed = True
            for problem in exc.problems:
                out.write(_format_problem(name, problem) + "\n")
            continue
        items = _credentials_of(document)
        bad = False
        if args.annex_i:
            for i, item in enumerate(items):
                report = check_annex_i(item)
                prefix = f"$.credentials[{i}]" if isinstance(document, list) else "$"
                for finding in report.problems:
                    bad = True
                    out.write(
                        f"{name}: {_json_path(prefix, finding.path)}: Annex I element "
                        f"{finding.element.number} "
                        f"({finding.element.short_name}) {finding.status.value}: "
                        f"{finding.message}\n"
                    )
        if bad:
            failed = True
        elif args.verbose:
            out.write(f"{name}: ok ({len(items)} item(s))\n")
    return 1 if failed else 0


def _cmd_annex(args: argparse.Namespace, out: TextIO) -> int:
    failed = False
    for name in args.files:
        try:
            document = _read(name)
        except UnsupportedFormatError as exc:
            failed = True
            out.write(f"{exc}\n")
            continue
        except ParseError as exc:
            failed = True
            for problem in exc.problems:
                out.write(_format_problem(name, problem) + "\n")
            continue
        for item in _credentials_of(document):
            report = check_annex_i(item)
            failed = failed or not report.compliant
            out.write(f"{name}: {item.id}\n{report}\n\n")
    return 1 if failed else 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="eumicro",
        description="EU micro-credentials: model, formats and the Annex I check.",
    )
    parser.add_argument("--version", action="version", version=f"eumicro {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    demo = sub.add_parser("demo", help="show the built-in samples and write them as JSON")
    demo.add_argument(
        "--out",
        type=Path,
        default=Path("eumicro-demo"),
        help="folder to write the samples to (default: ./eumicro-demo)",
    )
    demo.set_defaults(func=_cmd_demo)

    validate = sub.add_parser("validate", help="check documents; exit 1 if any has a problem")
    validate.add_argument("files", nargs="+", metavar="FILE")
    validate.add_argument(
        "--annex-i",
        action="store_true",
        help="also require every credential to meet Annex I of the Recommendation",
    )
    validate.add_argument("-v", "--verbose", action="store_true", help="say 'ok' for good files")
    validate.set_defaults(func=_cmd_validate)

    annex = sub.add_parser("annex", help="print the Annex I report of each credential")
    annex.add_argument("files", nargs="+", metavar="FILE")
    annex.set_defaults(func=_cmd_annex)
    return parser


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Run the command line; returns the exit code."""
    args = _parser().parse_args(argv)
    stream = out if out is not None else sys.stdout
    code: int = args.func(args, stream)
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

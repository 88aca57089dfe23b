"""The ``eumicro`` command line.

Sub-commands:

* ``eumicro demo [--out DIR]`` — shows the built-in samples, their Annex I check, and
  writes them as native JSON to DIR.
* ``eumicro validate FILE…`` — checks documents (native JSON, or European Digital
  Credentials); one line per problem; exit code 0 when every file is valid, 1 otherwise
  (``--annex-i`` also requires Annex I compliance, ``--shacl`` runs pySHACL on EDCs).
* ``eumicro annex FILE…`` — prints the Annex I report of each credential.
* ``eumicro convert IN --to FORMAT [-o OUT]`` — converts a credential between native
  JSON (``json``), native XML (``xml``) and a European Digital Credential (``europass``).

The format of a file is told by its extension and content, or by ``--from``: ``.xml`` is
native eumicro XML; ``.jsonld`` is an EDC; a ``.json`` file is an EDC when its top-level
object has ``@context``, ``credential`` (an upload wrapper) or ``payload`` (a sealed
credential), and native eumicro JSON otherwise.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, Final, TextIO

from eumicro import __version__, vocab
from eumicro._annex import AnnexElement, check_annex_i
from eumicro._errors import (
    EumicroError,
    ParseError,
    Problem,
    UnknownConceptError,
    UnsupportedFormatError,
    ValidationError,
)
from eumicro._model import MicroCredential, Specification
from eumicro._opportunity import LearningOpportunity
from eumicro._samples import SAMPLES
from eumicro.formats import (
    Document,
    document_from_json,
    document_from_xml,
    json_key,
    save_json,
    to_json,
    to_xml,
)
from eumicro.formats._xml import model_field_element
from eumicro.formats.europass import (
    DisplayImage,
    EdcImport,
    LoqDocument,
    check_edc,
    from_edc,
    from_edci_xml,
    read_loq,
    shacl_validate_edc,
    to_edc_json,
    to_edci_xml,
    to_loq_xml,
)
from eumicro.stacking import (
    CompletionStatus,
    StackReport,
    by_ects,
    by_price,
    catalogue_from_json,
    catalogue_from_xml,
    complete,
    load_example_catalogue,
    stackable,
)
from eumicro.stacking._complete import Cost

__all__ = ["main"]

_EXTENSIONS: Final = (".json", ".jsonld", ".xml")
_INPUTS: Final = ("json", "europass", "xml", "edci-v2", "loq")
# The root element of an XML file tells native eumicro XML from the Europass XML formats.
_XML_ROOTS: Final = {"europassCredential": "edci-v2", "Courses": "loq"}
_XML_ROOT: Final = re.compile(rb"<(?:[\w.-]+:)?([\w.-]+)")
_PROLOG_NOISE: Final = re.compile(rb"<!--.*?-->|<\?.*?\?>|<!DOCTYPE[^>]*>", re.DOTALL)
_FORMATS: Final = ("json", "xml", "europass", "loq", "edci-v2")
_EDC_KEYS: Final = ("@context", "credential", "payload")

# Where each Annex I element lives in an EDC (for `validate --annex-i` on EDC files).
_CLAIM: Final = "$.credentialSubject.hasClaim"
_EDC_ANNEX_PATHS: Final = {
    AnnexElement.LEARNER: "$.credentialSubject",
    AnnexElement.TITLE: f"{_CLAIM}.specifiedBy.title",
    AnnexElement.ISSUER_COUNTRY: f"{_CLAIM}.awardedBy.awardingBody",
    AnnexElement.AWARDING_BODY: f"{_CLAIM}.awardedBy.awardingBody",
    AnnexElement.DATE_OF_ISSUING: "$.issued",
    AnnexElement.LEARNING_OUTCOMES: f"{_CLAIM}.specifiedBy.learningOutcome",
    AnnexElement.WORKLOAD: f"{_CLAIM}.specifiedBy.creditPoint",
    AnnexElement.LEVEL: f"{_CLAIM}.specifiedBy.eqfLevel",
    AnnexElement.ASSESSMENT: f"{_CLAIM}.specifiedBy.provenBy",
    AnnexElement.PARTICIPATION: f"{_CLAIM}.specifiedBy.mode",
    AnnexElement.QUALITY_ASSURANCE: f"{_CLAIM}.specifiedBy.accreditation",
}
_IMAGE_TYPES: Final = {
    ".svg": "SVG",
    ".png": "PNG",
    ".jpg": "JPEG",
    ".jpeg": "JPEG",
    ".pdf": "PDF",
}


def _looks_like_xml(name: object, data: bytes) -> bool:
    """An XML catalogue: by its extension, or else by its first character."""
    suffix = Path(str(name)).suffix.lower()
    if suffix in (".xml", ".json"):
        return suffix == ".xml"
    return data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")


def _format_problem(source: str, problem: Problem) -> str:
    where = source
    if problem.line is not None:
        where += f":{problem.line}:{problem.column or 0}"
    return f"{where}: {problem.location}: {problem.message}"


class _Source:
    """A document read from a file: native JSON or XML, or a European Digital Credential."""

    def __init__(
        self,
        name: str,
        document: Document | list[Specification] | None = None,
        edc: EdcImport | None = None,
        raw: Any = None,
        xml: bool = False,
        notes: Sequence[str] = (),
        loq: LoqDocument | None = None,
    ) -> None:
        self.name = name
        self.loq = loq
        self.document = document
        self.edc = edc
        self.raw = raw
        self.xml = xml
        self.notes = tuple(notes)

    @property
    def is_edc(self) -> bool:
        return self.document is None


def _read_bytes(name: str) -> bytes:
    path = Path(name)
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ParseError(
            [Problem((), f"cannot read {name}: {exc.strerror}", "io")], "eumicro JSON"
        ) from None


def _xml_format(raw: bytes) -> str:
    """``edci-v2`` or ``loq`` by the root element of a Europass XML file, else ``xml``."""
    head = _PROLOG_NOISE.sub(b"", raw[:65536])
    m = _XML_ROOT.search(head)
    return _XML_ROOTS.get(m.group(1).decode("ascii", "replace"), "xml") if m else "xml"


def _sniff_edc(raw: bytes) -> Any:
    """The parsed JSON when it is an EDC document, else None (native JSON or not JSON)."""
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        return None
    if isinstance(data, dict) and any(key in data for key in _EDC_KEYS):
        return data
    return None


def _read(name: str, *, edc_checks: bool = False, fmt: str | None = None) -> _Source:
    """Read a document in the format ``fmt``, or else the one its extension and content tell.

    Raises:
        UnsupportedFormatError: no format given and an extension eumicro does not read.
        ParseError: the file cannot be read (for an EDC with ``edc_checks``, the raw
            document is kept and the error is raised by the caller's checks instead).
    """
    suffix = Path(name).suffix.lower()
    if fmt is None and suffix not in _EXTENSIONS:
        known = ", ".join(_EXTENSIONS)
        raise UnsupportedFormatError(
            f"{name}: cannot tell the format from the extension {suffix or '(none)'!r}; "
            f"eumicro reads {known} (or give --from {'|'.join(_INPUTS)})"
        )
    raw = _read_bytes(name)
    if fmt is None and suffix == ".xml":
        fmt = _xml_format(raw)
    if fmt == "xml":
        return _Source(name, document=document_from_xml(raw), xml=True)
    if fmt == "edci-v2":
        found = from_edci_xml(raw)
        one = len(found.credentials) == 1
        return _Source(
            name,
            document=found.credentials[0] if one else list(found.credentials),
            notes=found.notes,
        )
    if fmt == "loq":
        loq = read_loq(raw)
        specifications = [
            item if isinstance(item, Specification) else item.specification for item in loq.items
        ]
        return _Source(
            name,
            document=specifications[0] if len(specifications) == 1 else specifications,
            notes=[f"{note} (kept in a LOQ re-export)" for note in loq.notes],
            loq=loq,
        )
    if fmt == "json":
        return _Source(name, document=document_from_json(raw))
    data = _sniff_edc(raw)
    if fmt == "europass" or suffix == ".jsonld" or data is not None:
        if data is None:
            from_edc(raw)  # not JSON, or not an object: raises the ParseError
        if edc_checks:
            return _Source(name, raw=data)
        return _Source(name, edc=from_edc(data), raw=data)
    return _Source(name, document=document_from_json(raw))


def _read_or_report(
    name: str, out: TextIO, *, edc_checks: bool = False, fmt: str | None = None
) -> _Source | None:
    """Read a document, or write why it cannot be read (one line per problem) and say None."""
    try:
        return _read(name, edc_checks=edc_checks, fmt=fmt)
    except UnsupportedFormatError as exc:
        out.write(f"{exc}\n")
    except ParseError as exc:
        for problem in exc.problems:
            out.write(_format_problem(name, problem) + "\n")
    return None


def _xml_path(root: str, item: MicroCredential | Specification, model_path: str) -> str:
    """The element path of a dotted model path (``specification.workload``) in eumicro XML."""
    cls: type = type(item)
    parts = [root or ("/credential" if isinstance(item, MicroCredential) else "/specification")]
    for name in model_path.split("."):
        found = model_field_element(cls, name)
        if found is None:  # pragma: no cover - every Annex I path maps to an element
            parts.append(name)
            break
        xml, cls_next = found
        parts.append(xml)
        if cls_next is None:
            break
        cls = cls_next
    return "/".join(parts)


def _json_path(prefix: str, model_path: str) -> str:
    return prefix + "".join("." + json_key(part) for part in model_path.split("."))


def _credentials_of(document: object) -> list[MicroCredential | Specification]:
    if isinstance(document, list):
        return list(document)
    if isinstance(document, MicroCredential | Specification):
        return [document]
    return []  # pragma: no cover - load_json returns one of the above


# The demo evaluates stacking at a fixed date, so that its output does not change.
_DEMO_DATE: Final = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def _cmd_demo(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
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
    out.write(f"All samples as one collection: {collection}\n\n")
    catalogue = load_example_catalogue()
    at = _DEMO_DATE
    out.write(
        f"Stacking: the samples against the example catalogue of {len(catalogue)} "
        f"qualifications (eumicro stack --catalogue FILE for your own)\n"
    )
    out.write(stackable(credentials, catalogue, at=at).explain() + "\n")
    return 0


def _validate_edc(source: _Source, args: argparse.Namespace, out: TextIO) -> bool:
    """Check an EDC file; True when it has a problem."""
    name, data = source.name, source.raw
    bad = False
    result: EdcImport | None = None
    try:
        result = from_edc(data)
    except ParseError as exc:
        bad = True
        for problem in exc.problems:
            out.write(_format_problem(name, problem) + "\n")
    version = result.version if result is not None else "3.2"
    try:
        structural = check_edc(data, version=version)
    except ParseError as exc:
        structural = () if bad else exc.problems  # the reader has said it already
    for problem in structural:
        bad = True
        out.write(_format_problem(name, problem) + "\n")
    if args.shacl:
        try:
            report = shacl_validate_edc(data, version=version)
        except ParseError as exc:
            report = None
            if not bad:
                bad = True
                for problem in exc.problems:
                    out.write(_format_problem(name, problem) + "\n")
        except EumicroError as exc:  # the shacl extra is not installed
            bad = True
            out.write(f"{name}: {exc}\n")
            report = None
        if report is not None and not report.conforms:
            bad = True
            for problem in report.problems:
                out.write(f"{name}: SHACL: {problem.location}: {problem.message}\n")
    if args.annex_i and result is not None:
        prefix = {"upload": "$.credential", "sealed": "$.payload"}.get(result.wrapper, "$")
        for finding in check_annex_i(result.credential).problems:
            bad = True
            where = _EDC_ANNEX_PATHS.get(finding.element, "$").replace("$", prefix, 1)
            out.write(
                f"{name}: {where}: Annex I element {finding.element.number} "
                f"({finding.element.short_name}) {finding.status.value}: {finding.message}\n"
            )
    if not bad and args.verbose:
        out.write(f"{name}: ok (1 item(s), European Digital Credential)\n")
    return bad


def _cmd_validate(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    failed = False
    for name in args.files:
        source = _read_or_report(name, out, edc_checks=True, fmt=args.input_format)
        if source is None:
            failed = True
            continue
        if source.is_edc:
            failed = _validate_edc(source, args, out) or failed
            continue
        for note in source.notes:
            err.write(f"{name}: note: {note}\n")
        document = source.document
        items = _credentials_of(document)
        bad = False
        if args.annex_i:
            for i, item in enumerate(items):
                report = check_annex_i(item)
                for finding in report.problems:
                    bad = True
                    if source.xml:
                        root = (
                            f"/collection/credential[{i + 1}]" if isinstance(document, list) else ""
                        )
                        where = _xml_path(root, item, finding.path)
                    else:
                        prefix = f"$.credentials[{i}]" if isinstance(document, list) else "$"
                        where = _json_path(prefix, finding.path)
                    out.write(
                        f"{name}: {where}: Annex I element "
                        f"{finding.element.number} "
                        f"({finding.element.short_name}) {finding.status.value}: "
                        f"{finding.message}\n"
                    )
        if bad:
            failed = True
        elif args.verbose:
            out.write(f"{name}: ok ({len(items)} item(s))\n")
    return 1 if failed else 0


def _cmd_annex(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    failed = False
    for name in args.files:
        source = _read_or_report(name, out, fmt=args.input_format)
        if source is None:
            failed = True
            continue
        items = (
            [source.edc.credential] if source.edc is not None else _credentials_of(source.document)
        )
        for item in items:
            report = check_annex_i(item)
            failed = failed or not report.compliant
            out.write(f"{name}: {item.id}\n{report}\n\n")
    return 1 if failed else 0


def _at(text: str | None) -> dt.datetime:
    """The evaluation date: an ISO date or date-time (UTC when no offset); default now."""
    if text is None:
        return dt.datetime.now(dt.UTC)
    try:
        when = dt.datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO date or date-time: {text!r}") from None
    return when if when.tzinfo is not None else when.replace(tzinfo=dt.UTC)


def _cmd_stack(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    failed = False
    credentials: list[MicroCredential] = []
    for name in args.files:
        source = _read_or_report(name, out, fmt=args.input_format)
        if source is None:
            failed = True
            continue
        if source.edc is not None:
            credentials.append(source.edc.credential)
        else:
            credentials.extend(
                item
                for item in _credentials_of(source.document)
                if isinstance(item, MicroCredential)
            )
    if args.catalogue is None:
        catalogue = load_example_catalogue()
    else:
        try:
            data = _read_bytes(str(args.catalogue))
            read = (
                catalogue_from_xml if _looks_like_xml(args.catalogue, data) else catalogue_from_json
            )
            catalogue = read(data, strict=True)
        except ParseError as exc:
            for problem in exc.problems:
                out.write(_format_problem(str(args.catalogue), problem) + "\n")
            return 1
    if failed:
        return 1
    # The same credential read from several files (a collection and its parts) counts once.
    unique: dict[str, MicroCredential] = {}
    for credential in credentials:
        unique.setdefault(credential.id, credential)
        if unique[credential.id] != credential:
            out.write(f"credential {credential.id} is given twice with different content\n")
            return 1
    try:
        report = stackable(list(unique.values()), catalogue, at=args.at, closest=args.closest)
    except ValidationError as exc:
        for problem in exc.problems:
            out.write(f"{problem}\n")
        return 1
    out.write(report.explain() + "\n")
    if args.offers is not None:
        return _completions(args, report, list(unique.values()), out)
    return 0


def _completions(
    args: argparse.Namespace, report: StackReport, held: list[MicroCredential], out: TextIO
) -> int:
    """The cheapest completion, by the offers of ``--offers``, of each unfinished one listed."""
    name = str(args.offers)
    try:
        document = read_loq(Path(args.offers))
    except ParseError as exc:
        for problem in exc.problems:
            out.write(_format_problem(name, problem) + "\n")
        return 1
    offers = [item for item in document.items if isinstance(item, LearningOpportunity)]
    cost: Cost = by_ects
    unit = "ECTS"
    if args.currency is not None:
        try:
            cost = by_price(args.currency)
        except UnknownConceptError as exc:
            out.write(f"--currency: {exc}\n")
            return 1
        unit = vocab.CURRENCY.lookup(args.currency).code
    # Offers without a cost of this kind cannot be weighed: left out, and said.
    costed = []
    for opportunity in offers:
        try:
            cost(opportunity)
        except ValueError as exc:
            out.write(f"{name}: left out: {exc}\n")
            continue
        costed.append(opportunity)
    basis = f"lowest price in {unit}" if args.currency is not None else "ECTS"
    out.write(f"\nCheapest completions with {len(costed)} offer(s) of {name} (cost: {basis}):\n")
    if not report.closest:
        out.write("  (no unfinished qualification listed)\n")
    for entry in report.closest:
        found = complete(
            held, entry.qualification, costed, at=report.at, cost=cost, backend="builtin"
        )
        qid = entry.qualification.id
        if found.status is CompletionStatus.FOUND:
            assert found.cost is not None
            out.write(f"  - {qid}: {len(found.offers)} offer(s), {_amount(found.cost)} {unit}\n")
            for offer in found.offers:
                assert offer.opportunity is not None
                title = offer.opportunity.effective_title
                label = f" ({title})" if title is not None else ""
                out.write(f"      {offer.opportunity.id}{label}: {_amount(offer.cost)} {unit}\n")
        elif found.status is CompletionStatus.IMPOSSIBLE:
            out.write(f"  - {qid}: not possible with these offers\n")
        else:
            out.write(f"  - {qid}: not found within the search budget\n")
    return 0


def _amount(value: Decimal) -> str:
    return format(value.normalize(), "f") if value == value.to_integral_value() else str(value)


def _image(path: Path | None) -> DisplayImage | None:
    if path is None:
        return None
    kind = _IMAGE_TYPES.get(path.suffix.lower())
    if kind is None:
        known = ", ".join(_IMAGE_TYPES)
        raise UnsupportedFormatError(
            f"{path}: cannot tell the image type from the extension "
            f"{path.suffix or '(none)'!r}; eumicro takes {known}"
        )
    try:
        content = path.read_bytes()
    except OSError as exc:
        raise ParseError(
            [Problem((), f"cannot read {path}: {exc.strerror}", "io")], "display image"
        ) from None
    return DisplayImage(content=content, file_type=kind)


def _export(name: str, err: TextIO, what: str, produce: Callable[[], str | bytes]) -> str | None:
    """The exported document as text, or None after writing why it cannot be (every problem)."""
    try:
        produced = produce()
    except ValidationError as exc:
        err.write(f"{name}: cannot be {what}:\n")
        for problem in exc.problems:
            err.write(f"{name}: {problem.location}: {problem.message}\n")
        return None
    return produced.decode("utf-8").rstrip("\n") if isinstance(produced, bytes) else produced


def _cmd_convert(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    name: str = args.input
    try:
        source = _read(name, fmt=args.input_format)
        image = _image(args.image)
    except UnsupportedFormatError as exc:
        err.write(f"{exc}\n")
        return 1
    except ParseError as exc:
        for problem in exc.problems:
            err.write(_format_problem(name, problem) + "\n")
        return 1
    except ValidationError as exc:  # a display image eumicro cannot use
        for problem in exc.problems:
            err.write(_format_problem(str(args.image), problem) + "\n")
        return 1
    if source.edc is not None:
        for note in source.edc.notes:
            err.write(f"{name}: note: {note}\n")
        document: Document | list[Specification] = source.edc.credential
    else:
        assert source.document is not None
        for note in source.notes:
            err.write(f"{name}: note: {note}\n")
        document = source.document
    native: Document | None = None
    if isinstance(document, list):
        credentials = [item for item in document if isinstance(item, MicroCredential)]
        if len(credentials) == len(document):
            native = credentials
    else:
        native = document
    if args.to in ("json", "xml") and native is None:
        count = len(document) if isinstance(document, list) else 1
        err.write(
            f"{name}: the document holds {count} specifications; native "
            f"{args.to.upper()} holds one specification, or a collection of credentials\n"
        )
        return 1
    text: str | None
    if args.to == "json":
        assert native is not None
        text = to_json(native)
    elif args.to == "xml":
        assert native is not None
        text = to_xml(native).rstrip("\n")
    elif args.to == "loq" and source.loq is not None:  # LOQ to LOQ: nothing is lost
        loq = source.loq
        text = _export(name, err, "published as LOQ XML", loq.to_xml)
    elif args.to == "loq":
        items = document if isinstance(document, list) else [document]
        specifications = [i.specification if isinstance(i, MicroCredential) else i for i in items]
        text = _export(name, err, "published as LOQ XML", lambda: to_loq_xml(specifications))
    elif not isinstance(document, MicroCredential):
        what = "a collection of credentials" if isinstance(document, list) else "a specification"
        holder = (
            "a legacy Europass credential"
            if args.to == "edci-v2"
            else ("a European Digital Credential")
        )
        err.write(
            f"{name}: the document is {what}; {holder} holds one credential: convert "
            "credentials one at a time\n"
        )
        return 1
    elif args.to == "edci-v2":
        credential = document
        text = _export(
            name, err, "exported as a legacy Europass credential", lambda: to_edci_xml(credential)
        )
    else:
        credential = document
        # AnnexIError included: drafts are not issued.
        text = _export(
            name,
            err,
            "exported as a European Digital Credential",
            lambda: to_edc_json(credential, image=image),
        )
    if text is None:
        return 1
    if args.output is None:
        out.write(text + "\n")
    else:
        try:
            Path(args.output).write_bytes((text + "\n").encode("utf-8"))
        except OSError as exc:
            err.write(f"{args.output}: cannot write: {exc.strerror}\n")
            return 1
    return 0


def _add_from(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--from",
        dest="input_format",
        choices=_INPUTS,
        default=None,
        help="the format of the input files (default: told by extension and content)",
    )


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
    _add_from(validate)
    validate.add_argument(
        "--annex-i",
        action="store_true",
        help="also require every credential to meet Annex I of the Recommendation",
    )
    validate.add_argument(
        "--shacl",
        action="store_true",
        help="also run the official EDC SHACL shapes with pySHACL on European Digital "
        "Credentials (needs the 'shacl' extra)",
    )
    validate.add_argument("-v", "--verbose", action="store_true", help="say 'ok' for good files")
    validate.set_defaults(func=_cmd_validate)

    annex = sub.add_parser("annex", help="print the Annex I report of each credential")
    annex.add_argument("files", nargs="+", metavar="FILE")
    _add_from(annex)
    annex.set_defaults(func=_cmd_annex)

    convert = sub.add_parser(
        "convert", help="convert a credential between native JSON, XML and Europass (EDC)"
    )
    convert.add_argument("input", metavar="IN", help="a .json, .jsonld or .xml file")
    _add_from(convert)
    convert.add_argument(
        "--to",
        required=True,
        choices=_FORMATS,
        help="json: native eumicro JSON; xml: native eumicro XML; europass: a European "
        "Digital Credential (JSON-LD); loq: Europass LOQ XML (the specifications); edci-v2: "
        "a legacy Europass credential (XML)",
    )
    convert.add_argument(
        "-o", "--output", metavar="OUT", help="file to write (default: standard output)"
    )
    convert.add_argument(
        "--image",
        type=Path,
        metavar="FILE",
        help="the display image of the EDC (.svg, .png, .jpg, .pdf; default: drawn by eumicro)",
    )
    convert.set_defaults(func=_cmd_convert)

    stack = sub.add_parser(
        "stack", help="which qualifications a learner's credentials complete, and the closest"
    )
    stack.add_argument(
        "files", nargs="+", metavar="CREDENTIALS", help=".json, .jsonld or .xml files"
    )
    _add_from(stack)
    stack.add_argument(
        "--catalogue",
        type=Path,
        metavar="FILE",
        help="a qualification catalogue, JSON or XML (default: the bundled example catalogue)",
    )
    stack.add_argument(
        "--at",
        type=_at,
        default=None,
        metavar="DATE",
        help="evaluation date, ISO 8601 (default: now); results are reproducible with it",
    )
    stack.add_argument(
        "--closest", type=int, default=5, metavar="N", help="how many unfinished to list"
    )
    stack.add_argument(
        "--offers",
        type=Path,
        metavar="FILE",
        help="learning opportunities one could still take (LOQ XML): the cheapest that "
        "complete each unfinished qualification listed",
    )
    stack.add_argument(
        "--currency",
        metavar="CODE",
        help="with --offers: cost by the lowest price in this currency (EUR, CHF …; "
        "default: cost by ECTS)",
    )
    stack.set_defaults(func=_cmd_stack)
    return parser


def main(
    argv: Sequence[str] | None = None, out: TextIO | None = None, err: TextIO | None = None
) -> int:
    """Run the command line; returns the exit code.

    Reports go to ``out`` (standard output); ``convert`` writes its notes and errors to
    ``err`` (standard error), so that a converted document on standard output stays clean.
    """
    args = _parser().parse_args(argv)
    if getattr(args, "func", None) is _cmd_stack and args.at is None:
        args.at = _at(None)
    stream = out if out is not None else sys.stdout
    errors = err if err is not None else sys.stderr
    code: int = args.func(args, stream, errors)
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

"""SHACL validation of European Digital Credentials with pySHACL (optional extra ``shacl``).

:func:`shacl_validate_edc` follows the offline recipe that reproduces the official
verdicts: the JSON-LD document becomes N-Quads with pyld, served the bundled W3C VC v1
and EDC ``edc-ap`` contexts (never the network); rdflib reads them; pySHACL validates
them with ``inference="none"`` against ``EDC-generic-no-cv.ttl`` together with ``EDC-generic-full.ttl``
(ELM 3.2), a shapes graph parsed once per process.

It is the reference for :func:`~eumicro.formats.europass._check.check_edc`, the fast
built-in check, and reports the same way: one :class:`~eumicro.Problem` per SHACL
validation result, ``code`` = the constraint component, ``path`` = the place in the
document (see ``_check`` for the rules), ``message`` = source shape, JSON term and
pySHACL's message (with the details of ``sh:node`` results).

Needs ``pip install 'eumicro[shacl]'`` (pyld, rdflib, pySHACL); without them it raises
:class:`~eumicro.EumicroError`.
"""

from __future__ import annotations

import importlib
import logging
import threading
import warnings
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any, Final

import attrs

from eumicro._errors import EumicroError, ParseError, Problem
from eumicro.formats.europass._check import (
    EDC_CLASS,
    RDF_LANGSTRING,
    XSD_STRING,
    Graph,
    Path,
    Value,
    locate,
    read_graph,
    unwrap_edc,
)
from eumicro.formats.europass._contexts import check_version, data_file, document_loader

__all__ = ["ShaclReport", "shacl_validate_edc"]

SHAPE_FILES: Final = ("EDC-generic-no-cv.ttl", "EDC-generic-full.ttl")
_SH: Final = "http://www.w3.org/ns/shacl#"
_RDF_TYPE: Final = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_PYLD_BASE: Final = "http://example.org/base/"  # pyld's stand-in for an absent base IRI
_INSTALL_HINT: Final = "pip install 'eumicro[shacl]'"


@attrs.frozen
class ShaclReport:
    """The outcome of :func:`shacl_validate_edc`.

    Attributes:
        conforms: pySHACL's verdict.
        problems: one problem per validation result (``code`` = the SHACL constraint
            component), sorted by path.
        text: pySHACL's own text report, for people.
    """

    conforms: bool
    problems: tuple[Problem, ...]
    text: str = attrs.field(default="", repr=False)


# ============================================================================ set-up
def _modules() -> tuple[Any, Any, Any, Any]:
    """pyld's ``jsonld`` and ``ContextResolver``, rdflib and pySHACL (optional dependencies).

    Imported by name, so that neither importing eumicro nor type-checking it needs them.
    """
    try:
        jsonld = importlib.import_module("pyld.jsonld")
        resolver = importlib.import_module("pyld.context_resolver").ContextResolver
        rdflib = importlib.import_module("rdflib")
        pyshacl = importlib.import_module("pyshacl")
    except ImportError as exc:
        raise EumicroError(
            f"SHACL validation needs pyld, rdflib and pySHACL ({exc.name} is missing): "
            + _INSTALL_HINT
        ) from exc
    return jsonld, resolver, rdflib, pyshacl


_LOCK: Final = threading.Lock()
_SHAPES: list[Any] = []  # the rdflib shapes graph, once parsed
_RESOLVED: dict[str, dict[str, Any]] = {}


def _shapes_graph() -> Any:
    """``EDC-generic-no-cv.ttl`` together with ``EDC-generic-full.ttl``, parsed once per process."""
    if not _SHAPES:
        _, _, rdflib, _ = _modules()
        with _LOCK:
            if not _SHAPES:
                graph = rdflib.Graph()
                for name in SHAPE_FILES:
                    graph.parse(data=data_file(name).decode("utf-8"), format="turtle")
                _SHAPES.append(graph)
    return _SHAPES[0]


class _DropRecords(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return False


@contextmanager
def _quiet() -> Iterator[None]:
    """Silence the log records and warnings of pyld and rdflib during a validation.

    Ill-typed literals are validation results here, not warnings; the deprecation
    warnings of rdflib's own internals are nothing a caller can act on.
    """
    logger = logging.getLogger("rdflib.term")
    drop = _DropRecords()
    logger.addFilter(drop)
    try:
        with warnings.catch_warnings():
            # rdflib warns about literals it cannot parse (a validation result here) and
            # about its own deprecated internals (used by its N-Quads parser): noise for
            # eumicro's callers, who get every finding as a problem.
            warnings.filterwarnings("ignore", category=UserWarning, module=r"rdflib(\.|$)")
            warnings.filterwarnings("ignore", category=DeprecationWarning)
            warnings.filterwarnings("ignore", category=PendingDeprecationWarning)
            yield
    finally:
        logger.removeFilter(drop)


def _find_library_error(exc: BaseException) -> EumicroError | None:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, EumicroError):
            return current
        details = getattr(current, "details", None)
        if isinstance(details, Mapping):
            cause = details.get("cause")
            if isinstance(cause, BaseException) and isinstance(cause, EumicroError):
                return cause
        current = current.__cause__ or current.__context__ or getattr(current, "cause", None)
    return None


def _plain(value: Any) -> Any:
    """A copy of ``value`` built from dicts and lists only (what pyld expects)."""
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


# ============================================================================ validation
def shacl_validate_edc(document: Mapping[str, Any], *, version: str = "3.2") -> ShaclReport:
    """Validate an EDC with pySHACL against the ELM 3.2 EDC shapes (generic-no-cv and generic-full).

    Args:
        document: a credential (compact JSON-LD, parsed), an upload document
            ``{"credential": …}`` or a sealed one ``{"payload": "<JSON>", …}``.
        version: the ELM version of the ``edc-ap`` context to read it with: ``"3.2"``
            (default) or ``"3.1"``. The shapes are always ELM 3.2's.

    Raises:
        EumicroError: pyld, rdflib or pySHACL is not installed.
        ParseError: not a JSON-LD document that can be turned into RDF (unknown
            ``@context``, invalid JSON-LD or literals), or no ``EuropeanDigitalCredential``.
        UnsupportedFormatError: an unknown ``version``.
    """
    check_version(version)
    credential, prefix = unwrap_edc(document)
    jsonld, context_resolver, rdflib, pyshacl = _modules()
    loader = document_loader(version)
    with _LOCK:
        shared = _RESOLVED.setdefault(version, {})
    options = {
        "format": "application/n-quads",
        "documentLoader": loader,
        # A resolver of our own: pyld's default one caches contexts by URL for the
        # whole process, which would mix the 3.1 and 3.2 contexts (same URL).
        "contextResolver": context_resolver(shared, loader),
    }
    source = credential if type(credential) is dict else _plain(credential)
    try:
        with _quiet():
            nquads = jsonld.to_rdf(source, options)
    except Exception as exc:
        found = _find_library_error(exc)
        if isinstance(found, ParseError) and prefix:
            raise ParseError(found.prefixed(*prefix), subject=found.subject) from exc
        if found is not None:
            raise found from exc
        raise ParseError(
            [Problem(prefix, f"not valid JSON-LD: {_describe(exc)}", code="jsonld")],
            subject="EDC JSON-LD",
        ) from exc

    labels: dict[Any, str] = {}
    with _quiet():
        bnodes: dict[str, Any] = {}
        try:
            data = rdflib.Graph().parse(data=nquads, format="nquads", bnode_context=bnodes)
        except Exception as exc:
            raise ParseError(
                [Problem(prefix, f"the document's RDF is invalid: {exc}", code="jsonld")],
                subject="EDC JSON-LD",
            ) from exc
        labels = {node: label for label, node in bnodes.items()}
        if (None, rdflib.RDF.type, rdflib.URIRef(EDC_CLASS)) not in data:
            raise ParseError(
                [
                    Problem(
                        prefix,
                        'no node of type EuropeanDigitalCredential: the document needs "type": '
                        '["VerifiableCredential", "EuropeanDigitalCredential"] and the EDC @context',
                        code="not-edc",
                    )
                ],
                subject="EDC JSON-LD",
            )
        conforms, report, text = pyshacl.validate(
            data, shacl_graph=_shapes_graph(), inference="none", advanced=False
        )
        mapper = _Mapper(credential, version, labels, rdflib)
        problems = mapper.problems(report, prefix)
    return ShaclReport(bool(conforms), problems, str(text))


def _describe(exc: BaseException) -> str:
    parts = [str(exc.args[0]) if exc.args else type(exc).__name__]
    cause = exc.__cause__ or getattr(exc, "cause", None)
    while isinstance(cause, BaseException) and len(parts) < 4:
        parts.append(str(cause.args[0]) if cause.args else type(cause).__name__)
        cause = cause.__cause__ or getattr(cause, "cause", None)
    return " ".join(parts)


class _Mapper:
    """From pySHACL's report back to places in the JSON document."""

    def __init__(
        self,
        credential: Mapping[str, Any],
        version: str,
        labels: Mapping[Any, str],
        rdflib: Any,
    ) -> None:
        self.rdflib = rdflib
        self.labels = labels
        self.graph: Graph | None
        self.pyld_labels: Mapping[str, tuple[str, int] | str]
        try:
            self.graph = read_graph(credential, version)
            self.pyld_labels = read_graph(credential, version, pyld_order=True).labels
        except ParseError:  # a document the built-in reading does not handle: no paths
            self.graph = None
            self.pyld_labels = {}
        self.shapes = _shapes_graph()

    def key(self, term: Any) -> str | None:
        rdflib = self.rdflib
        graph = self.graph
        if isinstance(term, rdflib.BNode):
            label = self.labels.get(term)
            made_by = self.pyld_labels.get(label) if label is not None else None
            if made_by is None or graph is None:
                return None
            if isinstance(made_by, str):
                return made_by
            return graph.blank_objects.get(made_by)
        key = str(term)
        if graph is not None and key not in graph.nodes and key.startswith(_PYLD_BASE):
            relative = key[len(_PYLD_BASE) :]
            if relative in graph.nodes:
                return relative
        return key

    def value(self, term: Any, focus: str | None, path: str | None) -> Value | None:
        rdflib = self.rdflib
        if term is None:
            return None
        if not isinstance(term, rdflib.Literal):
            return self.key(term)
        graph = self.graph
        if graph is None or focus is None or path is None:
            return None
        node = graph.nodes.get(focus)
        if node is None:
            return None
        for candidate in node.props.get(path, {}):
            if isinstance(candidate, str):
                continue
            lexical, datatype, language = candidate
            if language:
                literal = rdflib.Literal(lexical, lang=language)
            elif datatype in (XSD_STRING, RDF_LANGSTRING):
                literal = rdflib.Literal(lexical)
            else:
                literal = rdflib.Literal(lexical, datatype=datatype)
            if literal == term or (
                str(literal) == str(term)
                and literal.datatype == term.datatype
                and (literal.language or "").lower() == (term.language or "").lower()
            ):
                return candidate
        return None

    def shape_name(self, shape: Any) -> str:
        rdflib = self.rdflib
        if isinstance(shape, rdflib.BNode):
            owner = self.shapes.value(None, rdflib.URIRef(_SH + "property"), shape)
            path = self.shapes.value(shape, rdflib.URIRef(_SH + "path"))
            if owner is not None and path is not None:
                return f"{self._compact(owner)}/{self._compact(path)}"
            return "(anonymous shape)"
        return self._compact(shape)

    def _compact(self, term: Any) -> str:
        try:
            return str(self.shapes.namespace_manager.normalizeUri(term))
        except Exception:  # pragma: no cover - rdflib cannot always compact
            return str(term)

    def term(self, focus: str | None, path: Any) -> str:
        if path is None:
            return "(node)"
        graph = self.graph
        if graph is not None:
            node = graph.nodes.get(focus) if focus is not None else None
            return graph.term(node, str(path))
        return self._compact(path)

    def problems(self, report: Any, prefix: Path) -> tuple[Problem, ...]:
        rdflib = self.rdflib
        sh = rdflib.Namespace(_SH)
        found: list[Problem] = []
        for result in report.subjects(rdflib.RDF.type, sh.ValidationResult):
            if (None, sh.detail, result) in report:
                continue  # reported with its parent result
            focus_term = report.value(result, sh.focusNode)
            path_term = report.value(result, sh.resultPath)
            focus = self.key(focus_term) if focus_term is not None else None
            path = str(path_term) if path_term is not None else None
            value = self.value(report.value(result, sh.value), focus, path)
            where: tuple[Any, ...] = ()
            if self.graph is not None and focus is not None:
                where = locate(self.graph, focus, path, value)
            component = str(report.value(result, sh.sourceConstraintComponent)).rpartition("#")[2]
            message = " ".join(str(report.value(result, sh.resultMessage) or component).split())
            text = (
                f"{self.shape_name(report.value(result, sh.sourceShape))}: "
                f"{self.term(focus, path_term)}: {message}"
            )
            details = [self._detail(report, d) for d in report.objects(result, sh.detail)]
            if details:
                text += " [" + "; ".join(sorted(details)) + "]"
            found.append(Problem((*prefix, *where), text, code=component))
        found.sort(key=lambda p: (p.location, p.code, p.message))
        return tuple(found)

    def _detail(self, report: Any, result: Any) -> str:
        rdflib = self.rdflib
        sh = rdflib.Namespace(_SH)
        focus_term = report.value(result, sh.focusNode)
        focus = self.key(focus_term) if focus_term is not None else None
        message = " ".join(str(report.value(result, sh.resultMessage) or "").split())
        text = f"{self.term(focus, report.value(result, sh.resultPath))}: {message}"
        nested = [self._detail(report, d) for d in report.objects(result, sh.detail)]
        if nested:
            text += " [" + "; ".join(sorted(nested)) + "]"
        return text

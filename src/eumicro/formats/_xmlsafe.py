"""Reading untrusted XML safely, and reporting problems with element paths.

Every XML format of eumicro reads through :func:`parse_untrusted`:

* the document is refused when it is larger than ``max_bytes`` (checked before parsing)
  or nested deeper than ``max_depth`` elements;
* a document type declaration (``<!DOCTYPE …>``, with or without an internal subset) is
  refused before the parser sees the document, so external entities (XXE), entity
  expansion ("billion laughs", quadratic blow-up) and parameter entities never happen;
  the parser also runs with entity substitution, DTD loading and network access off;
* XInclude is never processed: an ``xi:include`` element is refused;
* comments and processing instructions are allowed and ignored (nothing acts on them);
* syntax errors raise :class:`~eumicro.ParseError` with *every* error the parser
  reported, each with its line and column.

Problems found in an XML document are :class:`XmlProblem` objects: their path is a
sequence of element local names, each followed by its 1-based position when the parent
has several children of that name, and ``"@name"`` for an attribute; it is shown as
an XPath-like string such as ``/catalogue/qualification[2]/rule/allOf/select[1]/filter``.
Line and column are those of the ``<`` that opens the element's start tag (1-based;
the column counts characters).
"""

from __future__ import annotations

import bisect
import codecs
import functools
import io
import os
import posixpath
import re
import threading
from collections.abc import Callable, Collection, Mapping
from importlib import resources
from typing import IO, Any, Final

import attrs
from lxml import etree

from eumicro._errors import ParseError, PathSegment, Problem

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_DEPTH",
    "XML_NS",
    "SourceMap",
    "XmlProblem",
    "element_path",
    "line_column",
    "load_schema",
    "local_name",
    "parse_untrusted",
    "problem_at",
    "validate_xsd",
    "xml_chars_problem",
]

DEFAULT_MAX_BYTES: Final = 50 * 1024 * 1024
"""Largest document :func:`parse_untrusted` reads by default (50 MiB)."""

DEFAULT_MAX_DEPTH: Final = 256
"""Deepest element nesting :func:`parse_untrusted` accepts by default."""

XML_NS: Final = "http://www.w3.org/XML/1998/namespace"
"""Namespace of ``xml:lang`` and the other ``xml:`` attributes."""

_XINCLUDE_NS: Final = frozenset(
    {"http://www.w3.org/2001/XInclude", "http://www.w3.org/2003/XInclude"}
)
_PARSER_DEPTH_LIMIT: Final = 256  # libxml2's own limit without XML_PARSE_HUGE


@attrs.frozen(slots=True)
class XmlProblem(Problem):
    """A :class:`~eumicro.Problem` in an XML document; its location is an element path.

    >>> XmlProblem(("catalogue", "qualification", 2, "@id"), "bad").location
    '/catalogue/qualification[2]/@id'
    """

    @property
    def location(self) -> str:
        """The path as a string (``/catalogue/qualification[2]/rule``)."""
        out = []
        for segment in self.path:
            if isinstance(segment, int):
                out.append(f"[{segment}]")
            else:
                out.append(f"/{segment}")
        return "".join(out) or "/"


# ----------------------------------------------------------------------------- source map


def local_name(el: etree._Element) -> str:
    """The local name of an element (no namespace)."""
    return etree.QName(el).localname


def element_path(el: etree._Element, attribute: str | None = None) -> tuple[PathSegment, ...]:
    """The path segments of an element (and one of its attributes), from the root.

    Each element contributes its local name, followed by its 1-based position among the
    parent's children with the same name when there are several.

    >>> root = etree.fromstring("<c><q/><q><rule><allOf/></rule></q></c>")
    >>> XmlProblem(element_path(root[1][0][0]), "").location
    '/c/q[2]/rule/allOf'
    """
    out: list[PathSegment] = []
    node: etree._Element | None = el
    while node is not None:
        name = local_name(node)
        parent = node.getparent()
        if parent is not None:
            same = [c for c in parent if isinstance(c.tag, str) and c.tag == node.tag]
            if len(same) > 1:
                out.append(same.index(node) + 1)
        out.append(name)
        node = parent
    out.reverse()
    if attribute is not None:
        out.append("@" + attribute)
    return tuple(out)


# Start tags in source order: "<" not followed by "/", "!" or "?", outside comments,
# CDATA sections and processing instructions (a well-formed document has no other "<").
_TAGS: Final = re.compile(r"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>|<(?![/!?])", re.DOTALL)


class SourceMap:
    """Line and column of every element of a parsed document, from its source text.

    lxml gives the line of an element but not its column; the start tags are found
    in the source text instead: in a well-formed document the k-th start tag in the
    text is the k-th element in document order.
    """

    def __init__(self, text: str | None, root: etree._Element) -> None:
        self._text = text
        self._root = root
        self._positions: dict[etree._Element, tuple[int, int]] | None = None

    def _build(self) -> dict[etree._Element, tuple[int, int]]:
        elements = [el for el in self._root.iter() if isinstance(el.tag, str)]
        if self._text is None:
            return {el: (el.sourceline or 0, 0) for el in elements}
        starts = [m.start() for m in _TAGS.finditer(self._text) if m.group() == "<"]
        if len(starts) != len(elements):  # pragma: no cover - defensive
            return {el: (el.sourceline or 0, 0) for el in elements}
        lines = [0] + [m.end() for m in re.finditer("\n", self._text)]
        out = {}
        for el, offset in zip(elements, starts, strict=True):
            line = bisect.bisect_right(lines, offset)
            out[el] = (line, offset - lines[line - 1] + 1)
        return out

    def line_column(self, el: etree._Element) -> tuple[int | None, int | None]:
        """1-based line and column of the ``<`` of the element's start tag."""
        if self._positions is None:
            self._positions = self._build()
        found = self._positions.get(el)
        if found is None:
            return el.sourceline, None
        line, column = found
        return (line or None), (column or None)


def line_column(el: etree._Element, source: SourceMap) -> tuple[int | None, int | None]:
    """1-based line and column of an element's start tag (see :class:`SourceMap`)."""
    return source.line_column(el)


def problem_at(
    el: etree._Element,
    message: str,
    code: str,
    source: SourceMap | None,
    *,
    attribute: str | None = None,
) -> XmlProblem:
    """A problem located at an element (or one of its attributes)."""
    line, column = source.line_column(el) if source is not None else (None, None)
    return XmlProblem(element_path(el, attribute), message, code, line, column)


# ----------------------------------------------------------------------------- parsing


def _safe_parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        attribute_defaults=False,
        huge_tree=False,
        remove_blank_text=False,
        remove_comments=False,
        remove_pis=False,
        strip_cdata=True,
        collect_ids=False,
        compact=True,
    )


def _fail(subject: str, message: str, code: str, line: int | None = None) -> ParseError:
    return ParseError([XmlProblem((), message, code, line, 1 if line else None)], subject)


_PIECE: Final = 1 << 20


def _read_input(
    data: str | bytes | bytearray | os.PathLike[str] | IO[bytes] | IO[str],
    max_bytes: int,
    subject: str,
) -> str | bytes:
    if isinstance(data, str | bytes):
        return data
    if isinstance(data, bytearray):
        return bytes(data)
    if isinstance(data, os.PathLike):
        try:
            size = os.path.getsize(data)
            if size > max_bytes:
                raise _too_large(subject, size, max_bytes)
            with open(data, "rb") as handle:
                return handle.read(size + 1)  # the size is known: no larger buffer
        except OSError as exc:
            raise _fail(subject, f"cannot read {os.fspath(data)!r}: {exc.strerror}", "io") from None
    if isinstance(data, io.IOBase) or hasattr(data, "read"):
        # In pieces: read(max_bytes + 1) would reserve the whole limit at once.
        first = data.read(min(_PIECE, max_bytes + 1))
        if isinstance(first, bytes | str):
            pieces = [first]
            total = len(first)
            while pieces[-1] and total <= max_bytes:
                more = data.read(min(_PIECE, max_bytes + 1 - total))
                if type(more) is not type(first):
                    raise TypeError("the file returned both text and bytes")
                pieces.append(more)
                total += len(more)
            return first[:0].join(pieces)  # type: ignore[arg-type]
    raise TypeError(f"expected XML as str, bytes, a path or a file, got {type(data).__name__}")


def _too_large(subject: str, size: int, max_bytes: int) -> ParseError:
    return _fail(
        subject,
        f"the document is larger than the limit of {max_bytes} bytes (at least {size} bytes)",
        "size",
    )


_BOMS: Final = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_DECLARED: Final = re.compile(rb"""^<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._\-]+)["']""")
_STR_ENCODING: Final = re.compile(r"""^(\ufeff?<\?xml[^>]*?)(encoding\s*=\s*["'][^"']*["'])""")


def _doctype_at(text: str) -> int | None:
    """Where a document type declaration starts in the prolog (None: there is none).

    The prolog is skipped by hand (whitespace, comments, processing instructions): a
    regular expression for it backtracks exponentially on long runs of whitespace.
    """
    i = 1 if text.startswith("\ufeff") else 0
    while i < len(text):
        if text[i] in " \t\r\n":
            i += 1
        elif text.startswith("<?", i):
            end = text.find("?>", i + 2)
            if end < 0:
                return None
            i = end + 2
        elif text.startswith("<!--", i):
            end = text.find("-->", i + 4)
            if end < 0:
                return None
            i = end + 3
        else:
            return i if text.startswith("<!DOCTYPE", i) else None
    return None


_DOCTYPE_MESSAGE: Final = (
    "document type declarations (<!DOCTYPE …>) are not accepted: they can define entities "
    "and load external files; remove it"
)


def _decode(data: bytes) -> str | None:
    """The text of an XML document given as bytes, as the parser reads it (None: unknown)."""
    encoding = "utf-8"
    for bom, name in _BOMS:
        if data.startswith(bom):
            encoding = name
            break
    else:
        if data[:2] in (b"\x00<", b"<\x00"):
            encoding = "utf-16-be" if data[0] == 0 else "utf-16-le"
        else:
            declared = _DECLARED.match(data)
            if declared is not None:
                encoding = declared.group(1).decode("ascii")
    try:
        return data.decode(encoding)
    except (LookupError, UnicodeDecodeError):
        return None


def parse_untrusted(
    data: str | bytes | bytearray | os.PathLike[str] | IO[bytes] | IO[str],
    *,
    subject: str,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_depth: int = DEFAULT_MAX_DEPTH,
) -> tuple[etree._Element, SourceMap]:
    """Parse an XML document from an untrusted source; return its root and source map.

    ``data`` is XML text, bytes (the encoding is read from the document: byte-order
    mark, XML declaration, else UTF-8), a path or a file opened for reading.

    Raises :class:`~eumicro.ParseError` (naming ``subject``) with every syntax error
    and its line and column, or with the one reason the document is refused: too large,
    too deep, a document type declaration, XInclude.

    >>> root, _ = parse_untrusted("<a><b/></a>", subject="example")
    >>> root[0].tag
    'b'
    >>> parse_untrusted('<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>', subject="example")
    Traceback (most recent call last):
    ...
    eumicro.ParseError: 1 problem in example:
      / (line 1, column 1): document type declarations (<!DOCTYPE …>) are not accepted: they can define entities and load external files; remove it
    """
    raw = _read_input(data, max_bytes, subject)
    size = len(raw.encode("utf-8", "surrogatepass")) if isinstance(raw, str) else len(raw)
    if size > max_bytes:
        raise _too_large(subject, size, max_bytes)
    if isinstance(raw, str):
        text: str | None = raw
        # The text is already decoded: a declared encoding no longer applies (lxml
        # refuses one). Blank it out, keeping every column where it was.
        raw = _STR_ENCODING.sub(lambda m: m.group(1) + " " * len(m.group(2)), raw, count=1)
    else:
        text = _decode(raw)
    at = _doctype_at(text) if text is not None else None
    if text is not None and at is not None:
        line = text.count("\n", 0, at) + 1
        column = at - (text.rfind("\n", 0, at) + 1) + 1
        raise ParseError([XmlProblem((), _DOCTYPE_MESSAGE, "doctype", line, column)], subject)
    parser = _safe_parser()
    try:
        root = etree.fromstring(raw, parser)
    except etree.XMLSyntaxError as exc:
        raise ParseError(_syntax_problems(parser.error_log, exc, max_depth), subject) from None
    except ValueError as exc:  # lxml refuses some str input before parsing
        raise _fail(subject, f"not an XML document: {exc}", "syntax") from None
    tree = root.getroottree()
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise _fail(subject, _DOCTYPE_MESSAGE, "doctype")
    source = SourceMap(text, root)
    _check_depth_and_xinclude(root, source, subject, max_depth)
    return root, source


def _syntax_problems(
    log: etree._ListErrorLog, exc: etree.XMLSyntaxError, max_depth: int
) -> list[Problem]:
    problems: list[Problem] = []
    seen: set[tuple[int, int, str]] = set()
    for entry in log:
        if entry.level < etree.ErrorLevels.ERROR:
            continue
        message = entry.message.strip()
        code = "syntax"
        if entry.type_name == "ERR_RESOURCE_LIMIT" and "depth" in message:
            message = (
                f"elements are nested more than {min(max_depth, _PARSER_DEPTH_LIMIT)} levels deep"
            )
            code = "depth"
        else:
            message = "not well-formed XML: " + _syntax_message(message)
        key = (entry.line, entry.column, message)
        if key in seen:
            continue
        seen.add(key)
        problems.append(XmlProblem((), message, code, entry.line or None, entry.column or None))
    if not problems:  # pragma: no cover - lxml always logs the error it raises
        line, column = exc.position
        problems.append(XmlProblem((), f"not well-formed XML: {exc.msg}", "syntax", line, column))
    return problems


def _syntax_message(message: str) -> str:
    replacements = (
        (
            r"^Opening and ending tag mismatch: (\S+) line (\d+) and (\S+)$",
            r"end tag </\3> does not match the start tag <\1> on line \2",
        ),
        (
            r"^Premature end of data in tag (\S+) line (\d+)$",
            r"the document ends before the end tag of <\1> (opened on line \2)",
        ),
        (
            r"^Entity '([^']*)' not defined$",
            r"entity reference &\1; is not defined (only &lt; &gt; &amp; &quot; &apos; and "
            r"character references such as &#233; may be used)",
        ),
        (r"^Document is empty$", "the document is empty"),
        (
            r"^Extra content at the end of the document$",
            "there is content after the end of the root element",
        ),
    )
    for pattern, replacement in replacements:
        new, count = re.subn(pattern, replacement, message)
        if count:
            return new
    return message[:1].lower() + message[1:]


def _check_depth_and_xinclude(
    root: etree._Element, source: SourceMap, subject: str, max_depth: int
) -> None:
    # Both searches run in libxml2: an element one level too deep, and any XInclude one.
    deep = root.xpath("/*" + "/*" * max_depth)
    assert isinstance(deep, list)
    if deep:
        el = deep[0]
        assert isinstance(el, etree._Element)
        raise ParseError(
            [
                problem_at(
                    el, f"elements are nested more than {max_depth} levels deep", "depth", source
                )
            ],
            subject,
        )
    for namespace in sorted(_XINCLUDE_NS):
        for el in root.iter(f"{{{namespace}}}*"):
            raise ParseError(
                [
                    problem_at(
                        el,
                        "XInclude is not processed: put the content in the document itself",
                        "xinclude",
                        source,
                    )
                ],
                subject,
            )


# ----------------------------------------------------------------------------- XSD


@functools.cache
def load_schema(package: str, name: str) -> etree.XMLSchema:
    """The XSD ``name`` shipped in ``package``, parsed without network or file access."""
    data = resources.files(package).joinpath(name).read_bytes()
    return etree.XMLSchema(etree.fromstring(data, _safe_parser()))


_EMPTY_SCHEMA: Final = b'<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"/>'


class _PackagedSchemas(etree.Resolver):
    """Serves a schema's includes and imports from one packaged folder, and nothing else.

    A relative location is looked up under the folder; an absolute one (an http URL in
    an official schema) by its file name in the folder. A name in ``missing`` (imported
    upstream but absent from the official bundle, its components unused) gets an empty
    schema; anything else fails to load. Never a file outside the folder, never the
    network.
    """

    def __init__(self, package: str, folder: str, scheme: str, missing: frozenset[str]) -> None:
        super().__init__()
        self.root = resources.files(package).joinpath(folder)
        self.scheme = scheme
        self.missing = missing

    def resolve(self, system_url: str | None, public_id: str | None, context: Any) -> Any:
        url = system_url or ""
        relative = url[len(self.scheme) :] if url.startswith(self.scheme) else url
        relative = posixpath.normpath(relative.rsplit("/", 1)[-1] if "://" in url else relative)
        name = relative.rsplit("/", 1)[-1]
        if name in self.missing:
            return self.resolve_string(_EMPTY_SCHEMA, context, base_url=self.scheme + name)
        if not relative.startswith(("..", "/")):
            candidate = self.root.joinpath(relative)
            if candidate.is_file():
                data = candidate.read_bytes()
                return self.resolve_string(data, context, base_url=self.scheme + relative)
        raise etree.XMLSchemaParseError(f"the packaged schemas have no {url!r}")


@functools.cache
def load_packaged_schema(
    package: str, folder: str, name: str, missing: frozenset[str] = frozenset()
) -> etree.XMLSchema:
    """The XSD ``folder/name`` of ``package`` with its includes and imports, offline."""
    scheme = f"eumicro-{folder}:/"
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    parser.resolvers.add(_PackagedSchemas(package, folder, scheme, missing))
    data = resources.files(package).joinpath(folder).joinpath(name).read_bytes()
    return etree.XMLSchema(etree.fromstring(data, parser, base_url=scheme + name))


_VALIDATION_LOCK: Final = threading.Lock()

_QNAME: Final = re.compile(r"\{[^}]*\}([A-Za-z_][\w.\-]*)")
_ELEMENT: Final = re.compile(r"^Element '([^']*)'(?:, attribute '([^']*)')?: (.*)$", re.DOTALL)


def _names(text: str) -> str:
    """``{ns}name, {ns}other`` as ``<name>, <other>``."""
    return _QNAME.sub(r"<\1>", text)


def _expected(text: str) -> str:
    names = [n.strip() for n in _names(text).split(",") if n.strip()]
    names = [n if n.startswith("<") else f"<{n}>" for n in names]
    if len(names) == 1:
        return names[0]
    return "one of " + ", ".join(names)


def _describe(value_type: str, types: Mapping[str, str]) -> str:
    value_type = re.sub(r"^\{[^}]*\}", "", value_type)
    return types.get(value_type) or f"a value of type {value_type}"


def _describe_facet(keys: tuple[str, ...], text: str, types: Mapping[str, str]) -> str:
    for key in keys:
        if key in types:
            return f"expected {types[key]}"
    return _names(text.split("] ", 1)[-1])


@attrs.frozen
class _Said:
    """What a message of the table below can use: the match and the error's context."""

    m: re.Match[str]
    what: str  # <element> or @attribute
    element: str  # <element>
    keys: tuple[str, ...]
    types: Mapping[str, str]
    text: str


# libxml2 schema errors, and the readable message for each.
_XSD_MESSAGES: Final[tuple[tuple[re.Pattern[str], Callable[[_Said], str]], ...]] = tuple(
    (re.compile(pattern, re.DOTALL), say)
    for pattern, say in (
        (
            r"^This element is not expected\. Expected is (?:one of )?\( (.*) \)$",
            lambda s: f"{s.what} is not allowed here; expected {_expected(s.m.group(1))}",
        ),
        (r"^This element is not expected$", lambda s: f"{s.what} is not allowed here"),
        (
            r"^Missing child element\(s\)\. Expected is (?:one of )?\( (.*) \)$",
            lambda s: f"{s.what} is incomplete: {_expected(s.m.group(1))} is missing",
        ),
        (
            r"^'(.*)' is not a valid value of the (?:local )?(?:atomic|union|list) type '(.*)'$",
            lambda s: (
                f"{s.m.group(1)!r} is not valid here: expected {_describe(s.m.group(2), s.types)}"
            ),
        ),
        (
            r"^\[facet '\w+'\] The value '(.*)' .*$",
            lambda s: (
                f"{s.m.group(1)!r} is not valid here: {_describe_facet(s.keys, s.text, s.types)}"
            ),
        ),
        (
            r"^The attribute '(.*)' is not allowed$",
            lambda s: f"attribute {s.m.group(1)!r} is not allowed on {s.element}",
        ),
        (
            r"^The attribute '(.*)' is required but missing$",
            lambda s: f"required attribute {s.m.group(1)!r} of {s.element} is missing",
        ),
        (
            r"^Character content other than whitespace is not allowed.*$",
            lambda s: f"text is not allowed directly inside {s.what}, only child elements",
        ),
        (
            r"^Element content is not allowed, because the content type is a simple type.*$",
            lambda s: f"{s.what} holds a value: child elements are not allowed in it",
        ),
        (
            r"^No matching global declaration available for the validation root$",
            lambda s: f"{s.what} is not a document element of this format",
        ),
        (
            r"^No match found for key-sequence \[(.*)\] of keyref '.*'$",
            lambda s: (
                f"{s.what} refers to {s.m.group(1)}, which no element of the document defines"
            ),
        ),
        (
            r"^Duplicate key-sequence \[(.*)\] in (?:unique|key) identity-constraint '.*'$",
            lambda s: f"{s.what} repeats the identifier {s.m.group(1)}, which must be unique",
        ),
    )
)


def _xsd_message(
    what: str,
    text: str,
    types: Mapping[str, str],
    keys: tuple[str, ...] = (),
    element: str | None = None,
) -> str:
    """A readable message for one libxml2 schema error about ``what`` (``<x>``, ``@y``).

    ``keys`` are the names to look up in ``types`` when the error names no type (a
    facet of the value's type failed): ``<parent>@attribute``, ``@attribute``,
    ``<element>``.
    """
    text = text.strip().rstrip(".")
    for pattern, say in _XSD_MESSAGES:
        m = pattern.match(text)
        if m is not None:
            return say(_Said(m, what, element or what, keys, types, text))
    return f"{what}: {_names(text)}"


def validate_xsd(
    root: etree._Element,
    schema: etree.XMLSchema,
    *,
    source: SourceMap,
    types: Mapping[str, str] | None = None,
    namespace: str | None = None,
    elements: Collection[str] = (),
) -> list[Problem]:
    """Every problem the XSD finds in a document, with element paths, lines and columns.

    ``types`` describes the values for messages: by simple type name (``"Ects"`` →
    ``"a number ≥ 0 with at most two decimals"``, ``"xs:boolean"``), by element
    (``"<minEcts>"``) or by attribute (``"<qualification>@id"``, ``"@id"``).
    ``namespace`` and ``elements`` (the local names the schema declares) let an element
    that does not belong to the format be named as such.
    """
    types = types or {}
    with _VALIDATION_LOCK:
        schema.validate(root)
        entries = list(schema.error_log)
    if not entries:
        return []
    tree = root.getroottree()
    prefixes = {
        p: ns for el in root.iter() if isinstance(el.tag, str) for p, ns in el.nsmap.items() if p
    }
    problems: list[Problem] = []
    seen: set[tuple[tuple[PathSegment, ...], str]] = set()
    for entry in entries:
        el = _entry_element(tree, entry.path, prefixes)
        if el is None:
            el = _element_on_line(root, entry.message, entry.line)
        m = _ELEMENT.match(entry.message.strip())
        attribute = m.group(2) if m else None
        text = m.group(3) if m else entry.message
        if el is not None:
            name = local_name(el)
            what = f"@{attribute}" if attribute else f"<{name}>"
            keys = (f"<{name}>@{attribute}", f"@{attribute}") if attribute else (f"<{name}>",)
            message = _xsd_message(what, text, types, keys, f"<{name}>")
            if attribute is None and text.startswith("This element is not expected"):
                message = _foreign(el, namespace, elements) or message
            problem: Problem = problem_at(el, message, "schema", source, attribute=attribute)
        else:  # pragma: no cover - libxml2 always gives the node path
            problem = XmlProblem((), _names(entry.message), "schema", entry.line or None, None)
        key = (problem.path, problem.message)
        if key not in seen:
            seen.add(key)
            problems.append(problem)
    return problems


def _foreign(el: etree._Element, namespace: str | None, elements: Collection[str]) -> str | None:
    """Why an unexpected element does not belong to the format at all (None: it does)."""
    qname = etree.QName(el)
    if namespace is not None and qname.namespace != namespace:
        where = f"namespace {qname.namespace!r}" if qname.namespace else "no namespace"
        return (
            f"<{qname.localname}> in {where} is not part of this format (its elements are "
            f"in namespace {namespace!r})"
        )
    if elements and qname.localname not in elements:
        return f"<{qname.localname}> is not an element of this format"
    return None


def _entry_element(
    tree: etree._ElementTree, path: str | None, prefixes: Mapping[str, str]
) -> etree._Element | None:
    if not path:
        return None
    try:
        found = tree.xpath(path, namespaces=dict(prefixes))
    except etree.XPathError:
        return None
    if isinstance(found, list) and found and isinstance(found[0], etree._Element):
        return found[0]
    return None


def _element_on_line(root: etree._Element, message: str, line: int) -> etree._Element | None:
    """The element an entry without a node path names (identity constraints give none)."""
    m = re.match(r"^Element '(\{[^}]*\}[^']*|[^']*)'", message)
    if m is None or not line:
        return None
    candidates = [el for el in root.iter(m.group(1)) if isinstance(el.tag, str)]
    on_line = [el for el in candidates if el.sourceline == line]
    before = [el for el in candidates if (el.sourceline or 0) <= line]
    if on_line:
        return on_line[0]
    return before[-1] if before else None


# ----------------------------------------------------------------------------- writing

_NOT_XML: Final = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_chars_problem(value: str) -> str | None:
    """Why ``value`` cannot be written in XML 1.0 (None: it can)."""
    m = _NOT_XML.search(value)
    if m is None:
        return None
    return (
        f"contains U+{ord(m.group()):04X} at position {m.start() + 1}, a character XML 1.0 "
        "cannot represent"
    )

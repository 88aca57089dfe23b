"""Native XML collections of any size, written and read one credential at a time.

:func:`write_xml_stream` writes a ``<collection>`` document credential by credential:
each credential's element is built, serialised and written before the next one is
looked at, so the credentials can come from a generator and memory does not depend on
how many there are. The bytes are those of the one-shot writer
(:func:`~eumicro.to_xml_bytes` of the same credentials).

:func:`iter_xml` reads a ``<collection>`` document incrementally with lxml's pull
parser (the one behind ``iterparse``) and yields its credentials one by one; each
credential's elements are dropped once it has been read, so memory stays flat however
large the file. Reading is as safe as :func:`~eumicro.from_xml`:

* a document type declaration is refused before the parser sees any of the document, so
  entities (XXE, "billion laughs") and DTDs are never processed; the parser also runs
  with entity substitution, DTD loading and network access off, and with libxml2's
  limits on depth and text size (``huge_tree=False``);
* XInclude is never processed: an ``xi:include`` element is refused;
* ``max_bytes`` bounds the bytes read, when given;
* every credential is validated against the XSD and read with the model's checks.

Errors are :class:`~eumicro.ParseError`; a problem's path starts at the document
(``/collection/credential[1234]/title``) and carries its line and, when the source can
be read again (a path or a seekable file), its column. Reading stops at the first
credential that has problems, reporting all of that credential's problems; credentials
before it have already been yielded. A document that is not well-formed (a truncated
file, say) is reported where the parser finds the error, after every credential before
that point.
"""

from __future__ import annotations

import codecs
import os
import re
from collections.abc import Callable, Iterable, Iterator
from copy import deepcopy
from typing import IO, Final

from lxml import etree

from eumicro._errors import ParseError, PathSegment, Problem, ValidationError
from eumicro._model import MicroCredential
from eumicro.formats._xml import (
    XML_NS as EUMICRO_XML_NS,
)
from eumicro.formats._xml import (
    credential_element,
    credential_from_element,
)
from eumicro.formats._xmlsafe import _BOMS, SourceMap, XmlProblem, _syntax_message

__all__ = ["iter_xml", "write_xml_stream"]

_SUBJECT: Final = "eumicro XML"
_COLLECTION: Final = f"{{{EUMICRO_XML_NS}}}collection"
_CREDENTIAL: Final = f"{{{EUMICRO_XML_NS}}}credential"
_XINCLUDE: Final = ("{http://www.w3.org/2001/XInclude}", "{http://www.w3.org/2003/XInclude}")
_CHUNK: Final = 1 << 16
_PROLOG_LIMIT: Final = 1 << 20
_MAX_DEPTH: Final = 256  # libxml2's limit without huge_tree

_Path = str | os.PathLike[str]

# ----------------------------------------------------------------------------- writing

_DECLARATION: Final = b"<?xml version='1.0' encoding='UTF-8'?>\n"
_NOTHING: Final = object()


def _start_tag() -> bytes:
    return b'<collection xmlns="' + EUMICRO_XML_NS.encode("utf-8") + b'">'


def _piece(item: object, number: int, pretty: bool) -> bytes:
    """The bytes of one credential as the one-shot writer puts it inside ``<collection>``."""
    if not isinstance(item, MicroCredential):
        raise TypeError(f"item {number} is a {type(item).__name__}, not a MicroCredential")
    try:
        el = credential_element(item)
    except ValidationError as exc:  # a value XML cannot represent
        raise ValidationError([_rerooted(p, number) for p in exc.problems], exc.subject) from None
    # Serialised inside a <collection> (lxml moves the namespace declaration to it),
    # the element is indented as in the whole document; keep what lies between the
    # collection's start and end tags.
    wrapper = etree.Element(_COLLECTION, nsmap={None: EUMICRO_XML_NS})
    wrapper.append(el)
    data = etree.tostring(wrapper, encoding="UTF-8", pretty_print=pretty)
    start = _start_tag()
    end = b"\n</collection>\n" if pretty else b"</collection>"
    if not (data.startswith(start) and data.endswith(end)):  # pragma: no cover - lxml change
        raise RuntimeError("unexpected serialisation of a <collection>")
    return data[len(start) : -len(end)]


def _rerooted(problem: Problem, number: int) -> Problem:
    """A problem of a credential element, as a problem of the ``number``-th credential."""
    path = problem.path
    if path and path[0] == "credential":
        path = path[1:]
    new: tuple[PathSegment, ...] = ("collection", "credential", number, *path)
    return XmlProblem(new, problem.message, problem.code, problem.line, problem.column)


def write_xml_stream(
    credentials: Iterable[MicroCredential], target: _Path | IO[bytes], *, pretty: bool = True
) -> int:
    """Write credentials as a ``<collection>`` document, one at a time; return how many.

    ``target`` is a path or a file opened for writing bytes. ``credentials`` can be any
    iterable, a generator included: each credential is written before the next one is
    taken, so memory does not grow with the number of credentials. The bytes are those
    of :func:`~eumicro.to_xml_bytes` for the same credentials and the same ``pretty``
    (UTF-8; indented by default).

    Raises :class:`TypeError` for an item that is not a
    :class:`~eumicro.MicroCredential`, and :class:`~eumicro.ValidationError` (paths
    ``/collection/credential[n]/…``) for a value XML 1.0 cannot represent. Written to a
    path, a failed document is removed; written to a file, what was written stays.

    >>> import io
    >>> from eumicro import samples
    >>> out = io.BytesIO()
    >>> write_xml_stream([samples.load("data-literacy-ie")], out)
    1
    >>> list(iter_xml(io.BytesIO(out.getvalue()))) == [samples.load("data-literacy-ie")]
    True
    """
    if isinstance(target, str | os.PathLike):
        path = os.fspath(target)
        with open(path, "wb") as handle:
            try:
                return _write(credentials, handle, pretty)
            except BaseException:
                handle.close()
                os.unlink(path)
                raise
    if not hasattr(target, "write"):
        raise TypeError(f"expected a path or a binary file, got {type(target).__name__}")
    return _write(credentials, target, pretty)


def _write(credentials: Iterable[MicroCredential], out: IO[bytes], pretty: bool) -> int:
    items = iter(credentials)
    first = next(items, _NOTHING)
    if first is _NOTHING:
        out.write(_DECLARATION + _start_tag()[:-1] + (b"/>\n" if pretty else b"/>"))
        return 0
    out.write(_DECLARATION + _start_tag())
    out.write(_piece(first, 1, pretty))
    count = 1
    for item in items:
        count += 1
        out.write(_piece(item, count, pretty))
    out.write(b"\n</collection>\n" if pretty else b"</collection>")
    return count


# ----------------------------------------------------------------------------- the prolog

_PATTERNS: Final = (
    (b"\x00\x00\x00<", "utf-32-be"),
    (b"<\x00\x00\x00", "utf-32-le"),
    (b"\x00<", "utf-16-be"),
    (b"<\x00", "utf-16-le"),
    (b"\x4c\x6f\xa7\x94", "cp037"),  # "<?xm" in EBCDIC
)
_DECLARED: Final = re.compile(rb"""^<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._\-]+)["']""")
_DOCTYPE_MESSAGE: Final = (
    "document type declarations (<!DOCTYPE …>) are not accepted: they can define entities "
    "and load external files; remove it"
)


def _encoding(data: bytes, final: bool) -> str | None:
    """The encoding libxml2 reads a document in, from its first bytes (None: need more).

    A byte-order mark, else the pattern of ``<`` in UTF-32, UTF-16 or EBCDIC, else the
    encoding the XML declaration names (ignored, as libxml2 does, when it names UTF-16
    or UTF-32 for a document that starts in ASCII), else UTF-8.
    """
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    for pattern, name in _PATTERNS:
        if data.startswith(pattern):
            return name
    if not final and len(data) < 5 and any(p.startswith(data) for p, _ in _PATTERNS):
        return None
    if data.startswith(b"<?xml"):
        declared = _DECLARED.match(data)
        if declared is not None:
            name = declared.group(1).decode("ascii")
            try:
                wide = codecs.lookup(name).name.startswith(("utf-16", "utf-32"))
            except LookupError:
                return name
            return "utf-8" if wide else name
        if b"?>" not in data and not final:
            return None
    elif not final and len(data) < 5 and b"<?xml".startswith(data):
        return None
    return "utf-8"


def _prolog_end(text: str, final: bool) -> tuple[bool, int] | None:
    """Where the prolog ends: ``(is a DOCTYPE, offset)``; None: more text is needed.

    The prolog is skipped by hand (whitespace, comments, processing instructions); the
    first other markup is either a document type declaration or the root element (or
    something the parser will refuse).
    """
    i = 1 if text.startswith("\ufeff") else 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch in " \t\r\n":
            i += 1
            continue
        for opening, closing in (("<?", "?>"), ("<!--", "-->")):
            if text.startswith(opening, i):
                end = text.find(closing, i + len(opening))
                if end < 0:
                    return None if not final else (False, i)
                i = end + len(closing)
                break
        else:
            rest = text[i : i + 9]
            if not final and len(rest) < 9 and ("<!DOCTYPE".startswith(rest) or rest == "<!-"):
                return None
            return (rest.startswith("<!DOCTYPE"), i)
    return None if not final else (False, i)


def _line_column(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


# ----------------------------------------------------------------------------- columns


class _TagScanner:
    """Line and column of start tags, counted in document order, from the text in chunks.

    In a well-formed document the k-th start tag of the text opens the k-th element;
    ``<`` inside comments, CDATA sections and processing instructions is skipped.
    """

    def __init__(self, wanted: set[int]) -> None:
        self.wanted = wanted
        self.low = min(wanted)
        self.found: dict[int, tuple[int, int]] = {}
        self.index = -1  # the index of the last start tag seen (0: the root)
        self.line = 1
        self.line_start = 0  # offset of the current line's start in `pending`'s coordinates
        self.pending = ""

    def feed(self, text: str, final: bool = False) -> bool:
        """Scan more text; True once every wanted tag has been found."""
        buf = self.pending + text
        i = 0
        n = len(buf)
        if not final and "<!" not in buf and "<?" not in buf:
            # Only start and end tags: count them at C speed up to the last "<" (which
            # may be cut short) while no wanted tag can be among them.
            cut = buf.rfind("<")
            if cut > 0:
                tags = buf.count("<", 0, cut) - buf.count("</", 0, cut)
                if self.index + tags < self.low:
                    self.index += tags
                    self._advance(buf, 0, cut)
                    i = cut
        while True:
            lt = buf.find("<", i)
            if lt < 0:
                self._advance(buf, i, n)
                i = n
                break
            self._advance(buf, i, lt)
            i = lt
            for opening, closing in (("<!--", "-->"), ("<![CDATA[", "]]>"), ("<?", "?>")):
                if buf.startswith(opening, lt):
                    end = buf.find(closing, lt + len(opening))
                    if end < 0:
                        break
                    self._advance(buf, lt, end + len(closing))
                    i = end + len(closing)
                    break
                if not final and n - lt < len(opening) and opening.startswith(buf[lt:]):
                    end = -1
                    break
            else:
                if lt + 1 >= n and not final:
                    break
                if buf.startswith("</", lt) or buf.startswith("<!", lt):
                    i = lt + 1
                    continue
                self.index += 1
                if self.index in self.wanted:
                    self.found[self.index] = (self.line, lt - self.line_start + 1)
                    if len(self.found) == len(self.wanted):
                        return True
                i = lt + 1
                continue
            if i == lt:  # an unfinished comment, CDATA section or instruction
                break
        self.pending = buf[i:]
        self.line_start -= i
        return False

    def _advance(self, buf: str, start: int, end: int) -> None:
        newlines = buf.count("\n", start, end)
        if newlines:
            self.line += newlines
            self.line_start = buf.rfind("\n", start, end) + 1


def _positions(
    reopen: _Reopen | None, encoding: str, wanted: set[int]
) -> dict[int, tuple[int, int]]:
    """Line and column of the start tags ``wanted`` (document order, 0: the root)."""
    if reopen is None or not wanted:
        return {}
    try:
        handle, close = reopen()
    except OSError:
        return {}
    scanner = _TagScanner(wanted)
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    try:
        while True:
            chunk = handle.read(_CHUNK)
            if not isinstance(chunk, bytes):
                return {}
            text = decoder.decode(chunk, final=not chunk)
            if scanner.feed(text, final=not chunk) or not chunk:
                return scanner.found
    except OSError:
        return {}
    finally:
        close()


# ----------------------------------------------------------------------------- reading


class _Reopen:
    """Reads the source again from the start (to find columns), then puts it back."""

    def __init__(self, path: str | None, handle: IO[bytes] | None, start: int) -> None:
        self.path = path
        self.handle = handle
        self.start = start

    def __call__(self) -> tuple[IO[bytes], Callable[[], None]]:
        if self.path is not None:
            opened = open(self.path, "rb")  # noqa: SIM115 - closed by the caller
            return opened, opened.close
        assert self.handle is not None
        handle = self.handle
        where = handle.tell()
        handle.seek(self.start)

        def back() -> None:
            handle.seek(where)

        return handle, back


def _fail(problems: list[Problem]) -> ParseError:
    return ParseError(problems, _SUBJECT)


def _syntax(exc: etree.XMLSyntaxError) -> ParseError:
    """The first well-formedness error of the document.

    The push parser does not always raise at the error itself: after some errors (an
    undefined entity) it stops and a later call fails with a generic message. The
    error log (cleared when the read started) holds the error as it was found.
    """
    first = next((e for e in exc.error_log if e.level >= etree.ErrorLevels.ERROR), None)
    if first is not None:
        message, line, column = first.message.strip(), first.line, first.column
        if first.type_name == "ERR_RESOURCE_LIMIT" and "depth" in message:
            depth = XmlProblem(
                (), f"elements are nested more than {_MAX_DEPTH} levels deep", "depth", line, column
            )
            return _fail([depth])
    else:
        line, column = exc.position
        message = re.sub(r", line \d+, column \d+$", "", exc.msg or "")
    if message in ("Document is empty", "no element found"):
        message, line, column = "Document is empty", line or 1, column or 1
    problem = XmlProblem(
        (),
        "not well-formed XML: " + _syntax_message(message),
        "syntax",
        line or None,
        column or None,
    )
    return _fail([problem])


class _Reader:
    """The state of one incremental read."""

    def __init__(self, reopen: _Reopen | None, max_bytes: int | None) -> None:
        self.reopen = reopen
        self.max_bytes = max_bytes
        self.encoding = "utf-8"
        self.depth = 0
        self.index = -1  # document-order index of the last element started (0: the root)
        self.number = 0  # credentials started
        self.first = 0  # index of the current credential's element
        self.root: etree._Element | None = None

    def problem(
        self, el: etree._Element, index: int, path: tuple[PathSegment, ...], message: str, code: str
    ) -> ParseError:
        found = _positions(self.reopen, self.encoding, {index})
        line, column = found.get(index, (el.sourceline, None))
        return _fail([XmlProblem(path, message, code, line, column)])

    def events(self, events: Iterator[tuple[str, etree._Element]]) -> Iterator[MicroCredential]:
        for event, el in events:
            if event == "start":
                self.index += 1
                self.depth += 1
                if self.depth <= 2:
                    self.started(el)
                tag = el.tag
                if isinstance(tag, str) and tag.startswith(_XINCLUDE):
                    raise self.problem(
                        el,
                        self.index,
                        self.path(el),
                        "XInclude is not processed: put the content in the document itself",
                        "xinclude",
                    )
            else:
                self.depth -= 1
                if self.depth == 1:
                    yield self.credential(el)
                    assert self.root is not None
                    self.root.remove(el)

    def path(self, el: etree._Element) -> tuple[PathSegment, ...]:
        """The path of an element inside the current credential (from the elements so far)."""
        out: list[PathSegment] = []
        node, parent = el, el.getparent()
        while parent is not None and parent is not self.root:
            same = [c for c in parent if c.tag == node.tag]
            if len(same) > 1:
                out.append(same.index(node) + 1)
            out.append(etree.QName(node).localname)
            node, parent = parent, parent.getparent()
        out.reverse()
        return ("collection", "credential", self.number, *out)

    def started(self, el: etree._Element) -> None:
        """Check the root element and the children of the collection."""
        if self.depth == 1:
            self.root = el
            tree = el.getroottree()
            if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
                raise _fail([XmlProblem((), _DOCTYPE_MESSAGE, "doctype")])
            if el.tag != _COLLECTION:
                name = etree.QName(el)
                where = f"namespace {name.namespace!r}" if name.namespace else "no namespace"
                raise self.problem(
                    el,
                    0,
                    (name.localname,),
                    f"expected a <collection> document in namespace {EUMICRO_XML_NS!r}, "
                    f"got <{name.localname}> in {where}",
                    "root",
                )
            return
        self.number += 1
        self.first = self.index
        if el.tag != _CREDENTIAL:
            name = etree.QName(el)
            if name.namespace == EUMICRO_XML_NS:
                message = (
                    f"<{name.localname}> is not read by iter_xml: a streamed <collection> "
                    "holds <credential> elements only"
                )
            else:
                where = f"namespace {name.namespace!r}" if name.namespace else "no namespace"
                message = (
                    f"<{name.localname}> in {where} is not part of this format (its "
                    f"elements are in namespace {EUMICRO_XML_NS!r})"
                )
            raise self.problem(el, self.index, ("collection", name.localname), message, "schema")

    def credential(self, el: etree._Element) -> MicroCredential:
        """Validate and read one credential element; raise all of its problems."""
        try:
            return credential_from_element(el)
        except ParseError as exc:
            first = exc
        # Read again a copy that is a document of its own, so that the paths are those
        # of a lone <credential>, with the columns found in the source when it can be
        # read again; then put the credential's place in the collection in front.
        copy = deepcopy(el)
        elements = [e for e in copy.iter() if isinstance(e.tag, str)]
        indexes = range(self.first, self.first + len(elements))
        found = _positions(self.reopen, self.encoding, set(indexes))
        known = {e: found[i] for e, i in zip(elements, indexes, strict=True) if i in found}
        try:
            credential_from_element(copy, source=_KnownPositions(copy, known))
        except ParseError as exc:
            first = exc
        problems = [_rerooted(p, self.number) for p in first.problems]
        raise ParseError(problems, _SUBJECT) from None


class _KnownPositions(SourceMap):
    """A source map whose positions were found by scanning the source again."""

    def __init__(
        self, root: etree._Element, positions: dict[etree._Element, tuple[int, int]]
    ) -> None:
        super().__init__(None, root)
        self._known = positions

    def line_column(self, el: etree._Element) -> tuple[int | None, int | None]:
        found = self._known.get(el)
        if found is None:
            return el.sourceline, None
        return found


def iter_xml(
    source: _Path | IO[bytes], *, max_bytes: int | None = None
) -> Iterator[MicroCredential]:
    """The credentials of a ``<collection>`` document, read one at a time.

    ``source`` is a path or a file opened for reading bytes. Memory stays flat however
    many credentials the document holds: each credential's elements are dropped once it
    has been read. ``max_bytes`` bounds the size of the document (no bound by default).

    Raises :class:`~eumicro.ParseError` for the first credential with problems (with all
    of them, paths such as ``/collection/credential[1234]/title``, lines and, for a path
    or a seekable file, columns), for a document that is not well-formed, not a
    ``<collection>``, has a ``<!DOCTYPE …>`` or uses XInclude. The credentials before
    the problem have been yielded by then.

    >>> import io
    >>> from eumicro import samples
    >>> c = samples.load("data-literacy-ie")
    >>> out = io.BytesIO()
    >>> write_xml_stream([c, c], out)
    2
    >>> [x.id for x in iter_xml(io.BytesIO(out.getvalue()))] == [c.id, c.id]
    True
    """
    if isinstance(source, str | os.PathLike):
        if isinstance(source, str) and source.lstrip().startswith("<"):
            raise TypeError(
                "iter_xml reads a path or a binary file, not XML text: use "
                "collection_from_xml, or wrap the bytes in io.BytesIO"
            )
        return _read_path(os.fspath(source), max_bytes)
    if not hasattr(source, "read"):
        raise TypeError(f"expected a path or a binary file, got {type(source).__name__}")
    return _read_file(source, max_bytes)


def _read_path(path: str, max_bytes: int | None) -> Iterator[MicroCredential]:
    try:
        handle = open(path, "rb")  # noqa: SIM115 - closed below, also when abandoned
    except OSError as exc:
        raise _fail([XmlProblem((), f"cannot read {path!r}: {exc.strerror}", "io")]) from None
    with handle:
        yield from _read(handle, _Reader(_Reopen(path, None, 0), max_bytes))


def _read_file(handle: IO[bytes], max_bytes: int | None) -> Iterator[MicroCredential]:
    reopen = None
    try:
        if handle.seekable():
            reopen = _Reopen(None, handle, handle.tell())
    except (OSError, ValueError, AttributeError):
        reopen = None
    yield from _read(handle, _Reader(reopen, max_bytes))


def _parser() -> etree.XMLPullParser:
    return etree.XMLPullParser(
        events=("start", "end"),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        attribute_defaults=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
        strip_cdata=True,
        collect_ids=False,
        compact=True,
    )


def _read(handle: IO[bytes], reader: _Reader) -> Iterator[MicroCredential]:
    parser = _parser()
    etree.clear_error_log()  # see _syntax
    total = 0
    head = b""
    started = False
    while True:
        chunk = handle.read(_CHUNK)
        if not isinstance(chunk, bytes):
            raise TypeError("iter_xml reads binary files: open the file with mode 'rb'")
        total += len(chunk)
        if reader.max_bytes is not None and total > reader.max_bytes:
            raise _fail(
                [
                    XmlProblem(
                        (),
                        f"the document is larger than the limit of {reader.max_bytes} bytes "
                        f"(at least {total} bytes)",
                        "size",
                    )
                ]
            )
        if not started:
            head += chunk
            if not _safe_prolog(head, not chunk, reader):
                continue
            started = True
            chunk, head = head, b""
        if not chunk:
            break
        try:
            parser.feed(chunk)
        except etree.XMLSyntaxError as exc:
            yield from reader.events(parser.read_events())
            raise _syntax(exc) from None
        yield from reader.events(parser.read_events())
    try:
        parser.close()
    except etree.XMLSyntaxError as exc:
        yield from reader.events(parser.read_events())
        raise _syntax(exc) from None
    yield from reader.events(parser.read_events())


def _safe_prolog(head: bytes, final: bool, reader: _Reader) -> bool:
    """Whether the prolog is complete and has no DOCTYPE (False: read more); raise if bad.

    The prolog is looked at in the encoding the parser will use and, in case that guess
    is wrong, byte by byte as ASCII: a DOCTYPE seen either way is refused.
    """
    encoding = _encoding(head, final)
    if encoding is None:
        return False
    try:
        text = codecs.getincrementaldecoder(encoding)(errors="replace").decode(head, final=final)
    except LookupError:
        problem = XmlProblem((), f"the encoding {encoding!r} is not known", "encoding", 1, 1)
        raise _fail([problem]) from None
    complete = True
    for view in (text, head.decode("latin-1")):
        end = _prolog_end(view, final)
        if end is None:
            complete = False
            continue
        doctype, offset = end
        if doctype:
            line, column = _line_column(view, offset)
            raise _fail([XmlProblem((), _DOCTYPE_MESSAGE, "doctype", line, column)])
    if not complete:
        if len(head) > _PROLOG_LIMIT:
            message = f"the document has more than {_PROLOG_LIMIT} bytes before its root element"
            raise _fail([XmlProblem((), message, "size", 1, 1)])
        return False
    reader.encoding = encoding
    return True

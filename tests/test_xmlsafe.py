"""The safe XML parsing layer: hostile documents, limits, paths, positions, XSD messages."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from lxml import etree
from tests.conftest import SECRET

from eumicro import ParseError
from eumicro.formats._xmlsafe import (
    SourceMap,
    XmlProblem,
    element_path,
    line_column,
    parse_untrusted,
    validate_xsd,
    xml_chars_problem,
)
from eumicro.formats._xmlsafe import _safe_parser as safe_parser


def _parse(data: str | bytes, **limits: int) -> etree._Element:
    root, _ = parse_untrusted(data, subject="test XML", **limits)
    return root


def _only_problem(exc: pytest.ExceptionInfo[ParseError]) -> XmlProblem:
    assert len(exc.value.problems) == 1
    problem = exc.value.problems[0]
    assert isinstance(problem, XmlProblem)
    return problem


DOCTYPE_MESSAGE = (
    "document type declarations (<!DOCTYPE …>) are not accepted: they can define entities "
    "and load external files; remove it"
)


def _hostile(secret: Path, url: str) -> list[tuple[str, bytes]]:
    laughs = "".join(
        f'<!ENTITY l{i} "{"".join(f"&l{i - 1};" for _ in range(10))}">' for i in range(1, 10)
    )
    return [
        ("xxe-file", f'<!DOCTYPE a [<!ENTITY x SYSTEM "{secret.as_uri()}">]><a>&x;</a>'.encode()),
        ("xxe-url", f'<!DOCTYPE a [<!ENTITY x SYSTEM "{url}">]><a>&x;</a>'.encode()),
        ("external-dtd", f'<!DOCTYPE a SYSTEM "{url}"><a/>'.encode()),
        (
            "billion-laughs",
            f'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY l0 "ha">{laughs}]><a>&l9;</a>'.encode(),
        ),
        (
            "quadratic",
            (
                '<!DOCTYPE a [<!ENTITY x "' + "x" * 100_000 + '">]><a>' + "&x;" * 10_000 + "</a>"
            ).encode(),
        ),
        (
            "parameter-entity",
            f'<!DOCTYPE a [<!ENTITY % p SYSTEM "{url}"> %p;]><a/>'.encode(),
        ),
        (
            "parameter-entity-file",
            f'<!DOCTYPE a [<!ENTITY % p SYSTEM "{secret.as_uri()}"> %p;]><a/>'.encode(),
        ),
        (
            "after-comment",
            f'<?xml version="1.0"?>\n<!-- hi -->\n<!DOCTYPE a [<!ENTITY x SYSTEM "{url}">]><a/>'.encode(),
        ),
        (
            "utf-16",
            f'<!DOCTYPE a [<!ENTITY x SYSTEM "{secret.as_uri()}">]><a>&x;</a>'.encode("utf-16"),
        ),
    ]


@pytest.mark.parametrize(
    "name",
    [
        "xxe-file",
        "xxe-url",
        "external-dtd",
        "billion-laughs",
        "quadratic",
        "parameter-entity",
        "parameter-entity-file",
        "after-comment",
        "utf-16",
    ],
)
def test_document_type_declarations_are_refused(
    name: str,
    secret_file: Path,
    listener: tuple[str, list[bytes]],
    no_sockets: None,
) -> None:
    url, received = listener
    data = dict(_hostile(secret_file, url))[name]
    with pytest.raises(ParseError) as exc:
        _parse(data)
    problem = _only_problem(exc)
    assert (problem.message, problem.code, problem.location) == (DOCTYPE_MESSAGE, "doctype", "/")
    assert problem.line == (3 if name == "after-comment" else 1)
    assert SECRET not in str(exc.value)
    assert received == []


def test_the_parser_itself_neither_expands_nor_fetches(
    secret_file: Path, listener: tuple[str, list[bytes]]
) -> None:
    """Behind the refusal, the parser is safe on its own: no file, no network, no expansion."""
    url, received = listener
    for data in (
        f'<!DOCTYPE a [<!ENTITY x SYSTEM "{secret_file.as_uri()}">]><a>&x;</a>',
        f'<!DOCTYPE a [<!ENTITY x SYSTEM "{url}">]><a>&x;</a>',
        f'<!DOCTYPE a SYSTEM "{url}"><a/>',
        '<!DOCTYPE a [<!ENTITY x "' + "y" * 1000 + '">]><a>' + "&x;" * 1000 + "</a>",
    ):
        try:
            root = etree.fromstring(data.encode(), safe_parser())
        except etree.XMLSyntaxError:
            continue
        out = etree.tostring(root).decode()
        assert SECRET not in out
        assert len(out) < 10_000
    assert received == []


def test_xinclude_is_refused_not_processed(secret_file: Path, no_sockets: None) -> None:
    data = (
        '<a xmlns:xi="http://www.w3.org/2001/XInclude">\n'
        f'  <xi:include href="{secret_file.as_uri()}" parse="text"/>\n</a>'
    )
    with pytest.raises(ParseError) as exc:
        _parse(data)
    problem = _only_problem(exc)
    assert (problem.location, problem.line, problem.column, problem.message) == (
        "/a/include",
        2,
        3,
        "XInclude is not processed: put the content in the document itself",
    )
    assert SECRET not in str(exc.value)


def test_oversize_is_refused_before_parsing() -> None:
    with pytest.raises(ParseError) as exc:
        _parse(b"<a>" + b"x" * 2000 + b"</a>", max_bytes=1000)
    assert _only_problem(exc).message == (
        "the document is larger than the limit of 1000 bytes (at least 2007 bytes)"
    )
    # Text is measured in UTF-8 bytes.
    with pytest.raises(ParseError):
        _parse("<a>" + "é" * 499 + "</a>", max_bytes=1000)
    assert _parse("<a>" + "é" * 400 + "</a>", max_bytes=1000).text == "é" * 400


def test_oversize_file_and_stream(tmp_path: Path) -> None:
    path = tmp_path / "big.xml"
    path.write_bytes(b"<a>" + b" " * 5000 + b"</a>")
    for source in (path, io.BytesIO(path.read_bytes())):
        with pytest.raises(ParseError) as exc:
            parse_untrusted(source, subject="test XML", max_bytes=1000)
        assert _only_problem(exc).code == "size"
    root, _ = parse_untrusted(path, subject="test XML")
    assert root.tag == "a"


@pytest.mark.parametrize(("depth", "limit"), [(10_000, 256), (300, 256), (51, 50)])
def test_deep_nesting_is_refused(depth: int, limit: int) -> None:
    with pytest.raises(ParseError) as exc:
        _parse("<a>" * depth + "</a>" * depth, max_depth=limit)
    problem = _only_problem(exc)
    assert problem.message == f"elements are nested more than {limit} levels deep"
    assert problem.code == "depth"


def test_nesting_at_the_limit_is_fine() -> None:
    assert _parse("<a>" * 50 + "</a>" * 50, max_depth=50).tag == "a"


def test_every_syntax_error_is_reported_with_its_position() -> None:
    with pytest.raises(ParseError) as exc:
        _parse("<a>\n<b x=1><c></a>")
    got = [(p.line, p.column, p.message) for p in exc.value.problems]
    assert got == [
        (2, 6, "not well-formed XML: attValue: \" or ' expected"),
        (2, 6, "not well-formed XML: attributes construct error"),
        (2, 6, "not well-formed XML: couldn't find end of Start Tag b line 2"),
        (2, 15, "not well-formed XML: end tag </a> does not match the start tag <c> on line 2"),
    ]


@pytest.mark.parametrize(
    ("data", "message", "position"),
    [
        ("", "not well-formed XML: the document is empty", (1, 1)),
        (
            "<a/><b/>",
            "not well-formed XML: there is content after the end of the root element",
            (1, 5),
        ),
        (
            "<a>&nbsp;</a>",
            "not well-formed XML: entity reference &nbsp; is not defined (only &lt; &gt; &amp; "
            "&quot; &apos; and character references such as &#233; may be used)",
            (1, 10),
        ),
    ],
)
def test_syntax_messages(data: str, message: str, position: tuple[int, int]) -> None:
    with pytest.raises(ParseError) as exc:
        _parse(data)
    problem = exc.value.problems[0]
    assert (problem.message, (problem.line, problem.column)) == (message, position)


def test_text_with_an_encoding_declaration_and_bytes_in_latin_1() -> None:
    assert _parse('<?xml version="1.0" encoding="ISO-8859-1"?><a>é</a>').text == "é"
    root, source = parse_untrusted(
        '<?xml version="1.0" encoding="ISO-8859-1"?>\n<a><b>é</b><c/></a>'.encode("latin-1"),
        subject="test XML",
    )
    assert root[0].text == "é"
    assert line_column(root[1], source) == (2, 12)


def test_comments_and_processing_instructions_are_ignored() -> None:
    root = _parse('<?xml-stylesheet href="x.xsl"?><a>x<!-- c -->y<?pi z?></a>')
    assert "".join(root.itertext()) == "xy"


def test_element_paths_index_only_repeated_names() -> None:
    root = _parse("<c><q/><q><r><s/><n/><s><f/></s></r></q></c>")
    f = root[1][0][2][0]
    assert XmlProblem(element_path(f), "").location == "/c/q[2]/r/s[2]/f"
    assert XmlProblem(element_path(root[1][0][1], "id"), "").location == "/c/q[2]/r/n/@id"
    assert XmlProblem((), "").location == "/"


def test_columns_count_characters_and_skip_comments_cdata_and_pis() -> None:
    text = (
        "<a>\n"
        "  <!-- <x> --><b/><![CDATA[<y>]]><ü>é</ü><?p <z>?><b\n"
        '     k=">"\n'
        "  /><c><d/></c>\n"
        "</a>"
    )
    root, source = parse_untrusted(text, subject="test XML")
    got = {element_path(el): line_column(el, source) for el in root.iter(etree.Element)}
    assert got == {
        ("a",): (1, 1),
        ("a", "b", 1): (2, 15),
        ("a", "ü"): (2, 34),
        ("a", "b", 2): (2, 51),
        ("a", "c"): (4, 5),
        ("a", "c", "d"): (4, 8),
    }


def test_source_map_without_text_falls_back_to_lines() -> None:
    root = etree.fromstring("<a>\n<b/></a>")
    assert SourceMap(None, root).line_column(root[0]) == (2, None)


_SCHEMA = etree.XMLSchema(
    etree.fromstring(
        b"""<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:t"
        xmlns="urn:t" elementFormDefault="qualified">
  <xs:simpleType name="Small">
    <xs:restriction base="xs:integer"><xs:maxInclusive value="9"/></xs:restriction>
  </xs:simpleType>
  <xs:element name="a"><xs:complexType><xs:sequence>
    <xs:element name="b" type="xs:integer" maxOccurs="unbounded"/>
    <xs:element name="c" type="Small" minOccurs="0"/>
    <xs:element name="d" type="xs:string"/>
  </xs:sequence><xs:attribute name="n" type="xs:positiveInteger" use="required"/>
  </xs:complexType></xs:element>
</xs:schema>"""
    )
)


def test_every_xsd_error_becomes_a_problem() -> None:
    text = '<a xmlns="urn:t" q="1">\n  <b>x</b>\n  <b>2</b>\n  <c>12</c>\n  <e/>\n</a>'
    root, source = parse_untrusted(text, subject="test XML")
    problems = validate_xsd(
        root,
        _SCHEMA,
        source=source,
        types={"xs:integer": "a whole number", "<c>": "a number up to 9"},
        namespace="urn:t",
        elements={"a", "b", "c", "d"},
    )
    got = [(p.location, p.line, p.column, p.message) for p in problems]
    assert got == [
        ("/a/@q", 1, 1, "attribute 'q' is not allowed on <a>"),
        ("/a", 1, 1, "required attribute 'n' of <a> is missing"),
        ("/a/b[1]", 2, 3, "'x' is not valid here: expected a whole number"),
        ("/a/c", 4, 3, "'12' is not valid here: expected a number up to 9"),
        ("/a/e", 5, 3, "<e> is not an element of this format"),
    ]


def test_xsd_missing_child_and_foreign_namespace() -> None:
    root, source = parse_untrusted('<a xmlns="urn:t" n="1"><b>1</b></a>', subject="t")
    [problem] = validate_xsd(root, _SCHEMA, source=source)
    assert problem.message == "<a> is incomplete: one of <b>, <c>, <d> is missing"
    root, source = parse_untrusted(
        '<a xmlns="urn:t" n="1"><b>1</b><x:d xmlns:x="urn:u"/></a>', subject="t"
    )
    [problem] = validate_xsd(root, _SCHEMA, source=source, namespace="urn:t")
    assert (problem.location, problem.column) == ("/a/d", 32)
    assert problem.message == (
        "<d> in namespace 'urn:u' is not part of this format (its elements are in "
        "namespace 'urn:t')"
    )


def test_xml_characters() -> None:
    assert xml_chars_problem("fine\ttext\n\r é 😀") is None
    assert xml_chars_problem("a\x01") == (
        "contains U+0001 at position 2, a character XML 1.0 cannot represent"
    )
    assert xml_chars_problem("\ufffe") is not None


def test_a_long_prolog_is_scanned_in_linear_time() -> None:
    assert _parse(" " * 1_000_000 + "<!-- c --> \n<a/>").tag == "a"
    with pytest.raises(ParseError) as exc:
        _parse("<!-- c -->\n" + " " * 100_000 + "<!DOCTYPE a><a/>")
    problem = _only_problem(exc)
    assert (problem.line, problem.column) == (2, 100_001)


def test_packaged_schemas_resolve_only_inside_their_folder() -> None:
    from eumicro.formats._xmlsafe import _PackagedSchemas, load_packaged_schema

    resolver = _PackagedSchemas("eumicro._data", "loq-3.1", "eumicro-loq-3.1:/", frozenset())
    for url in (
        "http://example.org/evil.xsd",  # by its name: not in the folder
        "eumicro-loq-3.1:/../edci-v2/genericschema_1.2.xsd",  # out of the folder
        "/etc/passwd",
    ):
        with pytest.raises(etree.XMLSchemaParseError, match="the packaged schemas have no"):
            resolver.resolve(url, None, None)
    # The official schemas load with every import served from the package.
    assert load_packaged_schema("eumicro._data", "loq-3.1", "loq.xsd") is not None

"""Native XML: bad and hostile documents are refused with every problem, path, line, column."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from lxml import etree
from tests.conftest import SECRET

from eumicro import (
    MicroCredential,
    ParseError,
    collection_from_xml,
    document_from_xml,
    from_xml,
    load_xml,
)
from eumicro.formats._xml import credential_from_element
from eumicro.formats._xmlsafe import SourceMap

GOOD = """<?xml version="1.0" encoding="UTF-8"?>
<credential xmlns="urn:eumicro:xml:1" id="urn:x:c1">
  <specification id="urn:x:spec">
    <title xml:lang="en">Data literacy</title>
    <workload>
      <ects>5</ects>
    </workload>
    <level>
      <eqf>http://data.europa.eu/snb/eqf/6</eqf>
    </level>
    <language>http://publications.europa.eu/resource/authority/language/ENG</language>
  </specification>
  <learner>
    <fullName>Aoife Byrne</fullName>
    <dateOfBirth>1990-04-12</dateOfBirth>
  </learner>
  <issued>2024-05-01T10:00:00+02:00</issued>
  <validUntil>2029-05-01T10:00:00+02:00</validUntil>
</credential>
"""

_ECTS = "expected a number of ECTS credits from 0 with at most two decimals, such as 5 or 7.5"
_ROOT = "expected a <credential> document in namespace 'urn:eumicro:xml:1', got <credential>"
_LANGUAGE_XXX = (
    "'http://publications.europa.eu/resource/authority/language/XXX' is not the IRI of a "
    "concept from Languages"
)
_SPECIFICATION = GOOD[GOOD.index("  <specification") : GOOD.index("  <learner>")]

# (name, document, [(path, line, column, message), …])
BAD: list[tuple[str, str, list[tuple[str, int, int | None, str]]]] = [
    (
        "syntax-error",
        GOOD.replace("</learner>", "</learnr>"),
        [
            (
                "/",
                16,
                12,
                "not well-formed XML: end tag </learnr> does not match the start tag "
                "<learner> on line 13",
            )
        ],
    ),
    (
        "wrong-namespace",
        GOOD.replace('xmlns="urn:eumicro:xml:1"', 'xmlns="urn:other"'),
        [("/credential", 2, 1, f"{_ROOT} in namespace 'urn:other'")],
    ),
    (
        "no-namespace",
        GOOD.replace(' xmlns="urn:eumicro:xml:1"', ""),
        [("/credential", 2, 1, f"{_ROOT} in no namespace")],
    ),
    (
        "wrong-root",
        GOOD.replace("<credential", "<award").replace("</credential>", "</award>"),
        [
            (
                "/award",
                2,
                1,
                "expected a <credential> document in namespace 'urn:eumicro:xml:1', got "
                "<award> in namespace 'urn:eumicro:xml:1'",
            )
        ],
    ),
    (
        "unknown-element",
        GOOD.replace("<issued>", "<colour>blue</colour>\n  <issued>"),
        [("/credential/colour", 17, 3, "<colour> is not an element of this format")],
    ),
    (
        "element-of-another-namespace",
        GOOD.replace("<issued>", '<x:extra xmlns:x="urn:x">1</x:extra>\n  <issued>'),
        [
            (
                "/credential/extra",
                17,
                3,
                "<extra> in namespace 'urn:x' is not part of this format (its elements are "
                "in namespace 'urn:eumicro:xml:1')",
            )
        ],
    ),
    (
        "missing-required-element",
        GOOD.replace(_SPECIFICATION, ""),
        [("/credential/learner", 3, 3, "<learner> is not allowed here; expected <specification>")],
    ),
    (
        "missing-required-attribute",
        GOOD.replace('<specification id="urn:x:spec">', "<specification>"),
        [
            (
                "/credential/specification",
                3,
                3,
                "required attribute 'id' of <specification> is missing",
            )
        ],
    ),
    (
        "elements-out-of-order",
        GOOD.replace("  <issued>2024-05-01T10:00:00+02:00</issued>\n", "").replace(
            "</validUntil>", "</validUntil>\n  <issued>2024-05-01T10:00:00+02:00</issued>"
        ),
        [
            (
                "/credential/issued",
                18,
                3,
                "<issued> is not allowed here; expected one of <grade>, <supervision>, "
                "<furtherInformation>, <identifier>",
            )
        ],
    ),
    (
        "empty-workload",
        GOOD.replace("<workload>\n      <ects>5</ects>\n    </workload>", "<workload/>"),
        [
            (
                "/credential/specification/workload",
                5,
                5,
                "give ECTS credits, ECVET points or hours (none was given)",
            )
        ],
    ),
    (
        "bad-date",
        GOOD.replace("1990-04-12", "1990-02-30"),
        [
            (
                "/credential/learner/dateOfBirth",
                15,
                5,
                "'1990-02-30' is not valid here: expected a date such as 2024-05-01",
            )
        ],
    ),
    (
        "date-time-without-offset",
        GOOD.replace("2024-05-01T10:00:00+02:00", "2024-05-01T10:00:00"),
        [
            (
                "/credential/issued",
                17,
                3,
                "'2024-05-01T10:00:00' is not valid here: expected a date-time with an offset, "
                "such as 2024-05-01T10:00:00+02:00",
            )
        ],
    ),
    (
        "ects-with-three-decimals",
        GOOD.replace("<ects>5</ects>", "<ects>5.125</ects>"),
        [("/credential/specification/workload/ects", 6, 7, f"'5.125' is not valid here: {_ECTS}")],
    ),
    (
        "negative-ects",
        GOOD.replace("<ects>5</ects>", "<ects>-5</ects>"),
        [("/credential/specification/workload/ects", 6, 7, f"'-5' is not valid here: {_ECTS}")],
    ),
    (
        "unknown-vocabulary-value",
        GOOD.replace("language/ENG", "language/XXX"),
        [("/credential/specification/language", 11, 5, _LANGUAGE_XXX)],
    ),
    (
        "value-outside-an-enumeration",
        GOOD.replace("eqf/6", "eqf/9"),
        [
            (
                "/credential/specification/level/eqf",
                9,
                7,
                "'http://data.europa.eu/snb/eqf/9' is not valid here: expected the IRI of an "
                "EQF level, http://data.europa.eu/snb/eqf/1 to …/eqf/8",
            )
        ],
    ),
    (
        "valid-until-before-issued",
        GOOD.replace("2029-05-01", "2023-05-01"),
        [
            (
                "/credential/validUntil",
                18,
                3,
                "must be after the date of issuing (2024-05-01T10:00:00+02:00), got "
                "2023-05-01T10:00:00+02:00",
            )
        ],
    ),
    (
        "qf-ehea-cycle-against-eqf-level",
        GOOD.replace(
            "<eqf>http://data.europa.eu/snb/eqf/6</eqf>",
            "<eqf>http://data.europa.eu/snb/eqf/6</eqf>"
            "<qfEhea>urn:eumicro:vocab:qf-ehea-cycle:2</qfEhea>",
        ),
        [
            (
                "/credential/specification/level/qfEhea",
                9,
                49,
                "Second cycle corresponds to EQF level 7, but the EQF level is 6",
            )
        ],
    ),
    (
        "text-without-language",
        GOOD.replace(' xml:lang="en"', ""),
        [
            (
                "/credential/specification/title",
                4,
                5,
                'xml:lang is missing: give the language of the text, e.g. xml:lang="en"',
            )
        ],
    ),
    (
        "language-given-twice",
        GOOD.replace(
            "Data literacy</title>", 'Data literacy</title><title xml:lang="EN">x</title>'
        ),
        [
            (
                "/credential/specification/title[2]/@xml:lang",
                4,
                47,
                "language 'en' is given more than once (also at /credential/specification/title[1])",
            )
        ],
    ),
    (
        "not-an-iri",
        GOOD.replace('id="urn:x:c1"', 'id="not an iri"'),
        [
            (
                "/credential/@id",
                2,
                1,
                "'not an iri' is not valid here: expected an absolute IRI such as 'urn:…' or "
                "'https://…'",
            )
        ],
    ),
    (
        "several-problems",
        GOOD.replace("<ects>5</ects>", "<ects>five</ects>")
        .replace("language/ENG", "language/XXX")
        .replace("<fullName>", "<nickname>x</nickname><fullName>")
        .replace("1990-04-12", "2990-04-12"),
        [
            (
                "/credential/specification/workload/ects",
                6,
                7,
                f"'five' is not valid here: {_ECTS}",
            ),
            ("/credential/specification/language", 11, 5, _LANGUAGE_XXX),
            ("/credential/learner/nickname", 14, 5, "<nickname> is not an element of this format"),
            ("/credential/learner/dateOfBirth", 15, 5, "is in the future (2990-04-12)"),
        ],
    ),
]


def _problems(
    exc: pytest.ExceptionInfo[ParseError],
) -> list[tuple[str, int | None, int | None, str]]:
    return [(p.location, p.line, p.column, p.message) for p in exc.value.problems]


def test_the_good_document_is_read() -> None:
    c = from_xml(GOOD)
    assert c.id == "urn:x:c1"
    assert c.learner is not None
    assert c.learner.full_name == "Aoife Byrne"


@pytest.mark.parametrize(("name", "document", "expected"), BAD, ids=[case[0] for case in BAD])
def test_bad_documents_are_refused_with_every_problem(
    name: str, document: str, expected: list[tuple[str, int, int | None, str]]
) -> None:
    for data in (document, document.encode("utf-8")):
        with pytest.raises(ParseError) as exc:
            from_xml(data)
        assert _problems(exc) == expected
        assert exc.value.subject == "eumicro XML"
    with pytest.raises(ParseError) as exc:
        document_from_xml(document)
    any_root = "a <credential>, <specification> or <collection> document"
    assert _problems(exc) == [
        (path, line, column, message.replace("a <credential> document", any_root))
        for path, line, column, message in expected
    ]


def test_problems_in_a_collection_name_the_credential() -> None:
    one = GOOD.split("\n", 1)[1].replace(' xmlns="urn:eumicro:xml:1"', "")
    late = one.replace("2029-05-01", "2023-05-01")
    document = f'<collection xmlns="urn:eumicro:xml:1">\n{one}{late}{late}</collection>\n'
    with pytest.raises(ParseError) as exc:
        collection_from_xml(document)
    message = (
        "must be after the date of issuing (2024-05-01T10:00:00+02:00), got "
        "2023-05-01T10:00:00+02:00"
    )
    assert _problems(exc) == [
        ("/collection/credential[2]/validUntil", 36, 3, message),
        ("/collection/credential[3]/validUntil", 54, 3, message),
    ]
    # One element of a parsed document: without a source map, lines but no columns.
    root = etree.fromstring(document.encode())
    assert credential_from_element(root[0]).id == "urn:x:c1"
    with pytest.raises(ParseError) as exc:
        credential_from_element(root[1], where="item 2 of the stream")
    assert exc.value.subject == "item 2 of the stream"
    assert _problems(exc) == [("/collection/credential[2]/validUntil", 36, None, message)]
    source = SourceMap(document, root)
    with pytest.raises(ParseError) as exc:
        credential_from_element(root[2], source=source)
    assert _problems(exc) == [("/collection/credential[3]/validUntil", 54, 3, message)]
    with pytest.raises(ParseError) as exc:
        credential_from_element(root[1][0])
    assert _problems(exc) == [
        (
            "/collection/credential[2]/specification",
            21,
            None,
            "expected a <credential> element in namespace 'urn:eumicro:xml:1', got "
            "<specification> in namespace 'urn:eumicro:xml:1'",
        )
    ]


def test_schema_errors_inside_one_element_are_reported() -> None:
    root = etree.fromstring(GOOD.replace("<ects>5</ects>", "<ects>5.125</ects>").encode())
    with pytest.raises(ParseError) as exc:
        credential_from_element(root)
    assert _problems(exc) == [
        ("/credential/specification/workload/ects", 6, None, f"'5.125' is not valid here: {_ECTS}")
    ]


def test_missing_file_is_a_parse_error(tmp_path: Path) -> None:
    with pytest.raises(ParseError) as exc:
        load_xml(tmp_path / "absent.xml")
    assert exc.value.problems[0].code == "io"


# ----------------------------------------------------------------------------- hostile input


_DOCTYPE = (
    "document type declarations (<!DOCTYPE …>) are not accepted: they can define entities "
    "and load external files; remove it"
)
_OPEN = '<credential xmlns="urn:eumicro:xml:1" id="urn:x:c">'
_SPEC = '<specification id="urn:x:s"/>'


def _hostile(secret: Path, url: str) -> dict[str, tuple[bytes, str, str, int | None]]:
    """name → (document, expected code, expected location, expected line)."""
    laughs = "".join(
        f'<!ENTITY l{i} "{"".join(f"&l{i - 1};" for _ in range(10))}">' for i in range(1, 10)
    )
    return {
        "xxe-file": (
            f'<!DOCTYPE credential [<!ENTITY x SYSTEM "{secret.as_uri()}">]>'
            f"{_OPEN}{_SPEC}<furtherInformation xml:lang='en'>&x;</furtherInformation>"
            "</credential>".encode(),
            "doctype",
            "/",
            1,
        ),
        "xxe-url": (
            f'<!DOCTYPE credential [<!ENTITY x SYSTEM "{url}">]>'
            f"{_OPEN}{_SPEC}<furtherInformation xml:lang='en'>&x;</furtherInformation>"
            "</credential>".encode(),
            "doctype",
            "/",
            1,
        ),
        "external-dtd": (
            f'<!DOCTYPE credential SYSTEM "{url}">{_OPEN}{_SPEC}</credential>'.encode(),
            "doctype",
            "/",
            1,
        ),
        "billion-laughs": (
            f'<?xml version="1.0"?>\n<!DOCTYPE credential [<!ENTITY l0 "ha">{laughs}]>\n'
            f"{_OPEN}{_SPEC}<furtherInformation xml:lang='en'>&l9;</furtherInformation>"
            "</credential>".encode(),
            "doctype",
            "/",
            2,
        ),
        "quadratic-blowup": (
            (
                '<!DOCTYPE credential [<!ENTITY x "' + "x" * 100_000 + '">]>'
                f"{_OPEN}{_SPEC}<furtherInformation xml:lang='en'>"
                + "&x;" * 10_000
                + "</furtherInformation></credential>"
            ).encode(),
            "doctype",
            "/",
            1,
        ),
        "parameter-entity-url": (
            f'<!DOCTYPE credential [<!ENTITY % p SYSTEM "{url}"> %p;]>{_OPEN}{_SPEC}'
            "</credential>".encode(),
            "doctype",
            "/",
            1,
        ),
        "parameter-entity-file": (
            f'<!DOCTYPE credential [<!ENTITY % p SYSTEM "{secret.as_uri()}"> %p;]>'
            f"{_OPEN}{_SPEC}</credential>".encode(),
            "doctype",
            "/",
            1,
        ),
        "undeclared-entity": (
            f"{_OPEN}{_SPEC}<furtherInformation xml:lang='en'>&x;</furtherInformation>"
            "</credential>".encode(),
            "syntax",
            "/",
            1,
        ),
        "xinclude-file": (
            f'{_OPEN}\n<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" '
            f'href="{secret.as_uri()}" parse="text"/>\n{_SPEC}</credential>'.encode(),
            "xinclude",
            "/credential/include",
            2,
        ),
        "xinclude-url": (
            f'{_OPEN}\n<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" '
            f'href="{url}"/>\n{_SPEC}</credential>'.encode(),
            "xinclude",
            "/credential/include",
            2,
        ),
        "deep-nesting": (
            (
                f"{_OPEN}{_SPEC}<furtherInformation xml:lang='en'>"
                + "<b>" * 300
                + "</b>" * 300
                + "</furtherInformation></credential>"
            ).encode(),
            "depth",
            "/",
            1,
        ),
        "oversize": (
            (
                f"{_OPEN}{_SPEC}<furtherInformation xml:lang='en'>"
                + "x" * 20_000
                + "</furtherInformation></credential>"
            ).encode(),
            "size",
            "/",
            None,
        ),
    }


@pytest.mark.parametrize(
    "name",
    [
        "xxe-file",
        "xxe-url",
        "external-dtd",
        "billion-laughs",
        "quadratic-blowup",
        "parameter-entity-url",
        "parameter-entity-file",
        "undeclared-entity",
        "xinclude-file",
        "xinclude-url",
        "deep-nesting",
        "oversize",
    ],
)
def test_hostile_documents_are_refused(
    name: str,
    secret_file: Path,
    listener: tuple[str, list[bytes]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url, received = listener
    data, code, location, line = _hostile(secret_file, url)[name]
    opened: list[object] = []
    real_open = open

    def watch_open(file: object, *args: object, **kwargs: object) -> object:
        opened.append(file)
        return real_open(file, *args, **kwargs)  # type: ignore[call-overload]

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a network connection was opened")

    monkeypatch.setattr("builtins.open", watch_open)
    monkeypatch.setattr(socket, "create_connection", refuse)
    with pytest.raises(ParseError) as exc:
        from_xml(data, max_bytes=10_000 if name == "oversize" else 1_000_000)
    codes = {p.code for p in exc.value.problems}
    assert codes == {code}, exc.value
    assert exc.value.problems[0].location == location
    assert exc.value.problems[0].line == line
    if code == "doctype":
        assert exc.value.problems[0].message == _DOCTYPE
    assert SECRET not in str(exc.value)
    assert not any(str(secret_file) in str(f) for f in opened)
    assert received == []


def test_the_hostile_table_covers_every_case(secret_file: Path) -> None:
    assert len(_hostile(secret_file, "http://127.0.0.1:9/x")) == 12


def test_a_valid_credential_is_read_without_network_or_files(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from eumicro.formats._xml import xml_schema

    xml_schema()  # loaded (from the package) before the network is cut

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a network connection was opened")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    assert isinstance(from_xml(GOOD), MicroCredential)


def test_schema_location_hints_are_not_followed(listener: tuple[str, list[bytes]]) -> None:
    url, received = listener
    hinted = GOOD.replace(
        ' id="urn:x:c1"',
        ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
        f' xsi:schemaLocation="urn:eumicro:xml:1 {url}" id="urn:x:c1"',
    )
    assert from_xml(hinted) == from_xml(GOOD)
    assert received == []

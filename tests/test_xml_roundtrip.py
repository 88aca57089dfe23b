"""Native XML round trips: property tests over generated objects, XSD validity, golden files.

Golden files
------------
``tests/golden/xml/<sample-name>.xml`` holds ``eumicro.to_xml_bytes(sample)`` (what
:func:`eumicro.save_xml` writes) for every built-in sample. The tests check that the
writer reproduces each file byte for byte, that it validates against the XSD and that
reading it gives the sample back.

After a deliberate change to the samples or to the XML mapping, regenerate them with::

    EUMICRO_UPDATE_GOLDEN=1 python -m pytest tests/test_xml_roundtrip.py -p no:cacheprovider

and review the diff before committing it.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree
from tests import strategies as gen

import eumicro
from eumicro import (
    MicroCredential,
    ParseError,
    Specification,
    Text,
    ValidationError,
    collection_from_xml,
    document_from_xml,
    from_json,
    from_xml,
    load_xml,
    samples,
    save_xml,
    to_json,
    to_xml,
    to_xml_bytes,
    xml_schema,
)
from eumicro.formats import XML_NS
from eumicro.formats._xml import credential_element, credential_from_element

GOLDEN_DIR = Path(__file__).parent / "golden" / "xml"
UPDATE_GOLDEN = os.environ.get("EUMICRO_UPDATE_GOLDEN") == "1"

# Characters XML 1.0 cannot hold (the model accepts some of them: U+FFFE, U+FFFF, U+0001 …).
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml(item: MicroCredential | Specification | list[MicroCredential]) -> bytes:
    """The XML of ``item`` (the model holds only characters XML can hold)."""
    assert not _NOT_XML.search(to_json(item))
    return to_xml_bytes(item)


def _assert_valid(data: bytes) -> None:
    schema = xml_schema()
    root = etree.fromstring(data)
    assert schema.validate(root), schema.error_log


# ----------------------------------------------------------------------------- credentials


@given(gen.micro_credentials())
def test_credential_round_trips(c: MicroCredential) -> None:
    data = _xml(c)
    _assert_valid(data)
    text = to_xml(c)
    assert text.encode("utf-8") == data
    assert from_xml(data) == c
    assert from_xml(text) == c
    assert document_from_xml(data) == c
    assert from_xml(to_xml_bytes(c, pretty=False)) == c
    assert to_xml_bytes(from_xml(data)) == data  # dump → load → dump is a fixed point
    assert to_xml_bytes(attrs.evolve(c)) == data


@given(gen.micro_credentials())
def test_json_then_xml_round_trips(c: MicroCredential) -> None:
    through_json = from_json(to_json(c))
    data = _xml(through_json)
    _assert_valid(data)
    assert from_xml(data) == c
    assert from_json(to_json(from_xml(data))) == c


@given(gen.micro_credentials())
def test_credential_element_is_the_document_element(c: MicroCredential) -> None:
    data = _xml(c)
    el = credential_element(c)
    assert el.tag == f"{{{XML_NS}}}credential"
    assert etree.tostring(el, encoding="UTF-8", xml_declaration=True) == to_xml_bytes(
        c, pretty=False
    )
    assert credential_from_element(el) == c
    assert credential_from_element(etree.fromstring(data)) == c


@given(gen.micro_credentials())
def test_credential_round_trips_through_files(c: MicroCredential) -> None:
    data = _xml(c)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "credential.xml"
        save_xml(c, path)
        assert path.read_bytes() == data
        save_xml(c, path, pretty=False)
        assert path.read_bytes() == to_xml_bytes(c, pretty=False) + b"\n"
        assert load_xml(path) == c
        save_xml(c, path)
        assert data.endswith(b">\n")
        assert load_xml(path) == c
        assert load_xml(str(path)) == c
        with path.open("rb") as binary:
            assert load_xml(binary) == c
        with path.open(encoding="utf-8", newline="") as textfile:
            assert load_xml(textfile) == c
    binary_buffer = io.BytesIO()
    save_xml(c, binary_buffer)
    assert binary_buffer.getvalue() == data
    text_buffer = io.StringIO()
    save_xml(c, text_buffer)
    assert text_buffer.getvalue() == data.decode("utf-8")
    assert load_xml(io.StringIO(text_buffer.getvalue())) == c
    assert load_xml(io.BytesIO(binary_buffer.getvalue())) == c


@given(st.lists(gen.micro_credentials(), max_size=3))
def test_collection_round_trips(credentials: list[MicroCredential]) -> None:
    data = _xml(credentials)
    _assert_valid(data)
    assert etree.fromstring(data).tag == f"{{{XML_NS}}}collection"
    assert collection_from_xml(data) == credentials
    assert document_from_xml(data) == credentials
    assert to_xml_bytes(tuple(credentials)) == data
    assert to_xml_bytes(c for c in credentials) == data
    assert to_xml_bytes(collection_from_xml(data)) == data
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "collection.xml"
        save_xml(credentials, path)
        assert load_xml(path) == credentials


# ----------------------------------------------------------------------------- specifications


@given(gen.specifications())
def test_specification_round_trips(s: Specification) -> None:
    data = _xml(s)
    _assert_valid(data)
    assert etree.fromstring(data).tag == f"{{{XML_NS}}}specification"
    assert from_xml(data, Specification) == s
    assert document_from_xml(data) == s
    assert to_xml_bytes(from_xml(data, Specification)) == data
    assert from_xml(to_xml(from_json(to_json(s), Specification)), Specification) == s


# ----------------------------------------------------------------------------- details


def test_document_kind_must_match() -> None:
    c = samples.load("data-literacy-ie")
    cases = [
        (lambda: from_xml(to_xml(c.specification)), "<credential>", "specification"),
        (lambda: from_xml(to_xml(c), Specification), "<specification>", "credential"),
        (lambda: collection_from_xml(to_xml(c)), "<collection>", "credential"),
    ]
    for read, want, got in cases:
        with pytest.raises(ParseError) as info:
            read()
        assert [(p.location, p.line, p.column, p.message) for p in info.value.problems] == [
            (
                f"/{got}",
                2,
                1,
                f"expected a {want} document in namespace 'urn:eumicro:xml:1', got <{got}> "
                "in namespace 'urn:eumicro:xml:1'",
            )
        ]


def test_empty_collection() -> None:
    data = to_xml_bytes([])
    assert data == (
        b"<?xml version='1.0' encoding='UTF-8'?>\n<collection xmlns=\"urn:eumicro:xml:1\"/>\n"
    )
    assert collection_from_xml(data) == []
    _assert_valid(data)


def test_output_is_canonical() -> None:
    c = samples.load("digital-health-fi-ee")
    data = to_xml_bytes(c)
    # One namespace declaration, on the document element, as the default namespace.
    assert data.count(b"xmlns") == 1
    assert b'<credential xmlns="urn:eumicro:xml:1" id=' in data
    assert data.startswith(b"<?xml version='1.0' encoding='UTF-8'?>\n")
    compact = to_xml_bytes(c, pretty=False)
    assert b"\n  " not in compact
    assert from_xml(compact) == from_xml(data) == c


def test_whitespace_and_markup_in_values_survive() -> None:
    c = attrs.evolve(
        samples.load("data-literacy-ie"),
        further_information=Text(en="  a <b>&amp;</b>\r\n\tc  ", de="zwei\rZeilen"),
        grade=eumicro.Grade(value=" 8.5 "),
    )
    data = to_xml_bytes(c)
    assert b"&#13;" in data
    assert from_xml(data) == c
    assert from_xml(data).grade == eumicro.Grade(value=" 8.5 ")


def test_language_tags_are_written_canonically() -> None:
    c = attrs.evolve(
        samples.load("data-literacy-ie"),
        further_information=Text({"PT_br": "Mais informações", "SR-LATN": "Više"}),
    )
    data = to_xml_bytes(c)
    assert b'<furtherInformation xml:lang="pt-BR">Mais' in data
    assert b'<furtherInformation xml:lang="sr-Latn">Vi' in data
    assert from_xml(data) == c


def test_characters_xml_cannot_hold_are_not_text_in_the_model() -> None:
    # Every valid credential can be written: what XML 1.0 cannot hold is not text, and
    # the model refuses it where the value is given, as the JSON reader does.
    with pytest.raises(ValidationError) as info:
        Text(en="bell \x07 here")
    assert [(p.location, p.code, p.message) for p in info.value.problems] == [
        ("$.en", "character", "contains U+0007 at position 6, a control character that is not text")
    ]
    with pytest.raises(ValidationError) as info:
        eumicro.Grade(value="\ufffe")
    assert [(p.location, p.code, p.message) for p in info.value.problems] == [
        ("$.value", "character", "contains U+FFFE at position 1, a non-character that is not text")
    ]
    document = to_json(samples.load("data-literacy-ie")).replace(
        '"furtherInformation": {', '"furtherInformation": {"de": "x\\u0001", ', 1
    )
    with pytest.raises(eumicro.ParseError) as parse:
        eumicro.from_json(document)
    assert [(p.location, p.code) for p in parse.value.problems] == [
        ("$.specification.furtherInformation.de", "character")
    ]


def test_writer_refuses_what_is_not_a_credential() -> None:
    with pytest.raises(TypeError):
        to_xml("not a credential")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        to_xml([samples.load("data-literacy-ie").specification])  # type: ignore[list-item]
    with pytest.raises(TypeError):
        credential_element(samples.load("data-literacy-ie").specification)  # type: ignore[arg-type]


def test_schema_is_loaded_without_network_and_is_xsd_1_0() -> None:
    path = Path(eumicro.__file__).parent / "schemas" / "eumicro.xsd"
    root = etree.parse(str(path)).getroot()
    assert root.get("targetNamespace") == XML_NS
    assert root.get("elementFormDefault") == "qualified"
    # No imports or includes: nothing is fetched when the schema is loaded.
    xs = "{http://www.w3.org/2001/XMLSchema}"
    assert not root.findall(f"{xs}import")
    assert not root.findall(f"{xs}include")
    assert {el.get("name") for el in root.findall(f"{xs}element")} == {
        "credential",
        "specification",
        "collection",
    }
    assert xml_schema() is xml_schema()


# ----------------------------------------------------------------------------- golden files


def _golden(name: str) -> Path:
    return GOLDEN_DIR / f"{name}.xml"


@pytest.mark.parametrize("name", samples.names())
def test_golden_file_matches_writer(name: str) -> None:
    path = _golden(name)
    expected = to_xml_bytes(samples.load(name))
    if UPDATE_GOLDEN:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(expected)
    assert path.is_file(), f"missing {path}; run with EUMICRO_UPDATE_GOLDEN=1 to create it"
    assert path.read_bytes() == expected


@pytest.mark.parametrize("name", samples.names())
def test_golden_file_is_valid_and_loads_as_sample(name: str) -> None:
    path = _golden(name)
    sample = samples.load(name)
    _assert_valid(path.read_bytes())
    assert load_xml(path) == sample
    assert from_xml(path.read_bytes()) == sample
    assert from_xml(path.read_text(encoding="utf-8")) == sample
    with tempfile.TemporaryDirectory() as tmp:
        written = Path(tmp) / path.name
        save_xml(sample, written)
        assert written.read_bytes() == path.read_bytes()


def test_every_golden_file_belongs_to_a_sample() -> None:
    names = set(samples.names())
    if UPDATE_GOLDEN:
        for stale in GOLDEN_DIR.glob("*.xml"):
            if stale.stem not in names:
                stale.unlink()
    assert {p.stem for p in GOLDEN_DIR.glob("*.xml")} == names


def test_every_sample_as_one_collection() -> None:
    everything = samples.load_all()
    data = to_xml_bytes(everything)
    _assert_valid(data)
    assert collection_from_xml(data) == list(everything)

"""Native JSON round trips: property tests over generated objects, and golden files.

Golden files
------------
``tests/golden/json/<sample-name>.json`` holds ``eumicro.to_json(sample) + "\\n"`` for
every built-in sample (``eumicro.samples.names()``). The tests check that the writer
reproduces each file byte for byte and that reading it gives the sample back.

After a deliberate change to the samples or to the JSON mapping, regenerate them with::

    EUMICRO_UPDATE_GOLDEN=1 python -m pytest tests/test_json_roundtrip.py -p no:cacheprovider

and review the diff (``git diff tests/golden``) before committing it. With the variable
set, the golden tests rewrite the files (and remove goldens of samples that no longer
exist) instead of comparing against them.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import tempfile
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests import strategies as gen

import eumicro
from eumicro import (
    MicroCredential,
    ParseError,
    Specification,
    Text,
    collection_from_json,
    document_from_json,
    from_dict,
    from_json,
    load_json,
    samples,
    save_json,
    to_dict,
    to_json,
    to_json_bytes,
)

GOLDEN_DIR = Path(__file__).parent / "golden" / "json"
UPDATE_GOLDEN = os.environ.get("EUMICRO_UPDATE_GOLDEN") == "1"


# ----------------------------------------------------------------------------- credentials


@given(gen.micro_credentials())
def test_credential_round_trips(c: MicroCredential) -> None:
    text = to_json(c)
    assert from_json(text) == c
    assert from_json(to_json_bytes(c)) == c
    assert to_json_bytes(c) == text.encode("utf-8")
    assert from_dict(to_dict(c)) == c
    assert document_from_json(text) == c
    assert from_json(to_json(c, indent=None)) == c
    assert json.loads(text) == to_dict(c)


@given(gen.micro_credentials())
def test_credential_json_is_stable(c: MicroCredential) -> None:
    text = to_json(c)
    assert to_json(c) == text  # dumping twice gives the same text
    assert to_json(from_json(text)) == text  # dump → load → dump is a fixed point
    assert to_json(from_dict(to_dict(c))) == text
    assert to_json(attrs.evolve(c)) == text


@given(gen.micro_credentials())
def test_credential_round_trips_through_files(c: MicroCredential) -> None:
    # A fresh directory per example: Hypothesis reruns the test body, so the
    # function-scoped tmp_path fixture would be shared between examples.
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "credential.json"
        save_json(c, path)
        assert path.read_bytes() == (to_json(c) + "\n").encode("utf-8")
        assert load_json(path) == c
        assert load_json(str(path)) == c
        save_json(c, str(path), indent=None)
        assert load_json(path) == c
        with path.open("rb") as binary:
            assert load_json(binary) == c
        with path.open(encoding="utf-8") as textfile:
            assert load_json(textfile) == c
    buffer = io.StringIO()
    save_json(c, buffer)
    assert buffer.getvalue() == to_json(c) + "\n"
    assert load_json(io.StringIO(buffer.getvalue())) == c
    assert load_json(io.BytesIO(buffer.getvalue().encode("utf-8"))) == c


@given(st.lists(gen.micro_credentials(), max_size=3))
def test_collection_round_trips(credentials: list[MicroCredential]) -> None:
    text = to_json(credentials)
    assert json.loads(text)["type"] == "MicroCredentialCollection"
    assert collection_from_json(text) == credentials
    assert collection_from_json(to_json_bytes(credentials)) == credentials
    assert document_from_json(text) == credentials
    assert to_json(tuple(credentials)) == text
    assert to_json(c for c in credentials) == text
    assert to_json(collection_from_json(text)) == text
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "collection.json"
        save_json(credentials, path)
        assert load_json(path) == credentials


# ----------------------------------------------------------------------------- specifications


@given(gen.specifications())
def test_specification_round_trips(s: Specification) -> None:
    text = to_json(s)
    assert json.loads(text)["type"] == "Specification"
    assert from_json(text, Specification) == s
    assert from_json(to_json_bytes(s), Specification) == s
    assert from_dict(to_dict(s), Specification) == s
    assert document_from_json(text) == s
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "specification.json"
        save_json(s, path)
        assert load_json(path) == s


@given(gen.specifications())
def test_specification_json_is_stable(s: Specification) -> None:
    text = to_json(s)
    assert to_json(s) == text
    assert to_json(from_json(text, Specification)) == text


def test_document_kind_must_match() -> None:
    c = samples.load("data-literacy-ie")
    with pytest.raises(ParseError) as info:
        from_json(to_json(c.specification))
    assert [(p.location, p.message) for p in info.value.problems] == [
        ("$.type", "expected a MicroCredential document, got 'Specification'")
    ]
    with pytest.raises(ParseError) as info:
        from_json(to_json(c), Specification)
    assert [(p.location, p.message) for p in info.value.problems] == [
        ("$.type", "expected a Specification document, got 'MicroCredential'")
    ]
    with pytest.raises(ParseError) as info:
        collection_from_json(to_json(c))
    assert [(p.location, p.message) for p in info.value.problems] == [
        ("$.type", "expected a MicroCredentialCollection document, got 'MicroCredential'")
    ]


def test_empty_collection() -> None:
    assert to_dict([]) == {"type": "MicroCredentialCollection", "credentials": []}
    assert collection_from_json(to_json([])) == []


def test_language_tags_are_written_canonically() -> None:
    c = samples.load("data-literacy-ie")
    spelled = attrs.evolve(
        c, further_information=Text({"PT_br": "Mais informações", "SR-LATN": "Više"})
    )
    doc = to_dict(spelled)
    assert doc["furtherInformation"] == {"pt-BR": "Mais informações", "sr-Latn": "Više"}
    assert from_dict(doc) == spelled


# ----------------------------------------------------------------------------- known gaps


def _credential_with(**changes: object) -> MicroCredential:
    return attrs.evolve(samples.load("data-literacy-ie"), **changes)


@pytest.mark.parametrize(
    "offset",
    [
        dt.timedelta(hours=5, minutes=30, seconds=15),
        dt.timedelta(hours=5, minutes=30, seconds=15, microseconds=7),
        dt.timedelta(hours=-1, microseconds=1),
    ],
    ids=["seconds", "microseconds", "negative-microseconds"],
)
def test_offset_that_rfc3339_cannot_express_is_rejected_or_round_trips(
    offset: dt.timedelta,
) -> None:
    """Python allows sub-minute UTC offsets, RFC 3339 does not: the model must not accept a
    value that the JSON writer then cannot write in a form the reader accepts."""
    try:
        c = _credential_with(issued=dt.datetime(2024, 1, 1, tzinfo=dt.timezone(offset)))
    except eumicro.ValidationError:
        return
    assert from_json(to_json(c)) == c


def test_lone_surrogates_are_refused() -> None:
    with pytest.raises(eumicro.ValidationError) as info:
        _credential_with(further_information=Text(en="broken \ud800 text"))
    assert [(p.location, p.code) for p in info.value.problems] == [("$.en", "unicode")]
    with pytest.raises(eumicro.ValidationError) as info:
        eumicro.Grade(value="\udc80")
    assert [(p.location, p.code) for p in info.value.problems] == [("$.value", "unicode")]


# ----------------------------------------------------------------------------- golden files


def _golden(name: str) -> Path:
    return GOLDEN_DIR / f"{name}.json"


def _expected_golden_bytes(name: str) -> bytes:
    return (to_json(samples.load(name)) + "\n").encode("utf-8")


@pytest.mark.parametrize("name", samples.names())
def test_golden_file_matches_writer(name: str) -> None:
    path = _golden(name)
    expected = _expected_golden_bytes(name)
    if UPDATE_GOLDEN:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(expected)
    assert path.is_file(), f"missing {path}; run with EUMICRO_UPDATE_GOLDEN=1 to create it"
    assert path.read_bytes() == expected


@pytest.mark.parametrize("name", samples.names())
def test_golden_file_loads_as_sample(name: str) -> None:
    path = _golden(name)
    sample = samples.load(name)
    assert load_json(path) == sample
    assert from_json(path.read_bytes()) == sample
    assert from_json(path.read_text(encoding="utf-8")) == sample
    with tempfile.TemporaryDirectory() as tmp:
        written = Path(tmp) / path.name
        save_json(sample, written)
        assert written.read_bytes() == path.read_bytes()


def test_every_golden_file_belongs_to_a_sample() -> None:
    names = set(samples.names())
    if UPDATE_GOLDEN:
        for stale in GOLDEN_DIR.glob("*.json"):
            if stale.stem not in names:
                stale.unlink()
    assert {p.stem for p in GOLDEN_DIR.glob("*.json")} == names


def test_golden_files_are_plain_utf8_json() -> None:
    for path in sorted(GOLDEN_DIR.glob("*.json")):
        raw = path.read_bytes()
        assert raw.endswith(b"}\n")
        assert not raw.endswith(b"\n\n")
        assert b"\r" not in raw
        assert not raw.startswith(b"\xef\xbb\xbf")  # no BOM
        doc = json.loads(raw.decode("utf-8"))
        assert doc["type"] == "MicroCredential"

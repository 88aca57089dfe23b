"""Native eumicro JSON: the model's own, lossless wire form.

The mapping rules live here, not in the model: every model class becomes a JSON object
whose keys are the attribute names in camelCase (``awarding_bodies`` →
``awardingBodies``); multilingual text is a language map (``{"en": "…", "de": "…"}``);
a vocabulary concept is its official IRI; numbers are JSON numbers; dates are
``YYYY-MM-DD``; date-times are RFC 3339 with an offset. Empty lists and absent optional
values are left out. The document root carries ``"type"``: ``"MicroCredential"``,
``"Specification"`` or ``"MicroCredentialCollection"`` (with ``"credentials": […]``).

Reading checks everything and reports every problem with its JSON path.
"""

from __future__ import annotations

import datetime as dt
import difflib
import enum
import json
import re
import types
import typing
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import IO, Any, Final, TypeVar, Union, overload

import attrs

from eumicro import _gc
from eumicro._checks import field_problems, typed_input
from eumicro._errors import ParseError, PathSegment, Problem, ValidationError
from eumicro._model import MicroCredential, Specification
from eumicro._text import Text, text_problem
from eumicro._vocabulary import Concept, Vocabulary, concept_by_iri
from eumicro.formats._values import json_type, short_json

__all__ = [
    "SCHEMA_ID",
    "Document",
    "collection_from_json",
    "document_from_json",
    "from_dict",
    "from_json",
    "json_key",
    "json_schema",
    "load_json",
    "save_json",
    "to_dict",
    "to_json",
    "to_json_bytes",
]

SCHEMA_ID: Final = "urn:eumicro:schema:json:1"
"""Identifier (``$id``) of the published JSON Schema for this format."""

Document = MicroCredential | Specification | list[MicroCredential]
"""What a native JSON document holds."""

_D = TypeVar("_D", MicroCredential, Specification)

_ROOT_TYPES: Final[dict[str, type]] = {
    "MicroCredential": MicroCredential,
    "Specification": Specification,
}
_COLLECTION: Final = "MicroCredentialCollection"

_FAIL: Final = object()


def json_key(name: str) -> str:
    """The JSON key of a model attribute: camelCase.

    >>> json_key("awarding_bodies")
    'awardingBodies'
    """
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


# ----------------------------------------------------------------------------- decoding

_Decoder = Callable[[Any, tuple[PathSegment, ...], list[Problem]], Any]
_Encoder = Callable[[Any], Any]

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# RFC 3339 (section 5.6) date-time with a required offset; the model refuses offsets
# that are not whole minutes, so everything eumicro writes matches this too.
_DATETIME = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,6})?"
    r"(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])"
)
_NAIVE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,6})?")


def _want(path: tuple[PathSegment, ...], expected: str, value: object) -> Problem:
    return Problem(path, f"expected {expected}, got {json_type(value)} {short_json(value)}", "type")


def _decode_str(value: Any, path: tuple[PathSegment, ...], problems: list[Problem]) -> Any:
    if isinstance(value, str):
        found = text_problem(value)
        if found is None:
            return value
        problems.append(Problem(path, found[0], found[1]))
        return _FAIL
    problems.append(_want(path, "a string", value))
    return _FAIL


def _decode_decimal(value: Any, path: tuple[PathSegment, ...], problems: list[Problem]) -> Any:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    problems.append(_want(path, "a number", value))
    return _FAIL


def _decode_date(value: Any, path: tuple[PathSegment, ...], problems: list[Problem]) -> Any:
    if isinstance(value, str) and _DATE.fullmatch(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError as exc:
            problems.append(Problem(path, f"not a valid date: {exc}", "date"))
            return _FAIL
    problems.append(_want(path, "a date YYYY-MM-DD", value))
    return _FAIL


def _decode_datetime(value: Any, path: tuple[PathSegment, ...], problems: list[Problem]) -> Any:
    if isinstance(value, str) and _NAIVE.fullmatch(value):
        problems.append(
            Problem(
                path,
                f"date-time {value!r} has no timezone: add an offset such as 'Z' or '+02:00'",
                "timezone",
            )
        )
        return _FAIL
    if not isinstance(value, str) or not _DATETIME.fullmatch(value):
        problems.append(
            _want(path, "an RFC 3339 date-time such as 2024-05-01T10:00:00+02:00", value)
        )
        return _FAIL
    try:
        return dt.datetime.fromisoformat(value)
    except ValueError as exc:
        problems.append(Problem(path, f"not a valid date-time: {exc}", "date"))
        return _FAIL


def _decode_text(value: Any, path: tuple[PathSegment, ...], problems: list[Problem]) -> Any:
    if not isinstance(value, dict):
        problems.append(_want(path, 'a language map such as {"en": "…"}', value))
        return _FAIL
    try:
        return Text(value)
    except ValidationError as exc:
        problems.extend(exc.prefixed(*path))
        return _FAIL


def _concept_decoder(vocabularies: tuple[Vocabulary, ...]) -> _Decoder:
    names = " or ".join(v.title for v in vocabularies)

    def decode(value: Any, path: tuple[PathSegment, ...], problems: list[Problem]) -> Any:
        if not isinstance(value, str):
            problems.append(_want(path, f"the IRI of a concept from {names}", value))
            return _FAIL
        try:
            return concept_by_iri(vocabularies, value)
        except ValueError as exc:
            problems.append(Problem(path, str(exc), "vocabulary"))
            return _FAIL

    return decode


def _enum_decoder(cls: type[enum.Enum]) -> _Decoder:
    values = {m.value: m for m in cls}

    def decode(value: Any, path: tuple[PathSegment, ...], problems: list[Problem]) -> Any:
        if isinstance(value, str) and value in values:
            return values[value]
        allowed = ", ".join(repr(v) for v in values)
        problems.append(
            Problem(path, f"expected one of {allowed}, got {short_json(value)}", "enum")
        )
        return _FAIL

    return decode


def _tuple_decoder(item: _Decoder) -> _Decoder:
    def decode(value: Any, path: tuple[PathSegment, ...], problems: list[Problem]) -> Any:
        if not isinstance(value, list):
            problems.append(_want(path, "an array", value))
            return _FAIL
        out = []
        failed = False
        for i, element in enumerate(value):
            decoded = item(element, (*path, i), problems)
            if decoded is _FAIL:
                failed = True
            else:
                out.append(decoded)
        return _FAIL if failed else tuple(out)

    return decode


@attrs.frozen
class _FieldPlan:
    name: str
    key: str
    required: bool
    decode: _Decoder
    encode: _Encoder
    omit_empty: bool


_PLANS: dict[type, tuple[_FieldPlan, ...]] = {}
_KEYS: dict[type, dict[str, str]] = {}
_KNOWN: dict[type, frozenset[str]] = {}


def _codec_for(hint: Any, vocabularies: tuple[Vocabulary, ...]) -> tuple[_Decoder, _Encoder]:
    origin = typing.get_origin(hint)
    if origin is Union or origin is types.UnionType:
        (inner,) = [a for a in typing.get_args(hint) if a is not type(None)]
        return _codec_for(inner, vocabularies)
    if origin is tuple:
        item_hint, _ = typing.get_args(hint)
        item_decode, item_encode = _codec_for(item_hint, vocabularies)
        return _tuple_decoder(item_decode), lambda v: [item_encode(x) for x in v]
    if hint is str:
        return _decode_str, _identity
    if hint is Decimal:
        return _decode_decimal, _encode_decimal
    if hint is dt.datetime:
        return _decode_datetime, _encode_isoformat
    if hint is dt.date:
        return _decode_date, _encode_isoformat
    if hint is Text:
        return _decode_text, _encode_text
    if hint is Concept:
        return _concept_decoder(vocabularies), _encode_concept
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return _enum_decoder(hint), _encode_enum
    if isinstance(hint, type) and attrs.has(hint):
        cls = hint
        return (
            lambda v, p, probs: _decode_object(cls, v, p, probs),
            lambda v: _encode_object(v),
        )
    raise TypeError(f"no JSON mapping for {hint!r}")  # pragma: no cover - model bug


CodecChooser = Callable[[Any, tuple[Vocabulary, ...]], tuple[_Decoder, _Encoder]]
"""Chooses the decoder and encoder of a field from its type hint and vocabularies."""


def _omit_empty_tuple(default: Any) -> bool:
    return bool(default == ())


def register_plan(
    cls: type,
    codec_for: CodecChooser = _codec_for,
    omit_empty: Callable[[Any], bool] = _omit_empty_tuple,
) -> tuple[_FieldPlan, ...]:
    """Build and record the field plan of an attrs class; the codec's extension point.

    Other document kinds (stacking rules) register their classes with a ``codec_for``
    that knows more types (``int``, ``bool``, tagged unions) and falls back on this
    module's, and with their rule for which defaults are left out when writing
    (``omit_empty(default)``; by default the empty tuple).
    """
    hints = typing.get_type_hints(cls)
    out = []
    for field in attrs.fields(cls):
        vocabularies: tuple[Vocabulary, ...] = field.metadata.get("vocabulary", ())
        decode, encode = codec_for(hints[field.name], vocabularies)
        out.append(
            _FieldPlan(
                name=field.name,
                key=json_key(field.name),
                required=field.default is attrs.NOTHING,
                decode=decode,
                encode=encode,
                omit_empty=field.default is not attrs.NOTHING and omit_empty(field.default),
            )
        )
    plan = tuple(out)
    _PLANS[cls] = plan
    _KEYS[cls] = {f.name: f.key for f in plan}
    _KNOWN[cls] = frozenset(_KEYS[cls].values())
    return plan


def _plan(cls: type) -> tuple[_FieldPlan, ...]:
    plan = _PLANS.get(cls)
    return plan if plan is not None else register_plan(cls)


def _decode_object(
    cls: type[Any],
    value: Any,
    path: tuple[PathSegment, ...],
    problems: list[Problem],
    *,
    ignore: Iterable[str] = (),
) -> Any:
    if not isinstance(value, dict):
        problems.append(_want(path, f"an object ({cls.__name__})", value))
        return _FAIL
    plan = _PLANS.get(cls) or _plan(cls)
    before = len(problems)
    known = _KNOWN[cls]
    if not known.issuperset(value):
        for key in value:
            if key not in known and key not in ignore:
                close = difflib.get_close_matches(str(key), sorted(known), n=1)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                problems.append(
                    Problem(
                        (*path, key), f"unknown key {key!r} in {cls.__name__}{hint}", "unknown-key"
                    )
                )
    kwargs: dict[str, Any] = {}
    for field in plan:
        if field.key not in value:
            if field.required:
                problems.append(
                    Problem(
                        (*path, field.key),
                        f"required key {field.key!r} of {cls.__name__} is missing",
                        "missing",
                    )
                )
            continue
        raw = value[field.key]
        if raw is None:
            problems.append(
                Problem(
                    (*path, field.key),
                    "null is not allowed: leave the key out when there is no value",
                    "type",
                )
            )
            continue
        decoded = field.decode(raw, (*path, field.key), problems)
        if decoded is not _FAIL:
            kwargs[field.name] = decoded
    if len(problems) > before:
        # The object cannot be built; still report what is wrong with the fields that
        # could be read, so that every problem is listed at once.
        _add_model_problems(cls, field_problems(cls, kwargs), path, problems)
        return _FAIL
    try:
        return cls(**kwargs)
    except ValidationError as exc:
        _add_model_problems(cls, exc.problems, path, problems)
        return _FAIL


def _add_model_problems(
    cls: type,
    found: Iterable[Problem],
    path: tuple[PathSegment, ...],
    problems: list[Problem],
) -> None:
    """Add problems found by the model, with attribute names turned into JSON keys."""
    keys = _KEYS[cls]
    for problem in found:
        segments = list(problem.path)
        if segments and isinstance(segments[0], str):
            segments[0] = keys.get(segments[0], segments[0])
        problems.append(attrs.evolve(problem, path=(*path, *segments)))


# ----------------------------------------------------------------------------- encoding


def _identity(value: Any) -> Any:
    return value


def _encode_decimal(value: Decimal) -> int | float:
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def _encode_isoformat(value: dt.date) -> str:
    return value.isoformat()


def _encode_text(value: Text) -> dict[str, str]:
    return dict(value.items_in_order())


def _encode_concept(value: Concept) -> str:
    return value.iri


def _encode_enum(value: enum.Enum) -> Any:
    return value.value


def _encode_object(obj: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for field in _plan(type(obj)):
        value = getattr(obj, field.name)
        if value is None or (field.omit_empty and not value):
            continue
        out[field.key] = field.encode(value)
    return out


# ----------------------------------------------------------------------------- public API


def to_dict(item: MicroCredential | Specification | Iterable[MicroCredential]) -> dict[str, Any]:
    """The native JSON document for a credential, a specification or a collection, as a dict.

    >>> from eumicro import samples
    >>> doc = to_dict(samples.load("data-literacy-ie"))
    >>> doc["type"], doc["specification"]["workload"]
    ('MicroCredential', {'ects': 5, 'hours': 125})
    """
    if isinstance(item, MicroCredential | Specification):
        return {"type": type(item).__name__, **_encode_object(item)}
    credentials = list(item)
    for i, credential in enumerate(credentials):
        if not isinstance(credential, MicroCredential):
            raise TypeError(f"item {i} is a {type(credential).__name__}, not a MicroCredential")
    return {"type": _COLLECTION, "credentials": [_encode_object(c) for c in credentials]}


def to_json(
    item: MicroCredential | Specification | Iterable[MicroCredential], *, indent: int | None = 2
) -> str:
    """Serialise to a native JSON string (UTF-8 text, non-ASCII kept as is)."""
    return json.dumps(to_dict(item), ensure_ascii=False, indent=indent)


def to_json_bytes(
    item: MicroCredential | Specification | Iterable[MicroCredential], *, indent: int | None = 2
) -> bytes:
    """Serialise to native JSON encoded as UTF-8."""
    return to_json(item, indent=indent).encode("utf-8")


def save_json(
    item: MicroCredential | Specification | Iterable[MicroCredential],
    target: str | Path | IO[str],
    *,
    indent: int | None = 2,
) -> None:
    """Write native JSON to a path or a text file object."""
    text = to_json(item, indent=indent) + "\n"
    if isinstance(target, str | Path):
        # Bytes, so that the file is the same on every platform (no CRLF translation).
        Path(target).write_bytes(text.encode("utf-8"))
    else:
        target.write(text)


def _decode_document(data: Any, expect: type | None) -> Document:
    # Building the objects of a large document creates many containers and no cycles.
    with _gc.paused(), typed_input():
        return _decode_root(data, expect)


def _decode_root(data: Any, expect: type | None) -> Document:
    problems: list[Problem] = []
    if not isinstance(data, dict):
        raise ParseError([_want((), "a JSON object", data)], "eumicro JSON")
    kind = data.get("type")
    if not isinstance(kind, str):
        kind = None if "type" not in data else repr(kind)
    result: Any = _FAIL
    if kind == _COLLECTION:
        if expect not in (None, list):
            problems.append(_wrong_root(kind, expect))
        else:
            unknown = [k for k in data if k not in ("type", "credentials")]
            problems.extend(
                Problem((k,), f"unknown key {k!r} in {_COLLECTION}", "unknown-key") for k in unknown
            )
            items = data.get("credentials")
            if not isinstance(items, list):
                problems.append(_want(("credentials",), "an array of credentials", items))
            else:
                out = [
                    _decode_object(MicroCredential, c, ("credentials", i), problems)
                    for i, c in enumerate(items)
                ]
                if not problems:
                    result = out
    elif kind in _ROOT_TYPES:
        cls = _ROOT_TYPES[kind]
        if expect is not None and expect is not cls:
            problems.append(_wrong_root(kind, expect))
        else:
            result = _decode_object(cls, data, (), problems, ignore=("type",))
    else:
        allowed = ", ".join(repr(k) for k in (*_ROOT_TYPES, _COLLECTION))
        problems.append(
            Problem(
                ("type",),
                f"expected the document type, one of {allowed}, got {short_json(kind)}",
                "type",
            )
            if "type" in data
            else Problem(("type",), f"required key 'type' is missing (one of {allowed})", "missing")
        )
    if problems or result is _FAIL:
        raise ParseError(problems, "eumicro JSON")
    return typing.cast(Document, result)


def _wrong_root(kind: str, expect: type | None) -> Problem:
    want = _COLLECTION if expect is list else getattr(expect, "__name__", "?")
    return Problem(("type",), f"expected a {want} document, got {kind!r}", "type")


def _parse_text(data: str | bytes) -> Any:
    try:
        return json.loads(data, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise ParseError(
            [Problem((), f"not valid JSON: {exc.msg}", "syntax", exc.lineno, exc.colno)],
            "eumicro JSON",
        ) from None
    except UnicodeDecodeError as exc:
        raise ParseError(
            [Problem((), f"not UTF-8 text: {exc}", "syntax")], "eumicro JSON"
        ) from None


@overload
def from_dict(data: Mapping[str, Any]) -> MicroCredential: ...
@overload
def from_dict(data: Mapping[str, Any], kind: type[_D]) -> _D: ...
def from_dict(
    data: Mapping[str, Any], kind: type[Any] = MicroCredential
) -> MicroCredential | Specification:
    """Build a credential (or, with ``kind=Specification``, a specification) from a dict.

    Raises :class:`~eumicro.ParseError` listing every problem with its JSON path.
    """
    return typing.cast(MicroCredential | Specification, _decode_document(dict(data), kind))


@overload
def from_json(data: str | bytes) -> MicroCredential: ...
@overload
def from_json(data: str | bytes, kind: type[_D]) -> _D: ...
def from_json(
    data: str | bytes, kind: type[Any] = MicroCredential
) -> MicroCredential | Specification:
    """Read a credential (or a specification) from native JSON text or UTF-8 bytes.

    >>> from eumicro import samples
    >>> c = samples.load("data-literacy-ie")
    >>> from_json(to_json(c)) == c
    True
    """
    return typing.cast(MicroCredential | Specification, _decode_document(_parse_text(data), kind))


def collection_from_json(data: str | bytes) -> list[MicroCredential]:
    """Read a ``MicroCredentialCollection`` document."""
    return typing.cast(list[MicroCredential], _decode_document(_parse_text(data), list))


def document_from_json(data: str | bytes) -> Document:
    """Read any native JSON document: a credential, a specification or a collection."""
    return _decode_document(_parse_text(data), None)


def load_json(source: str | Path | IO[str] | IO[bytes]) -> Document:
    """Read any native JSON document from a path or a file object."""
    if isinstance(source, str | Path):
        try:
            raw: str | bytes = Path(source).read_bytes()
        except OSError as exc:
            raise ParseError(
                [Problem((), f"cannot read {source}: {exc.strerror}", "io")], "eumicro JSON"
            ) from None
    else:
        raw = source.read()
    return document_from_json(raw)


_SCHEMA_CACHE: dict[str, Any] = {}


def json_schema() -> dict[str, Any]:
    """The published JSON Schema (Draft 2020-12) of native eumicro JSON, as a dict.

    The same file ships in the package as ``eumicro/schemas/eumicro.schema.json``.

    >>> json_schema()["$id"]
    'urn:eumicro:schema:json:1'
    """
    if not _SCHEMA_CACHE:
        from importlib.resources import files

        text = files("eumicro").joinpath("schemas/eumicro.schema.json").read_text("utf-8")
        _SCHEMA_CACHE.update(json.loads(text))
    copy: dict[str, Any] = json.loads(json.dumps(_SCHEMA_CACHE))
    return copy

"""Validation at construction for the model classes.

Every model class derives from :class:`Model`. After attrs has built an instance, the
checks below run for every field (type, vocabulary membership, value rules declared in
the field's metadata) and then the class's own cross-field checks; all problems are
collected and raised together as one :class:`~eumicro.ValidationError`.

The checkers are derived once per class from its type annotations and cached.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import enum
import re
import threading
import types
import typing
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from typing import Any, TypeVar, Union

import attrs

from eumicro._errors import PathSegment, Problem, ValidationError
from eumicro._text import _NOT_TEXT, Text, text_problem
from eumicro._vocabulary import Concept, Vocabulary

__all__ = [
    "ConceptLike",
    "Model",
    "ValueCheck",
    "after",
    "check",
    "decimal",
    "field_problems",
    "is_email",
    "is_iri",
    "is_url",
    "non_empty_string",
    "non_negative_decimal",
    "resolve_concept",
    "resolve_concepts",
    "tuple_of",
]

Found = tuple[tuple[PathSegment, ...], str, str]
"""A problem found by a check: (sub-path, message, code)."""

ValueCheck = Callable[[Any], Iterable[Found]]
"""Checks a (well-typed, non-None) field value; yields problems."""

_Checker = Callable[[Any], Iterator[Found]]

T = TypeVar("T")

# ----------------------------------------------------------------------------- value rules

_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|\\^`]+$")
_URL = re.compile(r"^https?://[^\s/?#<>\"]+[^\s<>\"]*$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def is_iri(value: str) -> bool:
    """Whether ``value`` is an absolute IRI (``https://…``, ``urn:…``, ``mailto:…``)."""
    return bool(_IRI.fullmatch(value))


def is_url(value: str) -> bool:
    """Whether ``value`` is an absolute http(s) URL."""
    return bool(_URL.fullmatch(value))


def is_email(value: str) -> bool:
    """Whether ``value`` looks like an e-mail address."""
    return bool(_EMAIL.fullmatch(value))


def iri(value: str) -> Iterator[Found]:
    """Field rule: an absolute IRI."""
    if not is_iri(value):
        yield (), f"expected an absolute IRI such as 'urn:…' or 'https://…', got {value!r}", "iri"


def url(value: str) -> Iterator[Found]:
    """Field rule: an http(s) URL."""
    if not is_url(value):
        yield (), f"expected an http(s) URL, got {value!r}", "url"


def email(value: str) -> Iterator[Found]:
    """Field rule: an e-mail address."""
    if not is_email(value):
        yield (), f"expected an e-mail address, got {value!r}", "email"


def non_empty_string(value: str) -> Iterator[Found]:
    """Field rule: not empty or whitespace."""
    if not value.strip():
        yield (), "must not be empty or only whitespace", "empty"


def non_negative_decimal(value: Decimal) -> Iterator[Found]:
    """Field rule: a finite number ≥ 0 with at most two decimals."""
    if not value.is_finite():
        yield (), f"expected a finite number, got {value}", "range"
        return
    if value < 0:
        yield (), f"must not be negative, got {value}", "range"
    exponent = value.normalize().as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2:
        yield (), f"at most two decimals are recorded, got {value}", "precision"
    if value >= 10**9:
        yield (), f"implausibly large, got {value}", "range"


def after(
    field: str, later: dt.datetime | None, earlier: dt.datetime | None, earlier_name: str
) -> Iterator[Found]:
    """Cross-field rule: ``later`` (the value of ``field``) comes after ``earlier``."""
    if later is not None and earlier is not None and later <= earlier:
        yield (
            (field,),
            f"must be after {earlier_name} ({earlier.isoformat()}), got {later.isoformat()}",
            "range",
        )


def tuple_of(rule: ValueCheck) -> ValueCheck:
    """Apply ``rule`` to each item of a tuple, with the index in the path."""

    def each(value: tuple[Any, ...]) -> Iterator[Found]:
        for i, item in enumerate(value):
            for sub, message, code in rule(item):
                yield (i, *sub), message, code

    return each


def _describe(item: object) -> str:
    """A short name for an item in messages: its IRI, its label or its title."""
    if isinstance(item, Concept):
        return f"{item.label!r} ({item.iri})"
    for attribute in ("id", "name", "title", "value"):
        value = getattr(item, attribute, None)
        if value is not None and not callable(value):
            return f"{type(item).__name__} {_short(str(value))}"
    return _short(item)


def unique(value: tuple[Any, ...]) -> Iterator[Found]:
    """Field rule: no item twice."""
    if len(value) < 2:
        return
    seen: set[Any] = set()
    for i, item in enumerate(value):
        if item in seen:
            yield (i,), f"{_describe(item)} is listed more than once", "duplicate"
        seen.add(item)


def check(
    *rules: ValueCheck, vocabulary: Vocabulary | tuple[Vocabulary, ...] | None = None
) -> dict[str, Any]:
    """Field metadata: extra rules, and the vocabulary(ies) a concept must come from."""
    meta: dict[str, Any] = {"rules": rules}
    if vocabulary is not None:
        meta["vocabulary"] = vocabulary if isinstance(vocabulary, tuple) else (vocabulary,)
    return meta


# ----------------------------------------------------------------------------- converters


ConceptLike = Concept | str | int
"""What a concept field accepts: a Concept, or its IRI, code or English label."""


def resolve_concept(
    value: ConceptLike | None, vocabularies: tuple[Vocabulary, ...]
) -> Concept | None:
    """Converter helper: a code, IRI or label of one of ``vocabularies`` becomes its Concept.

    Values that do not resolve are left as they are; the field check then reports them.
    """
    if value is None:
        return value
    if isinstance(value, Concept):
        # The vocabulary's own concept, so that a Concept built by hand with a real IRI
        # but another code or label cannot pass for it.
        for vocabulary in vocabularies:
            if vocabulary.scheme == value.scheme:
                found = vocabulary.find_iri(value.iri)
                if found is not None:
                    return found
        return value
    if isinstance(value, str | int) and not isinstance(value, bool):
        for vocabulary in vocabularies:
            found = vocabulary.get(value)
            if found is not None:
                return found
    return value  # type: ignore[return-value]  # reported by the field check


def resolve_concepts(
    values: Iterable[ConceptLike], vocabularies: tuple[Vocabulary, ...]
) -> tuple[Concept, ...]:
    """Converter helper: an iterable of codes, IRIs, labels or Concepts becomes a tuple."""
    if isinstance(values, str | bytes) or not isinstance(values, Iterable):
        return values  # type: ignore[return-value]  # reported by the field check
    return tuple(resolve_concept(v, vocabularies) for v in values)  # type: ignore[misc]


def decimal(value: Decimal | int | float | str | None) -> Decimal | None:
    """Converter: numbers and numeric strings become :class:`~decimal.Decimal`."""
    if isinstance(value, Decimal):
        return Decimal(0) if value.is_zero() and value.is_signed() else value
    if value is None or isinstance(value, bool):
        return value  # type: ignore[return-value]
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, str):
        try:
            return Decimal(value.strip())
        except ArithmeticError:
            return value  # type: ignore[return-value]
    return value


def to_tuple(values: Iterable[Any]) -> tuple[Any, ...]:
    """Converter: any iterable (a list, say) becomes a tuple; a string is left alone."""
    if isinstance(values, (tuple, str | bytes)):
        return values  # type: ignore[return-value]
    if isinstance(values, Iterable):
        return tuple(values)
    return values


# ----------------------------------------------------------------------------- type checks


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _type_name(tp: Any) -> str:
    names = {
        str: "a string",
        int: "an integer",
        bool: "true or false",
        Decimal: "a number",
        dt.date: "a date",
        dt.datetime: "a date and time with a timezone",
        Text: "text in one or more languages, e.g. Text(en='…')",
        Concept: "a concept",
    }
    if tp in names:
        return names[tp]
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return "one of " + ", ".join(repr(m.value) for m in tp)
    name = getattr(tp, "__name__", str(tp))
    return f"{'an' if name[:1].lower() in 'aeiou' else 'a'} {name}"


def _got(value: object) -> str:
    if isinstance(value, Concept):
        return f"{value.label!r} ({value.iri})"
    if isinstance(value, str | int | float | Decimal) and not isinstance(value, bool):
        return f"{type(value).__name__} {_short(value)}"
    return type(value).__name__


def _vocabulary_names(vocabularies: tuple[Vocabulary, ...]) -> str:
    return " or ".join(v.title for v in vocabularies)


def _scalar_checker(tp: Any, vocabularies: tuple[Vocabulary, ...]) -> _Checker:
    if tp is Concept:

        def check_concept(value: Any) -> Iterator[Found]:
            if isinstance(value, Concept):
                if not any(value.scheme == v.scheme and value in v for v in vocabularies):
                    yield (
                        (),
                        f"expected a concept from {_vocabulary_names(vocabularies)}, "
                        f"got {_got(value)}",
                        "vocabulary",
                    )
                return
            if isinstance(value, str | int) and not isinstance(value, bool):
                yield (
                    (),
                    f"unknown code {value!r}: expected a concept from "
                    f"{_vocabulary_names(vocabularies)} (an IRI or code)",
                    "vocabulary",
                )
                return
            yield (), f"expected {_type_name(Concept)}, got {_got(value)}", "type"

        return check_concept

    if tp is dt.datetime:

        def check_datetime(value: Any) -> Iterator[Found]:
            if not isinstance(value, dt.datetime):
                yield (), f"expected {_type_name(tp)}, got {_got(value)}", "type"
            elif value.tzinfo is None or value.utcoffset() is None:
                yield (), f"must have a timezone (naive datetime {value.isoformat()})", "timezone"
            elif not _whole_minutes(value):
                yield (
                    (),
                    f"the UTC offset must be whole minutes (RFC 3339), got {value.isoformat()}",
                    "timezone",
                )

        return check_datetime

    if tp is dt.date:

        def check_date(value: Any) -> Iterator[Found]:
            if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
                yield (), f"expected {_type_name(tp)}, got {_got(value)}", "type"

        return check_date

    if tp is str:

        def check_str(value: Any) -> Iterator[Found]:
            if not isinstance(value, str):
                yield (), f"expected {_type_name(tp)}, got {_got(value)}", "type"
            else:
                found = text_problem(value)
                if found is not None:
                    yield (), found[0], found[1]

        return check_str

    if tp is int or tp is Decimal:

        def check_number(value: Any) -> Iterator[Found]:
            if isinstance(value, bool) or not isinstance(value, tp):
                yield (), f"expected {_type_name(tp)}, got {_got(value)}", "type"

        return check_number

    def check_instance(value: Any) -> Iterator[Found]:
        if not isinstance(value, tp):
            yield (), f"expected {_type_name(tp)}, got {_got(value)}", "type"

    return check_instance


def _checker_for(hint: Any, vocabularies: tuple[Vocabulary, ...]) -> tuple[_Checker, bool]:
    """A checker for a type hint, and whether None is allowed."""
    origin = typing.get_origin(hint)
    if origin is Union or origin is types.UnionType:
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        if len(args) != 1:
            raise TypeError(f"unsupported union {hint!r}")
        checker, _ = _checker_for(args[0], vocabularies)
        return checker, True
    if origin is tuple:
        item_hint, _ellipsis = typing.get_args(hint)
        item_checker, _ = _checker_for(item_hint, vocabularies)

        def check_tuple(value: Any) -> Iterator[Found]:
            if not isinstance(value, tuple):
                yield (), f"expected a list, got {_got(value)}", "type"
                return
            for i, item in enumerate(value):
                for sub, message, code in item_checker(item):
                    yield (i, *sub), message, code

        return check_tuple, False
    return _scalar_checker(hint, vocabularies), False


def _whole_minutes(value: dt.datetime) -> bool:
    offset = value.utcoffset()
    return offset is not None and offset.seconds % 60 == 0 and offset.microseconds == 0


def _quick_for(hint: Any, vocabularies: tuple[Vocabulary, ...]) -> Callable[[Any], bool]:
    """A fast predicate that is True when the full checker would find nothing.

    Validation runs for every object built, so the common case (a well-typed value)
    must cost a few attribute lookups; the full checker only runs to explain a fault.
    """
    origin = typing.get_origin(hint)
    if origin is Union or origin is types.UnionType:
        (inner,) = [a for a in typing.get_args(hint) if a is not type(None)]
        return _quick_for(inner, vocabularies)
    if origin is tuple:
        item_hint, _ellipsis = typing.get_args(hint)
        item_quick = _quick_for(item_hint, vocabularies)
        return lambda v: type(v) is tuple and all(map(item_quick, v))
    if hint is Concept:
        schemes = {voc.scheme: voc for voc in vocabularies}

        def quick_concept(v: Any) -> bool:
            if type(v) is not Concept:
                return False
            voc = schemes.get(v.scheme)
            # Concepts are canonical (the converter puts the vocabulary's own in place).
            return voc is not None and voc.find_iri(v.iri) is v

        return quick_concept
    if hint is dt.datetime:
        return lambda v: type(v) is dt.datetime and _whole_minutes(v)
    if hint is str:
        return lambda v: type(v) is str and _NOT_TEXT.search(v) is None
    if hint in (dt.date, Decimal, int, Text):
        return lambda v: type(v) is hint
    return lambda v: isinstance(v, hint)


@attrs.frozen(slots=True)
class _FieldCheck:
    name: str
    checker: _Checker
    quick: Callable[[Any], bool]
    optional: bool
    rules: tuple[ValueCheck, ...]


_CACHE: dict[type, tuple[_FieldCheck, ...]] = {}


def _field_checks(cls: type) -> tuple[_FieldCheck, ...]:
    cached = _CACHE.get(cls)
    if cached is not None:
        return cached
    hints = typing.get_type_hints(cls)
    out = []
    for field in attrs.fields(cls):
        vocabularies: tuple[Vocabulary, ...] = field.metadata.get("vocabulary", ())
        checker, optional = _checker_for(hints[field.name], vocabularies)
        quick = _quick_for(hints[field.name], vocabularies)
        rules = tuple(field.metadata.get("rules", ()))
        out.append(_FieldCheck(field.name, checker, quick, optional, rules))
    result = tuple(out)
    _CACHE[cls] = result
    return result


def _type_problems(fc: _FieldCheck, value: Any) -> list[Problem]:
    if value is None:
        return [] if fc.optional else [Problem((fc.name,), "is required", "missing")]
    if fc.quick(value):
        return []
    return [Problem((fc.name, *sub), message, code) for sub, message, code in fc.checker(value)]


def _rule_problems(fc: _FieldCheck, value: Any) -> list[Problem]:
    if not fc.rules or value is None or value == ():
        return []
    problems: list[Problem] = []
    for rule in fc.rules:
        problems.extend(
            Problem((fc.name, *sub), message, code) for sub, message, code in rule(value)
        )
    return problems


def field_problems(cls: type, values: dict[str, Any]) -> list[Problem]:
    """Problems of some field values of ``cls`` on their own (no cross-field rules).

    Readers use this to report value problems of an object that cannot be built
    because other fields are broken.
    """
    problems: list[Problem] = []
    for fc in _field_checks(cls):
        if fc.name in values:
            value = values[fc.name]
            found = _type_problems(fc, value)
            problems.extend(found or _rule_problems(fc, value))
    return problems


_STATE = threading.local()


@contextlib.contextmanager
def typed_input() -> Iterator[None]:
    """Within this block, objects are built from values whose types a reader checked.

    Readers that have already checked every value's type (and resolved concepts to
    the vocabulary's own) build objects inside it, so that construction runs only the
    value rules and cross-field rules. Per thread; nothing else may run inside it.
    """
    previous = getattr(_STATE, "typed", False)
    _STATE.typed = True
    try:
        yield
    finally:
        _STATE.typed = previous


class Model:
    """Base of every model class: validates the instance once attrs has built it."""

    __slots__ = ()

    def __attrs_post_init__(self) -> None:
        problems: list[Problem] = []
        well_typed = True
        typed = getattr(_STATE, "typed", False)
        for fc in _CACHE.get(type(self)) or _field_checks(type(self)):
            value = getattr(self, fc.name)
            if value is None and fc.optional:
                continue
            if not typed:
                found = _type_problems(fc, value)
                if found:
                    well_typed = False
                    problems.extend(found)
                    continue
            elif value is None:
                problems.append(Problem((fc.name,), "is required", "missing"))
                continue
            if fc.rules:
                problems.extend(_rule_problems(fc, value))
        # Rules across fields need well-typed fields; value-rule problems (a bad IRI, say)
        # do not stop them, so that independent faults are reported together.
        if well_typed:
            problems.extend(
                Problem(path, message, code) for path, message, code in self._validate()
            )
        if problems:
            raise ValidationError(problems, type(self).__name__)
        self._normalise()

    def _normalise(self) -> None:
        """Put equivalent values in one canonical form (after validation)."""

    def _validate(self) -> Iterable[Found]:
        """Cross-field rules of the class (run when every field is well typed)."""
        return ()

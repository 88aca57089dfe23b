"""The model's field checks: the fast path never lets through what the full check refuses.

Every object built is checked; for speed, each field has a quick predicate that says "the
full checker would find nothing", and the full checker only runs to explain a fault.
Here every field of every model class meets values of every kind, good and bad; a value
the quick predicate accepts must have no problem for the full checker.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import eumicro
import eumicro.stacking
from eumicro import Text, samples, vocab
from eumicro._checks import Model, _field_checks, _FieldCheck
from eumicro._vocabulary import Concept

MODEL_CLASSES = sorted(
    {
        obj
        for module in (eumicro, eumicro.stacking)
        for name in module.__all__
        if isinstance(obj := getattr(module, name), type)
        and issubclass(obj, Model)
        and attrs.has(obj)
    },
    key=lambda c: c.__name__,
)

_CREDENTIAL = samples.load("data-literacy-ie")
_UTC = dt.UTC


def _values() -> list[Any]:
    """Values of every kind the model holds, and of kinds it refuses."""
    concepts = [
        vocab.COUNTRY.lookup("FRA"),
        vocab.EQF.lookup("6"),
        vocab.LANGUAGE.lookup("en"),
        vocab.ISCED_F.lookup("0542"),
        vocab.CURRENCY.lookup("EUR"),
        # Right shape, but not the vocabulary's own object or not in any vocabulary.
        Concept(iri="http://example.org/concept/1", code="1", label="one", scheme="x"),
        attrs.evolve(vocab.COUNTRY.lookup("FRA"), label="France (copy)"),
    ]
    datetimes = [
        dt.datetime(2026, 1, 1, tzinfo=_UTC),
        dt.datetime(2026, 1, 1),  # naive
        dt.datetime(2026, 1, 1, tzinfo=dt.timezone(dt.timedelta(seconds=30))),
        dt.datetime(2026, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=2))),
    ]
    scalars: list[Any] = [
        None,
        True,
        0,
        7,
        -1,
        1.5,
        Decimal("2.5"),
        Decimal("NaN"),
        "",
        "text",
        "a\x00b",
        "\ufffe",
        "https://example.org/x",
        "urn:example:1",
        dt.date(2026, 1, 1),
        *datetimes,
        *concepts,
        Text(en="Title"),
        _CREDENTIAL,
        _CREDENTIAL.specification,
        *_CREDENTIAL.awarding_bodies,
        *_CREDENTIAL.specification.learning_outcomes,
        _CREDENTIAL.specification.workload,
        _CREDENTIAL.specification.level,
        object(),
    ]
    tuples = [(), (scalars[9],), (scalars[9], scalars[10]), tuple(concepts[:2]), [1]]
    return scalars + tuples + [tuple(x for x in scalars if x is not None)]


VALUES = _values()


def _fields() -> list[tuple[str, _FieldCheck]]:
    return [(f"{cls.__name__}.{fc.name}", fc) for cls in MODEL_CLASSES for fc in _field_checks(cls)]


FIELDS = _fields()


def test_every_model_class_is_covered() -> None:
    names = {cls.__name__ for cls in MODEL_CLASSES}
    assert {"MicroCredential", "Specification", "LearningOpportunity", "Filter"} <= names
    assert len(FIELDS) > 100


@pytest.mark.parametrize(("field", "fc"), FIELDS, ids=[name for name, _ in FIELDS])
def test_quick_check_agrees_with_the_full_check(field: str, fc: _FieldCheck) -> None:
    for value in VALUES:
        if value is not None and fc.quick(value):
            assert list(fc.checker(value)) == [], f"{field}: quick check let {value!r} through"


def _objects(value: Any) -> list[Model]:
    """Every model object in a tree of model objects."""
    found: list[Model] = []
    if isinstance(value, tuple):
        for item in value:
            found.extend(_objects(item))
    elif isinstance(value, Model):
        found.append(value)
        for field in attrs.fields(type(value)):
            found.extend(_objects(getattr(value, field.name)))
    return found


def test_real_values_take_the_fast_path() -> None:
    """Every value of the samples passes the quick check: the full one never runs."""
    objects = [o for credential in samples.load_all() for o in _objects(credential)]
    catalogue = eumicro.stacking.load_example_catalogue()
    objects += [o for q in catalogue for o in _objects(q)]
    assert len({type(o) for o in objects}) >= 15
    for obj in objects:
        for fc in _field_checks(type(obj)):
            value = getattr(obj, fc.name)
            assert value is None or fc.quick(value), f"{type(obj).__name__}.{fc.name}: {value!r}"


@given(
    st.sampled_from(FIELDS),
    st.lists(st.sampled_from([v for v in VALUES if not isinstance(v, tuple | list)]), max_size=4),
)
def test_quick_check_agrees_on_mixed_lists(
    field: tuple[str, _FieldCheck], items: list[Any]
) -> None:
    name, fc = field
    value = tuple(items)
    if fc.quick(value):
        assert list(fc.checker(value)) == [], f"{name}: quick check let {value!r} through"

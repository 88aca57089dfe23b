"""A learning opportunity: a dated, priced offer of a micro-credential.

A :class:`~eumicro.Specification` says *what* a micro-credential is; a
:class:`LearningOpportunity` is one offer of it, as a provider publishes it to the Europass
Qualification Dataset Register (ELM ``LearningOpportunity``): when it runs, until when one
can apply, in which language, in which mode, where, at what price, with a web page to
enrol.

Values that repeat the specification are stored in one form: a title, a homepage or a
language equal to the specification's (its first language), and providers equal to the
specification's provider alone, are stored as ``None`` (or ``()``). The ``effective_*``
properties give the value that applies.

>>> import datetime as dt
>>> from eumicro import Specification, Text
>>> spec = Specification(id="urn:example:spec:1", title=Text(en="Data literacy"),
...                      languages=["en"])
>>> offer = LearningOpportunity(
...     id="urn:example:offer:1", specification=spec,
...     start=dt.datetime(2026, 9, 1, tzinfo=dt.timezone.utc),
...     prices=[Price(amount="450", currency="EUR")])
>>> offer.effective_title["en"], offer.effective_language.code, offer.prices[0].amount
('Data literacy', 'ENG', Decimal('450'))
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from decimal import Decimal

import attrs

from eumicro import _converters as conv
from eumicro import vocab
from eumicro._checks import (
    ConceptLike,
    Found,
    Model,
    check,
    decimal,
    iri,
    resolve_concept,
    to_tuple,
    unique,
    url,
)
from eumicro._model import Organisation, Specification
from eumicro._text import Text
from eumicro._vocabulary import Concept

__all__ = ["LearningOpportunity", "Price"]

# xsd:duration: PnYnMnDTnHnMnS, at least one part, only seconds with decimals.
_DURATION = re.compile(r"^P(?!$)(\d+Y)?(\d+M)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$")


def _duration(value: str) -> Iterator[Found]:
    if not _DURATION.fullmatch(value):
        yield (
            (),
            f"expected an xsd:duration such as 'P4M', 'P30D' or 'PT40H', got {value!r}",
            "duration",
        )


def _amount(value: Decimal) -> Iterator[Found]:
    if not value.is_finite():
        yield (), f"expected a finite number, got {value}", "range"
    elif value < 0:
        yield (), f"must not be negative, got {value}", "range"


def _currency(value: ConceptLike | None) -> Concept | None:
    return resolve_concept(value, (vocab.CURRENCY,))


def _language(value: ConceptLike | None) -> Concept | None:
    return resolve_concept(value, (vocab.LANGUAGE,))


@attrs.frozen(kw_only=True)
class Price(Model):
    """A price of a learning opportunity (ELM ``PriceDetail``).

    Attributes:
        amount: the amount, not negative.
        currency: ISO 4217 currency (EU currency list): ``"EUR"``, an IRI or a concept.
        label: what the price is for (``"Tuition fee"``), in one or more languages.

    >>> Price(amount="120.50", currency="EUR").currency.label
    'Euro'
    """

    amount: Decimal = attrs.field(converter=decimal, metadata=check(_amount))
    currency: Concept = attrs.field(converter=_currency, metadata=check(vocabulary=vocab.CURRENCY))
    label: Text | None = None


@attrs.frozen(kw_only=True)
class LearningOpportunity(Model):
    """An offer of a micro-credential (ELM ``LearningOpportunity``).

    Attributes:
        id: IRI or URN of the offer.
        specification: the micro-credential offered (what it leads to).
        title: a title of its own; ``None`` uses the specification's.
        description: free text about this offer.
        providers: the organisations that provide it; ``()`` means the specification's
            provider.
        start: when it starts, with a timezone.
        end: when it ends, with a timezone.
        application_deadlines: until when one can apply, with a timezone.
        duration: how long it takes, an ``xsd:duration`` (``"P4M"``, ``"P30D"``).
        language: the language it is taught in (ELM ``defaultLanguage``); ``None``
            means the specification's first language.
        modes: online, blended, presential … (modes vocabulary).
        schedule: full time, part time … (learning-schedule vocabulary).
        prices: its price(s).
        homepage: web page of the offer; ``None`` uses the specification's.
        countries: countries where it takes place.
    """

    id: str = attrs.field(metadata=check(iri))
    specification: Specification = attrs.field()
    title: Text | None = None
    description: Text | None = None
    providers: tuple[Organisation, ...] = attrs.field(
        default=(), converter=to_tuple, metadata=check(unique)
    )
    start: dt.datetime | None = None
    end: dt.datetime | None = None
    application_deadlines: tuple[dt.datetime, ...] = attrs.field(
        default=(), converter=to_tuple, metadata=check(unique)
    )
    duration: str | None = attrs.field(default=None, metadata=check(_duration))
    language: Concept | None = attrs.field(
        default=None,
        converter=_language,
        metadata=check(vocabulary=vocab.LANGUAGE),
    )
    modes: tuple[Concept, ...] = attrs.field(
        default=(), converter=conv.modes, metadata=check(unique, vocabulary=vocab.MODE)
    )
    schedule: Concept | None = attrs.field(
        default=None,
        converter=conv.learning_schedule,
        metadata=check(vocabulary=vocab.LEARNING_SCHEDULE),
    )
    prices: tuple[Price, ...] = attrs.field(default=(), converter=to_tuple)
    homepage: str | None = attrs.field(default=None, metadata=check(url))
    countries: tuple[Concept, ...] = attrs.field(
        default=(),
        converter=conv.countries,
        metadata=check(unique, vocabulary=vocab.COUNTRY),
    )

    @property
    def effective_title(self) -> Text | None:
        """The title, or else the specification's."""
        return self.title if self.title is not None else self.specification.title

    @property
    def effective_homepage(self) -> str | None:
        """The homepage, or else the specification's."""
        return self.homepage if self.homepage is not None else self.specification.homepage

    @property
    def effective_language(self) -> Concept | None:
        """The language of instruction, or else the specification's first language."""
        if self.language is not None:
            return self.language
        return self.specification.languages[0] if self.specification.languages else None

    @property
    def effective_providers(self) -> tuple[Organisation, ...]:
        """The providers, or else the specification's provider."""
        if self.providers:
            return self.providers
        provider = self.specification.provider
        return (provider,) if provider is not None else ()

    def _normalise(self) -> None:
        spec = self.specification
        if self.title is not None and self.title == spec.title:
            object.__setattr__(self, "title", None)
        if self.homepage is not None and self.homepage == spec.homepage:
            object.__setattr__(self, "homepage", None)
        if spec.languages and self.language == spec.languages[0]:
            object.__setattr__(self, "language", None)
        if spec.provider is not None and self.providers == (spec.provider,):
            object.__setattr__(self, "providers", ())

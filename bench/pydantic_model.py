"""A pydantic v2 twin of eumicro's model, written for the benchmark only.

The same classes and fields as :mod:`eumicro._model`, reading and writing the same
native JSON (camelCase keys, language maps, concept IRIs, JSON numbers, RFC 3339
date-times with an offset), with the same rules:

* text is a ``dict[str, str]`` keyed by BCP 47 tags (put in canonical case), with no
  empty values and at least one language;
* a concept is the IRI of a concept of the right vocabulary(ies), checked by membership
  in a frozenset built from :mod:`eumicro.vocab` when this module is imported;
* ECTS / ECVET / hours are decimals ≥ 0 (and < 10⁹) with at most two decimals, written
  as JSON numbers;
* date-times must carry an offset (``AwareDatetime``) and are written with
  ``isoformat()`` (pydantic would write ``Z`` for UTC, eumicro writes ``+00:00``);
* IRIs, URLs, e-mail addresses and ESCO skill IRIs by the same regular expressions;
* unknown keys are refused, models are frozen, and the cross-field rules are the same
  (workload / level / assessment / participation / QA not empty, QF-EHEA cycle vs EQF
  level, ``validUntil`` after ``validFrom`` and ``issued``, a stand-alone credential
  stacks towards nothing, no duplicates in the lists eumicro keeps unique, no date of
  birth in the future).

Known differences, none of which matters for documents eumicro writes: pydantic accepts
``null`` for an optional value (eumicro asks to leave the key out) and, even in strict
mode, a numeric string such as ``"5"`` for a decimal; error messages differ.

Dump with :data:`DUMP_OPTIONS` to get eumicro's JSON back.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    model_validator,
)
from pydantic.alias_generators import to_camel

from eumicro import vocab
from eumicro.vocab import Vocabulary

__all__ = [
    "DUMP_OPTIONS",
    "Assessment",
    "CredentialReference",
    "Grade",
    "Identifier",
    "Learner",
    "LearningOutcome",
    "LegalIdentifier",
    "Level",
    "MicroCredential",
    "MicroCredentialCollection",
    "MicroCredentialDocument",
    "Organisation",
    "Participation",
    "QualityAssurance",
    "Specification",
    "Stackability",
    "StackabilityOption",
    "Workload",
]

DUMP_OPTIONS: dict[str, Any] = {"by_alias": True, "exclude_none": True, "exclude_defaults": True}
"""``model_dump_json`` options that give eumicro's native JSON (absent and empty values left out)."""

# ----------------------------------------------------------------------------- strings

_IRI = r'^[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>"{}|\\^`]+$'
_URL = r'^https?://[^\s/?#<>"]+[^\s<>"]*$'
_EMAIL = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
_ESCO = (
    r"^http://data\.europa\.eu/esco/(skill|isco|occupation)/"
    r"([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[A-Za-z0-9.]+)$"
)

NonEmpty = Annotated[str, Field(pattern=r"\S")]
Iri = Annotated[str, Field(pattern=_IRI)]
Url = Annotated[str, Field(pattern=_URL)]
Email = Annotated[str, Field(pattern=_EMAIL)]
EscoSkill = Annotated[str, Field(pattern=_ESCO)]

# ----------------------------------------------------------------------------- text

_TAG = re.compile(
    r"^(?P<lang>[A-Za-z]{2,3}|[A-Za-z]{5,8})"
    r"(?:-(?P<script>[A-Za-z]{4}))?"
    r"(?:-(?P<region>[A-Za-z]{2}|[0-9]{3}))?"
    r"(?P<rest>(?:-[A-Za-z0-9]{1,8})*)$"
)


def _canonical_tag(key: str) -> str:
    m = _TAG.match(key.replace("_", "-"))
    if m is None:
        raise ValueError(
            f"{key!r} is not a BCP 47 language tag (expected e.g. 'en', 'de', 'pt-BR')"
        )
    out = m["lang"].lower()
    if m["script"]:
        out += "-" + m["script"].title()
    if m["region"]:
        out += "-" + m["region"].upper()
    if m["rest"]:
        out += m["rest"].lower()
    return out


def _text(value: dict[str, str]) -> dict[str, str]:
    if not value:
        raise ValueError("must have text in at least one language")
    out: dict[str, str] = {}
    for key, text in value.items():
        tag = _canonical_tag(key)
        if not text.strip():
            raise ValueError(f"text in {key!r} must not be empty or only whitespace")
        if tag in out:
            raise ValueError(f"language {tag!r} is given more than once")
        out[tag] = text
    return out


Text = Annotated[dict[str, str], AfterValidator(_text)]

# ----------------------------------------------------------------------------- concepts


def _iris(*vocabularies: Vocabulary) -> frozenset[str]:
    return frozenset(c.iri for v in vocabularies for c in v)


def _concept(*vocabularies: Vocabulary) -> Any:
    """``str`` restricted to the IRIs of the concepts of ``vocabularies``."""
    iris = _iris(*vocabularies)
    names = " or ".join(v.title for v in vocabularies)

    def check(value: str) -> str:
        if value not in iris:
            raise ValueError(f"{value!r} is not the IRI of a concept from {names}")
        return value

    return Annotated[str, AfterValidator(check)]


Country = _concept(vocab.COUNTRY)
Region = _concept(vocab.ATU, vocab.NUTS)
Language = _concept(vocab.LANGUAGE)
Eqf = _concept(vocab.EQF)
QfEhea = _concept(vocab.QF_EHEA)
Nqf = _concept(vocab.NQF)
IscedF = _concept(vocab.ISCED_F)
AccreditationType = _concept(vocab.ACCREDITATION_TYPE)
AssessmentType = _concept(vocab.ASSESSMENT_TYPE)
Mode = _concept(vocab.MODE)
LearningSetting = _concept(vocab.LEARNING_SETTING)
LearningSchedule = _concept(vocab.LEARNING_SCHEDULE)
OpportunityType = _concept(vocab.LEARNING_OPPORTUNITY_TYPE)
SkillType = _concept(vocab.SKILL_TYPE)
SkillReuseLevel = _concept(vocab.SKILL_REUSE_LEVEL)
Supervision = _concept(vocab.SUPERVISION_VERIFICATION)

# EQF level (as its code) that each QF-EHEA cycle corresponds to, and the code of each EQF IRI.
_QF_EHEA_EQF: dict[str, str] = {
    c.iri: str(vocab.QF_EHEA.extra(c, "eqf"))
    for c in vocab.QF_EHEA
    if vocab.QF_EHEA.extra(c, "eqf") is not None
}
_EQF_CODE: dict[str, str] = {c.iri: c.code for c in vocab.EQF}

# ----------------------------------------------------------------------------- numbers, dates


def _json_number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _isoformat(value: dt.datetime) -> str:
    return value.isoformat()


Amount = Annotated[
    Decimal,
    Field(ge=0, lt=10**9, decimal_places=2),
    PlainSerializer(_json_number, when_used="json"),
]
Timestamp = Annotated[AwareDatetime, PlainSerializer(_isoformat, when_used="json")]

# ----------------------------------------------------------------------------- uniqueness


def _unique_values(values: tuple[str, ...]) -> tuple[str, ...]:
    if len(set(values)) != len(values):
        seen: set[str] = set()
        for i, v in enumerate(values):
            if v in seen:
                raise ValueError(f"item {i} ({v!r}) is listed more than once")
            seen.add(v)
    return values


def _unique_models(values: tuple[Any, ...]) -> tuple[Any, ...]:
    # Models holding dicts (Text) are not hashable: compare pairwise (lists are short).
    for i in range(1, len(values)):
        if values[i] in values[:i]:
            raise ValueError(f"item {i} is listed more than once")
    return values


def _unique(item: Any, check: Callable[[Any], Any] = _unique_values) -> Any:
    return Annotated[tuple[item, ...], AfterValidator(check)]


# ----------------------------------------------------------------------------- the model


class _Model(BaseModel):
    model_config = ConfigDict(
        alias_generator=to_camel,
        extra="forbid",
        frozen=True,
        strict=True,
    )


class Identifier(_Model):
    value: NonEmpty
    scheme: NonEmpty | None = None
    scheme_iri: Iri | None = None


class LegalIdentifier(_Model):
    value: NonEmpty
    country: Country
    scheme: NonEmpty | None = None


class Organisation(_Model):
    name: Text
    id: Iri | None = None
    country: Country | None = None
    region: Region | None = None
    registration: LegalIdentifier | None = None
    eidas_identifier: LegalIdentifier | None = None
    vat_identifier: LegalIdentifier | None = None
    identifiers: tuple[Identifier, ...] = ()
    homepage: Url | None = None
    email: Email | None = None
    address: NonEmpty | None = None


class Learner(_Model):
    id: Iri | None = None
    full_name: NonEmpty | None = None
    given_name: NonEmpty | None = None
    family_name: NonEmpty | None = None
    date_of_birth: dt.date | None = None
    email: Email | None = None
    national_id: LegalIdentifier | None = None
    identifiers: tuple[Identifier, ...] = ()
    citizenship: _unique(Country) = ()

    @model_validator(mode="after")
    def _born_in_the_past(self) -> Learner:
        if self.date_of_birth is not None and self.date_of_birth > dt.date.today():
            raise ValueError(f"date_of_birth is in the future ({self.date_of_birth})")
        return self


class LearningOutcome(_Model):
    title: Text
    esco_skills: _unique(EscoSkill) = ()
    related_skills: _unique(Iri) = ()
    skill_type: SkillType | None = None
    reusability_level: SkillReuseLevel | None = None
    id: Iri | None = None


class Workload(_Model):
    ects: Amount | None = None
    ecvet: Amount | None = None
    hours: Amount | None = None

    @model_validator(mode="after")
    def _not_empty(self) -> Workload:
        if self.ects is None and self.ecvet is None and self.hours is None:
            raise ValueError("give ECTS credits, ECVET points or hours (none was given)")
        return self


class Level(_Model):
    eqf: Eqf | None = None
    qf_ehea: QfEhea | None = None
    nqf: _unique(Nqf) = ()

    @model_validator(mode="after")
    def _consistent(self) -> Level:
        if self.eqf is None and self.qf_ehea is None and not self.nqf:
            raise ValueError("give an EQF level, a QF-EHEA cycle or an NQF level (none was given)")
        if self.eqf is not None and self.qf_ehea is not None:
            expected = _QF_EHEA_EQF.get(self.qf_ehea)
            if expected is not None and expected != _EQF_CODE[self.eqf]:
                raise ValueError(
                    f"{self.qf_ehea} corresponds to EQF level {expected}, "
                    f"but the EQF level is {_EQF_CODE[self.eqf]}"
                )
        return self


class Assessment(_Model):
    types: _unique(AssessmentType) = ()
    modes: _unique(Mode) = ()
    description: Text | None = None

    @model_validator(mode="after")
    def _not_empty(self) -> Assessment:
        if not self.types and self.description is None:
            raise ValueError("give at least one assessment type or a description")
        return self


class Participation(_Model):
    modes: _unique(Mode) = ()
    setting: LearningSetting | None = None
    schedule: LearningSchedule | None = None
    description: Text | None = None

    @model_validator(mode="after")
    def _not_empty(self) -> Participation:
        if not self.modes and self.setting is None and self.description is None:
            raise ValueError("give a mode, a learning setting or a description")
        return self


class QualityAssurance(_Model):
    type: AccreditationType | None = None
    description: Text | None = None
    agency: Organisation | None = None
    report: Url | None = None

    @model_validator(mode="after")
    def _not_empty(self) -> QualityAssurance:
        if self.type is None and self.description is None:
            raise ValueError("give a quality-assurance type or a description")
        return self


class StackabilityOption(enum.Enum):
    STAND_ALONE = "stand-alone"
    STACKABLE = "stackable"


class CredentialReference(_Model):
    id: Iri
    title: Text | None = None


class Stackability(_Model):
    option: StackabilityOption
    towards: _unique(CredentialReference, _unique_models) = ()
    description: Text | None = None

    @model_validator(mode="after")
    def _stand_alone(self) -> Stackability:
        if self.option is StackabilityOption.STAND_ALONE and self.towards:
            raise ValueError(
                "a stand-alone micro-credential does not stack towards other credentials"
            )
        return self


class Specification(_Model):
    id: Iri
    title: Text | None = None
    description: Text | None = None
    learning_outcomes: tuple[LearningOutcome, ...] = ()
    learning_outcome_summary: Text | None = None
    workload: Workload | None = None
    level: Level | None = None
    assessment: Assessment | None = None
    participation: Participation | None = None
    quality_assurance: tuple[QualityAssurance, ...] = ()
    prerequisites: Text | None = None
    stackability: Stackability | None = None
    further_information: Text | None = None
    languages: _unique(Language) = ()
    fields: _unique(IscedF) = ()
    opportunity_type: OpportunityType | None = None
    provider: Organisation | None = None
    homepage: Url | None = None
    identifiers: tuple[Identifier, ...] = ()


class Grade(_Model):
    value: NonEmpty
    scheme: Text | None = None


class MicroCredential(_Model):
    id: Iri
    specification: Specification
    learner: Learner | None = None
    awarding_bodies: _unique(Organisation, _unique_models) = ()
    issuer: Organisation | None = None
    issued: Timestamp | None = None
    valid_from: Timestamp | None = None
    valid_until: Timestamp | None = None
    grade: Grade | None = None
    supervision: Supervision | None = None
    further_information: Text | None = None
    identifiers: tuple[Identifier, ...] = ()

    @model_validator(mode="after")
    def _validity(self) -> MicroCredential:
        if self.valid_until is not None:
            if self.valid_from is not None and self.valid_until <= self.valid_from:
                raise ValueError(
                    f"valid_until must be after valid_from ({self.valid_from.isoformat()}), "
                    f"got {self.valid_until.isoformat()}"
                )
            if self.issued is not None and self.valid_until <= self.issued:
                raise ValueError(
                    f"valid_until must be after the date of issuing ({self.issued.isoformat()}), "
                    f"got {self.valid_until.isoformat()}"
                )
        return self


# ----------------------------------------------------------------------------- documents


class MicroCredentialDocument(MicroCredential):
    """A ``MicroCredential`` document (a credential with ``"type"`` at the root)."""

    type: Literal["MicroCredential"]


class MicroCredentialCollection(_Model):
    """A ``MicroCredentialCollection`` document."""

    type: Literal["MicroCredentialCollection"]
    credentials: list[MicroCredential]

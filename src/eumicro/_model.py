"""The micro-credential model: what a provider specifies and what a learner is awarded.

The model follows the European Learning Model (ELM), where a learning achievement is
*specified by* a qualification or learning-achievement specification:

* :class:`Specification` is what a provider publishes about a micro-credential: title,
  learning outcomes, workload, level, assessment, form of participation, quality
  assurance, prerequisites, stackability. Qualification stacking rules refer to it.
* :class:`MicroCredential` is what a learner holds: the learner, the awarding body(ies),
  the date of issuing, the grade, supervision and identity verification as it happened,
  validity — and the :class:`Specification` it was awarded against.

Every class is immutable, slotted and validated when it is built: a wrong type, an IRI
that is not one, a negative ECTS value, a naive datetime, a concept from the wrong
vocabulary … raise :class:`~eumicro.ValidationError` listing every problem with its
field path. A credential may still *lack* Annex I elements (a draft);
:func:`~eumicro.check_annex_i` says what is missing.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Iterable, Iterator
from decimal import Decimal

import attrs

from eumicro import _converters as conv
from eumicro import vocab
from eumicro._checks import (
    Found,
    Model,
    after,
    check,
    decimal,
    email,
    iri,
    non_empty_string,
    non_negative_decimal,
    to_tuple,
    tuple_of,
    unique,
    url,
)
from eumicro._text import Text
from eumicro._vocabulary import Concept

__all__ = [
    "Assessment",
    "CredentialReference",
    "Grade",
    "Identifier",
    "Learner",
    "LearningOutcome",
    "LegalIdentifier",
    "Level",
    "MicroCredential",
    "Organisation",
    "Participation",
    "QualityAssurance",
    "Specification",
    "Stackability",
    "StackabilityOption",
    "Workload",
]

_ESCO = re.compile(
    r"^http://data\.europa\.eu/esco/(skill|isco|occupation)/"
    r"([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[A-Za-z0-9.]+)$"
)


def _esco(value: str) -> Iterator[Found]:
    if not _ESCO.fullmatch(value):
        yield (
            (),
            "expected an ESCO skill IRI such as 'http://data.europa.eu/esco/skill/"
            f"<uuid>', got {value!r}",
            "esco",
        )


# ----------------------------------------------------------------------------- identifiers


@attrs.frozen(kw_only=True)
class Identifier(Model):
    """An identifier issued under some scheme (a student number, an ORCID, a registry id).

    Attributes:
        value: the identifier itself (ELM ``notation``).
        scheme: name of the identification scheme, e.g. ``"Matriculation number"``.
        scheme_iri: IRI of the scheme, when it has one.
    """

    value: str = attrs.field(metadata=check(non_empty_string))
    scheme: str | None = attrs.field(default=None, metadata=check(non_empty_string))
    scheme_iri: str | None = attrs.field(default=None, metadata=check(iri))


@attrs.frozen(kw_only=True)
class LegalIdentifier(Model):
    """An identifier with legal standing in a country (company register, VAT, eIDAS, national ID).

    Attributes:
        value: the identifier (``"DE123456789"``).
        country: the country whose register issued it (country vocabulary).
        scheme: name of the scheme, e.g. ``"VAT"`` or ``"Handelsregister"``.
    """

    value: str = attrs.field(metadata=check(non_empty_string))
    country: Concept = attrs.field(converter=conv.country, metadata=check(vocabulary=vocab.COUNTRY))
    scheme: str | None = attrs.field(default=None, metadata=check(non_empty_string))


# ----------------------------------------------------------------------------- agents


@attrs.frozen(kw_only=True)
class Organisation(Model):
    """An awarding body, issuer, provider or quality-assurance agency.

    Attributes:
        name: legal name, in one or more languages.
        id: IRI or URN of the organisation.
        country: country where it is established (Annex I: country of the issuer).
        region: region, from the EU's ATU or NUTS lists (Annex I: region of the issuer).
        registration: entry in a company or education register.
        eidas_identifier: the eIDAS legal-person identifier it seals credentials with.
        vat_identifier: VAT number.
        identifiers: any other identifiers (Erasmus code, PIC, ROR …).
        homepage: public web site.
        email: contact address.
        address: postal address as one line.
    """

    name: Text = attrs.field()
    id: str | None = attrs.field(default=None, metadata=check(iri))
    country: Concept | None = attrs.field(
        default=None, converter=conv.country, metadata=check(vocabulary=vocab.COUNTRY)
    )
    region: Concept | None = attrs.field(
        default=None,
        converter=conv.atu_or_nuts,
        metadata=check(vocabulary=(vocab.ATU, vocab.NUTS)),
    )
    registration: LegalIdentifier | None = None
    eidas_identifier: LegalIdentifier | None = None
    vat_identifier: LegalIdentifier | None = None
    identifiers: tuple[Identifier, ...] = attrs.field(default=(), converter=to_tuple)
    homepage: str | None = attrs.field(default=None, metadata=check(url))
    email: str | None = attrs.field(default=None, metadata=check(email))
    address: str | None = attrs.field(default=None, metadata=check(non_empty_string))


@attrs.frozen(kw_only=True)
class Learner(Model):
    """The person a credential is awarded to (Annex I: identification of the learner).

    At least one of ``full_name``, ``given_name``/``family_name``, ``national_id`` or
    ``identifiers`` identifies the learner; the Annex I check says when none is given.

    Attributes:
        id: IRI or URN (a DID, say).
        full_name: the name as it should be printed.
        given_name: given name(s).
        family_name: family name(s).
        date_of_birth: date of birth.
        email: e-mail address.
        national_id: national identity number, with its country.
        identifiers: other identifiers (student number, ORCID …).
        citizenship: countries of citizenship.
    """

    id: str | None = attrs.field(default=None, metadata=check(iri))
    full_name: str | None = attrs.field(default=None, metadata=check(non_empty_string))
    given_name: str | None = attrs.field(default=None, metadata=check(non_empty_string))
    family_name: str | None = attrs.field(default=None, metadata=check(non_empty_string))
    date_of_birth: dt.date | None = None
    email: str | None = attrs.field(default=None, metadata=check(email))
    national_id: LegalIdentifier | None = None
    identifiers: tuple[Identifier, ...] = attrs.field(default=(), converter=to_tuple)
    citizenship: tuple[Concept, ...] = attrs.field(
        default=(),
        converter=conv.countries,
        metadata=check(unique, vocabulary=vocab.COUNTRY),
    )

    @property
    def display_name(self) -> str | None:
        """The full name, or given and family name joined, or None."""
        if self.full_name:
            return self.full_name
        parts = [p for p in (self.given_name, self.family_name) if p]
        return " ".join(parts) or None

    def _validate(self) -> Iterable[Found]:
        if self.date_of_birth is not None and self.date_of_birth > dt.date.today():
            yield ("date_of_birth",), f"is in the future ({self.date_of_birth})", "range"


# ----------------------------------------------------------------------------- specification parts


@attrs.frozen(kw_only=True)
class LearningOutcome(Model):
    """A learning outcome, optionally linked to ESCO skills (Annex I: learning outcomes).

    Attributes:
        title: the outcome statement.
        esco_skills: IRIs of related ESCO skills/competences
            (``http://data.europa.eu/esco/skill/<uuid>``).
        related_skills: IRIs of skills in other frameworks (DigComp, say).
        skill_type: knowledge or skill (skill-type vocabulary).
        reusability_level: transversal, cross-sector, sector- or occupation-specific.
        id: IRI or URN.
    """

    title: Text = attrs.field()
    esco_skills: tuple[str, ...] = attrs.field(
        default=(), converter=to_tuple, metadata=check(tuple_of(_esco), unique)
    )
    related_skills: tuple[str, ...] = attrs.field(
        default=(), converter=to_tuple, metadata=check(tuple_of(iri), unique)
    )
    skill_type: Concept | None = attrs.field(
        default=None,
        converter=conv.skill_type,
        metadata=check(vocabulary=vocab.SKILL_TYPE),
    )
    reusability_level: Concept | None = attrs.field(
        default=None,
        converter=conv.skill_reuse_level,
        metadata=check(vocabulary=vocab.SKILL_REUSE_LEVEL),
    )
    id: str | None = attrs.field(default=None, metadata=check(iri))


@attrs.frozen(kw_only=True)
class Workload(Model):
    """Notional workload needed to achieve the learning outcomes (Annex I).

    In ECTS wherever possible; ECVET points and notional hours may be given as well.
    Values are non-negative with at most two decimals.

    >>> Workload(ects=5, hours=125).ects
    Decimal('5')
    """

    ects: Decimal | None = attrs.field(
        default=None, converter=decimal, metadata=check(non_negative_decimal)
    )
    ecvet: Decimal | None = attrs.field(
        default=None, converter=decimal, metadata=check(non_negative_decimal)
    )
    hours: Decimal | None = attrs.field(
        default=None, converter=decimal, metadata=check(non_negative_decimal)
    )

    def _validate(self) -> Iterable[Found]:
        if self.ects is None and self.ecvet is None and self.hours is None:
            yield (), "give ECTS credits, ECVET points or hours (none was given)", "missing"


@attrs.frozen(kw_only=True)
class Level(Model):
    """Level of the learning experience (Annex I): EQF, QF-EHEA cycle, national frameworks.

    The QF-EHEA cycle, when both are given, must match the EQF level (short cycle ↔ 5,
    first ↔ 6, second ↔ 7, third ↔ 8).
    """

    eqf: Concept | None = attrs.field(
        default=None, converter=conv.eqf, metadata=check(vocabulary=vocab.EQF)
    )
    qf_ehea: Concept | None = attrs.field(
        default=None, converter=conv.qf_ehea, metadata=check(vocabulary=vocab.QF_EHEA)
    )
    nqf: tuple[Concept, ...] = attrs.field(
        default=(), converter=conv.nqfs, metadata=check(unique, vocabulary=vocab.NQF)
    )

    @property
    def eqf_number(self) -> int | None:
        """The EQF level as a number 1–8."""
        return int(self.eqf.code) if self.eqf is not None else None

    def _validate(self) -> Iterable[Found]:
        if self.eqf is None and self.qf_ehea is None and not self.nqf:
            yield (
                (),
                "give an EQF level, a QF-EHEA cycle or an NQF level (none was given)",
                "missing",
            )
        if self.eqf is not None and self.qf_ehea is not None:
            expected = vocab.QF_EHEA.extra(self.qf_ehea, "eqf")
            if expected is not None and str(expected) != self.eqf.code:
                yield (
                    ("qf_ehea",),
                    f"{self.qf_ehea.label} corresponds to EQF level {expected}, "
                    f"but the EQF level is {self.eqf.code}",
                    "consistency",
                )


@attrs.frozen(kw_only=True)
class Assessment(Model):
    """Type of assessment (Annex I), as specified.

    Attributes:
        types: assessment types (written examination, project work …).
        modes: how assessment takes place (online, presential …; modes vocabulary).
        description: free text.
    """

    types: tuple[Concept, ...] = attrs.field(
        default=(),
        converter=conv.assessment_types,
        metadata=check(unique, vocabulary=vocab.ASSESSMENT_TYPE),
    )
    modes: tuple[Concept, ...] = attrs.field(
        default=(), converter=conv.modes, metadata=check(unique, vocabulary=vocab.MODE)
    )
    description: Text | None = None

    def _validate(self) -> Iterable[Found]:
        if not self.types and self.description is None:
            yield (), "give at least one assessment type or a description", "missing"


@attrs.frozen(kw_only=True)
class Participation(Model):
    """Form of participation in the learning activity (Annex I).

    Attributes:
        modes: online, blended, presential, work-based … (modes vocabulary).
        setting: formal or non-formal learning.
        schedule: full time, part time …
        description: free text.
    """

    modes: tuple[Concept, ...] = attrs.field(
        default=(), converter=conv.modes, metadata=check(unique, vocabulary=vocab.MODE)
    )
    setting: Concept | None = attrs.field(
        default=None,
        converter=conv.learning_setting,
        metadata=check(vocabulary=vocab.LEARNING_SETTING),
    )
    schedule: Concept | None = attrs.field(
        default=None,
        converter=conv.learning_schedule,
        metadata=check(vocabulary=vocab.LEARNING_SCHEDULE),
    )
    description: Text | None = None

    def _validate(self) -> Iterable[Found]:
        if not self.modes and self.setting is None and self.description is None:
            yield (), "give a mode, a learning setting or a description", "missing"


@attrs.frozen(kw_only=True)
class QualityAssurance(Model):
    """Type of quality assurance used to underpin the micro-credential (Annex I).

    Attributes:
        type: accreditation / quality-assurance type (institutional or programme
            quality assurance or licence).
        description: free text (the QA framework, the agency's procedure …).
        agency: the quality-assurance or accreditation agency.
        report: URL of the decision or report.
    """

    type: Concept | None = attrs.field(
        default=None,
        converter=conv.accreditation_type,
        metadata=check(vocabulary=vocab.ACCREDITATION_TYPE),
    )
    description: Text | None = None
    agency: Organisation | None = None
    report: str | None = attrs.field(default=None, metadata=check(url))

    def _validate(self) -> Iterable[Found]:
        if self.type is None and self.description is None:
            yield (), "give a quality-assurance type or a description", "missing"


class StackabilityOption(enum.Enum):
    """Integration/stackability options named by Annex I."""

    STAND_ALONE = "stand-alone"
    """A stand-alone, independent micro-credential."""
    STACKABLE = "stackable"
    """Integrated, stackable towards another credential."""


@attrs.frozen(kw_only=True)
class CredentialReference(Model):
    """A larger credential or qualification a micro-credential stacks towards."""

    id: str = attrs.field(metadata=check(iri))
    title: Text | None = None


def _stackability_option(value: StackabilityOption | str) -> StackabilityOption:
    """Converter: ``"stand-alone"`` or ``"stackable"`` become the enum member."""
    if isinstance(value, str) and not isinstance(value, StackabilityOption):
        for member in StackabilityOption:
            if member.value == value:
                return member
    return value  # type: ignore[return-value]  # reported by the field check


@attrs.frozen(kw_only=True)
class Stackability(Model):
    """Integration/stackability options (Annex I, optional).

    >>> Stackability(option=StackabilityOption.STAND_ALONE).option.value
    'stand-alone'
    """

    option: StackabilityOption = attrs.field(converter=_stackability_option)
    towards: tuple[CredentialReference, ...] = attrs.field(
        default=(), converter=to_tuple, metadata=check(unique)
    )
    description: Text | None = None

    def _validate(self) -> Iterable[Found]:
        if self.option is StackabilityOption.STAND_ALONE and self.towards:
            yield (
                ("towards",),
                "a stand-alone micro-credential does not stack towards other credentials",
                "consistency",
            )


@attrs.frozen(kw_only=True)
class Specification(Model):
    """What a provider publishes about a micro-credential (ELM ``Qualification``).

    Attributes:
        id: IRI or URN; stacking rules and credentials refer to it.
        title: title of the micro-credential (Annex I).
        description: free text.
        learning_outcomes: the learning outcomes (Annex I).
        learning_outcome_summary: the outcomes as one text.
        workload: notional workload (Annex I).
        level: EQF / QF-EHEA / NQF level (Annex I).
        assessment: type of assessment (Annex I).
        participation: form of participation (Annex I).
        quality_assurance: type(s) of quality assurance (Annex I).
        prerequisites: prerequisites needed to enrol (Annex I, optional).
        stackability: integration/stackability options (Annex I, optional).
        further_information: further information (Annex I, optional).
        languages: language(s) of instruction.
        fields: ISCED-F 2013 fields of education and training.
        opportunity_type: course, short learning programme, MOOC …
        provider: the organisation that offers it.
        homepage: public web page.
        identifiers: other identifiers (a course code, say).
    """

    id: str = attrs.field(metadata=check(iri))
    title: Text | None = None
    description: Text | None = None
    learning_outcomes: tuple[LearningOutcome, ...] = attrs.field(default=(), converter=to_tuple)
    learning_outcome_summary: Text | None = None
    workload: Workload | None = None
    level: Level | None = None
    assessment: Assessment | None = None
    participation: Participation | None = None
    quality_assurance: tuple[QualityAssurance, ...] = attrs.field(default=(), converter=to_tuple)
    prerequisites: Text | None = None
    stackability: Stackability | None = None
    further_information: Text | None = None
    languages: tuple[Concept, ...] = attrs.field(
        default=(),
        converter=conv.languages,
        metadata=check(unique, vocabulary=vocab.LANGUAGE),
    )
    fields: tuple[Concept, ...] = attrs.field(
        default=(),
        converter=conv.isced_fs,
        metadata=check(unique, vocabulary=vocab.ISCED_F),
    )
    opportunity_type: Concept | None = attrs.field(
        default=None,
        converter=conv.learning_opportunity_type,
        metadata=check(vocabulary=vocab.LEARNING_OPPORTUNITY_TYPE),
    )
    provider: Organisation | None = None
    homepage: str | None = attrs.field(default=None, metadata=check(url))
    identifiers: tuple[Identifier, ...] = attrs.field(default=(), converter=to_tuple)

    @property
    def ects(self) -> Decimal | None:
        """ECTS credits of the workload, if given."""
        return self.workload.ects if self.workload is not None else None

    @property
    def esco_skills(self) -> frozenset[str]:
        """All ESCO skill IRIs of the learning outcomes."""
        return frozenset(s for lo in self.learning_outcomes for s in lo.esco_skills)


# ----------------------------------------------------------------------------- the award


@attrs.frozen(kw_only=True)
class Grade(Model):
    """Grade achieved (Annex I, optional).

    Attributes:
        value: the grade as awarded (``"Pass"``, ``"8.5"``, ``"B+"``).
        scheme: the grading scheme, as text (``"1–10, pass mark 5.5"``).
    """

    value: str = attrs.field(metadata=check(non_empty_string))
    scheme: Text | None = None


@attrs.frozen(kw_only=True)
class MicroCredential(Model):
    """A micro-credential awarded to a learner.

    Attributes:
        id: IRI or URN of this credential.
        specification: what was achieved (title, outcomes, workload, level …).
        learner: identification of the learner (Annex I).
        awarding_bodies: awarding body(ies) (Annex I).
        issuer: the organisation that issues (seals) the credential when it is not the
            (first) awarding body.
        issued: date of issuing (Annex I), with a timezone.
        valid_from: start of validity, with a timezone; ``None`` means from the date of
            issuing (a value equal to ``issued`` is stored as ``None``).
        valid_until: end of validity, after ``valid_from``.
        grade: grade achieved (Annex I, optional).
        supervision: supervision and identity verification during assessment
            (Annex I, optional; supervision-verification vocabulary).
        further_information: further information (Annex I, optional).
        identifiers: other identifiers (a certificate number, say).

    A credential may lack mandatory Annex I elements while it is being prepared (a
    *draft*); :func:`~eumicro.check_annex_i` reports what is missing and
    :func:`~eumicro.require_annex_i` refuses it where a credential is issued.
    """

    id: str = attrs.field(metadata=check(iri))
    specification: Specification = attrs.field()
    learner: Learner | None = None
    awarding_bodies: tuple[Organisation, ...] = attrs.field(
        default=(), converter=to_tuple, metadata=check(unique)
    )
    issuer: Organisation | None = None
    issued: dt.datetime | None = None
    valid_from: dt.datetime | None = None
    valid_until: dt.datetime | None = None
    grade: Grade | None = None
    supervision: Concept | None = attrs.field(
        default=None,
        converter=conv.supervision_verification,
        metadata=check(vocabulary=vocab.SUPERVISION_VERIFICATION),
    )
    further_information: Text | None = None
    identifiers: tuple[Identifier, ...] = attrs.field(default=(), converter=to_tuple)

    @property
    def title(self) -> Text | None:
        """Title of the micro-credential (from its specification)."""
        return self.specification.title

    @property
    def effective_issuer(self) -> Organisation | None:
        """The issuer, or else the first awarding body."""
        if self.issuer is not None:
            return self.issuer
        return self.awarding_bodies[0] if self.awarding_bodies else None

    @property
    def issuer_countries(self) -> tuple[Concept, ...]:
        """Countries of the issuer and awarding bodies, without repeats (Annex I)."""
        seen: dict[Concept, None] = {}
        for org in (self.issuer, *self.awarding_bodies):
            if org is not None and org.country is not None:
                seen.setdefault(org.country)
        return tuple(seen)

    @property
    def issuer_regions(self) -> tuple[Concept, ...]:
        """Regions of the issuer and awarding bodies, without repeats (Annex I)."""
        seen: dict[Concept, None] = {}
        for org in (self.issuer, *self.awarding_bodies):
            if org is not None and org.region is not None:
                seen.setdefault(org.region)
        return tuple(seen)

    def is_valid_at(self, when: dt.datetime) -> bool:
        """Whether ``when`` (timezone-aware) falls in the validity period.

        The period starts at ``valid_from``, or else at the date of issuing.
        """
        start = self.valid_from if self.valid_from is not None else self.issued
        if start is not None and when < start:
            return False
        return not (self.valid_until is not None and when >= self.valid_until)

    def _normalise(self) -> None:
        # Validity starts at the date of issuing unless it says otherwise: a valid_from
        # equal to issued is the same statement, kept in one form (None).
        if self.valid_from is not None and self.valid_from == self.issued:
            object.__setattr__(self, "valid_from", None)

    def _validate(self) -> Iterable[Found]:
        yield from after("valid_until", self.valid_until, self.valid_from, "valid_from")
        yield from after("valid_until", self.valid_until, self.issued, "the date of issuing")

"""The official controlled vocabularies, bundled for offline use.

One constant per vocabulary. Each is a :class:`Vocabulary` whose concepts are read
from the package data on first use (importing this module reads nothing).
Look concepts up by IRI, code, alternative code or English label:

>>> from eumicro import vocab
>>> vocab.EQF[6].iri
'http://data.europa.eu/snb/eqf/6'
>>> vocab.COUNTRY["DE"].label
'Germany'
>>> vocab.LANGUAGE["en"].code
'ENG'
>>> str(vocab.MODE.lookup("online"))
'Online'
>>> vocab.get_vocabulary("isced-f") is vocab.ISCED_F
True

Most vocabularies come from the XSD snapshots of the European Learning Model
(``xsd/loq/cv``); ``SUPERVISION_VERIFICATION`` and ``EVIDENCE_TYPE`` are taken
from the EU concept IRIs used in the EC's own credentials, and ``QF_EHEA`` is
defined by eumicro (``official`` is ``False``). See
``eumicro/_data/vocabularies/PROVENANCE.md`` for the sources of each.
"""

from __future__ import annotations

from typing import Final

from eumicro._vocabulary import Concept, Vocabulary, find_vocabulary, register

__all__ = [
    "ACCREDITATION_TYPE",
    "ALL",
    "ASSESSMENT_TYPE",
    "ATU",
    "CONTENT_ENCODING",
    "COUNTRY",
    "CREDENTIAL_TYPE",
    "CREDIT_SYSTEM",
    "CURRENCY",
    "ENTITLEMENT_STATUS",
    "ENTITLEMENT_TYPE",
    "EQF",
    "EVIDENCE_TYPE",
    "FILE_TYPE",
    "ISCED_F",
    "LANGUAGE",
    "LEARNING_ACTIVITY_TYPE",
    "LEARNING_OPPORTUNITY_TYPE",
    "LEARNING_SCHEDULE",
    "LEARNING_SETTING",
    "MODE",
    "NQF",
    "NUTS",
    "QF_EHEA",
    "SKILL_REUSE_LEVEL",
    "SKILL_TYPE",
    "SUPERVISION_VERIFICATION",
    "TARGET_GROUP",
    "Concept",
    "Vocabulary",
    "get_vocabulary",
]

_SNB: Final = "http://data.europa.eu/snb/"
_AUTHORITY: Final = "http://publications.europa.eu/resource/authority/"

COUNTRY: Final = register(
    Vocabulary("country", "Countries and territories", _AUTHORITY + "country"), "COUNTRY"
)
"""Countries (EU authority table); code ``"DEU"``, alternative codes ``"DE"`` (and ``"EL"``, ``"UK"``)."""

ATU: Final = register(
    Vocabulary("atu", "Administrative territorial units", _AUTHORITY + "atu"), "ATU"
)
"""Administrative territorial units (EU authority table), e.g. ``AUT_BLD_BURG``."""

NUTS: Final = register(Vocabulary("nuts", "NUTS regions", "http://data.europa.eu/nuts"), "NUTS")
"""Nomenclature of territorial units for statistics, e.g. ``DEA29`` (Heinsberg)."""

LANGUAGE: Final = register(Vocabulary("language", "Languages", _AUTHORITY + "language"), "LANGUAGE")
"""Languages (EU authority table); code ``"ENG"``, alternative ISO 639-1 code ``"en"``."""

CURRENCY: Final = register(
    Vocabulary("currency", "Currencies", _AUTHORITY + "currency"), "CURRENCY"
)
"""Currencies (EU authority table), e.g. ``EUR``."""

FILE_TYPE: Final = register(
    Vocabulary("file-type", "File types", _AUTHORITY + "file-type"), "FILE_TYPE"
)
"""File types (EU authority table), e.g. ``PDF``."""

EQF: Final = register(
    Vocabulary("eqf", "European Qualifications Framework levels", _SNB + "eqf/25831c2"), "EQF"
)
"""EQF levels 1–8; codes ``"1"`` … ``"8"`` (an ``int`` is accepted), labels ``"Level 6"``."""

NQF: Final = register(
    Vocabulary("nqf", "National qualifications frameworks and levels", _SNB + "qdr/25831c2"),
    "NQF",
)
"""National qualifications frameworks and their levels (Qualification Dataset Register)."""

ISCED_F: Final = register(
    Vocabulary(
        "isced-f", "ISCED-F 2013 fields of education and training", _SNB + "isced-f/25831c2"
    ),
    "ISCED_F",
)
"""ISCED-F 2013 fields of education and training; code ``"0613"``."""

CREDIT_SYSTEM: Final = register(
    Vocabulary("credit-points", "Education credit systems", _SNB + "education-credit/25831c2"),
    "CREDIT_SYSTEM",
)
"""Education credit systems: ECTS and ECVET."""

ACCREDITATION_TYPE: Final = register(
    Vocabulary(
        "europass-accreditation-types", "Accreditation types", _SNB + "accreditation/25831c2"
    ),
    "ACCREDITATION_TYPE",
)
"""Types of accreditation."""

CONTENT_ENCODING: Final = register(
    Vocabulary("europass-content-encoding-types", "Content encodings", _SNB + "encoding/25831c2"),
    "CONTENT_ENCODING",
)
"""Content encodings of embedded media (base64)."""

CREDENTIAL_TYPE: Final = register(
    Vocabulary("europass-credential-types", "Credential types", _SNB + "credential/25831c2"),
    "CREDENTIAL_TYPE",
)
"""Credential types (profiles) of a European Digital Credential."""

LEARNING_ACTIVITY_TYPE: Final = register(
    Vocabulary(
        "europass-learning-activity-types",
        "Learning activity types",
        _SNB + "learning-activity/25831c2",
    ),
    "LEARNING_ACTIVITY_TYPE",
)
"""Types of learning activity (lecture, tutorial, …)."""

ASSESSMENT_TYPE: Final = register(
    Vocabulary(
        "europass-learning-assessment-types",
        "Learning assessment types",
        _SNB + "assessment/25831c2",
    ),
    "ASSESSMENT_TYPE",
)
"""Types of assessment (written examination, portfolio, …)."""

ENTITLEMENT_STATUS: Final = register(
    Vocabulary(
        "europass-learning-entitlement-statuses",
        "Learning entitlement statuses",
        _SNB + "entitlement-status/25831c2",
    ),
    "ENTITLEMENT_STATUS",
)
"""Statuses of a learning entitlement."""

ENTITLEMENT_TYPE: Final = register(
    Vocabulary(
        "europass-learning-entitlement-types",
        "Learning entitlement types",
        _SNB + "entitlement/25831c2",
    ),
    "ENTITLEMENT_TYPE",
)
"""Types of learning entitlement."""

LEARNING_OPPORTUNITY_TYPE: Final = register(
    Vocabulary(
        "europass-learning-opportunity-types",
        "Learning opportunity types",
        _SNB + "learning-opportunity/25831c2",
    ),
    "LEARNING_OPPORTUNITY_TYPE",
)
"""Types of learning opportunity (course, MOOC, short learning programme, …)."""

LEARNING_SCHEDULE: Final = register(
    Vocabulary(
        "europass-learning-schedule-types",
        "Learning schedule types",
        _SNB + "learning-schedule/25831c2",
    ),
    "LEARNING_SCHEDULE",
)
"""Learning schedules (full time, part time, …)."""

LEARNING_SETTING: Final = register(
    Vocabulary(
        "europass-learning-setting-types", "Learning settings", _SNB + "learning-setting/25831c2"
    ),
    "LEARNING_SETTING",
)
"""Learning settings: formal and non-formal."""

MODE: Final = register(
    Vocabulary(
        "europass-modes", "Modes of learning and assessment", _SNB + "learning-assessment/25831c2"
    ),
    "MODE",
)
"""Modes of learning and assessment (online, blended, presential, …)."""

TARGET_GROUP: Final = register(
    Vocabulary("europass-target-groups", "Target groups", _SNB + "target-group/25831c2"),
    "TARGET_GROUP",
)
"""Target groups of a learning opportunity."""

SKILL_REUSE_LEVEL: Final = register(
    Vocabulary("skill-reuse-levels", "Skill reuse levels", _SNB + "skill-reuse-level/25831c2"),
    "SKILL_REUSE_LEVEL",
)
"""Reuse levels of skills (transversal, cross-sector, …)."""

SKILL_TYPE: Final = register(
    Vocabulary("skill-types", "Skill types", _SNB + "skill-type/25831c2"), "SKILL_TYPE"
)
"""Skill types: knowledge and skill."""

SUPERVISION_VERIFICATION: Final = register(
    Vocabulary(
        "supervision-verification",
        "Methods of supervision and ID verification",
        _SNB + "supervision-verification/25831c2",
    ),
    "SUPERVISION_VERIFICATION",
)
"""Supervision and identity verification during assessment (Annex I, optional element)."""

EVIDENCE_TYPE: Final = register(
    Vocabulary("evidence-type", "Evidence types", _SNB + "evidence-type/25831c2"),
    "EVIDENCE_TYPE",
)
"""Types of evidence of a credential: mandate, conversion, accreditation."""

QF_EHEA: Final = register(
    Vocabulary("qf-ehea", "QF-EHEA cycles", "urn:eumicro:vocab:qf-ehea-cycle", official=False),
    "QF_EHEA",
)
"""Cycles of the Qualifications Framework of the European Higher Education Area.

Not an EU vocabulary: eumicro's own IRIs. ``QF_EHEA.extra(concept, "eqf")`` gives the
EQF level that a cycle corresponds to.
"""

ALL: Final[tuple[Vocabulary, ...]] = (
    COUNTRY,
    ATU,
    NUTS,
    LANGUAGE,
    CURRENCY,
    FILE_TYPE,
    EQF,
    NQF,
    ISCED_F,
    CREDIT_SYSTEM,
    ACCREDITATION_TYPE,
    CONTENT_ENCODING,
    CREDENTIAL_TYPE,
    LEARNING_ACTIVITY_TYPE,
    ASSESSMENT_TYPE,
    ENTITLEMENT_STATUS,
    ENTITLEMENT_TYPE,
    LEARNING_OPPORTUNITY_TYPE,
    LEARNING_SCHEDULE,
    LEARNING_SETTING,
    MODE,
    TARGET_GROUP,
    SKILL_REUSE_LEVEL,
    SKILL_TYPE,
    SUPERVISION_VERIFICATION,
    EVIDENCE_TYPE,
    QF_EHEA,
)
"""Every bundled vocabulary."""


def get_vocabulary(name: str) -> Vocabulary:
    """The bundled vocabulary with this data name (``"eqf"``) or constant name (``"EQF"``).

    Names are case-insensitive.

    Raises:
        UnknownConceptError: no vocabulary has this name; ``suggestions`` holds
            close names.

    Example:
        >>> get_vocabulary("EQF").name
        'eqf'
    """
    return find_vocabulary(name)

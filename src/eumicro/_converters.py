"""Converters of the model's concept fields: codes, IRIs and labels become Concepts.

Each field of a model class that holds a concept names its converter here; the rules
of the stacking engine use the same ones, so a filter accepts what the model accepts.
"""

from __future__ import annotations

from collections.abc import Iterable

from eumicro import vocab
from eumicro._checks import ConceptLike, resolve_concept, resolve_concepts
from eumicro._vocabulary import Concept

__all__ = [
    "accreditation_type",
    "accreditation_types",
    "assessment_types",
    "atu_or_nuts",
    "countries",
    "country",
    "eqf",
    "isced_fs",
    "languages",
    "learning_opportunity_type",
    "learning_schedule",
    "learning_setting",
    "modes",
    "nqfs",
    "qf_ehea",
    "skill_reuse_level",
    "skill_type",
    "supervision_verification",
    "supervision_verifications",
]


def accreditation_type(value: ConceptLike | None) -> Concept | None:
    return resolve_concept(value, (vocab.ACCREDITATION_TYPE,))


def atu_or_nuts(value: ConceptLike | None) -> Concept | None:
    return resolve_concept(
        value,
        (
            vocab.ATU,
            vocab.NUTS,
        ),
    )


def country(value: ConceptLike | None) -> Concept | None:
    return resolve_concept(value, (vocab.COUNTRY,))


def eqf(value: ConceptLike | None) -> Concept | None:
    return resolve_concept(value, (vocab.EQF,))


def learning_opportunity_type(value: ConceptLike | None) -> Concept | None:
    return resolve_concept(value, (vocab.LEARNING_OPPORTUNITY_TYPE,))


def learning_schedule(value: ConceptLike | None) -> Concept | None:
    return resolve_concept(value, (vocab.LEARNING_SCHEDULE,))


def learning_setting(value: ConceptLike | None) -> Concept | None:
    return resolve_concept(value, (vocab.LEARNING_SETTING,))


def qf_ehea(value: ConceptLike | None) -> Concept | None:
    return resolve_concept(value, (vocab.QF_EHEA,))


def skill_reuse_level(value: ConceptLike | None) -> Concept | None:
    return resolve_concept(value, (vocab.SKILL_REUSE_LEVEL,))


def skill_type(value: ConceptLike | None) -> Concept | None:
    return resolve_concept(value, (vocab.SKILL_TYPE,))


def supervision_verification(value: ConceptLike | None) -> Concept | None:
    return resolve_concept(value, (vocab.SUPERVISION_VERIFICATION,))


def assessment_types(values: Iterable[ConceptLike]) -> tuple[Concept, ...]:
    return resolve_concepts(values, (vocab.ASSESSMENT_TYPE,))


def countries(values: Iterable[ConceptLike]) -> tuple[Concept, ...]:
    return resolve_concepts(values, (vocab.COUNTRY,))


def isced_fs(values: Iterable[ConceptLike]) -> tuple[Concept, ...]:
    return resolve_concepts(values, (vocab.ISCED_F,))


def languages(values: Iterable[ConceptLike]) -> tuple[Concept, ...]:
    return resolve_concepts(values, (vocab.LANGUAGE,))


def modes(values: Iterable[ConceptLike]) -> tuple[Concept, ...]:
    return resolve_concepts(values, (vocab.MODE,))


def nqfs(values: Iterable[ConceptLike]) -> tuple[Concept, ...]:
    return resolve_concepts(values, (vocab.NQF,))


def accreditation_types(values: Iterable[ConceptLike]) -> tuple[Concept, ...]:
    return resolve_concepts(values, (vocab.ACCREDITATION_TYPE,))


def supervision_verifications(values: Iterable[ConceptLike]) -> tuple[Concept, ...]:
    return resolve_concepts(values, (vocab.SUPERVISION_VERIFICATION,))

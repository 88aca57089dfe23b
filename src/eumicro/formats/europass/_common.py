"""What the Europass formats share: IRIs, contexts and conventions (and a reading rule).

European Digital Credentials (EDC) are JSON-LD documents of the European Learning Model
(ELM) 3.x. eumicro writes ELM 3.2 (the long-term-support version) and reads 3.1 and 3.2.
Where ELM has no dedicated property for an Annex I element, eumicro uses the documented
conventions below (``docs/europass.md``), and its importer recognises them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Final, TypeVar

from eumicro._text import Text

__all__ = [
    "CONTEXT",
    "CREDENTIAL_TYPE",
    "ECTS_FRAMEWORK",
    "ECVET_FRAMEWORK",
    "EDC_CONTEXT",
    "ESCO_SKILLS_SCHEME",
    "GENERIC_PROFILE",
    "GENERIC_PROFILE_LABEL",
    "GENERIC_SCHEMA",
    "NODE_PREFIX",
    "NOTE_TOPIC_LABELS",
    "NOTE_TOPIC_PARTICIPATION",
    "NOTE_TOPIC_PATHWAYS",
    "NOTE_TOPIC_QUALITY_ASSURANCE",
    "NOTE_TOPIC_SCHEME",
    "VC_CONTEXT",
    "assessment_description",
    "is_generated_id",
    "parse_qa_id",
    "qa_id",
    "qa_report_id",
]

VC_CONTEXT: Final = "https://www.w3.org/2018/credentials/v1"
"""The W3C Verifiable Credentials 1.1 context."""

EDC_CONTEXT: Final = "http://data.europa.eu/snb/model/context/edc-ap"
"""The EDC application-profile context (plain ``http``, as the Commission serves it)."""

CONTEXT: Final = (VC_CONTEXT, EDC_CONTEXT)
"""The ``@context`` of every EDC credential."""

CREDENTIAL_TYPE: Final = ("VerifiableCredential", "EuropeanDigitalCredential")
"""The ``type`` of every EDC credential."""

GENERIC_SCHEMA: Final = "http://data.europa.eu/snb/model/ap/edc-generic-full"
"""The SHACL profile a credential names in ``credentialSchema`` (``ShaclValidator2017``)."""

GENERIC_PROFILE: Final = "http://data.europa.eu/snb/credential/e34929035b"
"""The *Generic* credential profile (the one the Commission's micro-credential sample uses)."""

GENERIC_PROFILE_LABEL: Final = "Generic"

ESCO_SKILLS_SCHEME: Final = "http://data.europa.eu/esco/concept-scheme/skills"
"""The concept scheme that ``relatedESCOSkill`` concepts must be in."""

NODE_PREFIX: Final = "urn:eumicro:node:"
"""Prefix of the ids eumicro generates for nodes the model has no id for.

``urn:eumicro:node:<kind>:<n>``; the importer turns such an id back into ``None``.
"""

# Topics of ``additionalNote`` Notes (``Note.subject``) for the Annex I elements that ELM
# has no property for. Quality assurance and stackability use the topics the Europass
# Qualification Dataset Register uses for notes on a qualification (LOQ profile); the form
# of participation has no such topic and uses eumicro's own.
NOTE_TOPIC_SCHEME: Final = "urn:eumicro:concept-scheme:note-topic"
"""Scheme of eumicro's own note topics."""

NOTE_TOPIC_QUALITY_ASSURANCE: Final = (
    "http://data.europa.eu/snb/qualification-topics#accreditation-and-quality-assurance"
)
NOTE_TOPIC_PATHWAYS: Final = "http://data.europa.eu/snb/qualification-topics#pathways"
NOTE_TOPIC_PARTICIPATION: Final = "urn:eumicro:note-topic:participation"

NOTE_TOPIC_LABELS: Final = {
    NOTE_TOPIC_QUALITY_ASSURANCE: "Accreditation and quality assurance",
    NOTE_TOPIC_PATHWAYS: "Pathways (integration and stackability)",
    NOTE_TOPIC_PARTICIPATION: "Form of participation",
}


def is_generated_id(value: str) -> bool:
    """Whether ``value`` is an id that eumicro generated (``urn:eumicro:node:<kind>:<n>``)."""
    return value.startswith(NODE_PREFIX)


def qa_id(index: int) -> str:
    """The id of the node that holds quality assurance number ``index`` (0-based)."""
    return f"{NODE_PREFIX}qualityAssurance:{index + 1}"


def qa_report_id(index: int) -> str:
    """The id of the report web resource of quality assurance ``index`` held in a Note."""
    return f"{NODE_PREFIX}qualityAssurance:{index + 1}:report"


_QA: Final = re.compile(re.escape(NODE_PREFIX) + r"qualityAssurance:([0-9]{1,6})(:report)?")


def parse_qa_id(value: object) -> tuple[int, bool] | None:
    """``(index, is_report)`` of a quality-assurance node id, or None."""
    if not isinstance(value, str):
        return None
    m = _QA.fullmatch(value)
    if m is None:
        return None
    return int(m[1]) - 1, m[2] is not None


# Credit systems (``CreditPoint.framework``) of the ELM education-credit list.
ECTS_FRAMEWORK: Final = "http://data.europa.eu/snb/education-credit/6fcec5c5af"
ECVET_FRAMEWORK: Final = "http://data.europa.eu/snb/education-credit/60b314e826"

W = TypeVar("W")


def assessment_description(
    typed: bool,
    description: Text | None,
    titles: Sequence[tuple[Text, W]],
    note: Callable[[W, str], None],
) -> Text | None:
    """The description of an assessment read from Europass, given the titles of its specifications.

    The model holds no title for an assessment: an assessment without a type or a
    description takes its first title as the description; every other title is noted as
    dropped (at its place ``W``: a JSON path or an element).
    """
    if not typed and description is None and titles:
        description = titles[0][0]
        note(
            titles[0][1],
            "an assessment without a type or description: its title is read as the description",
        )
        titles = titles[1:]
    for _, where in titles:
        note(where, "the title of the assessment specification is not held by the model; dropped")
    return description

"""LOQ XML: namespaces, the official schema, record ids and shared conventions."""

from __future__ import annotations

import functools
import re
from typing import Final

from lxml import etree

from eumicro._text import Text
from eumicro.formats._xmlsafe import (
    load_packaged_schema,
)

LOQ_NS: Final = "http://data.europa.eu/snb/model/ap/loq-constraints/"
"""Namespace of the LOQ XML elements."""

SKOS_NS: Final = "http://www.w3.org/2004/02/skos/core#"
DC_NS: Final = "http://purl.org/dc/terms/"
LOQ_VERSION: Final = "3.1.0"


_SUBJECT: Final = "LOQ XML"
_NSMAP: Final = {None: LOQ_NS, "skos": SKOS_NS, "dc": DC_NS}

# Topics (``dc:subject``) of the notes that hold what a LOQ element holds in one language
# only: ``learningOutcomeSummary`` and ``entryRequirement`` take one ``Note``, and a
# ``Note`` one ``noteLiteral``; the other languages go to ``additionalNote`` on these topics.
NOTE_TOPIC_SUMMARY: Final = "urn:eumicro:note-topic:learning-outcome-summary"
NOTE_TOPIC_ENTRY: Final = "urn:eumicro:note-topic:entry-requirement"

_QA_TOKEN: Final = re.compile(r"quality-assurance-([1-9][0-9]{0,5})")

# ----------------------------------------------------------------------------- schema

_PACKAGE: Final = "eumicro._data"
_FOLDER: Final = "loq-3.1"


@functools.cache
def loq_schema() -> etree.XMLSchema:
    """The official LOQ 3.1 XSD, loaded from the package without network access.

    >>> from eumicro.formats.europass import to_loq_xml
    >>> loq_schema().validate(etree.fromstring(to_loq_xml([])))
    True
    """
    return load_packaged_schema(_PACKAGE, _FOLDER, "loq.xsd")


def _q(name: str, ns: str = LOQ_NS) -> str:
    return f"{{{ns}}}{name}"


# ----------------------------------------------------------------------------- export


def _part_id(owner: str, name: str) -> str:
    """The id of a record that belongs to ``owner``: ``<owner>#<name>`` (``-`` after a fragment)."""
    return f"{owner}{'-' if '#' in owner else '#'}{name}"


def _outcome_id(spec_id: str, n: int) -> str:
    return _part_id(spec_id, f"learning-outcome-{n}")


def _accreditation_id(spec_id: str, n: int) -> str:
    return _part_id(spec_id, f"quality-assurance-{n}")


def _agency_id(accreditation_id: str) -> str:
    """The id of an accrediting agent that has none in the model (read back as None)."""
    return _part_id(accreditation_id, "agency")


def _assessment_id(spec_id: str) -> str:
    return _part_id(spec_id, "assessment")


def _first_and_rest(value: Text | None) -> tuple[tuple[str, str] | None, Text | None]:
    """A text's first language (for a one-``Note`` element) and the others, if any."""
    if value is None:
        return None, None
    pairs = list(value.items_in_order())
    return pairs[0], Text(pairs[1:]) if len(pairs) > 1 else None


_TYPES: Final = {
    "xs:dateTime": "a date and time such as 2026-09-01T09:00:00Z",
    "xs:decimal": "a decimal number",
    "xs:duration": "an xsd:duration such as P4M or PT40H",
    "xs:anyURI": "an IRI",
    # Controlled vocabularies: the XSD lists every allowed IRI; name the list instead.
    "<defaultLanguage>@uri": "a language of the EU language list",
    "<language>@uri": "a language of the EU language list",
    "<countryCode>@uri": "a country of the EU country list",
    "<unit>@uri": "a currency of the EU currency list",
    "<mode>@uri": "a mode of learning and assessment of the Europass list",
    "<learningSchedule>@uri": "a learning schedule type of the Europass list",
    "<learningSetting>@uri": "a learning setting type of the Europass list",
    "<ISCEDFCode>@uri": "an ISCED-F 2013 field",
    "<EQFLevel>@uri": "an EQF level",
    "<NQFLevel>@uri": "a level of a national qualifications framework",
    "<framework>@uri": "a credit system of the Europass list (ECTS, ECVET)",
    "<reusabilityLevel>@uri": "a skill reuse level of the ESCO list",
    "@uri": "a value of the controlled vocabulary that the XSD gives for this element",
}

_SPECIFICATIONS: Final = ("qualification", "learningAchievementSpecification")

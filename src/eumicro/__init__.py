"""eumicro: the EU micro-credential model in Python.

Typed, immutable classes for micro-credentials with every element of Annex I of the
Council Recommendation of 16 June 2022 (2022/C 243/02), the official controlled
vocabularies bundled for offline use, native JSON with a published schema and native
XML with an XSD, the Annex I compliance check, and European Digital Credentials (ELM
3.2 JSON-LD) with a built-in check against the official shapes.

>>> import eumicro
>>> credential = eumicro.samples.load("data-literacy-ie")
>>> eumicro.check_annex_i(credential).compliant
True
"""

from __future__ import annotations

from eumicro import samples, stacking, vocab
from eumicro._annex import (
    AnnexElement,
    AnnexReport,
    Finding,
    FindingStatus,
    check_annex_i,
    require_annex_i,
)
from eumicro._errors import (
    AnnexIError,
    EumicroError,
    ParseError,
    Problem,
    UnknownConceptError,
    UnsupportedFormatError,
    ValidationError,
)
from eumicro._model import (
    Assessment,
    CredentialReference,
    Grade,
    Identifier,
    Learner,
    LearningOutcome,
    LegalIdentifier,
    Level,
    MicroCredential,
    Organisation,
    Participation,
    QualityAssurance,
    Specification,
    Stackability,
    StackabilityOption,
    Workload,
)
from eumicro._opportunity import LearningOpportunity, Price
from eumicro._text import Text
from eumicro._vocabulary import Concept, Vocabulary
from eumicro.formats import (
    collection_from_json,
    collection_from_xml,
    document_from_json,
    document_from_xml,
    from_dict,
    from_json,
    from_xml,
    iter_xml,
    json_schema,
    load_json,
    load_xml,
    save_json,
    save_xml,
    to_dict,
    to_json,
    to_json_bytes,
    to_xml,
    to_xml_bytes,
    write_xml_stream,
    xml_schema,
)
from eumicro.formats.europass import (
    DisplayImage,
    EdcImport,
    ShaclReport,
    check_edc,
    from_edc,
    render_svg,
    shacl_validate_edc,
    to_edc,
    to_edc_json,
)

__version__ = "0.1.0.dev0"

# Exceptions and the classes they mention live in private modules; give them their
# public path in tracebacks and reprs (``eumicro.ValidationError``, not
# ``eumicro._errors.ValidationError``). The model classes keep theirs: their type
# annotations are resolved in their own module.
for _cls in (
    AnnexIError,
    EumicroError,
    ParseError,
    Problem,
    UnknownConceptError,
    UnsupportedFormatError,
    ValidationError,
):
    _cls.__module__ = __name__
del _cls

__all__ = [
    "AnnexElement",
    "AnnexIError",
    "AnnexReport",
    "Assessment",
    "Concept",
    "CredentialReference",
    "DisplayImage",
    "EdcImport",
    "EumicroError",
    "Finding",
    "FindingStatus",
    "Grade",
    "Identifier",
    "Learner",
    "LearningOpportunity",
    "LearningOutcome",
    "LegalIdentifier",
    "Level",
    "MicroCredential",
    "Organisation",
    "ParseError",
    "Participation",
    "Price",
    "Problem",
    "QualityAssurance",
    "ShaclReport",
    "Specification",
    "Stackability",
    "StackabilityOption",
    "Text",
    "UnknownConceptError",
    "UnsupportedFormatError",
    "ValidationError",
    "Vocabulary",
    "Workload",
    "__version__",
    "check_annex_i",
    "check_edc",
    "collection_from_json",
    "collection_from_xml",
    "document_from_json",
    "document_from_xml",
    "from_dict",
    "from_edc",
    "from_json",
    "from_xml",
    "iter_xml",
    "json_schema",
    "load_json",
    "load_xml",
    "render_svg",
    "require_annex_i",
    "samples",
    "save_json",
    "save_xml",
    "shacl_validate_edc",
    "stacking",
    "to_dict",
    "to_edc",
    "to_edc_json",
    "to_json",
    "to_json_bytes",
    "to_xml",
    "to_xml_bytes",
    "vocab",
    "write_xml_stream",
    "xml_schema",
]

"""Stacking: rules for combining micro-credentials into qualifications, and an exact engine.

>>> import datetime as dt
>>> from eumicro import Text
>>> from eumicro.samples import load
>>> from eumicro.stacking import AllOf, Filter, Named, Qualification, Select, evaluate
>>> networks = load("secure-networks-de")
>>> qualification = Qualification(
...     id="urn:x:qual:cyber",
...     title=Text(en="Certificate in cyber security"),
...     rule=AllOf(
...         children=[
...             Named(id="networks", specification_id=networks.specification.id),
...             Select(id="level-7", filter=Filter(min_eqf=7), min_ects=5),
...         ]
...     ),
... )
>>> result = evaluate([networks], qualification, at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
>>> result.satisfied
False
>>> result.root.children[1].missing_ects
Decimal('5')
"""

from eumicro.stacking._catalogue import (
    Catalogue,
    QualificationProgress,
    StackReport,
    load_example_catalogue,
    progress,
    stackable,
    stackable_many,
)
from eumicro.stacking._combinations import CombinationBudgetError, combinations, iter_combinations
from eumicro.stacking._complete import (
    Completion,
    CompletionStatus,
    Offer,
    by_ects,
    by_price,
    complete,
)
from eumicro.stacking._engine import CapResult, Evaluation, NodeResult, Status, evaluate
from eumicro.stacking._json import (
    build_stacking_schema,
    catalogue_from_dict,
    catalogue_from_json,
    catalogue_to_dict,
    catalogue_to_json,
    qualification_from_dict,
    qualification_from_json,
    qualification_to_dict,
    qualification_to_json,
    unsatisfiable_reasons,
)
from eumicro.stacking._rules import (
    AllOf,
    AnyOf,
    AtLeast,
    Cap,
    Coverage,
    Filter,
    Leaf,
    Named,
    Node,
    Qualification,
    Select,
)
from eumicro.stacking._xml import (
    STACKING_XML_NS,
    catalogue_from_xml,
    catalogue_to_xml,
    qualification_from_xml,
    qualification_to_xml,
    stacking_xml_schema,
)

__all__ = [
    "STACKING_XML_NS",
    "AllOf",
    "AnyOf",
    "AtLeast",
    "Cap",
    "CapResult",
    "Catalogue",
    "CombinationBudgetError",
    "Completion",
    "CompletionStatus",
    "Coverage",
    "Evaluation",
    "Filter",
    "Leaf",
    "Named",
    "Node",
    "NodeResult",
    "Offer",
    "Qualification",
    "QualificationProgress",
    "Select",
    "StackReport",
    "Status",
    "build_stacking_schema",
    "by_ects",
    "by_price",
    "catalogue_from_dict",
    "catalogue_from_json",
    "catalogue_from_xml",
    "catalogue_to_dict",
    "catalogue_to_json",
    "catalogue_to_xml",
    "combinations",
    "complete",
    "evaluate",
    "iter_combinations",
    "load_example_catalogue",
    "progress",
    "qualification_from_dict",
    "qualification_from_json",
    "qualification_from_xml",
    "qualification_to_dict",
    "qualification_to_json",
    "qualification_to_xml",
    "stackable",
    "stackable_many",
    "stacking_xml_schema",
    "unsatisfiable_reasons",
]

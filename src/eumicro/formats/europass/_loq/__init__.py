"""LOQ XML: micro-credential offers for the Europass Qualification Dataset Register.

Providers publish learning opportunities and qualifications (LOQ) to the register as ELM v3
XML valid against the official ``loq.xsd`` (version 3.1.0, root ``Courses``, namespace
``http://data.europa.eu/snb/model/ap/loq-constraints/``), which eumicro ships and loads
offline.

* :func:`to_loq_xml` writes :class:`~eumicro.Specification` and
  :class:`~eumicro.LearningOpportunity` objects as one ``Courses`` document that the XSD
  accepts;
* :func:`from_loq_xml` reads one back: the document is parsed as untrusted input,
  validated against the XSD (every problem with its element path, line and column), then
  mapped; vocabulary values are looked up in the bundled lists;
* :func:`read_loq` reads one and keeps it, so that :meth:`LoqDocument.to_xml` writes the
  objects back into it without losing what eumicro does not model.

``docs/loq.md`` maps every attribute to its LOQ element.

The package's layers: ``_common`` (namespaces, the packaged schema, record ids), ``_write``
(model → XML), ``_read`` (XML → model), ``_merge`` (writing over an original document)
and ``_document`` (whole documents: :func:`read_loq`, :func:`from_loq_xml`).
"""

from __future__ import annotations

from eumicro.formats.europass._loq._common import LOQ_NS, loq_schema
from eumicro.formats.europass._loq._document import LoqDocument, from_loq_xml, read_loq
from eumicro.formats.europass._loq._write import to_loq_xml

__all__ = ["LOQ_NS", "LoqDocument", "from_loq_xml", "loq_schema", "read_loq", "to_loq_xml"]

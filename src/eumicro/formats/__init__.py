"""Wire formats. Each format maps the model to its wire form in a module of its own.

* native JSON: :func:`to_json`, :func:`from_json` and friends (``eumicro._json``).
* native XML: :func:`to_xml`, :func:`from_xml` and friends, with the XSD
  :func:`xml_schema` (``eumicro.formats._xml``).
"""

from __future__ import annotations

from eumicro.formats._json import (
    SCHEMA_ID,
    Document,
    collection_from_json,
    document_from_json,
    from_dict,
    from_json,
    json_key,
    json_schema,
    load_json,
    save_json,
    to_dict,
    to_json,
    to_json_bytes,
)
from eumicro.formats._xml import (
    XML_NS,
    collection_from_xml,
    document_from_xml,
    from_xml,
    load_xml,
    save_xml,
    to_xml,
    to_xml_bytes,
    xml_schema,
)
from eumicro.formats._xml_stream import iter_xml, write_xml_stream

__all__ = [
    "SCHEMA_ID",
    "XML_NS",
    "Document",
    "collection_from_json",
    "collection_from_xml",
    "document_from_json",
    "document_from_xml",
    "from_dict",
    "from_json",
    "from_xml",
    "iter_xml",
    "json_key",
    "json_schema",
    "load_json",
    "load_xml",
    "save_json",
    "save_xml",
    "to_dict",
    "to_json",
    "to_json_bytes",
    "to_xml",
    "to_xml_bytes",
    "write_xml_stream",
    "xml_schema",
]

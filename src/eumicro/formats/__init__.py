"""Wire formats. Each format maps the model to its wire form in a module of its own.

* native JSON: :func:`to_json`, :func:`from_json` and friends (``eumicro._json``).
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

__all__ = [
    "SCHEMA_ID",
    "Document",
    "collection_from_json",
    "document_from_json",
    "from_dict",
    "from_json",
    "json_key",
    "json_schema",
    "load_json",
    "save_json",
    "to_dict",
    "to_json",
    "to_json_bytes",
]

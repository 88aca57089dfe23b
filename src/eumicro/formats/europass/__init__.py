"""Europass: European Digital Credentials (EDC, ELM 3.x JSON-LD).

* :func:`to_edc`, :func:`to_edc_json` — a credential as an EDC (ELM 3.2);
* :func:`from_edc` — an EDC (ELM 3.1 or 3.2; bare, upload-wrapped or sealed) as a
  credential, in an :class:`EdcImport` with notes on what the model does not hold;
* :func:`render_svg` — the display image eumicro draws when the caller gives none
  (:class:`DisplayImage` for the caller's own);
* :func:`check_edc` — the fast built-in check against the official EDC 3.2 shapes;
* :func:`shacl_validate_edc` — the same shapes run by pySHACL (extra ``shacl``), in a
  :class:`ShaclReport`;
* :func:`to_loq_xml`, :func:`read_loq`, :func:`from_loq_xml` — offers as LOQ XML
  (``docs/loq.md``);
* :func:`to_edci_xml`, :func:`from_edci_xml` — legacy Europass credential XML
  (``docs/edci.md``).

See ``docs/europass.md`` for the mapping and its conventions.
"""

from __future__ import annotations

from eumicro.formats.europass._check import check_edc
from eumicro.formats.europass._edci import (
    EDCI_NAMESPACE,
    EdciImport,
    edci_schema,
    from_edci_xml,
    to_edci_xml,
)
from eumicro.formats.europass._export import to_edc, to_edc_json
from eumicro.formats.europass._import import EdcImport, from_edc
from eumicro.formats.europass._loq import (
    LoqDocument,
    from_loq_xml,
    loq_schema,
    read_loq,
    to_loq_xml,
)
from eumicro.formats.europass._render import DisplayImage, Renderer, render_svg
from eumicro.formats.europass._shacl import ShaclReport, shacl_validate_edc

__all__ = [
    "EDCI_NAMESPACE",
    "DisplayImage",
    "EdcImport",
    "EdciImport",
    "LoqDocument",
    "Renderer",
    "ShaclReport",
    "check_edc",
    "edci_schema",
    "from_edc",
    "from_edci_xml",
    "from_loq_xml",
    "loq_schema",
    "read_loq",
    "render_svg",
    "shacl_validate_edc",
    "to_edc",
    "to_edc_json",
    "to_edci_xml",
    "to_loq_xml",
]

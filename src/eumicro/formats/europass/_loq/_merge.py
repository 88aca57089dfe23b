"""Three-way merge of LOQ documents: what the model changed, over everything it does not hold.

A LOQ document says far more than eumicro models (accreditations, grants, contact points,
learning activities, banner images, identifiers with their agencies …). To re-export an
imported document without losing any of it, the export is a merge of three trees:

* the *original* document, as read;
* the *baseline*: what eumicro writes for the objects it read from that document;
* the *current* rendering: what eumicro writes for the objects as they are now.

Records (the children of the ``…References`` sections) are matched by their ``id``. In a
record present in all three, each group of same-named children is taken from the current
rendering when it differs from the baseline (the model changed it), else from the
original (which may say more than the model could read). Records the current rendering
does not produce are kept when something kept refers to them, or when nothing the model
read referred to them in the original (an accreditation on its own, say). Records keep
their original order; new ones follow. Children are ordered as the official XSD's
sequences require, which this module reads from the packaged schema.
"""

from __future__ import annotations

import copy
import functools
import posixpath
from collections.abc import Iterable, Iterator
from importlib import resources
from typing import Final

from lxml import etree

__all__ = ["merge"]

_XS: Final = "http://www.w3.org/2001/XMLSchema"
_PACKAGE: Final = "eumicro._data"
_FOLDER: Final = "loq-3.1"


def _xs(name: str) -> str:
    return f"{{{_XS}}}{name}"


class _Layout:
    """Child order and child types of the complex types of the LOQ XSD and its imports."""

    def __init__(self, documents: Iterable[etree._Element]) -> None:
        self.types: dict[str, tuple[etree._Element, etree._Element]] = {}  # Clark -> (decl, doc)
        self.elements: dict[str, str] = {}  # global element (Clark) -> type (Clark)
        self._children: dict[str, tuple[tuple[str, str | None], ...]] = {}
        for doc in documents:
            target = doc.get("targetNamespace") or ""
            for el in doc.iterchildren(_xs("complexType")):
                self.types[f"{{{target}}}{el.get('name')}"] = (el, doc)
            for el in doc.iterchildren(_xs("element")):
                type_name = el.get("type")
                if type_name is not None:
                    self.elements[f"{{{target}}}{el.get('name')}"] = _clark(el, type_name)

    def children(self, type_name: str) -> tuple[tuple[str, str | None], ...]:
        """(Clark name, type or None) of a type's children, in sequence order."""
        known = self._children.get(type_name)
        if known is None:
            self._children[type_name] = ()  # a type that contains itself stops here
            known = self._children[type_name] = self._read_children(type_name)
        return known

    def _read_children(self, type_name: str) -> tuple[tuple[str, str | None], ...]:
        found = self.types.get(type_name)
        if found is None:
            return ()
        definition, doc = found
        out: list[tuple[str, str | None]] = []
        content = definition.find(_xs("complexContent"))
        if content is not None:
            extension = content.find(_xs("extension"))
            if extension is not None:  # the base's children, then the extension's
                out.extend(self.children(_clark(extension, extension.get("base") or "")))
                definition = extension
            else:  # a restriction restates its whole content
                restriction = content.find(_xs("restriction"))
                if restriction is None:
                    return ()
                definition = restriction
        qualified = doc.get("elementFormDefault") == "qualified"
        target = doc.get("targetNamespace") or ""
        for decl in _declarations(definition):
            ref = decl.get("ref")
            if ref is not None:
                clark = _clark(decl, ref)
                out.append((clark, self.elements.get(clark)))
                continue
            form = decl.get("form")
            namespace = target if form == "qualified" or (form is None and qualified) else ""
            kind = decl.get("type")
            out.append((f"{{{namespace}}}{decl.get('name')}", _clark(decl, kind) if kind else None))
        seen: dict[str, str | None] = {}
        for clark, kind_ in out:
            seen.setdefault(clark, kind_)
        return tuple(seen.items())

    def order(self, type_name: str) -> tuple[str, ...]:
        return tuple(clark for clark, _ in self.children(type_name))

    def child_type(self, type_name: str, clark: str) -> str | None:
        return dict(self.children(type_name)).get(clark)


def _declarations(parent: etree._Element) -> Iterator[etree._Element]:
    for child in parent:
        if child.tag == _xs("element"):
            yield child
        elif child.tag in (_xs("sequence"), _xs("choice"), _xs("all")):
            yield from _declarations(child)


def _clark(context: etree._Element, qname: str) -> str:
    prefix, _, name = qname.rpartition(":")
    return f"{{{context.nsmap.get(prefix or None, '')}}}{name}"


@functools.cache
def _layout() -> _Layout:
    """The packaged LOQ XSD with every schema it includes or imports from its folder."""
    folder = resources.files(_PACKAGE).joinpath(_FOLDER)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    documents: dict[str, etree._Element] = {}
    todo = ["loq.xsd"]
    while todo:
        location = todo.pop()
        if location in documents:
            continue
        doc = documents[location] = etree.fromstring(folder.joinpath(location).read_bytes(), parser)
        base = posixpath.dirname(location)
        for link in doc.iterchildren(_xs("include"), _xs("import")):
            target = link.get("schemaLocation")
            if target and "://" not in target:
                todo.append(posixpath.normpath(posixpath.join(base, target)))
    return _Layout(documents.values())


def child_order(element: str) -> tuple[str, ...]:
    """The XSD order of a global element's children (Clark names), for tests and docs."""
    layout = _layout()
    return layout.order(layout.elements.get(element, ""))


# ----------------------------------------------------------------------------- merge


class _Records:
    """The records of a document: id -> (section tag, element), in document order."""

    def __init__(self, root: etree._Element) -> None:
        self.by_id: dict[str, tuple[str, etree._Element]] = {}
        self.anonymous: list[tuple[str, etree._Element]] = []
        for section in root:
            if not isinstance(section.tag, str):
                continue
            for record in section:
                if not isinstance(record.tag, str):
                    continue
                ident = record.get("id")
                if ident is None:
                    self.anonymous.append((section.tag, record))
                else:
                    self.by_id.setdefault(ident, (section.tag, record))


def _references(element: etree._Element) -> Iterator[str]:
    for el in element.iter():
        if isinstance(el.tag, str):
            ref = el.get("idref")
            if ref is not None:
                yield ref


def _reachable(start: Iterable[str], records: dict[str, etree._Element]) -> set[str]:
    seen: set[str] = set()
    todo = [i for i in start if i in records]
    while todo:
        ident = todo.pop()
        if ident in seen:
            continue
        seen.add(ident)
        todo.extend(r for r in _references(records[ident]) if r in records and r not in seen)
    return seen


def _key(el: etree._Element) -> bytes:
    return etree.tostring(el)


def _groups(el: etree._Element) -> dict[str, list[etree._Element]]:
    out: dict[str, list[etree._Element]] = {}
    for child in el:
        if isinstance(child.tag, str):
            out.setdefault(child.tag, []).append(child)
    return out


def _merge_record(
    original: etree._Element,
    baseline: etree._Element,
    current: etree._Element,
    order: tuple[str, ...],
) -> etree._Element:
    was, model, now = _groups(original), _groups(baseline), _groups(current)
    merged = etree.Element(original.tag, dict(original.attrib))
    names = list(order) + [n for n in (*was, *now) if n not in order]
    for name in dict.fromkeys(names):
        ours = now.get(name, [])
        if [_key(e) for e in ours] == [_key(e) for e in model.get(name, [])]:
            merged.extend(copy.deepcopy(e) for e in was.get(name, []))
        else:
            merged.extend(ours)
    return merged


def merge(
    original: etree._Element,
    baseline: etree._Element,
    current: etree._Element,
    items: Iterable[str],
) -> etree._Element:
    """The current rendering, merged over the original document (see the module docstring).

    ``items`` are the ids of the records the current rendering was made for (its
    opportunities and specifications); the other records it holds (organisations,
    outcomes, locations) are kept where something kept refers to them.
    """
    layout = _layout()
    root_type = layout.elements.get(str(original.tag), "")
    was, model, now = _Records(original), _Records(baseline), _Records(current)
    out: dict[str, tuple[str, etree._Element]] = {}
    for ident, (section, record) in now.by_id.items():
        old, base = was.by_id.get(ident), model.by_id.get(ident)
        if old is not None and base is not None and old[1].tag == base[1].tag == record.tag:
            section_type = layout.child_type(root_type, section) or ""
            record_type = layout.child_type(section_type, str(record.tag)) or ""
            record = _merge_record(old[1], base[1], record, layout.order(record_type))
        out[ident] = (section, record)
    # What the original says beyond the model: kept when something kept refers to it,
    # or when nothing the model read referred to it.
    originals = {i: el for i, (_, el) in was.by_id.items()}
    read = _reachable((i for i in originals if i in model.by_id), originals)
    candidates = {i: el for i, (_, el) in out.items()}
    for ident, (_, el) in was.by_id.items():
        candidates.setdefault(ident, el)
    roots = [*items, *(i for i in originals if i not in model.by_id and i not in read)]
    roots.extend(r for _, el in was.anonymous for r in _references(el))
    keep = _reachable(roots, candidates)
    position = {ident: n for n, ident in enumerate(was.by_id)}
    arrival = {ident: n for n, ident in enumerate(now.by_id)}
    sections: dict[str, list[tuple[tuple[int, int], etree._Element]]] = {}
    for ident in keep:
        if ident in out:
            section, record = out[ident]
        else:
            section, record = was.by_id[ident]
            record = copy.deepcopy(record)
        rank = (position.get(ident, len(position)), arrival.get(ident, 0))
        sections.setdefault(section, []).append((rank, record))
    for n, (section, record) in enumerate(was.anonymous):
        sections.setdefault(section, []).append(((n, -1), copy.deepcopy(record)))
    root = etree.Element(current.tag, dict(original.attrib), nsmap=current.nsmap)
    order = layout.order(root_type)
    for section in sorted(sections, key=lambda s: order.index(s) if s in order else len(order)):
        holder = etree.SubElement(root, section)
        holder.extend(record for _, record in sorted(sections[section], key=lambda r: r[0]))
    _strip_layout_whitespace(root)
    return root


def _strip_layout_whitespace(root: etree._Element) -> None:
    """Drop whitespace between elements (indentation), so that the output can be re-indented."""
    for el in root.iter():
        if len(el) and el.text is not None and not el.text.strip():
            el.text = None
        if el.tail is not None and not el.tail.strip():
            el.tail = None

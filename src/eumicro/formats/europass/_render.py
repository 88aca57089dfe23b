"""The display image of a European Digital Credential, rendered by eumicro.

Every EDC carries, for each of its display languages, a picture of the credential
(``displayParameter.individualDisplay.displayDetail.image``: a base64 ``MediaObject``).
When the caller gives none, eumicro draws one: :func:`render_svg` writes an SVG of the
credential in one language — title, learner, awarding bodies, date of issuing, ECTS and
EQF level, learning outcomes. The output depends only on the credential and the language
(no clock, no randomness), so exporting twice gives the same bytes.

>>> from eumicro import samples
>>> image = render_svg(samples.load("secure-networks-de"), "de")
>>> image.file_type.code
'SVG'
>>> b"Sichere Netzwerke" in image.content
True
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Final
from xml.sax.saxutils import escape

import attrs

from eumicro import vocab
from eumicro._checks import ConceptLike, Found, Model, check, resolve_concept
from eumicro._model import MicroCredential
from eumicro._text import Text
from eumicro._vocabulary import Concept

__all__ = ["DisplayImage", "Renderer", "render_svg", "svg_text"]


def _file_type(value: ConceptLike | None) -> Concept | None:
    return resolve_concept(value, (vocab.FILE_TYPE,))


@attrs.frozen(kw_only=True)
class DisplayImage(Model):
    """A picture of the credential for one display language.

    Attributes:
        content: the file's bytes (exported base64-encoded).
        file_type: its type, from the EU file-type list (``"SVG"``, ``"PNG"``,
            ``"JPEG"``, ``"PDF"`` … or the concept).

    >>> DisplayImage(content=b"%PDF-1.7 ...", file_type="PDF").file_type.iri
    'http://publications.europa.eu/resource/authority/file-type/PDF'
    """

    content: bytes = attrs.field()
    file_type: Concept = attrs.field(
        converter=_file_type, metadata=check(vocabulary=vocab.FILE_TYPE)
    )

    def _validate(self) -> Iterable[Found]:
        if not self.content:
            yield ("content",), "must not be empty", "empty"


Renderer = Callable[[MicroCredential, str], DisplayImage]
"""Draws the display image of a credential in a language (a BCP 47 tag)."""

# ----------------------------------------------------------------------------- captions

_CAPTIONS: Final[dict[str, tuple[str, str, str, str, str, str]]] = {
    # heading, awarded to, awarded by, issued, learning outcomes, "and n more"
    "en": ("Micro-credential", "Awarded to", "Awarded by", "Issued", "Learning outcomes", "more"),
    "de": (
        "Microcredential",
        "Verliehen an",
        "Verliehen von",
        "Ausgestellt",
        "Lernergebnisse",
        "weitere",
    ),
    "fr": (
        "Micro-certification",
        "Décernée à",
        "Décernée par",
        "Délivrée le",
        "Acquis d'apprentissage",
        "autres",
    ),
    "es": (
        "Microcredencial",
        "Otorgada a",
        "Otorgada por",
        "Expedida",
        "Resultados de aprendizaje",
        "más",
    ),
    "it": (
        "Microcredenziale",
        "Conferita a",
        "Conferita da",
        "Rilasciata",
        "Risultati di apprendimento",
        "altri",
    ),
    "nl": (
        "Microcredential",
        "Toegekend aan",
        "Toegekend door",
        "Uitgereikt",
        "Leerresultaten",
        "meer",
    ),
    "pl": (
        "Mikropoświadczenie",
        "Przyznane",
        "Przyznane przez",
        "Wydane",
        "Efekty uczenia się",
        "więcej",
    ),
    "pt": (
        "Microcredencial",
        "Atribuída a",
        "Atribuída por",
        "Emitida",
        "Resultados de aprendizagem",
        "mais",
    ),
    "fi": ("Mikrotutkinto", "Myönnetty", "Myöntäjä", "Annettu", "Osaamistavoitteet", "lisää"),
    "sv": ("Mikromerit", "Tilldelad", "Utfärdad av", "Utfärdad", "Läranderesultat", "till"),
}

_WIDTH: Final = 1000
_HEIGHT: Final = 707
_MAX_OUTCOMES: Final = 6

# Characters that XML 1.0 does not allow (controls other than tab, newline and carriage
# return, lone surrogates, U+FFFE and U+FFFF).
_NOT_XML: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_SPACE: Final = re.compile(r"\s+")


def _clean(text: str) -> str:
    """One line of text that XML can hold: invalid characters dropped, whitespace collapsed."""
    return _SPACE.sub(" ", _NOT_XML.sub("", text)).strip()


def _truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _wrap(text: str, width: int, lines: int) -> list[str]:
    """Greedy word wrap into at most ``lines`` lines of about ``width`` characters."""
    words = text.split(" ")
    out: list[str] = []
    current = ""
    for word in words:
        candidate = f"{current} {word}" if current else word
        if len(candidate) <= width or not current:
            current = candidate
        else:
            out.append(current)
            current = word
    if current:
        out.append(current)
    if len(out) > lines:
        out = [*out[: lines - 1], " ".join(out[lines - 1 :])]
    return [_truncate(line, width) for line in out]


def _best(text: Text | None, language: str) -> str:
    return _clean(text.best(language)) if text is not None else ""


def _number(value: Decimal) -> str:
    return format(value.normalize(), "f")


def svg_text(credential: MicroCredential, language: str) -> str:
    """The SVG document (text) drawn by :func:`render_svg`."""
    base = language.split("-")[0].lower()
    heading, to, by, issued, outcomes, more = _CAPTIONS.get(base, _CAPTIONS["en"])
    spec = credential.specification
    parts: list[str] = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_WIDTH}" height="{_HEIGHT}" '
        f'viewBox="0 0 {_WIDTH} {_HEIGHT}" xml:lang="{escape(language, {chr(34): "&quot;"})}" '
        'font-family="DejaVu Sans, Arial, Helvetica, sans-serif">',
        f'<rect width="{_WIDTH}" height="{_HEIGHT}" fill="#ffffff"/>',
        f'<rect x="12" y="12" width="{_WIDTH - 24}" height="{_HEIGHT - 24}" fill="none" '
        'stroke="#003399" stroke-width="4"/>',
        f'<rect x="12" y="12" width="{_WIDTH - 24}" height="70" fill="#003399"/>',
        f'<text x="40" y="58" font-size="28" fill="#ffcc00">{escape(heading)}</text>',
    ]
    y = 140
    for line in _wrap(_best(spec.title, language), 48, 2):
        parts.append(
            f'<text x="40" y="{y}" font-size="34" font-weight="bold" fill="#1a1a1a">'
            f"{escape(line)}</text>"
        )
        y += 44
    learner = credential.learner.display_name if credential.learner is not None else None
    rows: list[tuple[str, str]] = []
    if learner:
        rows.append((to, _truncate(_clean(learner), 60)))
    bodies = "; ".join(_best(body.name, language) for body in credential.awarding_bodies)
    if bodies:
        rows.append((by, _truncate(bodies, 60)))
    if credential.issued is not None:
        rows.append((issued, credential.issued.date().isoformat()))
    facts = []
    workload = spec.workload
    if workload is not None and workload.ects is not None:
        facts.append(f"{_number(workload.ects)} ECTS")
    if spec.level is not None and spec.level.eqf is not None:
        facts.append(f"EQF {spec.level.eqf.code}")
    if facts:
        rows.append(("", " · ".join(facts)))
    y += 10
    for caption, value in rows:
        if caption:
            parts.append(
                f'<text x="40" y="{y}" font-size="18" fill="#555555">{escape(caption)}</text>'
            )
        parts.append(f'<text x="260" y="{y}" font-size="20" fill="#1a1a1a">{escape(value)}</text>')
        y += 34
    if spec.learning_outcomes:
        y += 16
        parts.append(
            f'<text x="40" y="{y}" font-size="20" font-weight="bold" fill="#003399">'
            f"{escape(outcomes)}</text>"
        )
        y += 30
        shown = spec.learning_outcomes[:_MAX_OUTCOMES]
        for outcome in shown:
            line = _truncate(_best(outcome.title, language), 80)
            parts.append(
                f'<text x="56" y="{y}" font-size="17" fill="#1a1a1a">• {escape(line)}</text>'
            )
            y += 26
        hidden = len(spec.learning_outcomes) - len(shown)
        if hidden:
            parts.append(
                f'<text x="56" y="{y}" font-size="17" fill="#555555">+ {hidden} {escape(more)}</text>'
            )
    parts.append(
        f'<text x="40" y="{_HEIGHT - 32}" font-size="12" fill="#777777">'
        f"{escape(_truncate(_clean(credential.id), 140))}</text>"
    )
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def render_svg(credential: MicroCredential, language: str) -> DisplayImage:
    """Draw the credential in ``language`` (a BCP 47 tag) as an SVG image.

    Texts are shown in that language where the credential has it, in its primary
    language otherwise; captions are translated for a few EU languages (English
    otherwise). The output is deterministic.
    """
    return DisplayImage(content=svg_text(credential, language).encode("utf-8"), file_type="SVG")

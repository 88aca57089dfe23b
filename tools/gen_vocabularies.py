#!/usr/bin/env python3
"""Regenerate the bundled controlled vocabularies of eumicro.

Reads the official XSD snapshots of the European Learning Model
(``xsd/loq/cv/*.xsd``: enumerations of concept IRIs with English labels in
``xs:documentation``) and writes one JSON file per vocabulary, plus
``PROVENANCE.md``, to ``src/eumicro/_data/vocabularies/``.

Which vocabularies exist, with their names, titles and scheme IRIs, is taken from
``eumicro.vocab`` (the single source of that metadata); each XSD's
``targetNamespace`` is checked against it. The few vocabularies that are not in
an XSD are the table ``MANUAL_VOCABULARIES`` below.

Usage::

    python tools/gen_vocabularies.py [--source DIR] [--output DIR] [--date YYYY-MM-DD]

Needs ``lxml`` and ``pycountry`` (dev-only; pycountry supplies nothing but the
ISO 3166-1 alpha-2 and ISO 639-1 alternative codes). The output is
deterministic: same sources, same pycountry version, same ``--date`` → same bytes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib.metadata import version as dist_version
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = REPO_ROOT.parent / "shared" / "conformance" / "loq-3.1" / "cv"
DEFAULT_OUTPUT = REPO_ROOT / "src" / "eumicro" / "_data" / "vocabularies"

# Where the XSD snapshots come from.
UPSTREAM_REPO = "european-commission-empl/European-Learning-Model"
UPSTREAM_COMMIT = "9d7c5d22002237c3afeb1750b7038e6fe2cdd371"
UPSTREAM_PATH = "xsd/loq/cv"
SOURCE_LABEL = "loq-3.1/cv"  # how the data files name their source directory

# XSD files in the source directory that are not vocabularies of their own.
SKIPPED_XSD = {"loq_individuals.xsd": "constraints of the LOQ schema, not a vocabulary"}

XS = "{http://www.w3.org/2001/XMLSchema}"

# The EU's own two-letter country codes that differ from ISO 3166-1 alpha-2
# (EU Interinstitutional Style Guide, section 7.1): Greece is "EL", the United
# Kingdom "UK". Added as alternative codes next to the ISO ones.
EU_COUNTRY_CODES: Mapping[str, tuple[str, ...]] = {"GRC": ("EL",), "GBR": ("UK",)}


# =====================================================================================
# MANUAL DATA — vocabularies that are NOT in the XSD snapshots.
# Everything below is typed in by hand from the evidence given in `notes`, which is
# copied into PROVENANCE.md. Change it here and regenerate; never edit the JSON.
# =====================================================================================


@dataclass(frozen=True)
class ManualVocabulary:
    """A vocabulary written from this table instead of an XSD."""

    name: str
    source: str
    concepts: tuple[dict[str, Any], ...]
    notes: str = ""
    evidence: tuple[str, ...] = field(default=())


_SV = "http://data.europa.eu/snb/supervision-verification/"
_ET = "http://data.europa.eu/snb/evidence-type/"
_QF = "urn:eumicro:vocab:qf-ehea-cycle:"

MANUAL_VOCABULARIES: tuple[ManualVocabulary, ...] = (
    ManualVocabulary(
        name="supervision-verification",
        source="EU concept IRIs as used in the EC's EDC samples and EDCI software (not in an XSD)",
        concepts=(
            {
                "iri": _SV + "c598449d64",
                "code": "c598449d64",
                "label": "Unsupervised without ID Verification",
                "alt": [],
            },
            {
                "iri": _SV + "df2880c5cb",
                "code": "df2880c5cb",
                "label": "Unsupervised with ID Verification",
                "alt": [],
            },
            {
                "iri": _SV + "44314532f9",
                "code": "44314532f9",
                "label": "Supervised without ID Verification",
                "alt": [],
                "label_inferred": True,
            },
            {
                "iri": _SV + "70be69aaf9",
                "code": "70be69aaf9",
                "label": "Supervised with ID Verification",
                "alt": [],
            },
        ),
        notes=(
            "Scheme `http://data.europa.eu/snb/supervision-verification/25831c2` (EDCI calls it the "
            '"Europass Standard List of Methods Of Supervision And Verification"; EDCI\'s '
            "`ControlledList.SUPERV_VERIF` marks it as a mandatory Europass list). The list is not "
            "part of the LOQ XSD snapshot, and the EU Vocabularies source (SPARQL endpoint / "
            "data.europa.eu) could not be consulted offline, so the concepts are taken from the "
            "places where the EC itself uses them.\n\n"
            "The label of `44314532f9` was **not found in any official source**. It is "
            'recorded as "Supervised without ID Verification" — the one combination that the '
            "three confirmed labels leave open, and the option that Annex I of Council "
            'Recommendation 2022/C 243/02 names ("supervised with no identity verification"). '
            'The concept carries `"label_inferred": true` in the data '
            '(`SUPERVISION_VERIFICATION.extra(concept, "label_inferred")`). The IRI itself is '
            "confirmed (third-party code quoting it as an example of this list); which of the four "
            "labels belongs to it is an inference. Check against EU Vocabularies when online."
        ),
        evidence=(
            '`c598449d64` "Unsupervised without ID Verification": the EC\'s micro-credential '
            "sample `Sample-MC-Annex1-signed.jsonld` (European-Learning-Model @ 9d7c5d22, "
            "`Credentials/JSON-LD Examples (ELM v3)/`, copy in "
            "`../shared/conformance/elm-3.1/`), `provenBy.idVerification.prefLabel.en`.",
            '`70be69aaf9` "Supervised with ID Verification": `EDC_SampleDegree_AA.xml` '
            "(European-Learning-Model @ 8746736f, `Credentials/XML Examples/`, copy in "
            "`../shared/conformance/edci-v2/`), `idVerificationMethod/targetName`.",
            '`df2880c5cb` "Unsupervised with ID verification": eduNEXT/platform-plugin-elm-'
            "credentials (Open edX plugin), `IdVerification.pref_label` default; capitalised "
            "here like the two labels above.",
            "`44314532f9`: only ever seen without a label — cited as "
            "`http://data.europa.eu/snb/supervision-verification/44314532f9` in the doc comments "
            "of a third-party C# micro-credential converter (ModGuideConverter2, "
            "`SubAchievement.VerificationMethod`), and (per `../shared/reference/europass-elm.md` "
            '§2.6) with the bare label "ID Verification" in an old EDCI test file.',
        ),
    ),
    ManualVocabulary(
        name="evidence-type",
        source="EU concept IRIs as used in the EC's EDC samples and EDCI software (not in an XSD)",
        concepts=(
            {"iri": _ET + "c_18016257", "code": "c_18016257", "label": "Mandate", "alt": []},
            {"iri": _ET + "c_c4f849d7", "code": "c_c4f849d7", "label": "Conversion", "alt": []},
            {
                "iri": _ET + "c_991b06c6",
                "code": "c_991b06c6",
                "label": "Accreditation",
                "alt": [],
            },
        ),
        notes=(
            "Scheme `http://data.europa.eu/snb/evidence-type/25831c2` (required by the EDC 3.2 "
            "SHACL shapes for `Evidence.dcType`). Not in the LOQ XSD snapshot; these are the three "
            "concepts the EC's EDCI software knows."
        ),
        evidence=(
            '`c_18016257` "Mandate": `prefLabel.en` in the EC\'s sealed micro-credential sample '
            "`Sample-MC-Annex1-signed.jsonld` (and used in the ELM 3.1/3.2 `credential-sample."
            "jsonld`).",
            "`c_c4f849d7` Conversion and `c_991b06c6` Accreditation: EDCI "
            "(european-commission-empl/european-digital-credentials) `ControlledListConcept.java`, "
            "constants `EVIDENCE_TYPE_MANDATE`, `EVIDENCE_TYPE_CONVERSION`, "
            "`EVIDENCE_TYPE_ACCREDITATION`; labels are the constant names.",
        ),
    ),
    ManualVocabulary(
        name="qf-ehea",
        source="defined by eumicro (no EU vocabulary exists)",
        concepts=(
            {
                "iri": _QF + "short",
                "code": "short",
                "label": "Short cycle",
                "alt": [],
                "eqf": 5,
            },
            {"iri": _QF + "1", "code": "1", "label": "First cycle", "alt": [], "eqf": 6},
            {"iri": _QF + "2", "code": "2", "label": "Second cycle", "alt": [], "eqf": 7},
            {"iri": _QF + "3", "code": "3", "label": "Third cycle", "alt": [], "eqf": 8},
        ),
        notes=(
            "The cycles of the Qualifications Framework of the European Higher Education Area "
            "(Bologna Process; short cycle within or linked to the first cycle, first, second "
            "and third cycle), which Annex I of the Recommendation names next to EQF. There is no "
            "EU concept scheme for them, so eumicro uses its own URNs "
            "(`urn:eumicro:vocab:qf-ehea-cycle`) and marks the vocabulary `official: false`. "
            "The extra field `eqf` is the EQF level each cycle corresponds to (5, 6, 7, 8), as "
            "in the EQF Recommendation (2017/C 189/03) and the Bologna framework."
        ),
    ),
)


# =====================================================================================
# Generation
# =====================================================================================


@dataclass
class Generated:
    """One vocabulary as written."""

    constant: str
    name: str
    source: str
    document: dict[str, Any]
    sha256: str = ""
    notes: str = ""
    evidence: tuple[str, ...] = ()


def _load_metadata() -> tuple[Sequence[Any], dict[str, str]]:
    """The vocabularies declared in eumicro.vocab and their constant names."""
    sys.path.insert(0, str(REPO_ROOT / "src"))
    from eumicro import vocab

    constants = {
        value.name: key
        for key, value in vars(vocab).items()
        if isinstance(value, vocab.Vocabulary) and key.isupper()
    }
    return vocab.ALL, constants


def _normalise_space(text: str) -> str:
    return " ".join(text.split())


def _last_segment(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1]


def _parse_xsd(path: Path) -> tuple[str, list[tuple[str, str]]]:
    """The targetNamespace and the (IRI, English label) pairs of an XSD, in file order."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True)
    root = etree.parse(str(path), parser).getroot()
    namespace = root.get("targetNamespace") or ""
    pairs: list[tuple[str, str]] = []
    for enumeration in root.iter(f"{XS}enumeration"):
        iri = (enumeration.get("value") or "").strip()
        documentation = enumeration.find(f"{XS}annotation/{XS}documentation")
        label = "" if documentation is None else "".join(documentation.itertext())
        pairs.append((iri, _normalise_space(label)))
    return namespace, pairs


def _country_alt(code: str) -> list[str]:
    import pycountry

    alt: list[str] = []
    country = pycountry.countries.get(alpha_3=code)
    if country is not None:
        alt.append(country.alpha_2)
    alt.extend(a for a in EU_COUNTRY_CODES.get(code, ()) if a not in alt)
    return alt


def _language_alt(code: str) -> list[str]:
    import pycountry

    if len(code) != 3 or not code.isalpha():
        return []
    language = pycountry.languages.get(alpha_3=code.lower())
    alpha_2 = getattr(language, "alpha_2", None) if language is not None else None
    return [alpha_2] if alpha_2 else []


ALT_CODES = {"country": _country_alt, "language": _language_alt}


def _check(name: str, scheme: str, concepts: Iterable[Mapping[str, Any]]) -> None:
    """Fail on duplicate IRIs or codes, and on IRIs outside the scheme's authority."""
    base = scheme.removesuffix("/25831c2")
    iris: set[str] = set()
    codes: dict[str, str] = {}
    for concept in concepts:
        iri = concept["iri"]
        if iri in iris:
            raise SystemExit(f"{name}: duplicate IRI {iri}")
        iris.add(iri)
        if not iri.startswith((base + "/", base + ":")):
            raise SystemExit(f"{name}: IRI {iri} is not under {base}")
        for code in (concept["code"], *concept["alt"]):
            owner = codes.setdefault(code.casefold(), iri)
            if owner != iri:
                raise SystemExit(f"{name}: code {code!r} names both {owner} and {iri}")


def _from_xsd(vocabulary: Any, constant: str, path: Path) -> Generated:
    namespace, pairs = _parse_xsd(path)
    if namespace != vocabulary.scheme:
        raise SystemExit(
            f"{path.name}: targetNamespace {namespace!r} differs from the scheme "
            f"{vocabulary.scheme!r} declared for {constant} in eumicro.vocab"
        )
    alt_codes = ALT_CODES.get(vocabulary.name)
    concepts = []
    for iri, label in pairs:
        code = _last_segment(iri)
        alt = alt_codes(code) if alt_codes is not None else []
        concepts.append({"iri": iri, "code": code, "label": label, "alt": alt})
    return Generated(
        constant=constant,
        name=vocabulary.name,
        source=f"{SOURCE_LABEL}/{path.name}",
        document=_document(vocabulary, f"{SOURCE_LABEL}/{path.name}", concepts),
        sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
    )


def _from_table(vocabulary: Any, constant: str, manual: ManualVocabulary) -> Generated:
    concepts = [dict(c) for c in manual.concepts]
    return Generated(
        constant=constant,
        name=vocabulary.name,
        source=manual.source,
        document=_document(vocabulary, manual.source, concepts),
        notes=manual.notes,
        evidence=manual.evidence,
    )


def _document(vocabulary: Any, source: str, concepts: list[dict[str, Any]]) -> dict[str, Any]:
    _check(vocabulary.name, vocabulary.scheme, concepts)
    return {
        "name": vocabulary.name,
        "title": vocabulary.title,
        "scheme": vocabulary.scheme,
        "official": vocabulary.official,
        "source": source,
        "concepts": concepts,
    }


def dumps(document: Mapping[str, Any]) -> str:
    """Serialise a vocabulary: sorted keys, compact, one concept per line."""

    def compact(value: Any) -> str:
        return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))

    keys = sorted(document)
    parts: list[str] = []
    for key in keys:
        if key == "concepts":
            lines = ",\n".join(compact(c) for c in document["concepts"])
            parts.append(f'"concepts":[\n{lines}\n]')
        else:
            parts.append(f"{compact(key)}:{compact(document[key])}")
    return "{" + ",".join(parts) + "}\n"


def provenance(generated: Sequence[Generated], date: str) -> str:
    """The text of PROVENANCE.md."""
    pycountry_version = dist_version("pycountry")
    out: list[str] = []
    add = out.append
    add("# Bundled controlled vocabularies — provenance")
    add("")
    add(f"Generated: {date}")
    add(f"Generator: `tools/gen_vocabularies.py` (pycountry {pycountry_version})")
    add("")
    add("Do not edit the JSON files by hand: change the generator and run")
    add("")
    add("    python tools/gen_vocabularies.py --source ../shared/conformance/loq-3.1/cv")
    add("")
    add("## Sources")
    add("")
    add(
        f"- XSD snapshots: `{UPSTREAM_REPO}` @ `{UPSTREAM_COMMIT}`, `{UPSTREAM_PATH}/*.xsd` "
        "(byte-for-byte copies in `../shared/conformance/loq-3.1/cv/`). Each `xs:enumeration` "
        "value is a concept IRI, its `xs:documentation` the English preferred label "
        "(whitespace collapsed). Order is the order of the XSD. `code` is the last path "
        "segment of the IRI."
    )
    empty = [
        f"{n} in `{g.name}`"
        for g in generated
        if (n := sum(1 for c in g.document["concepts"] if not c["label"]))
    ]
    add(
        "- Empty labels are kept empty in the data ("
        + (", ".join(empty) or "none")
        + "); the library shows the code instead."
    )
    add(
        f"- Alternative codes (`alt`) only: ISO 3166-1 alpha-2 for `country` and ISO 639-1 for "
        f"`language`, from pycountry {pycountry_version}; plus the EU's own two-letter codes "
        "`EL` (Greece, GRC) and `UK` (United Kingdom, GBR) from the EU Interinstitutional "
        "Style Guide. Nothing else comes from pycountry."
    )
    for skipped, why in sorted(SKIPPED_XSD.items()):
        add(f"- `{skipped}` is not bundled: {why}.")
    add("")
    add("## Vocabularies")
    add("")
    add("| constant | file | concepts | scheme | source | sha256 of source |")
    add("|---|---|---:|---|---|---|")
    for g in generated:
        count = len(g.document["concepts"])
        digest = f"`{g.sha256}`" if g.sha256 else "—"
        add(
            f"| `{g.constant}` | `{g.name}.json` | {count} | `{g.document['scheme']}` "
            f"| {g.source} | {digest} |"
        )
    add("")
    add("## Data not taken from an XSD")
    for g in generated:
        if not g.notes:
            continue
        add("")
        add(f"### `{g.name}` ({g.constant})")
        add("")
        add(g.notes)
        if g.evidence:
            add("")
            add("Evidence:")
            add("")
            for item in g.evidence:
                add(f"- {item}")
    add("")
    return "\n".join(out)


def _default_date() -> str:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = (
        dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC) if epoch else dt.datetime.now(tz=dt.UTC)
    )
    return moment.date().isoformat()


def generate(source: Path, output: Path, date: str) -> list[Generated]:
    """Write every vocabulary and PROVENANCE.md to ``output``."""
    all_vocabularies, constants = _load_metadata()
    manual = {m.name: m for m in MANUAL_VOCABULARIES}
    used: set[str] = set()
    generated: list[Generated] = []
    for vocabulary in all_vocabularies:
        constant = constants[vocabulary.name]
        if vocabulary.name in manual:
            generated.append(_from_table(vocabulary, constant, manual[vocabulary.name]))
            continue
        path = source / f"{vocabulary.name}.xsd"
        if not path.is_file():
            raise SystemExit(f"{constant}: no source file {path}")
        used.add(path.name)
        generated.append(_from_xsd(vocabulary, constant, path))

    unused = sorted(p.name for p in source.glob("*.xsd") if p.name not in used | set(SKIPPED_XSD))
    if unused:
        raise SystemExit(f"XSD files with no vocabulary in eumicro.vocab: {', '.join(unused)}")

    output.mkdir(parents=True, exist_ok=True)
    for g in generated:
        (output / f"{g.name}.json").write_text(dumps(g.document), encoding="utf-8", newline="\n")
    (output / "PROVENANCE.md").write_text(
        provenance(generated, date), encoding="utf-8", newline="\n"
    )
    expected = {f"{g.name}.json" for g in generated}
    stale = sorted(p.name for p in output.glob("*.json") if p.name not in expected)
    if stale:
        print(f"warning: stale files in {output}: {', '.join(stale)}", file=sys.stderr)
    return generated


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument(
        "--source", type=Path, default=DEFAULT_SOURCE, help="directory with the cv/*.xsd files"
    )
    parser.add_argument(
        "--output", type=Path, default=DEFAULT_OUTPUT, help="directory to write the JSON files to"
    )
    parser.add_argument(
        "--date",
        default=None,
        help="date recorded in PROVENANCE.md (default: SOURCE_DATE_EPOCH or today, UTC)",
    )
    args = parser.parse_args(argv)
    date = args.date or _default_date()
    dt.date.fromisoformat(date)  # reject anything but YYYY-MM-DD
    generated = generate(args.source, args.output, date)
    total = sum(len(g.document["concepts"]) for g in generated)
    print(f"wrote {len(generated)} vocabularies ({total} concepts) to {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

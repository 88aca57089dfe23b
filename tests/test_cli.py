"""The eumicro command line."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

import eumicro
from eumicro import samples
from eumicro._cli import main


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(list(argv), out=out)
    return code, out.getvalue()


def test_demo_writes_every_sample(tmp_path: Path) -> None:
    code, text = run("demo", "--out", str(tmp_path))
    assert code == 0
    for name in samples.names():
        assert f"{name}\n" in text
        written = eumicro.load_json(tmp_path / f"{name}.json")
        assert written == samples.load(name)
    assert text.count("meets Annex I") == len(samples.names()) - 1
    assert "DRAFT - does not meet Annex I" in text
    assert "[missing] 5. Date of issuing" in text
    collection = eumicro.load_json(tmp_path / "all-samples.json")
    assert collection == list(samples.load_all())


def test_validate_good_files(tmp_path: Path) -> None:
    run("demo", "--out", str(tmp_path))
    files = sorted(str(p) for p in tmp_path.glob("*.json"))
    code, text = run("validate", *files)
    assert (code, text) == (0, "")
    code, text = run("validate", "-v", files[0])
    assert code == 0
    assert text == f"{files[0]}: ok (1 item(s))\n"


def test_validate_reports_one_line_per_problem(tmp_path: Path) -> None:
    doc = eumicro.to_dict(samples.load("ai-ethics-fr"))
    doc["id"] = "not an iri"
    doc["issued"] = "2025-01-20T16:00:00"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(doc))
    broken = tmp_path / "broken.json"
    broken.write_text('{\n  "type": "MicroCredential",\n  oops\n}')
    code, text = run("validate", str(bad), str(broken))
    assert code == 1
    assert text.splitlines() == [
        f"{bad}: $.issued: date-time '2025-01-20T16:00:00' has no timezone: add an offset "
        "such as 'Z' or '+02:00'",
        f"{bad}: $.id: expected an absolute IRI such as 'urn:…' or 'https://…', got 'not an iri'",
        f"{broken}:3:3: $: not valid JSON: Expecting property name enclosed in double quotes",
    ]


def test_validate_annex_i(tmp_path: Path) -> None:
    path = tmp_path / "draft.json"
    eumicro.save_json(samples.load("draft-green-skills"), path)
    assert run("validate", str(path)) == (0, "")
    code, text = run("validate", "--annex-i", str(path))
    assert code == 1
    assert text.splitlines() == [
        f"{path}: $.issued: Annex I element 5 (Date of issuing) missing: the credential has no "
        "date of issuing",
        f"{path}: $.specification.qualityAssurance: Annex I element 11 (Type of quality "
        "assurance) missing: no type of quality assurance",
    ]


def test_annex_report(tmp_path: Path) -> None:
    good = tmp_path / "good.json"
    eumicro.save_json(samples.load("data-literacy-ie"), good)
    code, text = run("annex", str(good))
    assert code == 0
    assert "meets Annex I of the Recommendation" in text
    assert (
        "[present] 11. Type of quality assurance (mandatory): Institutional Quality Assurance"
        in text
    )
    draft = tmp_path / "draft.json"
    eumicro.save_json(samples.load("draft-green-skills"), draft)
    assert run("annex", str(draft))[0] == 1


def test_unknown_extension(tmp_path: Path) -> None:
    path = tmp_path / "credential.txt"
    path.write_text("{}")
    code, text = run("validate", str(path))
    assert code == 1
    assert (
        text == f"{path}: cannot tell the format from the extension '.txt'; eumicro reads .json\n"
    )


def test_usage_errors_exit_2() -> None:
    with pytest.raises(SystemExit) as info:
        main(["validate"], out=io.StringIO())
    assert info.value.code == 2


def test_python_dash_m(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "eumicro", "--version"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0
    assert result.stdout.strip() == f"eumicro {eumicro.__version__}"

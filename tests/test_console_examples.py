"""The ``console`` examples of the docs, run: every command, its output and exit code.

Each ```` ```console ```` block of a page that starts with a ``$ `` prompt is a shell
session (blocks without prompts, such as installation commands, are not run here); the
sessions of one page run in order in one empty directory. A line starting with ``$ `` is a command, the lines up
to the next command are what it prints (standard output and standard error together).
The commands the docs use are run here without a shell:

* ``eumicro ARGS`` and ``python -m eumicro ARGS``: the command line's ``main``;
* ``echo $?``: the exit code of the command before;
* ``cat FILE``: shows a file the reader is meant to have — written here with the lines
  shown, then read back;
* ``cmp A B && echo identical``: byte comparison.

``eumicro --help`` is formatted for an 80-column terminal, as shown.
"""

from __future__ import annotations

import contextlib
import glob
import io
import re
import shlex
from pathlib import Path

import pytest

from eumicro._cli import main

DOCS = Path(__file__).parent.parent / "docs"
_BLOCK = re.compile(r"^```console\n(\$ .*?)^```", re.S | re.M)
PAGES = sorted(p for p in DOCS.glob("*.md") if _BLOCK.search(p.read_text(encoding="utf-8")))


def _sessions(page: Path) -> list[tuple[int, str, list[str]]]:
    """(line number, command, expected output lines) of every command of a page."""
    text = page.read_text(encoding="utf-8")
    out: list[tuple[int, str, list[str]]] = []
    for block in _BLOCK.finditer(text):
        first = text.count("\n", 0, block.start(1)) + 1
        for n, line in enumerate(block.group(1).splitlines()):
            if line.startswith("$ "):
                out.append((first + n, line[2:], []))
            else:
                out[-1][2].append(line)
    return out


def _run(command: str, last_code: int) -> tuple[int, str]:
    words = shlex.split(command)
    if words[:1] == ["eumicro"] or words[:3] == ["python", "-m", "eumicro"]:
        argv = words[1:] if words[0] == "eumicro" else words[3:]
        expanded: list[str] = []
        for word in argv:
            expanded.extend(sorted(glob.glob(word)) if "*" in word else [word])
        stream = io.StringIO()
        with contextlib.redirect_stdout(stream), contextlib.redirect_stderr(stream):
            try:
                code = main(expanded, out=stream, err=stream)
            except SystemExit as exit_:  # --help, --version, usage errors
                code = exit_.code if isinstance(exit_.code, int) else 1
        return code, stream.getvalue()
    if command == "echo $?":
        return 0, f"{last_code}\n"
    match = re.fullmatch(r"cmp (\S+) (\S+) && echo identical", command)
    if match:
        same = Path(match[1]).read_bytes() == Path(match[2]).read_bytes()
        return (0, "identical\n") if same else (1, f"{match[1]} {match[2]} differ\n")
    raise AssertionError(f"the docs use a command this test does not run: {command!r}")


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_console_examples(page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", "80")
    sessions = _sessions(page)
    assert sessions, f"{page.name} has no console example"
    code = 0
    for line, command, expected in sessions:
        if command.startswith("cat "):
            target = Path(command[4:])
            if not target.exists():
                target.write_text("\n".join(expected) + "\n", encoding="utf-8")
            got = target.read_text(encoding="utf-8")
            code = 0
        else:
            code, got = _run(command, code)
        shown = "\n".join(expected) + ("\n" if expected else "")
        assert got == shown, f"{page.name}:{line}: $ {command}"

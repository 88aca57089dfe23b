"""Developer and CI tasks for eumicro.

Run ``nox -l`` to list the sessions. The default set (``nox`` without arguments)
is ``tests``, ``lint``, ``typecheck`` and ``docs``; ``bench`` and ``demo`` run
only when asked for (``nox -s bench``, ``nox -s demo``).

Tool versions live in ``[dependency-groups]`` of ``pyproject.toml``.
"""

from __future__ import annotations

from pathlib import Path

import nox

nox.needs_version = ">=2025.02.09"
nox.options.default_venv_backend = "venv"
nox.options.sessions = ["tests", "lint", "typecheck", "docs"]
nox.options.reuse_venv = "yes"

ROOT = Path(__file__).parent
PYPROJECT = nox.project.load_toml(ROOT / "pyproject.toml")

LINT_PATHS = ["src", "tests", "tools", "noxfile.py", "docs/conf.py", "bench"]


def _group(name: str) -> tuple[str, ...]:
    return tuple(nox.project.dependency_groups(PYPROJECT, name))


def _install_project(session: nox.Session, extras: str = "") -> None:
    # pip always rebuilds and reinstalls a local directory, so a reused venv
    # still gets the current sources (a regular, non-editable install).
    session.install(f".{extras}")


@nox.session
def tests(session: nox.Session) -> None:
    """Unit tests, property tests, and the `>>>` examples of docs/, README.md and src/."""
    _install_project(session, "[all]")
    session.install(*_group("test"))
    session.run(
        "pytest",
        "--cov=eumicro",
        "--cov-report=term-missing",
        *session.posargs,
    )


@nox.session
def lint(session: nox.Session) -> None:
    """Ruff lint and format check."""
    session.install(*_group("lint"))
    paths = [p for p in LINT_PATHS if (ROOT / p).exists()]
    session.run("ruff", "check", *paths)
    session.run("ruff", "format", "--check", *paths)


@nox.session
def typecheck(session: nox.Session) -> None:
    """Mypy in strict mode over the package sources."""
    _install_project(session, "[schema]")
    session.install(*_group("typecheck"))
    session.run("mypy", "--strict", "src/eumicro", *session.posargs)


@nox.session
def docs(session: nox.Session) -> None:
    """Build the HTML documentation; any Sphinx warning fails the build."""
    _install_project(session)
    session.install(*_group("docs"))
    session.run(
        "sphinx-build",
        "-W",
        "--keep-going",
        "-b",
        "html",
        "docs",
        "docs/_build/html",
        *session.posargs,
    )


@nox.session(default=False)
def bench(session: nox.Session) -> None:
    """Benchmarks (not part of the default sessions)."""
    _install_project(session, "[all]")
    session.install(*_group("bench"))
    session.run("python", "bench/run.py", *session.posargs)
    session.run("python", "bench/vocab_lookup.py")
    for script in (
        "bench/edc_io.py",
        "bench/edc_check.py",
        "bench/stacking.py",
        "bench/xml_io.py",
        "bench/europass_xml.py",
    ):
        session.run("python", script)


@nox.session(default=False)
def demo(session: nox.Session) -> None:
    """Run the CLI demo into a temporary directory."""
    _install_project(session)
    out = Path(session.create_tmp()) / "demo"
    session.run("eumicro", "demo", "--out", str(out), *session.posargs)

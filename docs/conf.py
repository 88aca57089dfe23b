"""Sphinx configuration for the eumicro documentation (MyST Markdown sources).

The build needs no network access: intersphinx is deliberately not enabled.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

_PYPROJECT = tomllib.loads((Path(__file__).parent.parent / "pyproject.toml").read_text("utf-8"))

project = "eumicro"
author = "eumicro contributors"
copyright = "eumicro contributors"
release = _PYPROJECT["project"]["version"]
version = release

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
]

source_suffix = {".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build"]

# MyST
myst_enable_extensions = ["colon_fence", "deflist"]
# Anchors for headings up to level 3, so pages can link to `page.md#some-heading`.
myst_heading_anchors = 3

# autodoc / napoleon
autodoc_typehints = "description"
autodoc_member_order = "bysource"
napoleon_google_docstring = True
napoleon_numpy_docstring = False
nitpicky = False

# HTML
html_theme = "furo"
html_title = f"eumicro {release}"

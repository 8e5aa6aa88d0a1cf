"""Where the bundled library (templates/, schemas/, examples/) lives.

In a checkout or an editable install they sit at the top of the repository, beside the package; in a
built wheel they are copied into ``compiler/_bundled/`` (see ``[tool.hatch...force-include]`` in
pyproject.toml).  Both layouts are looked up here and nowhere else.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


@cache
def bundled(name: str) -> Path:
    """The bundled folder ``name`` (templates, schemas or examples)."""
    for candidate in (_PACKAGE / "_bundled" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"planc's bundled {name}/ folder is missing from this installation")


def templates_dir() -> Path:
    return bundled("templates")


def schemas_dir() -> Path:
    return bundled("schemas")


def examples_dir() -> Path:
    return bundled("examples")

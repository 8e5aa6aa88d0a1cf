"""Stage 1, load: YAML text -> Document (plain data plus the position of every key and value).

The loader composes the YAML node graph with ruamel.yaml (``yaml_compose``) and builds plain
Python data from it (``yaml_data``), so that it can: keep 1-based line/column for every key and
value, reject duplicate keys and custom tags (``!!python/object``...), bound the work one file
can cost (its size and lines, the parser's events, alias expansion, nesting, the digits of a
number), refuse characters no output can carry (control characters, lone surrogates), and keep
dates as strings (the schema checks their format, resolve turns them into dates).
docs/security.md lists the limits.  The file is read before (``file_text.read_text``), and what
it makes is a ``document.Document``.
"""

from __future__ import annotations

from pathlib import Path

from ..diagnostics import plan_error
from .document import Document, Located
from .yaml_compose import root_node
from .yaml_data import DataBuilder, built_data

__all__ = ["load_text"]


def load_text(text: str, display: str, file: Path | None = None) -> Document:
    """Parse one YAML document; raises PlanError with every problem found."""
    root = root_node(text, display)
    builder = DataBuilder(display, text)
    builder.positions[()] = Located(None, builder.pos(root))
    data = built_data(builder, root)
    if not isinstance(data, dict):
        raise plan_error(
            "not-a-mapping",
            "the document must be a mapping of keys to values",
            display,
            builder.pos(root),
            "start with `kind:` (athlete, workout, phase, focus or program)",
        )
    return Document(display, data, builder.positions, file, text=text)

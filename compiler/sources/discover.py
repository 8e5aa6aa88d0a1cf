"""Which files are planc documents: the YAML files under the paths given, in a stable order.

Shared by the first pass of every command (compiler/sources/gather.py), the site's no-op check
(compiler/site/build.py) and the preview server's watcher (compiler/commands/serve.py), so they
all agree on what a source file is.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from ..diagnostics import UsageError
from ..resources import examples_dir

YAML_SUFFIXES = (".yaml", ".yml")
PROJECT_FILE = "planc.yaml"  # a repository's project file (compiler/cli/project.py): not a document


def find_files(paths: Iterable[Path]) -> list[Path]:
    """YAML files under ``paths`` (folders searched recursively), in a stable order."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(
                sorted(
                    p
                    for p in path.rglob("*")
                    if p.suffix in YAML_SUFFIXES
                    and p.is_file()
                    # .github/, .pre-commit-config.yaml... are not planc documents
                    and not any(part.startswith(".") for part in p.relative_to(path).parts)
                    and p.name != PROJECT_FILE  # a repository's planc.yaml: compiler/cli/project.py
                )
            )
        elif path.is_file():
            if path.name != PROJECT_FILE:  # named by a pre-commit hook that passes every .yaml
                found.append(path)
        else:
            raise UsageError(f"no such file or folder: {path}")
    unique: dict[str, Path] = {}  # by real path (a string: a build lists thousands of files)
    for path in found:
        unique.setdefault(os.path.realpath(path), path)
    return list(unique.values())


def default_paths() -> list[Path]:
    """What `planc build` and `planc check` work on when given no paths: the bundled examples."""
    return [examples_dir()]

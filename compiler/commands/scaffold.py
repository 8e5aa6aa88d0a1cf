"""Scaffolding: the bundled schemas for editors (`planc schema --out DIR`) and a new coach's
repository (`planc init DIR [--force]`).

Planning is pure: :func:`schema_files` and :func:`repository_files` say what would be written,
as relative POSIX paths mapped to bytes.  The one writing edge is
:func:`compiler.site.writer.write_files`, which checks every path before it writes anything and
puts each file in place atomically (a temporary file in the same folder, then ``os.replace``).

The repository's files are real files under ``compiler/commands/scaffold_files/``, read as
package data.  A path component that starts with ``dot-`` is written with a leading dot instead
(``dot-gitignore`` becomes ``.gitignore``, ``dot-github/`` becomes ``.github/``): a real
``.gitignore`` or ``.github/`` inside the package would act on the planc repository itself.
The schemas come from the bundled ``schemas/`` folder, so they always match the installed planc.
"""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path, PurePosixPath

from ..diagnostics import UsageError
from ..resources import schemas_dir
from ..site.writer import write_files
from ..sources.discover import PROJECT_FILE

SCHEMA_SUFFIX = ".schema.json"
SCAFFOLD_FOLDER = "scaffold_files"
DOT_PREFIX = "dot-"
SCHEMAS_FOLDER = "schemas"  # where the scaffold puts the schemas; the modelines point there


class ScaffoldError(UsageError):
    """planc cannot write the scaffold or the schemas where it was asked to (exit code 2)."""


class ScaffoldConflict(FileExistsError, ScaffoldError):
    """A file the scaffold would write is already there."""


# --- planning (pure) ---------------------------------------------------------------------------


def schema_files() -> dict[str, bytes]:
    """Every bundled ``*.schema.json``: file name -> bytes."""
    return {
        path.name: path.read_bytes()
        for path in sorted(schemas_dir().glob(f"*{SCHEMA_SUFFIX}"))
        if path.is_file()
    }


def _output_name(part: str) -> str:
    return "." + part.removeprefix(DOT_PREFIX) if part.startswith(DOT_PREFIX) else part


def _walk(folder: Traversable, parts: tuple[str, ...]) -> dict[str, bytes]:
    found: dict[str, bytes] = {}
    for entry in folder.iterdir():
        if entry.name == "__pycache__" or entry.name.startswith("."):
            continue
        here = (*parts, _output_name(entry.name))
        if entry.is_dir():
            found.update(_walk(entry, here))
        else:
            found[PurePosixPath(*here).as_posix()] = entry.read_bytes()
    return found


def repository_files() -> dict[str, bytes]:
    """The files of a new coach's repository: relative POSIX path -> bytes, sorted by path."""
    package = __package__ or "compiler"
    planned = _walk(files(package).joinpath(SCAFFOLD_FOLDER), ())
    for name, data in schema_files().items():
        planned[f"{SCHEMAS_FOLDER}/{name}"] = data
    return dict(sorted(planned.items()))


# --- writing ----------------------------------------------------------------------------------


def _is_inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def _blocked(root: Path, relative: str) -> str | None:
    """Why the scaffold can never write ``relative`` under ``root``, even with force (or None)."""
    target = root / relative
    resolved_root = root.resolve()
    folder = root
    for part in PurePosixPath(relative).parts[:-1]:
        folder = folder / part
        if folder.exists() and not folder.is_dir():
            return f"{folder} is in the way: it is a file, and the scaffold needs a folder there"
    if not _is_inside(target.parent.resolve(), resolved_root):
        return f"{target} would be written outside {root} (a symbolic link leads out of it)"
    if target.is_symlink():
        return f"{target} is a symbolic link; planc init does not replace links"
    if target.is_dir():
        return f"{target} is a folder; the scaffold needs a file there"
    return None


def _check_target(target: Path, planned: dict[str, bytes], *, force: bool) -> None:
    """Raise before anything is written when a file of the scaffold cannot or may not be."""
    if target.exists() and not target.is_dir():
        raise ScaffoldConflict(f"{target} already exists and is not a folder")
    existing: list[Path] = []
    for relative in planned:
        reason = _blocked(target, relative)
        if reason is not None:
            raise ScaffoldConflict(reason)
        if (target / relative).exists():
            existing.append(target / relative)
    if existing and not force:
        others = len(existing) - 1
        more = f" (and {others} more file{'s' * (others != 1)} of the scaffold)" if others else ""
        raise ScaffoldConflict(
            f"{existing[0]} already exists{more}; planc init writes only new files. "
            "Use --force to overwrite the scaffold's files (no other file is touched)."
        )


def _write(root: Path, planned: dict[str, bytes]) -> list[Path]:
    try:
        write_files(root, planned)
    except ValueError as exc:  # a path that would leave root: checked before anything is written
        raise ScaffoldError(str(exc)) from exc
    except (FileExistsError, NotADirectoryError) as exc:
        raise ScaffoldConflict(f"cannot write into {root}: {exc}") from exc
    except OSError as exc:  # no permission, a full disk: the user's to fix, not a bug in planc
        raise ScaffoldError(f"cannot write into {root}: {exc}") from exc
    return [root / PurePosixPath(relative) for relative in planned]


def write_schemas(out_dir: Path) -> list[Path]:
    """Copy every bundled ``*.schema.json`` into ``out_dir`` (created if missing), each file
    atomically; a schema already there is replaced (a file with the same bytes is left as it is).

    Returns the paths of the schemas in ``out_dir``, sorted.  Backs ``planc schema --out DIR``.
    """
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise ScaffoldConflict(f"{out_dir} already exists and is not a folder")
    return _write(out_dir, schema_files())


def init_project_file(target: Path, *, force: bool = False) -> Path:
    """Write the scaffold's ``planc.yaml`` alone into the existing folder ``target``: an existing
    coach's repository made a planc project (its athletes in ``athletes/``, its templates in
    ``templates/``, the site built into ``public/``; the file says how to change them).

    Refuses, as :func:`init_repository` does, when ``planc.yaml`` is already there (unless
    ``force``) or something is in its way.  Backs ``planc init --project-file-only DIR``."""
    target = Path(target)
    if not target.is_dir():
        raise ScaffoldError(f"{target} is not a folder; --project-file-only writes into one")
    planned = {PROJECT_FILE: repository_files()[PROJECT_FILE]}
    _check_target(target, planned, force=force)
    (written,) = _write(target, planned)
    return written


def init_repository(target: Path, *, force: bool = False) -> list[Path]:
    """Scaffold a coach's repository in ``target`` (created if missing).

    Writes the project file ``planc.yaml``, an example athlete, a focus and a workout of the
    coach's own, the bundled schemas (so the YAML modelines resolve offline), editor settings,
    a pre-commit configuration, a GitHub Actions workflow, a .gitignore and a README; see
    :func:`repository_files`.

    Nothing is written when any file of the scaffold is already there, unless ``force``: then
    the scaffold's files are overwritten and every other file is left alone.  A file, folder or
    symbolic link in the way of a scaffold file is never replaced, not even with ``force``, and
    nothing is ever written outside ``target``.  Raises :class:`ScaffoldConflict` (a
    ``FileExistsError``) naming the first file in the way.

    Returns the paths of the scaffold's files, sorted; with ``force``, a file that already had
    the right bytes is left untouched but still listed.  Backs ``planc init DIR [--force]``.
    """
    target = Path(target)
    planned = repository_files()
    _check_target(target, planned, force=force)
    return _write(target, planned)

"""How a command runs and reports: the output format and color, and the mapping of planc's
exceptions to exit codes (0 clean, 1 problems found, 2 usage error, 3 internal error; the
traceback only with --debug).  Imports no compiler stage: `planc --help` loads this module."""

from __future__ import annotations

import errno
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn, cast

import click
from click import _compat as click_compat

from ..diagnostics import EXIT_INTERNAL, EXIT_USAGE, Diagnostic, PlancError
from ..report import Format, Report, files_of, render


@dataclass(frozen=True)
class Output:
    """How a command reports: the format, whether text is colored, whether warnings fail."""

    format: Format
    color: bool
    strict: bool

    def emit(self, report: Report) -> int:
        """Write the report (text to stderr; json and github to stdout, nothing else goes
        there) and return the exit code it calls for."""
        click.echo(
            render(report, self.format, color=self.color),
            nl=False,
            err=self.format == "text",
            color=self.color,
        )
        return report.exit_code(self.strict)


def use_color(choice: str, format: str) -> bool:
    """--color: always, never, or auto (stderr is a terminal and NO_COLOR is unset or empty).
    Only the text format is ever colored."""
    if format != "text" or choice == "never":
        return False
    if choice == "always":
        return True
    if os.environ.get("NO_COLOR"):
        return False
    # click's own test: a terminal (or a CliRunner invoked with color=True)
    return not click_compat.should_strip_ansi(sys.stderr)


def output_for(output_format: str, color: str, strict: bool) -> Output:
    """The Output of --format, --color and --strict."""
    fmt = cast(Format, output_format)  # click.Choice(FORMATS) has checked it
    return Output(fmt, use_color(color, fmt), strict)


_MAX_SOURCE_BYTES = 1 << 20


def _sources(diagnostics: Sequence[Diagnostic]) -> dict[str, str]:
    """The text of the files named by ``diagnostics``, for a PlanError that brings no sources;
    files that cannot be read are left out (the diagnostics are shown without context)."""
    sources: dict[str, str] = {}
    for name in sorted({d.file for d in diagnostics if d.file is not None}):
        try:
            path = Path(name)
            if path.is_file() and path.stat().st_size <= _MAX_SOURCE_BYTES:
                sources[name] = path.read_bytes().decode("utf-8", errors="replace")
        except OSError:
            continue
    return sources


def run(debug: bool, output: Output, action: Callable[[], int]) -> None:
    """Run a command, mapping planc's exceptions to exit codes; never a traceback unless --debug.

    Diagnostics carried by a PlanError are rendered like any others, in the chosen format."""
    try:
        code = action()
    except PlancError as exc:
        diagnostics = tuple(getattr(exc, "diagnostics", None) or ())
        if diagnostics:
            output.emit(Report(diagnostics, files_of(diagnostics), _sources(diagnostics)))
        else:
            click.echo(f"planc: error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except (KeyboardInterrupt, BrokenPipeError):
        sys.exit(130)
    except OSError as exc:
        if exc.errno not in _MACHINE_IO:
            _internal(debug, exc)
        click.echo(f"planc: error: {exc}", err=True)  # this machine's disk, not a bug in planc
        sys.exit(EXIT_USAGE)
    except Exception as exc:  # a bug in planc: say so plainly
        _internal(debug, exc)
    sys.exit(code)


# I/O errors of the machine, exit 2 where planc did not already say more (a full disk while
# writing outputs is compiler.site.writer.NoSpace): full disk or quota, a failing disk, a
# file system mounted read-only
_MACHINE_IO = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EIO, errno.EROFS})


def _internal(debug: bool, exc: Exception) -> NoReturn:
    """Exit 3: a bug in planc, said plainly; the traceback only with --debug."""
    if debug:
        traceback.print_exc()
    click.echo(
        f"planc: internal error: {type(exc).__name__}: {exc}\n"
        "This is a bug in planc. Run again with --debug for the traceback and report it.",
        err=True,
    )
    sys.exit(EXIT_INTERNAL)

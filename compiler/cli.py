"""The command line: a thin shell over compiler.api.

Exit codes: 0 clean, 1 problems found in the inputs, 2 usage error, 3 internal error (a bug in
planc; the traceback is shown only with --debug).  The compiler stages are imported only by the
commands that need them, so `planc --version` and `planc --help` stay fast.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from . import __version__
from .diagnostics import (
    EXIT_INTERNAL,
    EXIT_OK,
    EXIT_PROBLEMS,
    Diagnostic,
    PlancError,
    Severity,
)

if TYPE_CHECKING:
    from .api import BuildResult

F = TypeVar("F", bound=Callable[..., Any])


def _today(value: dt.date | None) -> dt.date:
    """The date plans without a start date count from: --today, else SOURCE_DATE_EPOCH's date
    (reproducible builds), else the local date."""
    if value is not None:
        return value
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    return dt.date.today()


def _stamp() -> dt.datetime:
    """The timestamp written into calendars: SOURCE_DATE_EPOCH when set, else now."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def _report(diagnostics: Sequence[Diagnostic], files: int) -> None:
    for diagnostic in diagnostics:
        click.echo(diagnostic.format(), err=True)
    errors = sum(1 for d in diagnostics if d.severity is Severity.ERROR)
    warnings = len(diagnostics) - errors
    if errors or warnings:
        click.echo(
            f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)} "
            f"in {files} file{'s' * (files != 1)}",
            err=True,
        )


def _run(debug: bool, action: Callable[[], int]) -> None:
    """Run a command, mapping planc's exceptions to exit codes; never a traceback unless --debug."""
    try:
        code = action()
    except PlancError as exc:
        diagnostics = getattr(exc, "diagnostics", None)
        if diagnostics:
            _report(diagnostics, len({d.file for d in diagnostics}))
        else:
            click.echo(f"planc: error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except (KeyboardInterrupt, BrokenPipeError):
        sys.exit(130)
    except Exception as exc:  # a bug in planc: say so plainly
        if debug:
            traceback.print_exc()
        click.echo(
            f"planc: internal error: {type(exc).__name__}: {exc}\n"
            "This is a bug in planc. Run again with --debug for the traceback and report it.",
            err=True,
        )
        sys.exit(EXIT_INTERNAL)
    sys.exit(code)


def _common(function: F) -> F:
    function = click.option(
        "--templates",
        "template_dirs",
        multiple=True,
        type=click.Path(path_type=Path, exists=True, file_okay=False),
        help="A folder of templates searched before the bundled library (repeatable).",
    )(function)
    function = click.option(
        "--today",
        type=click.DateTime(formats=["%Y-%m-%d"]),
        default=None,
        help="The date plans without a start date count from (default: SOURCE_DATE_EPOCH, else "
        "today).",
    )(function)
    function = click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")(
        function
    )
    return function


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="planc")
def main() -> None:
    """planc compiles declarative YAML training templates and athlete profiles into dated,
    paced running plans: an iCal feed, Markdown, HTML and JSON."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@_common
def check(
    paths: tuple[Path, ...],
    template_dirs: tuple[Path, ...],
    today: dt.datetime | None,
    debug: bool,
) -> None:
    """Check athlete profiles and templates; report every problem as file:line:column.

    With no PATHS, checks the bundled examples and template library."""

    def action() -> int:
        from .api import default_paths, load_project

        project = load_project(
            list(paths) or default_paths(),
            template_dirs=template_dirs,
            today=_today(today.date() if today else None),
        )
        _report(project.diagnostics, len(project.files))
        if project.ok:
            click.echo(
                f"ok: {len(project.files)} files, {len(project.blueprints)} athletes", err=True
            )
            return EXIT_OK
        return EXIT_PROBLEMS

    _run(debug, action)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("public"),
    show_default=True,
    help="The folder to write the site into.",
)
@click.option(
    "--domain",
    default="planc.invalid",
    show_default=True,
    help="The domain of calendar event UIDs (use one you own, keep it stable).",
)
@_common
def build(
    paths: tuple[Path, ...],
    out_dir: Path,
    domain: str,
    template_dirs: tuple[Path, ...],
    today: dt.datetime | None,
    debug: bool,
) -> None:
    """Compile every athlete under PATHS into OUT/<id>/plan.ics, plan.md, index.html, plan.json
    and a site index OUT/index.html.

    With no PATHS, builds the bundled examples."""

    def action() -> int:
        from .api import build_site, default_paths

        result = build_site(
            list(paths) or default_paths(),
            out_dir,
            template_dirs=template_dirs,
            today=_today(today.date() if today else None),
            stamp=_stamp(),
            domain=domain,
        )
        _report(result.diagnostics, result.files_checked)
        _summary(result, out_dir)
        return EXIT_PROBLEMS if result.failed else EXIT_OK

    _run(debug, action)


def _summary(result: BuildResult, out_dir: Path) -> None:
    built = len(result.athletes)
    failed = len(result.failed)
    line = (
        f"built {built} athlete{'s' * (built != 1)} into {out_dir}/: "
        f"{result.workouts} workouts, {len(result.written)} files written, "
        f"{len(result.unchanged)} unchanged"
    )
    if failed:
        line += f"; {failed} athlete file{'s' * (failed != 1)} failed: {', '.join(result.failed)}"
    click.echo(line, err=True)
    for athlete_id in result.athletes:
        click.echo(f"  {out_dir / athlete_id / 'index.html'}", err=True)

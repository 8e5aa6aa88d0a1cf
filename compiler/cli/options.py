"""The options planc's commands share, and what they come to: the date plans count from, the
project file and the inputs it gives, the values of --base-url and --shard.  The compiler stages
are imported only when an option's value is used, so `planc --help` stays fast."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from ..diagnostics import UsageError
from ..report import FORMATS

if TYPE_CHECKING:
    from ..site.build_model import Shard
    from .project import Inputs, ProjectFile

F = TypeVar("F", bound=Callable[..., Any])

DEFAULT_DOMAIN = "planc.invalid"  # of calendar UIDs, when neither --domain nor planc.yaml say


def today_or(value: dt.date | None) -> dt.date:
    """The date plans without a start date count from: --today, else SOURCE_DATE_EPOCH's date
    (reproducible builds), else the local date."""
    if value is not None:
        return value
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    return dt.date.today()


def stamp_now() -> dt.datetime:
    """The timestamp written into calendars: SOURCE_DATE_EPOCH when set, else now."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def common_options(function: F) -> F:
    """--templates, --today, --format, --color, --strict and --debug."""
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
    function = click.option(
        "--format",
        "output_format",
        type=click.Choice(FORMATS),
        default="text",
        show_default=True,
        help="How to report problems: text (stderr), json or github (stdout; described on "
        "the page named below).",
    )(function)
    function = click.option(
        "--color",
        type=click.Choice(["auto", "always", "never"]),
        default="auto",
        show_default=True,
        help="Color the text report: auto = when stderr is a terminal and NO_COLOR is not set.",
    )(function)
    function = click.option(
        "--strict", is_flag=True, help="Count warnings as problems (exit 1 when there are any)."
    )(function)
    function = click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")(
        function
    )
    return function


def project_options(function: F) -> F:
    """--project and --no-project: which planc.yaml, if any."""
    function = click.option(
        "--project",
        "project_path",
        type=click.Path(path_type=Path, exists=True),
        default=None,
        help="The planc.yaml to use (or the folder holding it), instead of the nearest one in "
        "this folder or above it.",
    )(function)
    function = click.option(
        "--no-project",
        is_flag=True,
        help="Use no planc.yaml: the command line alone (with no PATHS, the bundled examples).",
    )(function)
    return function


def project_file(project_path: Path | None, no_project: bool, *, say: bool) -> ProjectFile | None:
    """The project file of this command (compiler/cli/project.py); ``say``: name it on stderr."""
    from ..sources.file_text import display_path
    from .project import choose_project

    project = choose_project(project_path, ignore=no_project, cwd=Path.cwd())
    if project is not None and say:
        click.echo(f"planc: using {display_path(project.file)}", err=True)
    return project


def inputs_of(
    command: str,
    paths: Sequence[Path],
    template_dirs: Sequence[Path],
    project_path: Path | None,
    no_project: bool,
    *,
    say: bool,
) -> Inputs:
    """PATHS and --templates after the command line, planc.yaml and the defaults; ``say``:
    write the notes (which planc.yaml, templates left out) on stderr."""
    from .project import command_inputs

    project = project_file(project_path, no_project, say=say)
    inputs = command_inputs(
        command,
        paths,
        template_dirs,
        project=project,
        ignore_project=no_project,
        cwd=Path.cwd(),
    )
    if say:
        for note in inputs.notes:
            click.echo(f"planc: {note}", err=True)
    return inputs


def project_out(project: ProjectFile | None) -> Path | None:
    """The project's output folder, as people would type it here (relative when inside)."""
    if project is None:
        return None
    from ..sources.file_text import display_path

    return Path(display_path(project.out))


def required(value: Path | None, what: str) -> Path:
    """A folder taken from planc.yaml when the command line leaves it out; a usage error when
    there is no planc.yaml to take it from."""
    if value is None:
        raise UsageError(f"give {what} (or run this inside a repository with a planc.yaml)")
    return value


def parse_shard(value: str | None) -> Shard | None:
    """``K/N``, or ``auto``/``auto/N`` from the CI engine running the job (compiler/ci_shard)."""
    if value is None:
        return None
    from ..site.build_model import Shard
    from ..site.ci_shard import is_auto, shard_from_environment

    try:
        if is_auto(value):
            return shard_from_environment(value, os.environ)[0]
        return Shard.parse(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def parse_base_url(value: str | None) -> str | None:
    """An absolute http(s) URL ending in '/', or a usage error that says what is wrong."""
    if value is None:
        return None
    from ..emit.html_links import normalize_base_url

    try:
        return normalize_base_url(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None

"""The command line: a thin shell over compiler.api.

Exit codes: 0 clean, 1 problems found in the inputs (with --strict, warnings too), 2 usage error,
3 internal error (a bug in planc; the traceback is shown only with --debug).  Problems are rendered
by compiler.report as text (stderr), JSON or GitHub annotations (stdout).  The compiler stages are
imported only by the commands that need them, so `planc --version` and `planc --help` stay fast.
"""

from __future__ import annotations

import datetime as dt
import errno
import json
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar, cast

import click
from click import _compat as click_compat

from .. import DOCS_URL, __version__, doc_link
from ..diagnostics import (
    EXIT_INTERNAL,
    EXIT_OK,
    EXIT_PROBLEMS,
    EXIT_USAGE,
    Diagnostic,
    PlancError,
    Severity,
    UsageError,
)
from ..report import FORMATS, Format, Report, count, files_of, json_document, render

if TYPE_CHECKING:
    from ..api import BuildResult
    from ..site.batch import Shard
    from .project import Inputs, ProjectFile

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


@dataclass(frozen=True)
class _Output:
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


def _use_color(choice: str, format: str) -> bool:
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


def _run(debug: bool, output: _Output, action: Callable[[], int]) -> None:
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


def _project_options(function: F) -> F:
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


def _project(project_path: Path | None, no_project: bool, *, say: bool) -> ProjectFile | None:
    """The project file of this command (compiler/cli/project.py); ``say``: name it on stderr."""
    from ..sources.load import display_path
    from .project import choose_project

    project = choose_project(project_path, ignore=no_project, cwd=Path.cwd())
    if project is not None and say:
        click.echo(f"planc: using {display_path(project.file)}", err=True)
    return project


def _inputs(
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

    project = _project(project_path, no_project, say=say)
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


def _output(output_format: str, color: str, strict: bool) -> _Output:
    fmt = cast(Format, output_format)  # click.Choice(FORMATS) has checked it
    return _Output(fmt, _use_color(color, fmt), strict)


def _write_links(formatter: click.HelpFormatter, links: Sequence[tuple[str, str]]) -> None:
    """Documentation links at the end of a --help, each on a line of its own: click wraps help
    text at hyphens, and a link broken over two lines is no link."""
    formatter.write_paragraph()
    for label, url in links:
        formatter.write(f"{'':>{formatter.current_indent}}{label}: {url}\n")


class _Command(click.Command):
    """A planc command: its --help ends with where its --format is documented (an installed
    planc has no docs/ folder, so the link is the project's documentation online)."""

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        super().format_epilog(ctx, formatter)
        if any(param.name == "output_format" for param in self.params):
            _write_links(formatter, [("Problem reports (--format)", doc_link("diagnostics.md"))])


class _Group(click.Group):
    command_class = _Command

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        super().format_epilog(ctx, formatter)
        _write_links(formatter, [("Documentation", DOCS_URL)])


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="planc")
def main() -> None:
    """planc compiles declarative YAML training templates and athlete profiles into dated,
    paced running plans: an iCal feed, Markdown, HTML and JSON."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@_common
@_project_options
def check(
    paths: tuple[Path, ...],
    project_path: Path | None,
    no_project: bool,
    template_dirs: tuple[Path, ...],
    today: dt.datetime | None,
    output_format: str,
    color: str,
    strict: bool,
    debug: bool,
) -> None:
    """Check athlete profiles and templates; report every problem as file:line:column.

    With no PATHS, checks the athletes and templates planc.yaml names (the nearest one, in this
    folder or above it), else the bundled examples and template library."""
    output = _output(output_format, color, strict)

    def action() -> int:
        from ..api import default_paths, load_project

        say = output.format == "text"
        inputs = _inputs("check", paths, template_dirs, project_path, no_project, say=say)
        project = load_project(
            list(inputs.paths) or default_paths(),
            template_dirs=inputs.template_dirs,
            today=_today(today.date() if today else None),
        )
        code = output.emit(Report(project.diagnostics, len(project.files), project.sources))
        if code == EXIT_OK:
            athletes = len(project.blueprints)
            click.echo(f"ok: {count(athletes, 'athlete')} ready to build", err=True)
        return code

    _run(debug, output, action)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="The folder to write the site into (default: `out` of planc.yaml, else public).",
)
@click.option(
    "--base-url",
    default=None,
    callback=lambda ctx, param, value: _base_url(value),
    help="Where the site will be published (https://example.org/plans/): makes the pages' "
    "subscribe links (webcal://, Google Calendar) absolute (default: `base_url` of planc.yaml).",
)
@click.option(
    "--domain",
    default=None,
    help="The domain of calendar event UIDs (use one you own, keep it stable; default: "
    "`domain` of planc.yaml, else planc.invalid).",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Build with N processes (default: one per core; 1 builds in this process).",
)
@click.option(
    "--shard",
    default=None,
    metavar="K/N",
    callback=lambda ctx, param, value: _shard(value),
    help="Build only shard K of N (by a stable hash of the athlete id); the site index is then "
    "left to `planc index`.  `auto` reads K and N from the CI engine (GitLab parallel:, "
    "CircleCI, Buildkite); `auto/N` reads K (Kubernetes Indexed Jobs, AWS Batch arrays).",
)
@click.option(
    "--check",
    "check_only",
    is_flag=True,
    help="Write nothing; list the files a build would change and exit 1 if there are any.",
)
@click.option(
    "--fsync",
    "durable",
    is_flag=True,
    help="Flush every file to disk before it replaces the old one, so that a power cut cannot "
    "leave an empty file (slower; every write is atomic either way).",
)
@click.option("--quiet", "-q", is_flag=True, help="Report errors only: no progress or summary.")
@_common
@_project_options
def build(
    paths: tuple[Path, ...],
    out_dir: Path | None,
    base_url: str | None,
    domain: str | None,
    jobs: int | None,
    shard: Shard | None,
    check_only: bool,
    durable: bool,
    quiet: bool,
    project_path: Path | None,
    no_project: bool,
    template_dirs: tuple[Path, ...],
    today: dt.datetime | None,
    output_format: str,
    color: str,
    strict: bool,
    debug: bool,
) -> None:
    """Compile every athlete under PATHS into OUT/<id>/plan.ics, plan.md, index.html, plan.json
    and a site index OUT/index.html.

    With no PATHS, builds the athletes planc.yaml names (the nearest one, in this folder or above
    it), else the bundled examples.  Athletes whose inputs have not changed since the last build
    into OUT are skipped (OUT/<id>/.planc-input records what they were built from)."""
    output = _output(output_format, color, strict)

    def action() -> int:
        from ..api import build_site, default_paths
        from ..site.batch import default_jobs

        say = output.format == "text" and not quiet
        inputs = _inputs("build", paths, template_dirs, project_path, no_project, say=say)
        project = inputs.project
        out = out_dir or _project_out(project) or Path("public")
        progress = _Progress() if not quiet and sys.stderr.isatty() else None
        try:
            result = build_site(
                list(inputs.paths) or default_paths(),
                out,
                template_dirs=inputs.template_dirs,
                today=_today(today.date() if today else None),
                stamp=_stamp(),
                domain=domain or (project.domain if project else None) or DEFAULT_DOMAIN,
                base_url=base_url or (project.base_url if project else None),
                jobs=jobs or default_jobs(),
                shard=shard,
                check=check_only,
                durable=durable,
                progress=progress,
            )
        finally:
            if progress is not None:
                progress.clear()
        report = Report(result.diagnostics, result.files_checked, result.sources)
        code = report.exit_code(strict)
        if output.format == "json":
            document = json_document(report)
            document["build"] = _build_data(result, check_only)
            click.echo(json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False))
        elif quiet:
            errors = tuple(d for d in result.diagnostics if d.severity is Severity.ERROR)
            if errors:
                output.emit(Report(errors, result.files_checked, result.sources))
        else:
            output.emit(report)
        if check_only:
            if not quiet and output.format != "json":
                _changes(result)
            if result.written:
                code = EXIT_PROBLEMS
        elif not quiet:
            _summary(result, out)
        if not quiet and output.format == "text" and result.athletes:
            _watch_note()
        return EXIT_PROBLEMS if result.failed else code

    _run(debug, output, action)


def _watch_note() -> None:
    """Say once, when the FIT SDK is missing, that the watch's FIT files were left out."""
    from ..emit.fit import EXTRA_HINT
    from ..emit.registry import INTERVALS_JSON
    from ..site.batch import watch_enabled

    if not watch_enabled():
        click.echo(
            "watch workout files (FIT) skipped: they need Garmin's FIT SDK, an optional extra; "
            f"to get them: {EXTRA_HINT} ({INTERVALS_JSON.name} was written)",
            err=True,
        )


DEFAULT_DOMAIN = "planc.invalid"  # of calendar UIDs, when neither --domain nor planc.yaml say


def _project_out(project: ProjectFile | None) -> Path | None:
    """The project's output folder, as people would type it here (relative when inside)."""
    if project is None:
        return None
    from ..sources.load import display_path

    return Path(display_path(project.out))


class _Progress:
    """``[ 37/120] building athlete-id`` on stderr, updated in place, cleared at the end."""

    SHOWN_FROM = 4  # athletes: fewer build too fast to need it

    def __init__(self) -> None:
        self.width = 0

    def __call__(self, done: int, total: int, athlete_id: str) -> None:
        if total < self.SHOWN_FROM:
            return
        digits = len(str(total))
        line = f"[{done:>{digits}}/{total}] building {athlete_id}"[:79]
        click.echo("\r" + line.ljust(self.width), nl=False, err=True)
        self.width = len(line)

    def clear(self) -> None:
        if self.width:
            click.echo("\r" + " " * self.width + "\r", nl=False, err=True)
            self.width = 0


def _build_data(result: BuildResult, check_only: bool) -> dict[str, object]:
    return {
        "athletes": len(result.athletes),
        "failed": len(result.failed),
        "workouts": result.workouts,
        "written": len(result.written),
        "unchanged": len(result.unchanged),
        "skipped": len(result.skipped),
        "others": list(result.others),
        "seconds": round(result.seconds, 3),
        "check": check_only,
        "changes": list(result.written),
    }


def _changes(result: BuildResult) -> None:
    """--check: the files a build would write, per athlete."""
    if not result.written:
        click.echo("up to date: a build would change nothing", err=True)
        return
    by_athlete: dict[str, list[str]] = {}
    for path in result.written:
        folder, _, name = path.rpartition("/")
        by_athlete.setdefault(folder or ".", []).append(name)
    click.echo(f"a build would write {count(len(result.written), 'file')}:", err=True)
    for folder, names in by_athlete.items():
        click.echo(f"  {folder}: {', '.join(names)}", err=True)


def _shard(value: str | None) -> Shard | None:
    """``K/N``, or ``auto``/``auto/N`` from the CI engine running the job (compiler/ci_shard)."""
    if value is None:
        return None
    from ..site.batch import Shard
    from ..site.ci_shard import is_auto, shard_from_environment

    try:
        if is_auto(value):
            return shard_from_environment(value, os.environ)[0]
        return Shard.parse(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def _base_url(value: str | None) -> str | None:
    """An absolute http(s) URL ending in '/', or a usage error that says what is wrong."""
    if value is None:
        return None
    from ..emit.html import normalize_base_url

    try:
        return normalize_base_url(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def _summary(result: BuildResult, out_dir: Path) -> None:
    built = len(result.athletes)
    failed = len(result.failed)
    seconds = max(result.seconds, 1e-6)
    line = (
        f"built {count(built, 'athlete')} into {out_dir}/: "
        f"{count(result.workouts, 'workout')}, {count(len(result.written), 'file')} written, "
        f"{len(result.unchanged)} unchanged"
    )
    if result.skipped:
        line += f" ({count(len(result.skipped), 'athlete')} up to date, skipped)"
    line += f" in {result.seconds:.2f}s ({result.workouts / seconds:.0f} workouts/s)"
    if failed:
        line += f"; {count(failed, 'athlete file')} failed: {', '.join(result.failed)}"
    click.echo(line, err=True)
    if result.others:
        others = len(result.others)
        click.echo(
            f"the site index also lists {count(others, 'athlete')} built earlier "
            f"into {out_dir}/ (delete an athlete's folder to take it off the site)",
            err=True,
        )
    if built <= _LISTED:
        from ..emit.registry import INDEX_HTML  # not at the top: --help imports no stage

        for athlete_id in result.athletes:
            click.echo(f"  {out_dir / athlete_id / INDEX_HTML.name}", err=True)


_LISTED = 10  # athletes whose pages the summary lists


@main.command()
@click.argument(
    "out_dir", required=False, type=click.Path(path_type=Path, exists=True, file_okay=False)
)
@click.option(
    "--base-url",
    default=None,
    callback=lambda ctx, param, value: _base_url(value),
    help="Where the site will be published (as for `planc build`; default: `base_url` of "
    "planc.yaml).",
)
@_project_options
def index(
    out_dir: Path | None, base_url: str | None, project_path: Path | None, no_project: bool
) -> None:
    """Write the site index OUT_DIR/index.html from the athletes' folders in OUT_DIR (after
    sharded builds: `planc build --shard K/N`).  OUT_DIR defaults to `out` of planc.yaml."""

    def action() -> int:
        from ..api import index_site
        from ..emit.registry import SITE_INDEX

        project = _project(project_path, no_project, say=True)
        out = out_dir or _required(_project_out(project), "OUT_DIR, the folder of the site")
        url = base_url or (project.base_url if project else None)
        result = index_site(out, url)  # holds the folder's lock, as a build does
        state = "written" if result.written else "unchanged"
        click.echo(f"{out / SITE_INDEX} {state}: {count(result.athletes, 'athlete')}", err=True)
        return EXIT_OK

    _run(False, _output("text", "never", False), action)


def _required(value: Path | None, what: str) -> Path:
    """A folder taken from planc.yaml when the command line leaves it out; a usage error when
    there is no planc.yaml to take it from."""
    if value is None:
        raise UsageError(f"give {what} (or run this inside a repository with a planc.yaml)")
    return value


@main.command()
@click.argument("athlete")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--week", type=click.IntRange(min=1), default=None, help="Explain only week N.")
@click.option(
    "--date",
    "day",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Explain only the day D (YYYY-MM-DD) and its week.",
)
@_common
@_project_options
def explain(
    athlete: str,
    paths: tuple[Path, ...],
    week: int | None,
    day: dt.datetime | None,
    project_path: Path | None,
    no_project: bool,
    template_dirs: tuple[Path, ...],
    today: dt.datetime | None,
    output_format: str,
    color: str,
    strict: bool,
    debug: bool,
) -> None:
    """Say why ATHLETE's plan is what it is: program, focus and phase lengths, each week's
    target volume and the rule that set it, why each workout is on its day, and where every
    template value came from.

    ATHLETE is an athlete id or the path of its file; the athlete is looked up among PATHS (its
    own file when ATHLETE is a path, else the athletes of planc.yaml, else the bundled
    examples)."""
    output = _output(output_format, color, strict)

    def action() -> int:
        from ..api import default_paths, explain_athlete, load_project
        from ..commands.explain import render_explanation

        when = _today(today.date() if today else None)
        own = (Path(athlete),) if not paths and Path(athlete).is_file() else paths
        say = output.format == "text"
        inputs = _inputs("explain", own, template_dirs, project_path, no_project, say=say)
        search = list(inputs.paths) or default_paths()
        project = load_project(search, template_dirs=inputs.template_dirs, today=when)
        if project.diagnostics:
            code = output.emit(Report(project.diagnostics, len(project.files), project.sources))
            if code != EXIT_OK and not project.blueprints:
                return code
        explanation = explain_athlete(project, athlete, when)
        click.echo(
            render_explanation(explanation, week=week, day=day.date() if day else None), nl=False
        )
        return EXIT_OK

    _run(debug, output, action)


@main.command()
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False))
@click.option("--force", is_flag=True, help="Overwrite the scaffold's own files if they exist.")
@click.option(
    "--project-file-only",
    is_flag=True,
    help="Write only planc.yaml, into an existing repository with athletes/ and templates/.",
)
def init(directory: Path, force: bool, project_file_only: bool) -> None:
    """Scaffold a coach's repository in DIRECTORY: planc.yaml, templates, an athlete, the
    schemas with editor settings, a pre-commit hook and a CI workflow."""

    def action() -> int:
        from ..commands.scaffold import init_project_file, init_repository

        if project_file_only:
            path = init_project_file(directory, force=force)
            click.echo(
                f"wrote {path}: planc check, build, serve and explain now work on this "
                "repository from anywhere inside it (edit its folders if yours are named "
                "differently; `planc schema --out schemas` gives editors its schema)",
                err=True,
            )
            return EXIT_OK
        written = init_repository(directory, force=force)
        for path in written:
            click.echo(f"  {path}", err=True)
        click.echo(
            f"created a planc repository in {directory}/ ({count(len(written), 'file')}); try: "
            f"cd {directory} && planc check && planc build",
            err=True,
        )
        return EXIT_OK

    _run(False, _output("text", "never", False), action)


@main.command()
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path, file_okay=False),
    required=True,
    help="The folder to write the JSON Schemas into.",
)
def schema(out_dir: Path) -> None:
    """Write planc's JSON Schemas (athlete, workout, phase, focus, program, plan, diagnostics)
    for editors and other tools."""

    def action() -> int:
        from ..commands.scaffold import write_schemas

        for path in write_schemas(out_dir):
            click.echo(str(path))
        return EXIT_OK

    _run(False, _output("text", "never", False), action)


@main.command()
@click.argument("old", type=click.Path(path_type=Path, file_okay=False))
@click.argument("new", required=False, type=click.Path(path_type=Path, file_okay=False))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Text for people, JSON (format planc-diff/1) for tools.",
)
@_project_options
def diff(
    old: Path, new: Path | None, fmt: str, project_path: Path | None, no_project: bool
) -> None:
    """What changed between two builds OLD and NEW (output folders of `planc build`; NEW
    defaults to `out` of planc.yaml): per athlete, the workouts added, removed and changed, and
    the weeks whose target moved.

    Exit 0 when nothing differs, 1 when something does, 2 on errors."""

    def action() -> int:
        from ..commands.diff import diff_folders, exit_code, render_json, render_text

        project = _project(project_path, no_project, say=fmt == "text")
        newer = new or _required(_project_out(project), "NEW, the folder of the newer build")
        site = diff_folders(old, newer)
        click.echo(render_json(site) if fmt == "json" else render_text(site), nl=False)
        return exit_code(site)

    _run(False, _output("text", "never", False), action)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path, exists=True))
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="The address to listen on; anything but this machine's shows the plans to others.",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="The port to listen on; 0 picks a free one.",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Build into this folder, as `planc build --out` would (default: a temporary folder, "
    "removed on exit, so a published site is never touched).",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Build with N processes (a rebuild usually compiles only the athletes a change touches).",
)
@click.option(
    "--templates",
    "template_dirs",
    multiple=True,
    type=click.Path(path_type=Path, exists=True, file_okay=False),
    help="A folder of templates searched before the bundled library (repeatable; watched).",
)
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="The date plans without a start date count from (default: SOURCE_DATE_EPOCH, else today).",
)
@click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")
@_project_options
def serve(
    paths: tuple[Path, ...],
    host: str,
    port: int,
    out_dir: Path | None,
    jobs: int,
    template_dirs: tuple[Path, ...],
    today: dt.datetime | None,
    debug: bool,
    project_path: Path | None,
    no_project: bool,
) -> None:
    """Serve the site built from PATHS on http://HOST:PORT/ and rebuild it whenever a template or
    athlete file changes; open pages reload themselves.

    While the sources have problems the last good build stays served and every page shows the
    diagnostics.  With no PATHS, serves the athletes of planc.yaml (never its `out`: the build
    goes to a temporary folder unless --out says otherwise), else the bundled examples.  Ctrl-C
    stops (exit 0)."""
    output = _output("text", "never", False)

    def action() -> int:
        import signal

        from ..api import default_paths
        from ..commands.serve import PreviewServer, ServeOptions, is_loopback

        inputs = _inputs("serve", paths, template_dirs, project_path, no_project, say=True)
        project = inputs.project
        if not is_loopback(host):
            click.echo(
                f"planc serve: warning: listening on {host}: other machines can see the plans "
                "(athletes' names, races and paces); use --host 127.0.0.1 to keep them private",
                err=True,
            )
        server = PreviewServer(
            ServeOptions(
                paths=inputs.paths or tuple(default_paths()),
                today=_today(today.date() if today else None),
                stamp=_stamp(),
                template_dirs=inputs.template_dirs,
                domain=(project.domain if project else None) or DEFAULT_DOMAIN,
                out_dir=out_dir,
                host=host,
                port=port,
                jobs=jobs,
                debug=debug,
            ),
            log=lambda line: click.echo(line, err=True),
        )

        def terminate(signum: int, frame: object) -> None:
            raise KeyboardInterrupt  # SIGTERM stops as cleanly as Ctrl-C

        previous = signal.signal(signal.SIGTERM, terminate)
        try:
            server.start()
            click.echo(f"serving {server.url} (Ctrl-C to stop)", err=True)
            server.wait()
        except KeyboardInterrupt:
            click.echo("planc serve: stopped", err=True)
        finally:
            server.stop()
            signal.signal(signal.SIGTERM, previous)
        return EXIT_OK

    _run(debug, output, action)

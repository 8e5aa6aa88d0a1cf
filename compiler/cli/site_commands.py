"""`planc build`, `planc index` and `planc serve`: the commands that write the site (and serve
it while the sources change)."""

from __future__ import annotations

import datetime as dt
import json
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..diagnostics import EXIT_OK, EXIT_PROBLEMS, Severity
from ..report import Report, count, json_document
from .app import PlancCommand
from .options import (
    DEFAULT_DOMAIN,
    common_options,
    inputs_of,
    parse_base_url,
    parse_shard,
    project_file,
    project_options,
    project_out,
    required,
    stamp_now,
    today_or,
)
from .running import Output, output_for, run

if TYPE_CHECKING:
    from ..api import BuildResult
    from ..commands.serve import PreviewServer
    from ..site.build_model import Shard


@click.command(cls=PlancCommand)
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
    callback=lambda ctx, param, value: parse_base_url(value),
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
    callback=lambda ctx, param, value: parse_shard(value),
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
@common_options
@project_options
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
    output = output_for(output_format, color, strict)

    def action() -> int:
        from ..api import build_site, default_paths
        from ..site.batch import default_jobs

        say = output.format == "text" and not quiet
        inputs = inputs_of("build", paths, template_dirs, project_path, no_project, say=say)
        project = inputs.project
        out = out_dir or project_out(project) or Path("public")
        progress = _Progress() if not quiet and sys.stderr.isatty() else None
        try:
            result = build_site(
                list(inputs.paths) or default_paths(),
                out,
                template_dirs=inputs.template_dirs,
                today=today_or(today.date() if today else None),
                stamp=stamp_now(),
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
        return _report_build(output, result, out, quiet=quiet, check_only=check_only)

    run(debug, output, action)


def _report_build(
    output: Output, result: BuildResult, out: Path, *, quiet: bool, check_only: bool
) -> int:
    """Report a build as --format, --quiet and --check ask (the problems; the files --check
    would change, else the summary) and return its exit code."""
    report = Report(result.diagnostics, result.files_checked, result.sources)
    code = report.exit_code(output.strict)
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


def _watch_note() -> None:
    """Say once, when the FIT SDK is missing, that the watch's FIT files were left out."""
    from ..emit.fit import EXTRA_HINT
    from ..emit.registry import INTERVALS_JSON
    from ..site.manifest import watch_enabled

    if not watch_enabled():
        click.echo(
            "watch workout files (FIT) skipped: they need Garmin's FIT SDK, an optional extra; "
            f"to get them: {EXTRA_HINT} ({INTERVALS_JSON.name} was written)",
            err=True,
        )


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
        "removed": list(result.removed),
    }


def _changes(result: BuildResult) -> None:
    """--check: the files a build would write, per athlete."""
    if not result.written:
        click.echo("up to date: a build would change nothing", err=True)
        return
    by_athlete: dict[str, list[str]] = {}
    removed = set(result.removed)
    for path in result.written:
        folder, _, name = path.rpartition("/")
        shown = f"{name} (to be removed: its workout is gone)" if path in removed else name
        by_athlete.setdefault(folder or ".", []).append(shown)
    head = f"a build would write {count(len(result.written) - len(removed), 'file')}"
    if removed:
        head += f" and remove {count(len(removed), 'file')}"
    click.echo(f"{head}:", err=True)
    for folder, names in by_athlete.items():
        click.echo(f"  {folder}: {', '.join(names)}", err=True)


def _summary(result: BuildResult, out_dir: Path) -> None:
    built = len(result.athletes)
    failed = len(result.failed)
    seconds = max(result.seconds, 1e-6)
    line = (
        f"built {count(built, 'athlete')} into {out_dir}/: "
        f"{count(result.workouts, 'workout')}, "
        f"{count(len(result.written) - len(result.removed), 'file')} written, "
        f"{len(result.unchanged)} unchanged"
    )
    if result.removed:  # in written too: a change to the folder
        line += f", {len(result.removed)} removed (cancelled workouts' files)"
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


@click.command(cls=PlancCommand)
@click.argument(
    "out_dir", required=False, type=click.Path(path_type=Path, exists=True, file_okay=False)
)
@click.option(
    "--base-url",
    default=None,
    callback=lambda ctx, param, value: parse_base_url(value),
    help="Where the site will be published (as for `planc build`; default: `base_url` of "
    "planc.yaml).",
)
@project_options
def index(
    out_dir: Path | None, base_url: str | None, project_path: Path | None, no_project: bool
) -> None:
    """Write the site index OUT_DIR/index.html from the athletes' folders in OUT_DIR (after
    sharded builds: `planc build --shard K/N`).  OUT_DIR defaults to `out` of planc.yaml."""

    def action() -> int:
        from ..api import index_site
        from ..emit.registry import SITE_INDEX

        project = project_file(project_path, no_project, say=True)
        out = out_dir or required(project_out(project), "OUT_DIR, the folder of the site")
        url = base_url or (project.base_url if project else None)
        result = index_site(out, url)  # holds the folder's lock, as a build does
        state = "written" if result.written else "unchanged"
        click.echo(f"{out / SITE_INDEX} {state}: {count(result.athletes, 'athlete')}", err=True)
        return EXIT_OK

    run(False, output_for("text", "never", False), action)


@click.command(cls=PlancCommand)
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
@project_options
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
    output = output_for("text", "never", False)

    def action() -> int:
        from ..api import default_paths
        from ..commands.serve import PreviewServer, ServeOptions
        from ..commands.serve_http import is_loopback

        inputs = inputs_of("serve", paths, template_dirs, project_path, no_project, say=True)
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
                today=today_or(today.date() if today else None),
                stamp=stamp_now(),
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
        _serve_until_stopped(server)
        return EXIT_OK

    run(debug, output, action)


def _serve_until_stopped(server: PreviewServer) -> None:
    """Serve until Ctrl-C or SIGTERM, then stop the server cleanly."""

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

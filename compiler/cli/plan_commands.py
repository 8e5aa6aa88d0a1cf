"""`planc check` and `planc explain`: the commands that read a project and say what is in it
(its problems; why an athlete's plan is what it is) without writing anything."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from ..diagnostics import EXIT_OK
from ..report import Report, count
from .app import PlancCommand
from .options import common_options, inputs_of, project_options, today_or
from .running import output_for, run


@click.command(cls=PlancCommand)
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@common_options
@project_options
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
    output = output_for(output_format, color, strict)

    def action() -> int:
        from ..api import default_paths, load_project

        say = output.format == "text"
        inputs = inputs_of("check", paths, template_dirs, project_path, no_project, say=say)
        project = load_project(
            list(inputs.paths) or default_paths(),
            template_dirs=inputs.template_dirs,
            today=today_or(today.date() if today else None),
        )
        code = output.emit(Report(project.diagnostics, len(project.files), project.sources))
        if code == EXIT_OK:
            athletes = len(project.blueprints)
            click.echo(f"ok: {count(athletes, 'athlete')} ready to build", err=True)
        return code

    run(debug, output, action)


@click.command(cls=PlancCommand)
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
@common_options
@project_options
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
    output = output_for(output_format, color, strict)

    def action() -> int:
        from ..api import default_paths, explain_athlete, load_project
        from ..commands.explain import render_explanation

        when = today_or(today.date() if today else None)
        own = (Path(athlete),) if not paths and Path(athlete).is_file() else paths
        say = output.format == "text"
        inputs = inputs_of("explain", own, template_dirs, project_path, no_project, say=say)
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

    run(debug, output, action)

"""`planc init`, `planc schema` and `planc diff`: the commands that set up a coach's
repository and compare its builds."""

from __future__ import annotations

from pathlib import Path

import click

from ..diagnostics import EXIT_OK
from ..report import count
from .app import PlancCommand
from .options import project_file, project_options, project_out, required
from .running import output_for, run


@click.command(cls=PlancCommand)
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

    run(False, output_for("text", "never", False), action)


@click.command(cls=PlancCommand)
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

    run(False, output_for("text", "never", False), action)


@click.command(cls=PlancCommand)
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
@project_options
def diff(
    old: Path, new: Path | None, fmt: str, project_path: Path | None, no_project: bool
) -> None:
    """What changed between two builds OLD and NEW (output folders of `planc build`; NEW
    defaults to `out` of planc.yaml): per athlete, the workouts added, removed and changed, and
    the weeks whose target moved.

    Exit 0 when nothing differs, 1 when something does, 2 on errors."""

    def action() -> int:
        from ..commands.diff import diff_folders, exit_code
        from ..commands.diff_render import render_json, render_text

        project = project_file(project_path, no_project, say=fmt == "text")
        newer = new or required(project_out(project), "NEW, the folder of the newer build")
        site = diff_folders(old, newer)
        click.echo(render_json(site) if fmt == "json" else render_text(site), nl=False)
        return exit_code(site)

    run(False, output_for("text", "never", False), action)

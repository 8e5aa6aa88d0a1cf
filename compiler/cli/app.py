"""The `planc` command group and the help it prints: each command's --help ends with where its
--format is documented, the group's with the documentation (an installed planc has no docs/
folder, so the links are the project's documentation online)."""

from __future__ import annotations

from collections.abc import Sequence

import click

from .. import DOCS_URL, __version__, doc_link


def _write_links(formatter: click.HelpFormatter, links: Sequence[tuple[str, str]]) -> None:
    """Documentation links at the end of a --help, each on a line of its own: click wraps help
    text at hyphens, and a link broken over two lines is no link."""
    formatter.write_paragraph()
    for label, url in links:
        formatter.write(f"{'':>{formatter.current_indent}}{label}: {url}\n")


class PlancCommand(click.Command):
    """A planc command: its --help ends with where its --format is documented (an installed
    planc has no docs/ folder, so the link is the project's documentation online)."""

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        super().format_epilog(ctx, formatter)
        if any(param.name == "output_format" for param in self.params):
            _write_links(formatter, [("Problem reports (--format)", doc_link("diagnostics.md"))])


class PlancGroup(click.Group):
    command_class = PlancCommand

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        super().format_epilog(ctx, formatter)
        _write_links(formatter, [("Documentation", DOCS_URL)])


@click.group(cls=PlancGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="planc")
def main() -> None:
    """planc compiles declarative YAML training templates and athlete profiles into dated,
    paced running plans: an iCal feed, Markdown, HTML and JSON."""

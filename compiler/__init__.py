"""planc: the training-plan compiler."""

__version__ = "0.1.0"

# Where people read planc's documentation: the docs/ folder of the project's repository (the
# Documentation URL of pyproject.toml).  An installed planc has no docs/ of its own (the wheel
# ships the package, not the docs), so what planc prints names pages here, never a local path.
DOCS_URL = "https://github.com/planc-dev/planc/tree/main/docs"


def doc_link(page: str) -> str:
    """The address of a page of planc's documentation, e.g. ``doc_link("templates.md")``."""
    return DOCS_URL.replace("/tree/", "/blob/", 1) + "/" + page

"""The emit stage: pure functions from a Plan to bytes, and the writer that puts them in place."""

from .html import SiteEntry, emit_html, emit_site_index
from .ical import emit_busy_ics, emit_ics
from .ical_state import FeedState, read_feed
from .json_plan import emit_json
from .markdown import emit_markdown
from .writer import WriteReport, write_files

__all__ = [
    "FeedState",
    "SiteEntry",
    "WriteReport",
    "emit_busy_ics",
    "emit_html",
    "emit_ics",
    "emit_json",
    "emit_markdown",
    "emit_site_index",
    "read_feed",
    "write_files",
]

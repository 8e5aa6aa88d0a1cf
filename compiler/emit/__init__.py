"""The emit stage: pure functions from a Plan to bytes (the writer that puts them in place is
compiler/site/writer.py: emitting never touches a file)."""

from .html import SiteEntry, emit_html, emit_site_index
from .ical import emit_busy_ics, emit_ics
from .ical_read import read_feed
from .ical_state import FeedState
from .json_plan import emit_json
from .markdown import emit_markdown

__all__ = [
    "FeedState",
    "SiteEntry",
    "emit_busy_ics",
    "emit_html",
    "emit_ics",
    "emit_json",
    "emit_markdown",
    "emit_site_index",
    "read_feed",
]

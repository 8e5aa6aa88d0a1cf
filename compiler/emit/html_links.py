"""The links of the pages: an athlete's feeds (relative, or absolute with the webcal:// and
Google Calendar forms when the site's ``base_url`` is known), the base URL made canonical, and
the anchor of a workout on its page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

from .registry import BUSY_ICS, PLAN_ICS, listed

FEED = PLAN_ICS.name
BUSY_FEED = BUSY_ICS.name  # the busy-only calendar (for a work calendar), written beside plan.ics
GOOGLE_ADD_BY_URL = "https://calendar.google.com/calendar/r?cid="
BASE_URL_HINT = "planc build --base-url https://…"
_NOT_ID = re.compile(r"[^A-Za-z0-9_-]+")


@dataclass(frozen=True)
class Feed:
    """The links to one calendar file: ``href`` always (relative without a base URL), the
    subscription forms only with one."""

    href: str
    https: str | None = None  # the absolute address to paste into a calendar app
    webcal: str | None = None  # opens the system calendar app's subscribe dialog
    google: str | None = None  # Google Calendar's add-by-URL page


def normalize_base_url(base_url: str) -> str:
    """The site's public root address, checked and ending in '/'.

    ValueError unless it is an absolute http:// or https:// address without query or fragment
    (the CLI can call this on ``--base-url`` to report a bad value as a usage error)."""
    text = base_url.strip()
    parts = urlsplit(text)
    if (
        parts.scheme.lower() not in ("http", "https")
        or not parts.hostname
        or parts.query
        or parts.fragment
        or any(c.isspace() or ord(c) < 32 for c in text)
    ):
        raise ValueError(
            f"base URL {base_url!r} is not an absolute http:// or https:// address "
            "without ?query or #fragment, e.g. https://plans.example.org/team/"
        )
    path = parts.path if parts.path.endswith("/") else parts.path + "/"
    return urlunsplit((parts.scheme.lower(), parts.netloc, path, "", ""))


def athlete_folder(athlete_id: str) -> str:
    return quote(athlete_id, safe="") + "/"


def feed_links(athlete_id: str, name: str, base_url: str | None, *, relative_to: str = "") -> Feed:
    """The links to the calendar file ``name`` of athlete ``athlete_id``.

    Without ``base_url`` the link is relative: ``relative_to`` + name (the athlete's page is in
    the athlete's folder, so ``""``; the site index passes the folder).  With one, all links are
    absolute: https (or http), webcal and Google Calendar's add-by-URL."""
    if base_url is None:
        return Feed(href=relative_to + name)
    absolute = normalize_base_url(base_url) + athlete_folder(athlete_id) + name
    webcal = "webcal://" + absolute.split("://", 1)[1]
    google = GOOGLE_ADD_BY_URL + quote(webcal, safe=":/")
    return Feed(href=absolute, https=absolute, webcal=webcal, google=google)


def anchor(uid: str) -> str:
    """The HTML id of a workout's details: 'w-' and its uid, made safe for a fragment."""
    return "w-" + _NOT_ID.sub("-", uid)


def subscribe_links(athlete_id: str, base_url: str | None) -> dict[str, Any]:
    return {
        "plan": feed_links(athlete_id, FEED, base_url),
        "plan_name": FEED,
        "busy_name": BUSY_FEED,
        "busy": feed_links(athlete_id, BUSY_FEED, base_url),
        "files": [{"name": o.name, "label": o.label, "href": o.name} for o in listed()],
        "absolute": base_url is not None,
    }

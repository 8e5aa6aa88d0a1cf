"""Characters that look right and are not: named for what they are, at their own line and column.

A non-breaking space pasted from a web page, a zero-width space from a chat, curly quotes from a
word processor, or Jinja written without quotes all break a file in ways YAML and the schema
report only by their effects: "could not find expected ':'" a line later, an unknown key that
looks like a known one, a time that is "not valid".  The loader and the validator ask this module
first, and report the cause instead of its effects (one error, not four).

Characters in prose are left alone: an apostrophe (U+2019) in a note or a non-breaking space before
a unit are fine where the value is text.  They are named only where they do harm: in a key, in the
structure of a line YAML could not read, or in a value that failed its check.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ..diagnostics import Diagnostic, Position, error

SPACES = {
    "\u00a0": "a non-breaking space",
    "\u1680": "an Ogham space",
    "\u2000": "an en quad space",
    "\u2001": "an em quad space",
    "\u2002": "an en space",
    "\u2003": "an em space",
    "\u2004": "a three-per-em space",
    "\u2005": "a four-per-em space",
    "\u2006": "a six-per-em space",
    "\u2007": "a figure space",
    "\u2008": "a punctuation space",
    "\u2009": "a thin space",
    "\u200a": "a hair space",
    "\u202f": "a narrow non-breaking space",
    "\u205f": "a medium mathematical space",
    "\u3000": "an ideographic space",
}
INVISIBLE = {
    "\u200b": "a zero-width space",
    "\u200c": "a zero-width non-joiner",
    "\u200d": "a zero-width joiner",
    "\u2060": "a word joiner",
    "\ufeff": "a zero-width no-break space (a byte-order mark inside the text)",
    "\u00ad": "a soft hyphen",
}
QUOTES = "\u201c\u201d\u201e\u2018\u2019\u201a"  # curly double and single quotes, low ones too
_ODD = "".join([*SPACES, *INVISIBLE])
_ANY = re.compile(f"[{_ODD}{QUOTES}]")
_ODD_RE = re.compile(f"[{_ODD}]")
_QUOTED = re.compile("^[\u201c\u201d\u201e\u2018\u2019\u201a](.*)[\u201c\u201d\u2018\u2019]$", re.S)
# where a line's structure breaks: in its indentation, right after `-`, or around a key's `:`
_STRUCTURE = re.compile(
    rf"^[ \t{_ODD}]*?(?P<indent>[{_ODD}])"
    rf"|^[ \t]*-(?P<dash>[{_ODD}])"
    rf"|^[ \t]*(?:-[ \t]+)*[A-Za-z_][\w+-]*(?P<key>[{_ODD}])"
    rf"|^[ \t]*(?:-[ \t]+)*[A-Za-z_][\w+-]*[ \t]*:(?P<colon>[{_ODD}])"
)
# Jinja where a value starts, unquoted: `key: {{ x }}`, `- {{ x }} @ 5k`, `key: {% if %}`
_JINJA = re.compile(r"^[ \t]*(?:-[ \t]+)*(?:[A-Za-z_][\w+-]*[ \t]*:[ \t]+)?(?P<jinja>\{[{%])")
# a value opened with a typographic quote: `name: “Sam: the runner”` breaks on its `: `
_CURLY = re.compile(
    r"^[ \t]*(?:-[ \t]+)*(?:[A-Za-z_][\w+-]*[ \t]*:[ \t]+)?(?P<quote>[\u201c\u201e\u2018\u201a])"
)


def describe(char: str) -> str:
    """'a non-breaking space (U+00A0)'."""
    name = SPACES.get(char) or INVISIBLE.get(char)
    if name is None:
        name = f"a typographic quote {char}" if char in QUOTES else unicodedata.name(char)
    return f"{name} (U+{ord(char):04X})"


def has_odd(text: str) -> bool:
    return _ANY.search(text) is not None


@dataclass(frozen=True)
class Found:
    """An odd character and where it is in the source."""

    char: str
    pos: Position


def find_from(source: str, start: Position, chars: str | None = None) -> Found | None:
    """The first odd character (or one of ``chars``) in ``source`` at or after ``start``."""
    lines = source.split("\n")
    for index in range(start.line - 1, len(lines)):
        row = lines[index]
        begin = start.column - 1 if index == start.line - 1 else 0
        for column in range(begin, len(row)):
            char = row[column]
            if (char in chars) if chars else _ANY.match(char):
                return Found(char, Position(index + 1, column + 1))
    return None


def in_key(key: str, file: str, at: Found) -> Diagnostic:
    """A key holding an odd character: no planc key has one, so it is always a slip."""
    if at.char in QUOTES:
        return error(
            "typographic-quote",
            f"the key '{key}' holds {describe(at.char)}",
            file,
            at.pos,
            "delete it: keys are plain names; quote a value with straight quotes (\" or ')",
        )
    return _invisible(f"the key '{_visible(key)}'", file, at)


def value_cause(source: str, file: str, value: object, start: Position) -> Diagnostic | None:
    """The odd character a value that failed its check holds, named at its own line and column
    (``start`` is where the value starts in ``source``), or None when it holds none."""
    if not isinstance(value, str) or not source or not has_odd(value):
        return None
    found = find_from(source, start)
    return in_value(value, file, found) if found is not None else None


def in_value(value: str, file: str, at: Found) -> Diagnostic:
    """A value that failed its check because of an odd character in it."""
    text = value.strip()
    quoted = _QUOTED.match(text)
    if quoted:
        inner = quoted.group(1)
        return error(
            "typographic-quote",
            f"the quotes around {inner} are typographic quotes ({text[0]} and {text[-1]}); "
            "use straight quotes",
            file,
            at.pos,
            f'write it with straight quotes: "{inner}" (a word processor or phone curls them '
            "as you type; turn off its smart quotes)",
        )
    if at.char in QUOTES:
        return error(
            "typographic-quote",
            f"the value '{text}' holds {describe(at.char)}; use straight quotes",
            file,
            at.pos,
            "quote a value with straight quotes (\" or '), or leave the quotes out",
        )
    return _invisible(f"the value '{_visible(value)}'", file, at)


def _visible(text: str) -> str:
    """``text`` with each odd character shown as <U+XXXX>."""
    return _ODD_RE.sub(lambda m: f"<U+{ord(m.group()):04X}>", text)


def _invisible(what: str, file: str, at: Found) -> Diagnostic:
    if at.char in SPACES:
        return error(
            "invisible-character",
            f"{what} holds {describe(at.char)}, which looks like a space but is not one",
            file,
            at.pos,
            "replace it with an ordinary space (it often comes with text pasted from a web page "
            "or typed with Alt/Option+Space)",
        )
    return error(
        "invisible-character",
        f"{what} holds {describe(at.char)}, an invisible character",
        file,
        at.pos,
        "delete it (it often comes with text pasted from a web page or a chat): move the "
        "cursor over it, or retype the word",
    )


def syntax_cause(source: str, file: str, upto_line: int) -> Diagnostic | None:
    """What a YAML syntax error at ``upto_line`` probably comes from, when the lines up to it
    (and the one after) hold one: unquoted Jinja where a value starts, or an odd space or
    invisible character in a line's structure (its indentation, a key, around ``:`` or ``-``).
    Lines in comments are skipped."""
    for number, row in enumerate(source.split("\n")[: upto_line + 1], start=1):
        if row.lstrip().startswith("#"):
            continue
        jinja = _JINJA.match(row)
        if jinja and number <= upto_line:
            return unquoted_jinja(file, Position(number, jinja.start("jinja") + 1), row)
        curly = _CURLY.match(row)
        if curly and number == upto_line:
            at = Found(curly.group("quote"), Position(number, curly.start("quote") + 1))
            rest = row[curly.start("quote") :].split(" #")[0].strip()
            return in_value(rest, file, at)
        structure = _STRUCTURE.match(row)
        if structure:
            group = next(g for g in ("indent", "dash", "key", "colon") if structure.group(g))
            char = structure.group(group)
            at = Found(char, Position(number, structure.start(group) + 1))
            return _invisible("this line", file, at)
    return None


def unquoted_jinja(file: str, pos: Position, row: str = "") -> Diagnostic:
    """Jinja that starts a value unquoted: YAML reads ``{{ x }}`` as a mapping, and ``{%`` as
    nothing it knows, so the value must be quoted whole."""
    value = row[pos.column - 1 :].split(" #")[0].strip() if row else "{{ ... }}"
    shown = value.replace('"', '\\"')
    return error(
        "unquoted-jinja",
        "this value starts with Jinja, which YAML reads as a mapping: quote it",
        file,
        pos,
        f'quote the whole value: "{shown}"',
    )

"""Composition: a template may build on another with ``extends:``.

Merge rules (documented for coaches in docs/templates.md):

- mappings merge key by key, recursively;
- any other value (text, number, list) given by the template replaces the inherited one;
- ``key+: [...]`` appends to the inherited list instead of replacing it;
- ``key: null`` (or ``key: ~``) removes the inherited key;
- ``kind`` must match, ``name`` is the template's own, ``extends`` is not inherited.

``extends: endurance`` finds the focus named endurance along the whole search path, as every
other reference does (a template among the PATHS may extend one in a ``--templates`` folder); a
template that extends its own name (a coach's ``endurance`` building on the bundled one) finds the
next one down the path. Chains may be as long as you like; a cycle is an
error that names the whole chain.  Every value keeps the file and line it came from, and a value a
template overrides remembers where it was before, for diagnostics and ``planc explain``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from ..diagnostics import Diagnostic, Position, choices_hint, error, has_errors
from .document import Document, Located, PathKey
from .library import TEMPLATE_KINDS
from .validate import validate_document


@dataclass
class Layers:
    """Documents per search-path layer (coach folders first, the bundled library last), with the
    templates of each layer that have errors."""

    documents: list[list[Document]]
    broken: list[list[tuple[str, str]]]
    diagnostics: list[Diagnostic] = field(default_factory=list)


def is_derived(doc: Document) -> bool:
    return doc.kind in TEMPLATE_KINDS and "extends" in doc.data


def compose(layers: Layers) -> Layers:
    """Replace every template that ``extends`` another by the composed template, schema-checked.
    A template that cannot be composed (unknown parent, cycle, errors) becomes broken."""
    composer = _Composer(layers)
    documents: list[list[Document]] = []
    broken = [list(b) for b in layers.broken]
    for index, layer in enumerate(layers.documents):
        kept = []
        for doc in layer:
            if not is_derived(doc):
                kept.append(doc)
                continue
            result = composer.composed(index, doc, ())
            if result is None:
                assert doc.kind is not None and doc.name is not None
                broken[index].append((doc.kind, doc.name))
            else:
                kept.append(result)
        documents.append(kept)
    return Layers(documents, broken, [*layers.diagnostics, *composer.diagnostics])


class _Composer:
    def __init__(self, layers: Layers) -> None:
        self.layers = layers
        self.done: dict[int, Document | None] = {}
        self.diagnostics: list[Diagnostic] = []

    def parent_of(self, index: int, doc: Document) -> tuple[int, Document] | None:
        """The template ``doc`` extends: the first of that kind and name on the whole search
        path (the one every other reference finds, whichever layer ``doc`` is in: a template
        among the PATHS may extend one in a --templates folder), or, for a template extending
        its own name, the next one down the path after its own layer (never itself)."""
        target = doc.data.get("extends")
        start = index + 1 if target == doc.name else 0
        for layer_index in range(start, len(self.layers.documents)):
            for candidate in self.layers.documents[layer_index]:
                if candidate is not doc and candidate.kind == doc.kind and candidate.name == target:
                    return layer_index, candidate
        return None

    def composed(self, index: int, doc: Document, chain: tuple[Document, ...]) -> Document | None:
        """``doc`` composed over the chain of templates it extends and schema-checked, or None
        when it cannot be (its problems reported).  ``chain``: the templates that led here,
        which ``doc`` must not be one of."""
        if id(doc) in self.done:
            return self.done[id(doc)]
        if not is_derived(doc):
            return doc
        if any(d is doc for d in chain):
            self.diagnostics.append(_cycle(doc, chain))
            return None
        found = self.parent(index, doc)
        if found is None:
            self.done[id(doc)] = None
            return None
        parent_index, parent = found
        base = self.composed(parent_index, parent, (*chain, doc))
        if base is None:
            if not chain:  # the parent's own problem is reported at the parent
                self.done[id(doc)] = None
            return None
        merged = merge(base, doc)
        problems = [_at_removal(doc, d) for d in validate_document(merged)]
        self.diagnostics.extend(problems)
        result = None if has_errors(problems) else merged
        self.done[id(doc)] = result
        return result

    def parent(self, index: int, doc: Document) -> tuple[int, Document] | None:
        """The template ``doc`` extends and its layer, or None: reported here, unless the parent
        is there but has errors of its own (reported in its own file)."""
        target = doc.data.get("extends")
        if not isinstance(target, str):
            self.diagnostics.append(
                error("bad-value", "`extends` names one template", *doc.locate(("extends",)))
            )
            return None
        found = self.parent_of(index, doc)
        below = index + 1 if target == doc.name else 0
        if found is None and not any(
            (doc.kind, target) in layer for layer in self.layers.broken[below:]
        ):
            self.diagnostics.append(self.unknown_parent(doc, target))
        return found

    def unknown_parent(self, doc: Document, target: str) -> Diagnostic:
        """``doc`` extends a template no layer has, with the names it could have meant."""
        known = sorted(
            {str(d.name) for layer in self.layers.documents for d in layer if d.kind == doc.kind}
            | {n for layer in self.layers.broken for k, n in layer if k == doc.kind}
        )
        if target == doc.name:  # its own name: there is no other one further down the path
            others = ", ".join(n for n in known if n != target) or "none"
            message = f"there is no other {doc.kind} named '{target}' to extend"
            hint = (
                "a template extending its own name builds on the next one of that name down "
                f"the search path, and there is none; extend another {doc.kind}: {others}"
            )
        else:
            message = f"there is no {doc.kind} named '{target}' to extend"
            hint = choices_hint(target, known)
        return error("unknown-reference", message, *doc.locate(("extends",)), hint)


def _cycle(doc: Document, chain: tuple[Document, ...]) -> Diagnostic:
    """``doc`` extends itself through ``chain``: the whole loop, by name."""
    first = next(i for i, d in enumerate(chain) if d is doc)
    names = [str(d.name) for d in chain[first:]] + [str(doc.name)]
    return error(
        "extends-cycle",
        f"the {doc.kind} extends itself: {' -> '.join(names)}",
        *doc.locate(("extends",)),
        "break the chain: one of these templates must not extend another",
    )


def _at_removal(child: Document, diagnostic: Diagnostic) -> Diagnostic:
    """A required key missing because the template removed it (`key: null`) is reported at that
    line: it is the line to change."""
    match = re.search(r"required key '([^']+)'$", diagnostic.message)
    if diagnostic.code != "missing-key" or match is None:
        return diagnostic
    name = match.group(1)
    if name not in child.data or child.data[name] is not None:
        return diagnostic
    file, pos = child.locate((name,), key=True)
    hint = (diagnostic.hint or "").removeprefix(f"add `{name}:`").strip()
    return replace(
        diagnostic,
        file=file,
        line=pos.line,
        column=pos.column,
        hint=f"give `{name}:` a value instead of null {hint}".strip(),
    )


def merge(parent: Document, child: Document) -> Document:
    """The child template composed over its (already composed) parent."""
    positions: dict[PathKey, Located] = {
        path: located if located.file else replace(located, file=parent.path)
        for path, located in parent.positions.items()
    }
    overrides: dict[PathKey, tuple[str, Position]] = dict(parent.overrides)
    data = _merge_mapping(parent.data, child, (), positions, overrides)
    data.pop("extends", None)
    for path in [p for p in positions if p[:1] == ("extends",)]:
        del positions[path]
    positions[()] = child.positions[()]
    return Document(
        path=child.path,
        data=data,
        positions=positions,
        file=child.file,
        overrides=overrides,
        extends=(*parent.extends, parent.path) if parent.extends else (parent.path,),
    )


def _subtree(positions: Mapping[PathKey, Located], path: PathKey) -> list[PathKey]:
    return [p for p in positions if p[: len(path)] == path]


def _merge_mapping(
    inherited: Mapping[str, Any],
    child: Document,
    path: PathKey,
    positions: dict[PathKey, Located],
    overrides: dict[PathKey, tuple[str, Position]],
) -> dict[str, Any]:
    own = child.data
    for part in path:
        own = own[part]
    result = dict(inherited)
    for key, value in own.items():
        here = (*path, key)
        if isinstance(key, str) and key.endswith("+") and len(key) > 1:
            base_key = key[:-1]
            target = (*path, base_key)
            before = result.get(base_key)
            if isinstance(before, list) and isinstance(value, list):
                result[base_key] = [*before, *value]
                offset = len(before)
            else:
                result[base_key] = value  # nothing to append to: validation says if it is wrong
                for old in _subtree(positions, target):
                    del positions[old]
                offset = 0
            for sub in _subtree(child.positions, here):
                rest = sub[len(here) :]
                if rest and isinstance(rest[0], int):
                    rest = (rest[0] + offset, *rest[1:])
                positions[(*target, *rest)] = child.positions[sub]
            if (
                not (isinstance(before, list) and isinstance(value, list))
                or target not in positions
            ):
                positions[target] = child.positions[here]
            continue
        if value is None:
            if key in result:
                overrides[here] = (positions[here].file or child.path, positions[here].value)
            result.pop(key, None)
            for old in _subtree(positions, here):
                del positions[old]
            continue
        before = result.get(key)
        if isinstance(value, dict) and isinstance(before, dict):
            positions[here] = child.positions[here]
            result[key] = _merge_mapping(before, child, here, positions, overrides)
            continue
        if key in result and here in positions:
            overrides[here] = (positions[here].file or child.path, positions[here].value)
        for old in _subtree(positions, here):
            del positions[old]
        for sub in _subtree(child.positions, here):
            positions[sub] = child.positions[sub]
        result[key] = value
    return result

"""The one YAML reader for what editors write (front matter, sidecars, registries): safe,
bounded (no anchors or aliases, limited nesting), and every error names its file and line."""

from __future__ import annotations

import re
import reprlib
from pathlib import Path

import yaml

from builder.errors import ContentError

try:  # libyaml when present: 10x faster
    from yaml import CSafeLoader as _BASE_LOADER
except ImportError:
    from yaml import SafeLoader as _BASE_LOADER  # type: ignore[assignment]  # same API, pure Python


QUOTING_HINT = "check quoting: a value with ': ' or starting with [ { * & ! | > ' \" % @ needs to be in double quotes"


class Mapping(dict):
    """A YAML mapping that remembers the line it starts on (registries name entries by it)."""

    line = 0


class _Loader(_BASE_LOADER):
    """The one safe YAML loader of front matter and dump sidecars.

    Aliases never reach it (see `load_yaml`); a value that cannot be read ("2026-02-30",
    "!!int abc") is reported on its own line. Values are constructed by libyaml's fast path;
    only after a failure is each scalar tried on its own to find the line.
    """

    def get_single_data(self):
        node = self.get_single_node()
        if node is None:
            return None
        try:
            return self.construct_document(node)
        except (ValueError, OverflowError) as err:
            raise self._located(node, err) from None

    def _located(self, root, err: Exception) -> yaml.YAMLError:
        self.constructed_objects, self.recursive_objects = {}, {}
        stack = [root]
        while stack:
            node = stack.pop()
            if isinstance(node, yaml.ScalarNode):
                try:
                    self.construct_object(node)
                except (ValueError, OverflowError) as problem:
                    err, root = problem, node
                    break
            elif isinstance(node, yaml.MappingNode):
                stack.extend(part for pair in reversed(node.value) for part in reversed(pair))
            else:
                stack.extend(reversed(node.value))
        what = shown(root.value) if isinstance(root, yaml.ScalarNode) else "a value"
        return yaml.constructor.ConstructorError(
            None, None, f"{what} cannot be read: {_cut(str(err))}", root.start_mark
        )


def load_yaml(raw: str, path: Path | str, first_line: int, what: str, hint: str = QUOTING_HINT):
    """Parse YAML that an editor wrote, bounded: no aliases, limited nesting, errors name the line.

    `first_line` is the file line `raw` starts on; `what` opens every message ("invalid front
    matter"). A 400-byte alias bomb expands to gigabytes wherever the value is used, so
    anchors and aliases are refused before anything is built.
    """
    if _nesting(raw) > MAX_NESTING:
        raise ContentError(
            f"{what}: values are nested too deeply",
            file=path,
            line=first_line,
            hint="use plain 'key: value' lines and [lists] of names",
        )
    try:
        if "&" in raw or "*" in raw:  # the only characters that start an anchor or an alias
            for event in yaml.parse(raw, Loader=_BASE_LOADER):
                if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                    raise ContentError(
                        f"{what}: YAML anchors and aliases (&name, *name) are not allowed",
                        file=path,
                        line=(event.start_mark.line if event.start_mark else 0) + first_line,
                        hint="write each value out in full; put a value that starts with & or * in double quotes",
                    )
        return yaml.load(raw, Loader=_Loader)
    except RecursionError:
        raise ContentError(
            f"{what}: values are nested too deeply",
            file=path,
            line=first_line,
            hint="use plain 'key: value' lines and [lists] of names",
        ) from None
    except yaml.YAMLError as err:
        # An unclosed bracket or quote is reported where it was opened, not where YAML gave up.
        mark = getattr(err, "context_mark", None) or getattr(err, "problem_mark", None)
        line = mark.line + first_line if mark else first_line
        problem = getattr(err, "problem", None) or "invalid YAML"
        raise ContentError(f"{what}: {_cut(problem)}", file=path, line=line, hint=hint) from None


MAX_NESTING = 50  # libyaml crashes the interpreter on YAML nested tens of thousands deep


_BRACKET = re.compile(r"[\[\]{}]")


_BLOCK_DEPTH = re.compile(r"^[ \t]*(?:[-?][ \t]+)*", re.MULTILINE)


def _nesting(raw: str) -> int:
    """An upper bound of how deeply YAML values in `raw` nest (brackets, indentation, '- - -')."""
    depth = deepest = 0
    for match in _BRACKET.finditer(raw):
        depth += 1 if match.group() in "[{" else -1
        deepest = max(deepest, depth)
    return max(deepest, max((len(m.group()) for m in _BLOCK_DEPTH.finditer(raw)), default=0) // 2)


# reprlib looks at a few items and levels only: a huge or self-repeating value costs nothing to show.
_REPR = reprlib.Repr()


_REPR.maxlevel, _REPR.maxlist, _REPR.maxdict, _REPR.maxstring, _REPR.maxother = 2, 4, 4, 60, 60


def shown(value, limit: int = 60) -> str:
    """`value` for a message: quoted, and cut if long; never formats more than it shows."""
    text = repr(value[:limit]) if isinstance(value, str) else _REPR.repr(value)
    return _cut(text, limit)


def _cut(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _construct_mapping(loader: _Loader, node: yaml.MappingNode):
    data = Mapping()
    data.line = node.start_mark.line + 1
    yield data
    data.update(loader.construct_mapping(node))


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
for _dumper in {yaml.SafeDumper, getattr(yaml, "CSafeDumper", yaml.SafeDumper)}:  # written back as plain mappings
    _dumper.add_representer(Mapping, yaml.representer.SafeRepresenter.represent_dict)

"""Site settings from one file (site.toml), with every default in one place."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path

from builder.errors import ContentError

CONFIG_FILE = "site.toml"


@dataclass(frozen=True)
class Config:
    """What a build needs to know; folders are resolved against the config file's folder."""

    root: Path = Path(".")
    title: str = "Tech Policy News Archive"
    description: str = "An archive of short tech-policy news: AI, cybersecurity, data, platforms and more."
    language: str = "en"
    base_url: str = "/"
    per_page: int = 20
    cname: str = ""
    seeds: str = "seeds"
    content: str = "content"
    data: str = "data"
    templates: str = "templates"
    static: str = "static"
    out: str = "site"
    cache: str = ".cache"
    search: bool = True

    def path(self, name: str) -> Path:
        """A configured folder as a path (absolute folders are taken as they are)."""
        return self.root / getattr(self, name)


def load_config(path: Path | None = None, **overrides) -> Config:
    """Read `path` (default ./site.toml, optional) and apply non-None overrides."""
    path = path or Path(CONFIG_FILE)
    values: dict = {}
    if path.exists():
        try:
            values = tomllib.loads(path.read_text("utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
            raise ContentError(
                f"invalid settings: {err}", file=path, hint="see the README section 'Settings' for the format"
            ) from None
    known = {f.name: f for f in fields(Config)}
    for key, value in values.items():
        if key not in known or key == "root":
            raise ContentError(
                f"unknown setting '{key}'",
                file=path,
                hint=f"known settings: {', '.join(k for k in known if k != 'root')}",
            )
        expected = type(getattr(Config, key))
        if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
            raise ContentError(f"setting '{key}' must be a {expected.__name__}", file=path)
    config = replace(Config(root=path.resolve().parent), **values)
    config = replace(config, **{k: v for k, v in overrides.items() if v is not None})
    if config.per_page < 1:
        raise ContentError("setting 'per_page' must be at least 1", file=path)
    return config

"""Site settings from one file (site.toml), with every default in one place."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path

from builder.errors import ContentError
from builder.urls import is_safe_slug

CONFIG_FILE = "site.toml"

# Where a taxonomy's terms are looked up: canonical names, slugs and what term pages show.
REGISTRIES = ("topics.yaml", "companies.yaml", "organisations.yaml", "iso-3166", "")
# Front matter lists an article can carry (content.py reads exactly these).
TERM_FIELDS = ("topics", "companies", "organisations", "countries")
# Top-level folders the site uses for other pages: no taxonomy may take them.
TAKEN_FOLDERS = frozenset({"articles", "archive", "search", "static", "pagefind", "page"})


@dataclass(frozen=True)
class TaxonomySpec:
    """One kind of term, declared in site.toml (`[[taxonomies]]`): pages, feeds, charts and
    search filters of every taxonomy come from this declaration."""

    name: str  # its key: "companies"
    singular: str  # "company": in text, chip classes and as the search filter's name
    title: str  # "Companies": headings and navigation
    folder: str  # URL folder of its pages: companies/<slug>/
    field: str  # the front matter list its terms come from
    registry: str = ""  # one of REGISTRIES: canonical names, slugs and details; "" takes names as written
    feeds: bool = True  # an Atom feed per term
    charts: bool = True  # articles per month on term pages
    search: bool = True  # a search filter (data-pagefind-filter) on article pages


DEFAULT_TAXONOMIES = (
    TaxonomySpec("topics", "topic", "Topics", "topics", "topics", "topics.yaml"),
    TaxonomySpec("companies", "company", "Companies", "companies", "companies", "companies.yaml"),
    TaxonomySpec(
        "organisations", "organisation", "Organisations", "organisations", "organisations", "organisations.yaml"
    ),
    TaxonomySpec("countries", "country", "Countries", "countries", "countries", "iso-3166"),
)


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
    taxonomies: tuple[TaxonomySpec, ...] = DEFAULT_TAXONOMIES

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
    if "taxonomies" in values:
        values["taxonomies"] = parse_taxonomies(values["taxonomies"], path)
    for key, value in values.items():
        if key not in known or key == "root":
            raise ContentError(
                f"unknown setting '{key}'",
                file=path,
                hint=f"known settings: {', '.join(k for k in known if k != 'root')}",
            )
        if key == "taxonomies":
            continue  # parsed and checked above
        expected = type(getattr(Config, key))
        if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
            raise ContentError(f"setting '{key}' must be a {expected.__name__}", file=path)
    config = replace(Config(root=path.resolve().parent), **values)
    config = replace(config, **{k: v for k, v in overrides.items() if v is not None})
    if config.per_page < 1:
        raise ContentError("setting 'per_page' must be at least 1", file=path)
    return config


def parse_taxonomies(declared, path: Path) -> tuple[TaxonomySpec, ...]:
    """The `[[taxonomies]]` tables of site.toml as specs; they replace the defaults.

    A table naming a default taxonomy (topics, companies, organisations, countries) needs only
    its `name`; the others need `name` and `singular`. Mistakes are errors naming site.toml."""
    if not isinstance(declared, list) or not all(isinstance(t, dict) for t in declared):
        raise ContentError(
            "setting 'taxonomies' must be a list of tables", file=path, hint="write each as a [[taxonomies]] table"
        )
    defaults = {spec.name: spec for spec in DEFAULT_TAXONOMIES}
    keys = {f.name: f for f in fields(TaxonomySpec)}
    specs: list[TaxonomySpec] = []
    for number, table in enumerate(declared, 1):
        where = f"taxonomy {number}"
        name = table.get("name")
        if not isinstance(name, str) or not name:
            raise ContentError(f"{where} has no 'name'", file=path, hint='give each [[taxonomies]] a name = "..."')
        where = f"taxonomy '{name}'"
        for key, value in table.items():
            if key not in keys:
                raise ContentError(f"{where}: unknown key '{key}'", file=path, hint=f"known keys: {', '.join(keys)}")
            expected = bool if keys[key].type == "bool" else str
            if type(value) is not expected:
                raise ContentError(f"{where}: '{key}' must be a {expected.__name__}", file=path)
        base = defaults.get(name)
        if base is None:
            if "singular" not in table:
                raise ContentError(
                    f"{where} needs 'singular'", file=path, hint='e.g. singular = "region" for name = "regions"'
                )
            base = TaxonomySpec(name, table["singular"], name.capitalize(), name, name)
        specs.append(replace(base, **table))
    _check_taxonomies(specs, path)
    return tuple(specs)


def _check_taxonomies(specs: list[TaxonomySpec], path: Path) -> None:
    seen: dict[tuple[str, str], str] = {}
    for spec in specs:
        where = f"taxonomy '{spec.name}'"
        if spec.field not in TERM_FIELDS:
            raise ContentError(
                f"{where}: field '{spec.field}' is not a front matter list",
                file=path,
                hint=f"field must be one of {', '.join(TERM_FIELDS)}",
            )
        if spec.registry not in REGISTRIES:
            raise ContentError(
                f"{where}: unknown registry '{spec.registry}'",
                file=path,
                hint=f"registry must be one of {', '.join(repr(r) for r in REGISTRIES)} ('' takes names as written)",
            )
        if not is_safe_slug(spec.folder) or spec.folder in TAKEN_FOLDERS:
            raise ContentError(
                f"{where}: folder '{spec.folder}' cannot hold its pages",
                file=path,
                hint="use lowercase letters, digits and hyphens, and not " + ", ".join(sorted(TAKEN_FOLDERS)),
            )
        if not is_safe_slug(spec.singular) or not spec.title.strip():
            raise ContentError(
                f"{where}: 'singular' must be a lowercase word and 'title' may not be empty",
                file=path,
                hint="singular names the search filter and the chips' class: letters, digits and hyphens",
            )
        for key in ("name", "folder", "field", "singular"):
            other = seen.get((key, getattr(spec, key)))
            if other:
                raise ContentError(
                    f"taxonomies '{other}' and '{spec.name}' have the same {key} '{getattr(spec, key)}'",
                    file=path,
                    hint=f"each taxonomy needs its own {key}",
                )
            seen[(key, getattr(spec, key))] = spec.name

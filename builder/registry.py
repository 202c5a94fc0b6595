"""Company, organisation and topic registries loaded from data/*.yaml, and the phrase matcher.

Files (all optional; a missing file is an empty section):
  companies.yaml      list of companies (name, slug, aliases, parent, website, ambiguous...)
  deny.yaml           `deny:` names never tagged as companies (products, blockchains...)
  organisations.yaml  `organisations:` non-company bodies, `places:` countries and cities
  threat_actors.yaml  `threat_actors:` hacking groups and malware (never companies)
  topics.yaml         list of topics (name, slug, description, keywords with weights)
  countries.yaml      what ISO 3166 (pycountry) lacks: demonyms, short forms, the EU as a region
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache, cached_property
from importlib import resources
from pathlib import Path
from typing import NamedTuple, TypeVar

import ahocorasick
import pycountry

from builder.errors import ContentError
from builder.safeyaml import Mapping, load_yaml
from builder.urls import is_safe_slug, slugify


@dataclass(frozen=True)
class Company:
    name: str
    slug: str
    aliases: tuple[str, ...] = ()
    parent: str | None = None
    website: str | None = None
    ambiguous: bool = False  # also an ordinary word or place: needs a company context
    case_sensitive: bool = False
    not_before: tuple[str, ...] = ()  # words after the name that mean the ordinary sense
    topics: tuple[str, ...] = ()  # sectors: topics its news usually belongs to (evidence, not a verdict)

    @property
    def forms(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass(frozen=True)
class Topic:
    name: str
    slug: str
    description: str
    keywords: tuple[tuple[str, float], ...]


@dataclass(frozen=True)
class Organisation:
    name: str
    aliases: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()  # as for companies: a competition authority suggests antitrust


@dataclass(frozen=True)
class ThreatActor:
    name: str
    aliases: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()  # naming the group is evidence for these


@dataclass(frozen=True)
class Country:
    """A country (ISO 3166-1) or region (the EU) and the forms that name it in text."""

    name: str  # canonical: "United States", "South Korea", "European Union"
    code: str  # ISO 3166-1 alpha-2, or "EU"
    names: tuple[str, ...]  # "United States of America", "US", "America"
    demonyms: tuple[str, ...] = ()  # "American"
    ambiguous_names: tuple[str, ...] = ()  # also words or other places ("Georgia"): they need another form too

    @property
    def forms(self) -> tuple[str, ...]:
        return (*self.names, *self.demonyms)


@dataclass(frozen=True)
class Registry:
    companies: tuple[Company, ...]
    topics: tuple[Topic, ...]
    deny: frozenset[str]
    organisations: tuple[Organisation, ...] = ()
    places: frozenset[str] = frozenset()
    threat_actors: tuple[ThreatActor, ...] = ()
    countries: tuple[Country, ...] = ()

    @cached_property
    def _companies_by_form(self) -> dict[str, Company]:
        return {form.casefold(): c for c in self.companies for form in c.forms}

    @cached_property
    def _topics_by_name(self) -> dict[str, Topic]:
        return {key: t for t in self.topics for key in (t.name.casefold(), t.slug)}

    def company(self, name_or_alias: str) -> Company | None:
        """The company with this canonical name or alias, ignoring case."""
        return self._companies_by_form.get(name_or_alias.strip().casefold())

    def topic(self, name: str) -> Topic | None:
        """The topic with this name (ignoring case) or slug."""
        return self._topics_by_name.get(name.strip().casefold())


# --- names that are no firms ----------------------------------------------------------------


_COMMON = re.compile("[5-9A-D]")


@cache
def given_names() -> frozenset[str]:
    """Common given names of many countries ("Paul", "Nadeem"), as written, from the name dictionary
    that the gender-guesser package ships: one name per line (column 4 on), then its frequency in
    each of 55 countries, a hex digit from 1 (rare) to D (very common). A name counts when it is
    at least moderately common (5) somewhere: rare ones are words or firms as often ("Sky", "Core")."""
    names = set()
    with resources.files("gender_guesser").joinpath("data/nam_dict.txt").open(encoding="utf-8") as lines:
        for line in lines:
            if line[:1] not in "#=" and _COMMON.search(line, 30, 85):
                name = line[3:29].strip()
                names.update((name.replace("+", "-"), name.replace("+", " ")) if "+" in name else (name,))
    return frozenset(names)


_DEMONYM_ENDINGS = ("n", "an", "ian", "ese", "i", "ish", "ic", "ean")


def demonyms(countries: tuple[Country, ...]) -> frozenset[str]:
    """Adjectives of nationality: the registry's own and those a country's one-word name forms
    regularly ("Peru" -> "Peruvian", "Korea" -> "Korean", "Kenya" -> "Kenyan", "Nepal" -> "Nepalese").
    Forms that are no demonym ("Chadi") are harmless: the set only tells what is no firm."""
    found = {d for c in countries for d in c.demonyms}
    for country in countries:
        for name in country.names:
            if " " in name or not name.isalpha() or name.isupper():
                continue
            for stem in (name, name[:-1], name + "v"):
                found.update(stem + ending for ending in _DEMONYM_ENDINGS)
    return frozenset(found)


# --- loading ---------------------------------------------------------------------------------


def _read_yaml(path: Path):
    """A registry file's data (mappings know their line), or None if there is no such file."""
    if not path.exists():
        return None
    try:
        text = path.read_text("utf-8")
    except UnicodeDecodeError:
        raise ContentError("not UTF-8 text", file=path, hint="save the file as UTF-8") from None
    return load_yaml(text, path, first_line=1, what="not valid YAML")


def _section(data, path: Path, key: str | None) -> list:
    """The list at the top of the file, or under `key` in a top-level mapping."""
    if data is None:
        return []
    if key is not None:
        if not isinstance(data, dict):
            raise ContentError(f"expected a mapping with a '{key}:' list", file=path, line=1)
        data = data.get(key) or []
    if not isinstance(data, list):
        raise ContentError(
            f"expected a list{f' under {key!r}' if key else ''}",
            file=path,
            line=getattr(data, "line", None),
            hint="start each entry with '- '",
        )
    return data


def _text(value, what: str, path: Path, line: int | None) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ContentError(f"{what} must be non-empty text, not {value!r}", file=path, line=line)
    return value.strip()


def _optional_text(value, what: str, path: Path, line: int | None) -> str | None:
    """As `_text`, but a missing value is None."""
    return None if value is None else _text(value, what, path, line)


def _texts(value, what: str, path: Path, line: int | None) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise ContentError(
            f"{what} must be a list of names", file=path, line=line, hint=f"write {what}: [First, Second]"
        )
    return tuple(_text(v, what, path, line) for v in value)


def _entry(item, path: Path, allowed: set[str]) -> tuple[dict, int | None]:
    line = getattr(item, "line", None)
    if not isinstance(item, dict):
        raise ContentError(f"expected an entry with 'name:', got {item!r}", file=path, line=line)
    unknown = set(item) - allowed
    if unknown:
        raise ContentError(
            f"unknown field(s): {', '.join(sorted(map(str, unknown)))}",
            file=path,
            line=line,
            hint=f"allowed fields: {', '.join(sorted(allowed))}",
        )
    return item, line


class _UniqueNames:
    """Rejects a name, alias or slug used by two entries (case-insensitive)."""

    def __init__(self, path: Path, kind: str):
        self.path, self.kind = path, kind
        self.seen: dict[str, tuple[str, int | None]] = {}

    def add(self, value: str, owner: str, line: int | None) -> None:
        key = value.casefold()
        if key in self.seen and self.seen[key][0] != owner:
            other, other_line = self.seen[key]
            raise ContentError(
                f"{value!r} is used by two {self.kind}: {other!r} and {owner!r}",
                file=self.path,
                line=line,
                hint=f"a name, alias or slug may belong to one entry only; remove it from one "
                f"of them (the other is at line {other_line})",
            )
        self.seen[key] = (owner, line)


_COMPANY_FIELDS = {
    "name",
    "slug",
    "aliases",
    "parent",
    "website",
    "ambiguous",
    "case_sensitive",
    "not_before",
    "topics",
}


def load_companies(path: Path) -> tuple[Company, ...]:
    companies, lines = [], {}
    names, slugs = _UniqueNames(path, "companies"), _UniqueNames(path, "companies")
    for item in _section(_read_yaml(path), path, None):
        item, line = _entry(item, path, _COMPANY_FIELDS)
        name = _text(item.get("name"), "name", path, line)
        slug = _optional_text(item.get("slug"), "slug", path, line) or slugify(name)
        if not is_safe_slug(slug):
            raise ContentError(
                f"slug {slug!r} is not a URL slug",
                file=path,
                line=line,
                hint="use lowercase letters, digits and single hyphens",
            )
        aliases = _texts(item.get("aliases"), "aliases", path, line)
        for form in (name, *aliases):
            names.add(form, name, line)
        slugs.add(slug, name, line)
        flags = {k: item.get(k, False) for k in ("ambiguous", "case_sensitive")}
        for key, value in flags.items():
            if not isinstance(value, bool):
                raise ContentError(f"{key} must be true or false", file=path, line=line)
        companies.append(
            Company(
                name,
                slug,
                aliases,
                _optional_text(item.get("parent"), "parent", path, line),
                _optional_text(item.get("website"), "website", path, line),
                **flags,
                not_before=tuple(w.casefold() for w in _texts(item.get("not_before"), "not_before", path, line)),
                topics=_texts(item.get("topics"), "topics", path, line),
            )
        )
        lines[name] = line
    known = {c.name for c in companies}
    for company in companies:
        if company.parent and company.parent not in known:
            raise ContentError(
                f"parent {company.parent!r} of {company.name!r} is not a company name here",
                file=path,
                line=lines[company.name],
                hint="write the parent's canonical name exactly, or add the parent as an entry",
            )
    return tuple(companies)


def load_topics(path: Path) -> tuple[Topic, ...]:
    topics = []
    names = _UniqueNames(path, "topics")
    for item in _section(_read_yaml(path), path, None):
        item, line = _entry(item, path, {"name", "slug", "description", "keywords"})
        name = _text(item.get("name"), "name", path, line)
        slug = _optional_text(item.get("slug"), "slug", path, line) or slugify(name)
        if not is_safe_slug(slug):
            raise ContentError(f"slug {slug!r} is not a URL slug", file=path, line=line)
        names.add(name, name, line)
        names.add(slug, name, line)
        keywords = item.get("keywords")
        if not isinstance(keywords, dict) or not keywords:
            raise ContentError(
                f"topic {name!r} needs keywords",
                file=path,
                line=line,
                hint="write keywords as 'phrase: weight' lines, e.g. 'ransomware: 3'",
            )
        pairs = []
        for phrase, weight in keywords.items():
            if isinstance(weight, bool) or not isinstance(weight, (int, float)) or weight <= 0:
                raise ContentError(
                    f"keyword {phrase!r} of {name!r} needs a positive number as weight",
                    file=path,
                    line=keywords.line if isinstance(keywords, Mapping) else line,
                )
            pairs.append((_text(str(phrase), "keyword", path, line), float(weight)))
        topics.append(Topic(name, slug, _text(item.get("description"), "description", path, line), tuple(pairs)))
    return tuple(topics)


def load_organisations(path: Path) -> tuple[tuple[Organisation, ...], frozenset[str]]:
    data = _read_yaml(path)
    places = frozenset(_text(p, "place", path, None) for p in _section(data, path, "places"))
    return _named_entries(data, path, "organisations", Organisation), places


def load_threat_actors(path: Path) -> tuple[ThreatActor, ...]:
    return _named_entries(_read_yaml(path), path, "threat_actors", ThreatActor)


_Named = TypeVar("_Named")


def _named_entries(
    data, path: Path, section: str, kind: Callable[[str, tuple[str, ...], tuple[str, ...]], _Named]
) -> tuple[_Named, ...]:
    """The entries {name, aliases, topics} of one section as `kind`s; a name used twice is an error."""
    entries = []
    names = _UniqueNames(path, section.replace("_", " "))
    for item in _section(data, path, section):
        item, line = _entry(item, path, {"name", "aliases", "topics"})
        name = _text(item.get("name"), "name", path, line)
        aliases = _texts(item.get("aliases"), "aliases", path, line)
        for form in (name, *aliases):
            names.add(form, name, line)
        entries.append(kind(name, aliases, _texts(item.get("topics"), "topics", path, line)))
    return tuple(entries)


def load_deny(path: Path) -> frozenset[str]:
    return frozenset(_text(n, "deny entry", path, None) for n in _section(_read_yaml(path), path, "deny"))


_COUNTRY_FIELDS = {"name", "names", "demonyms", "ambiguous"}


def load_countries(path: Path) -> tuple[Country, ...]:
    """Every ISO 3166-1 country from pycountry, with the names and demonyms of countries.yaml, and its regions."""
    data = _read_yaml(path) or {}
    if not isinstance(data, dict):
        raise ContentError("expected a mapping with 'countries:' and 'regions:'", file=path, line=1)
    extra: dict[str, tuple[dict, int | None]] = {}
    for section in ("countries", "regions"):
        entries = data.get(section) or {}
        if not isinstance(entries, dict):
            raise ContentError(
                f"{section!r} must map codes to entries",
                file=path,
                line=1,
                hint="write e.g. 'BE: {demonyms: [Belgian]}'",
            )
        for code, item in entries.items():
            item, line = _entry(item, path, _COUNTRY_FIELDS)
            if section == "countries" and pycountry.countries.get(alpha_2=str(code)) is None:
                raise ContentError(
                    f"{code!r} is not an ISO 3166-1 alpha-2 country code",
                    file=path,
                    line=line,
                    hint="use the two-letter code, e.g. BE for Belgium",
                )
            if section == "regions" and not item.get("name"):
                raise ContentError(f"region {code!r} needs a name", file=path, line=line)
            if not isinstance(item.get("ambiguous", False), bool):
                raise ContentError("ambiguous must be true or false", file=path, line=line)
            extra[str(code)] = (item, line)
    countries = []
    for entry in pycountry.countries:
        item, line = extra.pop(entry.alpha_2, ({}, None))
        official = [getattr(entry, key, None) for key in ("common_name", "name", "official_name")]
        name = _optional_text(item.get("name"), "name", path, line) or official[0] or entry.name
        iso_names = tuple(dict.fromkeys(n for n in (name, *official) if n and "," not in n))  # not "Korea, Republic of"
        countries.append(
            Country(
                name,
                entry.alpha_2,
                tuple(dict.fromkeys((*iso_names, *_texts(item.get("names"), "names", path, line)))),
                _texts(item.get("demonyms"), "demonyms", path, line),
                iso_names if item.get("ambiguous", False) else (),
            )
        )
    for code, (item, line) in extra.items():  # what is left are the regions
        name = _text(item.get("name"), "name", path, line)
        names = (name, *_texts(item.get("names"), "names", path, line))
        countries.append(Country(name, code, names, _texts(item.get("demonyms"), "demonyms", path, line)))
    return tuple(countries)


def load_registry(data_dir: Path) -> Registry:
    """Read and validate companies, deny list, organisations, threat actors, topics and countries from `data_dir`."""
    data_dir = Path(data_dir)
    companies = load_companies(data_dir / "companies.yaml")
    organisations, places = load_organisations(data_dir / "organisations.yaml")
    deny = load_deny(data_dir / "deny.yaml")
    registry = Registry(
        companies,
        load_topics(data_dir / "topics.yaml"),
        deny,
        organisations,
        places,
        load_threat_actors(data_dir / "threat_actors.yaml"),
        load_countries(data_dir / "countries.yaml"),
    )
    _check_overlaps(registry, data_dir)
    _check_sector_topics(registry, data_dir)
    return registry


def _check_sector_topics(registry: Registry, data_dir: Path) -> None:
    """Every `topics:` hint of a company or organisation names a topic of topics.yaml."""
    known = {t.name for t in registry.topics}
    for file, entries in (
        ("companies.yaml", registry.companies),
        ("organisations.yaml", registry.organisations),
        ("threat_actors.yaml", registry.threat_actors),
    ):
        for entry in entries:
            for topic in set(entry.topics) - known:
                raise ContentError(
                    f"{entry.name!r} names the topic {topic!r}, which topics.yaml does not have",
                    file=data_dir / file,
                    hint="write a topic's name exactly as in topics.yaml",
                )


def _check_overlaps(registry: Registry, data_dir: Path) -> None:
    """A company name may not also be an organisation, a threat actor or a denied name."""
    org_forms = {
        f.casefold(): o.name
        for entries in (registry.organisations, registry.threat_actors)
        for o in entries
        for f in (o.name, *o.aliases)
    }
    deny = {d.casefold() for d in registry.deny}
    for company in registry.companies:
        for form in company.forms:
            if form.casefold() in org_forms:
                raise ContentError(
                    f"{form!r} is both a company and the organisation or threat actor {org_forms[form.casefold()]!r}",
                    file=data_dir / "companies.yaml",
                    hint="keep it in one file: companies.yaml, organisations.yaml or threat_actors.yaml",
                )
            if form.casefold() in deny:
                raise ContentError(
                    f"{form!r} is a company and also on the deny list",
                    file=data_dir / "deny.yaml",
                    hint="remove it from deny.yaml, or the company entry from companies.yaml",
                )


# --- matching --------------------------------------------------------------------------------

# Letters and digits of Latin-1 stay, in lower case; every other byte becomes a space. Characters
# outside Latin-1 (curly quotes, dashes, non-Latin scripts) are encoded as one "?" byte each, so
# offsets are kept; names in other scripts therefore do not match. One table does both jobs:
# lower-casing the whole text first cost as much as the rest of the scan.
_WORD_BYTES = bytes(ord(chr(b).lower()) if chr(b).isalnum() else 32 for b in range(256))  # Latin-1 lowers in Latin-1


def normalise(text: str) -> str:
    """Lower case with every non-word character as a space, keeping each character's offset."""
    return text.encode("latin-1", "replace").translate(_WORD_BYTES).decode("latin-1")


@dataclass(frozen=True, eq=False)  # identity: each phrase is built once, and hashing is the hot path
class Phrase:
    """One phrase in the automaton: what it stands for and how it must be written."""

    form: str
    kind: str  # "company" | "organisation" | "threat_actor" | "deny" | "keyword", or a caller's own kind
    target: object  # Company, organisation name, denied name, (topic index, weight)...
    exact: bool = False  # must match as written
    prefix: bool = False  # keyword "scam*": any word ending

    def accepts(self, written: str) -> bool:
        """Case rules: exact forms as written; a capitalised form never matches a lower-case word."""
        if self.exact:
            return written == self.form
        return not (self.form[:1].isupper() and written[:1].islower())


class Match(NamedTuple):
    start: int
    end: int
    phrase: Phrase


def is_acronym(form: str) -> bool:
    """Single letters and all-capital forms (X, FBI, AI) are matched only as written."""
    letters = [c for c in form if c.isalpha()]
    return len(letters) == 1 or (len(letters) >= 2 and not any(c.islower() for c in letters))


class Matcher:
    """All registry phrases (and any `extra` ones) in one Aho-Corasick automaton."""

    def __init__(self, registry: Registry, extra: tuple[Phrase, ...] = ()):
        table: dict[str, list[tuple[Phrase, int, bool, str]]] = {}
        for phrase in (*self._phrases(registry), *extra):
            body = normalise(phrase.form.rstrip("*") if phrase.prefix else phrase.form)
            key = " " + body + ("" if phrase.prefix else " ")
            # 0: any case; 1: not a lower-case word; 2: exactly as written (see Phrase.accepts)
            rule = 2 if phrase.exact else 1 if phrase.form[:1].isupper() else 0
            written = phrase.form[:-1] if phrase.prefix else phrase.form
            table.setdefault(key, []).append((phrase, rule, phrase.prefix, written))
        kinds = (
            "company",
            "organisation",
            "threat_actor",
            "country",
            "deny",
            "keyword",
        )  # each has a list, maybe empty
        self.kinds = tuple(dict.fromkeys((*kinds, *(p.kind for entries in table.values() for p, *_ in entries))))
        bucket = {kind: i for i, kind in enumerate(self.kinds)}
        self.automaton = ahocorasick.Automaton()
        for key, phrases in table.items():
            # phrases that match in any case and end on a word end need no check: kept apart
            simple = tuple((p, bucket[p.kind]) for p, rule, prefix, _ in phrases if rule == 0 and not prefix)
            checked = tuple((*entry, bucket[entry[0].kind]) for entry in phrases if entry[1] or entry[2])
            self.automaton.add_word(key, (len(key), simple, checked))
        self.automaton.make_automaton()

    @staticmethod
    def _phrases(registry: Registry) -> Iterator[Phrase]:
        for company in registry.companies:
            for form in company.forms:
                yield Phrase(
                    form, "company", company, exact=company.ambiguous or company.case_sensitive or is_acronym(form)
                )
        for org in registry.organisations:
            for form in (org.name, *org.aliases):
                yield Phrase(form, "organisation", org.name, exact=is_acronym(form))
        for actor in registry.threat_actors:
            for form in (actor.name, *actor.aliases):  # as written: "Royal", "Medusa" are also words
                yield Phrase(form, "threat_actor", actor.name, exact=True)
        for country in registry.countries:
            for form in country.forms:  # as written: "Chad", "Turkey", "Polish" are also words
                yield Phrase(form, "country", country, exact=True)
        for name in registry.deny:
            yield Phrase(name, "deny", name)
        for index, topic in enumerate(registry.topics):
            for keyword, weight in topic.keywords:
                yield Phrase(
                    keyword,
                    "keyword",
                    (index, weight),
                    exact=is_acronym(keyword.rstrip("*")),
                    prefix=keyword.endswith("*"),
                )

    def find(self, text: str) -> dict[str, list[Match]]:
        """Every phrase occurring in `text` on word boundaries and obeying its case rule, in one
        list per phrase kind (each in order of end position)."""
        padded = " " + normalise(text) + " "
        found: list[list[Match]] = [[] for _ in self.kinds]
        new = tuple.__new__  # the hot path: no NamedTuple __new__ frame per match
        for end, (length, simple, checked) in self.automaton.iter(padded):
            start = end - length + 1  # offset in `text` of the phrase's first character
            for phrase, kind in simple:
                found[kind].append(new(Match, (start, end - 1, phrase)))
            # Phrase.accepts, inlined; `written` is as long as the span matched: normalise keeps offsets
            for phrase, rule, prefix, written, kind in checked:
                if rule == 0 or (rule == 1 and not text[start].islower()) or text.startswith(written, start):
                    found[kind].append(new(Match, (start, padded.find(" ", end) - 1 if prefix else end - 1, phrase)))
        return dict(zip(self.kinds, found))

"""The Archive: articles in reading order, their terms (one list per declared taxonomy), and relations."""

from __future__ import annotations

import hashlib
import math
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import cached_property
from itertools import repeat

import pycountry

from builder.config import DEFAULT_TAXONOMIES, TERM_FIELDS, TaxonomySpec
from builder.model import Article
from builder.registry import Registry
from builder.urls import term_slug

# The front matter lists related articles read, and how much a shared term of each weighs (others
# do not count). Their relation keys always have these two lists (the build cache stores them so).
RELATED_FIELDS = (("topics", 1.0), ("companies", 2.0))
# Regions tagged like countries that ISO 3166-1 lists only as reserved codes.
REGIONS = {"european union": ("European Union", "EU"), "eu": ("European Union", "EU")}


@dataclass(frozen=True)
class TermLink:
    """A term as templates see it: what a link to it shows, every field part of a page's key.

    No count and no articles: those change with every added article, and a page showing
    them gets them as values of its own (`count`, `(term, count)` rows), which its key covers.
    """

    spec: TaxonomySpec
    name: str
    slug: str
    description: str = ""


@dataclass(frozen=True)
class Known:
    """What the registry says about a term beyond its name (what its page shows)."""

    slug: str
    name: str
    description: str = ""
    website: str = ""
    parent: str = ""  # the name of the company it is part of
    children: tuple[str, ...] = ()  # names of the companies part of it
    code: str = ""  # ISO 3166-1 alpha-2 code of a country
    aliases: tuple[str, ...] = ()  # other names readers may search it by


@dataclass(eq=False)
class Term:
    """A term of one taxonomy, with its articles in reading order (newest first)."""

    spec: TaxonomySpec
    name: str
    slug: str
    description: str = ""
    articles: list[Article] = field(default_factory=list)
    known: Known | None = None

    @property
    def count(self) -> int:
        return len(self.articles)

    @cached_property
    def link(self) -> TermLink:
        """The term as pages give it to templates (one per term: fingerprints are memoised by id)."""
        return TermLink(self.spec, self.name, self.slug, self.description)


@dataclass(frozen=True)
class Listed:
    """An article as a listing shows it: with its terms of every declared taxonomy, for linked chips."""

    article: Article
    groups: tuple[tuple[TaxonomySpec, tuple[TermLink, ...]], ...]  # (taxonomy, terms), in declaration order


@dataclass
class Archive:
    """Everything the page planner needs, computed once from the articles."""

    articles: list[Article]
    terms: dict[str, list[Term]]  # taxonomy name -> terms sorted by slug
    specs: tuple[TaxonomySpec, ...] = DEFAULT_TAXONOMIES
    _index: dict[str, int] = field(default_factory=dict, repr=False)
    _terms_of: dict[tuple[str, str], list[Term]] = field(default_factory=dict, repr=False)
    _positions: dict[int, list[int]] = field(default_factory=dict, repr=False)
    _listed: dict[str, Listed] = field(default_factory=dict, repr=False)
    _all_terms: dict[str, list[Term]] = field(default_factory=dict, repr=False)
    related_memo: dict[str, list[str]] = field(default_factory=dict, repr=False)  # slug -> slugs

    def terms_of(self, article: Article, spec: TaxonomySpec) -> list[Term]:
        """The article's terms of one taxonomy, in front matter order."""
        return self._terms_of.get((article.slug, spec.name), [])

    def all_terms_of(self, article: Article) -> list[Term]:
        """The article's terms of every taxonomy, in declaration then front matter order (made once per article)."""
        found = self._all_terms.get(article.slug)
        if found is None:
            found = self._all_terms[article.slug] = [t for spec in self.specs for t in self.terms_of(article, spec)]
        return found

    def spec_of(self, field_name: str) -> TaxonomySpec | None:
        """The declared taxonomy reading a front matter list, if any."""
        return next((spec for spec in self.specs if spec.field == field_name), None)

    def groups(self, article: Article) -> tuple[tuple[TaxonomySpec, tuple[TermLink, ...]], ...]:
        """(taxonomy, terms) for every taxonomy the article has terms in, in declaration order."""
        return self.listed(article).groups

    def listed(self, article: Article) -> Listed:
        """The article with its terms of every taxonomy (listing chips), made once per article."""
        entry = self._listed.get(article.slug)
        if entry is None:
            groups = tuple(
                (spec, tuple(t.link for t in terms)) for spec in self.specs if (terms := self.terms_of(article, spec))
            )
            entry = self._listed[article.slug] = Listed(article, groups)
        return entry

    def by_count(self, spec: TaxonomySpec) -> list[Term]:
        """Terms with the most articles first; ties A–Z."""
        return sorted(self.terms[spec.name], key=lambda t: (-t.count, t.slug))

    def term(self, spec: TaxonomySpec, name: str) -> Term | None:
        """The term of `spec` called `name` (canonical, as the registry gives it), if any article has it."""
        return self._by_name.get((spec.name, name.casefold()))

    @cached_property
    def _by_name(self) -> dict[tuple[str, str], Term]:
        return {(spec.name, t.name.casefold()): t for spec in self.specs for t in self.terms[spec.name]}

    @cached_property
    def _related_specs(self) -> tuple[tuple[TaxonomySpec | None, float], ...]:
        """(taxonomy or None when none is declared, weight) for each of RELATED_FIELDS."""
        return tuple((self.spec_of(name), weight) for name, weight in RELATED_FIELDS)

    def _related_terms(self, article: Article) -> list[tuple[list[Term], float]]:
        return [(self.terms_of(article, spec) if spec else [], weight) for spec, weight in self._related_specs]

    def neighbours(self, article: Article) -> tuple[Article | None, Article | None]:
        """(newer, older) article in reading order."""
        i = self._index[article.slug]
        newer = self.articles[i - 1] if i > 0 else None
        older = self.articles[i + 1] if i + 1 < len(self.articles) else None
        return newer, older

    def related(self, article: Article, limit: int = 5, window: int = 60) -> list[Article]:
        """Articles sharing companies and topics, rarer shared terms weighing more; newest first on ties.

        Only the `window` articles nearest in time of each term are scored, so large
        terms cost the same as small ones. Articles sharing no term are never padded in.
        Results are memoised per article slug (`related_memo`, kept between builds by `build.reuse_related`).
        """
        known = self.related_memo.get(article.slug)
        if known is not None:
            return [self.articles[self._index[slug]] for slug in known]
        i = self._index[article.slug]
        scores: dict[int, float] = {}
        for terms, weight in reversed(self._related_terms(article)):  # companies first, as always
            for term in terms:
                share = weight / math.log2(2 + term.count)
                positions = self._positions[id(term)]
                centre = bisect_left(positions, i)
                near = positions[max(0, centre - window // 2) : centre + window // 2 + 1]
                # scores[j] += share for every j in near, looped in C (each j is in `near` once).
                scores.update(zip(near, map(share.__add__, map(scores.get, near, repeat(0.0)))))
        scores.pop(i, None)
        # Highest score first, nearest the top of the reading order on ties (both sorts are stable).
        best = sorted(sorted(scores), key=scores.__getitem__, reverse=True)[:limit]
        self.related_memo[article.slug] = [self.articles[j].slug for j in best]
        return [self.articles[j] for j in best]

    def relation_keys(self) -> dict[str, tuple]:
        """Per article, all that related lists read of it: its place in the reading order and
        its terms (as the registry resolved them: aliases decide which names are one term)."""
        return {
            a.slug: (reading_order(a), *(tuple(t.slug for t in terms) for terms, _ in self._related_terms(a)))
            for a in self.articles
        }

    def related_outdated(self, old: dict[str, tuple], new: dict[str, tuple], known: dict) -> list[Article]:
        """Articles whose related list may differ from `known`, computed when the keys were `old`.

        A list reads only its own article's terms: their members, their counts and their
        order. So an article sharing no term (before or after) with an added, removed,
        re-dated or re-tagged one keeps its list.
        """
        if old == new or not known:
            return [] if known else list(self.articles)
        changed = {slug for slug in old.keys() | new.keys() if old.get(slug) != new.get(slug)}
        touched = {
            (field_name, term)
            for slug in changed
            for key in (old.get(slug), new.get(slug))
            if key
            for (field_name, _), terms in zip(RELATED_FIELDS, key[1:])
            for term in terms
        }
        return [
            a
            for a in self.articles
            if a.slug in changed
            or a.slug not in known
            or any(
                (field_name, term) in touched
                for (field_name, _), terms in zip(RELATED_FIELDS, new[a.slug][1:])
                for term in terms
            )
        ]

    def listing_signature(self) -> str:
        """A hash of everything but the bodies: what listings, chips and links can show."""
        return _signature(
            (a.slug, a.title, a.date, a.summary, *(getattr(a, f) for f in TERM_FIELDS), a.source, a.aliases)
            for a in self.articles
        )

    def months(self) -> list[tuple[int, int, list[Article]]]:
        """(year, month, articles) for every month with dated articles, newest first."""
        groups: dict[tuple[int, int], list[Article]] = {}
        for article in self.articles:
            if article.date:
                groups.setdefault((article.date.year, article.date.month), []).append(article)
        return [(y, m, groups[(y, m)]) for y, m in sorted(groups, reverse=True)]

    @property
    def undated(self) -> list[Article]:
        return [a for a in self.articles if a.date is None]


def _signature(rows) -> str:
    digest = hashlib.sha1()
    for row in rows:
        digest.update(repr(row).encode())
    return digest.hexdigest()


def reading_order(article: Article) -> tuple:
    """Newest first; undated articles after dated ones, in dump order; hand-written by slug."""
    if article.date:
        return (0, -article.date.toordinal(), "", 0, article.slug)
    source = article.source
    return (1, 0, source.file if source else "\uffff", source.position if source else 0, article.slug)


def build_archive(
    articles: list[Article], registry: Registry, specs: tuple[TaxonomySpec, ...] = DEFAULT_TAXONOMIES
) -> Archive:
    """Order the articles and gather each taxonomy's terms (merging spellings of one name)."""
    ordered = sorted(articles, key=reading_order)
    archive = Archive(ordered, {spec.name: [] for spec in specs}, specs)
    archive._index = {a.slug: i for i, a in enumerate(ordered)}
    for spec in specs:
        find = lookup(spec, registry)
        by_slug: dict[str, Term] = {}
        known: dict[str, tuple[Known | None, str]] = {}  # name as written -> (registry entry, slug), once per name
        for article in ordered:
            mine: list[Term] = []
            for name in getattr(article, spec.field, ()):
                found = known.get(name)
                if found is None:
                    entry = find(name)
                    found = known[name] = (entry, entry.slug if entry else term_slug(name))
                entry, slug = found
                term = by_slug.get(slug)
                if term is None:
                    term = by_slug[slug] = (
                        Term(spec, entry.name, slug, entry.description, known=entry)
                        if entry
                        else Term(spec, name, slug)
                    )
                if term not in mine:
                    mine.append(term)
                    term.articles.append(article)
            archive._terms_of[(article.slug, spec.name)] = mine
        archive.terms[spec.name] = sorted(by_slug.values(), key=lambda t: t.slug)
        archive._positions.update({id(t): [archive._index[a.slug] for a in t.articles] for t in by_slug.values()})
    return archive


def lookup(spec: TaxonomySpec, registry: Registry):
    """name as written -> Known (or None when the registry does not know it), for `spec.registry`."""
    if spec.registry == "topics.yaml":

        def topic(name: str) -> Known | None:
            found = registry.topic(name)
            return Known(found.slug, found.name, found.description) if found else None

        return topic
    if spec.registry == "companies.yaml":
        children: dict[str, list[str]] = {}
        for entry in getattr(registry, "companies", ()):
            if entry.parent:
                children.setdefault(entry.parent, []).append(entry.name)

        def company(name: str) -> Known | None:
            found = registry.company(name)
            if found is None:
                return None
            return Known(
                found.slug,
                found.name,
                website=found.website or "",
                parent=found.parent or "",
                children=tuple(sorted(children.get(found.name, ()), key=str.casefold)),
                aliases=found.aliases,
            )

        return company
    if spec.registry == "organisations.yaml":
        forms = {
            form.casefold(): entry
            for entry in getattr(registry, "organisations", ())
            for form in (entry.name, *entry.aliases)
        }

        def organisation(name: str) -> Known | None:
            found = forms.get(name.strip().casefold())
            return found and Known(term_slug(found.name), found.name, aliases=found.aliases)

        return organisation
    if spec.registry == "iso-3166":
        return country
    return lambda name: None


def country(name: str) -> Known | None:
    """A country by any ISO 3166-1 name or code (pycountry), named by its common name; or a region."""
    region = REGIONS.get(name.strip().casefold())
    if region:
        return Known(term_slug(region[0]), region[0], code=region[1])
    try:
        found = pycountry.countries.lookup(name.strip())
    except LookupError:
        return None
    common = getattr(found, "common_name", None) or found.name
    names = {found.name, getattr(found, "official_name", found.name)} - {common}
    return Known(term_slug(common), common, code=found.alpha_2, aliases=tuple(sorted(names)))

"""The Archive: articles in reading order, their terms (topics, companies), and relations."""

from __future__ import annotations

import hashlib
import math
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import cached_property
from itertools import repeat

from builder.content import Article
from builder.registry import Registry
from builder.urls import term_slug


@dataclass(frozen=True)
class TaxonomySpec:
    """One kind of term: which front matter field holds it and where its pages live."""

    field: str  # front matter key, also the folder of its pages: "topics", "companies"
    singular: str
    title: str


TOPICS = TaxonomySpec("topics", "topic", "Topics")
COMPANIES = TaxonomySpec("companies", "company", "Companies")
TAXONOMIES = (TOPICS, COMPANIES)


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


@dataclass(eq=False)
class Term:
    """A topic or a company, with its articles in reading order (newest first)."""

    spec: TaxonomySpec
    name: str
    slug: str
    description: str = ""
    articles: list[Article] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.articles)

    @cached_property
    def link(self) -> TermLink:
        """The term as pages give it to templates (one per term: fingerprints are memoised by id)."""
        return TermLink(self.spec, self.name, self.slug, self.description)


@dataclass(frozen=True)
class Listed:
    """An article as a listing shows it: with its topic and company terms, for linked chips."""

    article: Article
    topics: tuple[TermLink, ...]
    companies: tuple[TermLink, ...]


@dataclass
class Archive:
    """Everything the page planner needs, computed once from the articles."""

    articles: list[Article]
    terms: dict[str, list[Term]]  # taxonomy field -> terms sorted by slug
    _index: dict[str, int] = field(default_factory=dict, repr=False)
    _terms_of: dict[tuple[str, str], list[Term]] = field(default_factory=dict, repr=False)
    _positions: dict[int, list[int]] = field(default_factory=dict, repr=False)
    _listed: dict[str, Listed] = field(default_factory=dict, repr=False)
    related_memo: dict[str, list[str]] = field(default_factory=dict, repr=False)  # slug -> slugs
    registry: Registry | None = field(default=None, repr=False)  # for the aliases search finds terms by

    def terms_of(self, article: Article, spec: TaxonomySpec) -> list[Term]:
        """The article's terms of one taxonomy, in front matter order."""
        return self._terms_of.get((article.slug, spec.field), [])

    def listed(self, article: Article) -> Listed:
        """The article with its terms, made once per article."""
        entry = self._listed.get(article.slug)
        if entry is None:
            entry = self._listed[article.slug] = Listed(
                article, *(tuple(t.link for t in self.terms_of(article, spec)) for spec in (TOPICS, COMPANIES))
            )
        return entry

    def by_count(self, spec: TaxonomySpec) -> list[Term]:
        """Terms with the most articles first; ties A–Z."""
        return sorted(self.terms[spec.field], key=lambda t: (-t.count, t.slug))

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
        Results are memoised per tag signature.
        """
        known = self.related_memo.get(article.slug)
        if known is not None:
            return [self.articles[self._index[slug]] for slug in known]
        i = self._index[article.slug]
        scores: dict[int, float] = {}
        for spec, weight in ((COMPANIES, 2.0), (TOPICS, 1.0)):
            for term in self.terms_of(article, spec):
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
            a.slug: (reading_order(a), *(tuple(t.slug for t in self.terms_of(a, spec)) for spec in TAXONOMIES))
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
            (spec.field, term)
            for slug in changed
            for key in (old.get(slug), new.get(slug))
            if key
            for spec, terms in zip(TAXONOMIES, key[1:])
            for term in terms
        }
        return [
            a
            for a in self.articles
            if a.slug in changed
            or a.slug not in known
            or any((spec.field, term) in touched for spec, terms in zip(TAXONOMIES, new[a.slug][1:]) for term in terms)
        ]

    def listing_signature(self) -> str:
        """A hash of everything but the bodies: what listings, chips and links can show."""
        return _signature(
            (a.slug, a.title, a.date, a.summary, a.topics, a.companies, a.organisations, a.source, a.aliases)
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


def build_archive(articles: list[Article], registry: Registry) -> Archive:
    """Order the articles and gather each taxonomy's terms (merging spellings of one name)."""
    ordered = sorted(articles, key=reading_order)
    archive = Archive(ordered, {spec.field: [] for spec in TAXONOMIES}, registry=registry)
    archive._index = {a.slug: i for i, a in enumerate(ordered)}
    for spec in TAXONOMIES:
        by_slug: dict[str, Term] = {}
        slugs: dict[str, str] = {}  # name as written -> term slug, computed once per name
        for article in ordered:
            mine: list[Term] = []
            for name in getattr(article, spec.field):
                slug = slugs.get(name) or slugs.setdefault(name, _term_slug(spec, name, registry))
                term = by_slug.get(slug)
                if term is None:
                    term = _new_term(spec, name, registry)
                    by_slug[term.slug] = term
                if term not in mine:
                    mine.append(term)
                    term.articles.append(article)
            archive._terms_of[(article.slug, spec.field)] = mine
        archive.terms[spec.field] = sorted(by_slug.values(), key=lambda t: t.slug)
        archive._positions.update({id(t): [archive._index[a.slug] for a in t.articles] for t in by_slug.values()})
    return archive


def _known(spec: TaxonomySpec, name: str, registry: Registry):
    """The registry's topic or company entry for a name (or alias), if any."""
    return registry.topic(name) if spec is TOPICS else registry.company(name)


def _term_slug(spec: TaxonomySpec, name: str, registry: Registry) -> str:
    known = _known(spec, name, registry)
    return known.slug if known else term_slug(name)


def _new_term(spec: TaxonomySpec, name: str, registry: Registry) -> Term:
    known = _known(spec, name, registry)
    if known is None:
        return Term(spec, name, term_slug(name))
    description = known.description if spec is TOPICS else _company_description(known)
    return Term(spec, known.name, known.slug, description)


def _company_description(company) -> str:
    return f"Part of {company.parent}." if company.parent else ""

"""Related articles kept from the last build (build.reuse_related) are exactly the lists a
fresh computation gives."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_pages import NoRegistry, article

from builder.archive import build_archive
from builder.build import reuse_related
from builder.cache import BuildCache

DAY = dt.date(2026, 1, 1)

# An article: (date offset or None for undated, topics, companies), from small pools so that
# terms are shared by many articles and windows of nearest articles come into play.
spec = st.tuples(
    st.one_of(st.none(), st.integers(0, 40)),
    st.lists(st.sampled_from(["AI", "Chips", "Space"]), max_size=2, unique=True),
    st.lists(st.sampled_from(["Acme", "Globex", "Initech", "Umbrella"]), max_size=2, unique=True),
)


def _archive(specs: dict[int, tuple]):
    return build_archive(
        [
            article(n, DAY + dt.timedelta(days=d) if d is not None else None, topics, companies)
            for n, (d, topics, companies) in specs.items()
        ],
        NoRegistry(),
    )


def _all_related(archive) -> dict[str, list[str]]:
    return {a.slug: [r.slug for r in archive.related(a)] for a in archive.articles}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    before=st.dictionaries(st.integers(0, 150), spec, min_size=1, max_size=120),
    changes=st.dictionaries(st.integers(0, 150), st.one_of(st.none(), spec), max_size=6),
)
def test_lists_kept_from_the_last_build_equal_a_fresh_computation(before, changes):
    """Articles added, removed (None), re-dated or re-tagged: only the outdated lists are redone."""
    old = _archive(before)
    known = _all_related(old)
    after = {n: s for n, s in {**before, **changes}.items() if s is not None}
    if not after:
        return
    new = _archive(after)
    reuse_related(new, BuildCache(related=(old.relation_keys(), known)), bodies_only=False, workers=1)
    assert new.related_memo == _all_related(_archive(after))


def test_an_article_sharing_no_term_with_the_change_is_not_redone():
    specs = {1: (1, ["AI"], []), 2: (2, ["AI"], []), 3: (3, ["Space"], ["Acme"]), 4: (4, ["Space"], [])}
    old = _archive(specs)
    new = _archive({**specs, 5: (5, ["AI"], [])})
    outdated = new.related_outdated(old.relation_keys(), new.relation_keys(), _all_related(old))
    assert sorted(a.slug for a in outdated) == ["story-001", "story-002", "story-005"]


def test_relation_keys_keep_their_shape_whatever_taxonomies_are_declared():
    """The build cache stores (reading order, topic slugs, company slugs) per article: a site
    without companies (or with organisations only) must give keys of that shape, or every
    build would find its cache unreadable and start afresh."""
    from builder.config import DEFAULT_TAXONOMIES

    stories = [article(1, DAY, ["AI"], ["Acme"]), article(2, DAY, ["AI"], ["Acme"])]
    topics_only = build_archive(stories, NoRegistry(), DEFAULT_TAXONOMIES[:1])
    assert topics_only.relation_keys()["story-001"][1:] == (("ai",), ())
    assert [a.slug for a in topics_only.related(stories[0])] == ["story-002"]
    no_related = build_archive(stories, NoRegistry(), DEFAULT_TAXONOMIES[2:])
    assert no_related.relation_keys()["story-001"][1:] == ((), ())
    assert no_related.related(stories[0]) == []

"""The proof of incremental builds: after any sequence of edits, the site a cached build
publishes is byte for byte the site a build without any cache makes of the same inputs.

A hypothesis state machine edits a small archive (articles, templates, registries,
settings, output folder) and builds after every step, in-process, with 1 and 2 workers;
each result is compared with a cold build (fresh output and cache folders).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from conftest import GEN_COMPANIES, GEN_TOPICS, PROJECT_PARTS, copy_project, file_tree
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule
from test_search import index_contents

from builder import parallel, search
from builder.build import BuildFailed, build, catch_up_search
from builder.config import load_config
from builder.errors import ContentError
from builder.frontmatter import article_text

pytestmark = pytest.mark.slow  # hypothesis state machines: minutes each

TOPICS = GEN_TOPICS[:4]
COMPANIES = [*GEN_COMPANIES[:4], "Quillpay", "Quill Pay"]  # two spellings a registry edit merges
WORDS = ["court", "chips", "model", "breach", "market", "policy", "launch"]
QUILLPAY = '- {name: Quillpay, aliases: [Quill Pay], parent: Google, website: "https://quillpay.example"}\n'
# Spellings of one organisation and one country, and a name ISO 3166 lacks.
ORGANISATIONS = ["European Commission", "EU Commission", "Europol"]
COUNTRIES = ["Belgium", "Kingdom of Belgium", "France", "Atlantis"]
# Taxonomies other than the defaults: no companies, organisations without feeds, countries as regions.
TAXONOMIES = (
    '\n[[taxonomies]]\nname = "topics"\n\n[[taxonomies]]\nname = "organisations"\nfeeds = false\ncharts = false\n'
    '\n[[taxonomies]]\nname = "regions"\nsingular = "region"\nfield = "countries"\nregistry = "iso-3166"\n'
)
COUNTING_CHIP = "{{ term.name }} ({{ term.count }})</a>"  # reads what no page key covers


class IncrementalBuilds(RuleBasedStateMachine):
    """Random edits of a small archive; after each, an incremental build equals a cold one."""

    workers = 1

    def __init__(self):
        super().__init__()
        self.tmp = Path(tempfile.mkdtemp(prefix="incremental-"))
        self.root = copy_project(self.tmp / "project", [p for p in PROJECT_PARTS if p != "seeds"])
        (self.root / "seeds").mkdir()
        (self.root / "content").mkdir()
        self.templates = {p: p.read_text("utf-8") for p in (self.root / "templates").rglob("*.html")}
        self.articles: dict[str, dict] = {}  # file stem -> front matter; bodies are in the files
        self.out = "site"
        self.serial = 0

    def teardown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    # --- helpers ---

    def path(self, stem: str) -> Path:
        return self.root / "content" / f"{stem}.md"

    def write(self, stem: str, body: str | None = None) -> None:
        body = body if body is not None else self.path(stem).read_text("utf-8").split("---\n", 2)[2]
        self.path(stem).write_text(article_text(self.articles[stem], body), "utf-8")

    def new_article(self, topics: list[str], companies: list[str], day: int | None, places=((), ())) -> None:
        self.serial += 1
        stem = f"story-{self.serial}"
        self.articles[stem] = {
            "title": f"Story {self.serial} about {' and '.join(companies) or 'nobody'}",
            "slug": stem,
            **({"date": dt.date(2025, 1, 1) + dt.timedelta(days=day)} if day is not None else {}),
            "summary": f"Summary {self.serial}.",
            "topics": topics,
            "companies": companies,
            "organisations": list(places[0]),
            "countries": list(places[1]),
        }
        self.write(stem, f"The body of story {self.serial}: {' '.join(WORDS)}.\n")

    def config(self, out: str, cache: str = ".cache"):
        return load_config(self.root / "site.toml", out=out, cache=cache, search=False)

    def build_and_compare(self) -> None:
        """Build incrementally, then cold; both publish the same bytes, or both fail."""
        incremental = self._build(self.config(self.out))
        cold_dir = self.tmp / f"cold-{self.serial}"
        cold = self._build(self.config(str(cold_dir / "site"), str(cold_dir / "cache")))
        if cold is None:
            assert incremental is None, "the cold build failed where the incremental one succeeded"
        else:
            assert incremental is not None, "the incremental build failed where a cold one succeeded"
            assert file_tree(incremental) == file_tree(cold), _difference(file_tree(incremental), file_tree(cold))
        shutil.rmtree(cold_dir, ignore_errors=True)

    def _build(self, config) -> Path | None:
        """The published folder, or None if the build failed with errors an editor can fix."""
        try:
            build(config, workers=self.workers)
        except (BuildFailed, ContentError) as err:
            messages = err.errors if isinstance(err, BuildFailed) else [err]
            assert all("template error" in str(m) and "no 'count'" in str(m) for m in messages), messages
            return None
        return config.path("out")

    # --- rules: each edits the inputs, then builds ---

    @initialize(count=st.integers(6, 9))
    def archive(self, count):
        for i in range(count):
            self.new_article(
                [TOPICS[i % 4], TOPICS[(i + 1) % 4]][: 1 + i % 2],
                [COMPANIES[i % len(COMPANIES)]],
                None if i % 5 == 4 else (i * 37) % 400,
                ([ORGANISATIONS[i % 3]], [COUNTRIES[i % 4]]) if i % 2 else ((), ()),
            )
        self.build_and_compare()

    @rule(
        topics=st.lists(st.sampled_from(TOPICS), max_size=2, unique=True),
        companies=st.lists(st.sampled_from(COMPANIES), max_size=2, unique=True),
        day=st.none() | st.integers(0, 400),
    )
    def add(self, topics, companies, day):
        self.new_article(topics, companies, day)
        self.build_and_compare()

    @precondition(lambda self: len(self.articles) > 2)
    @rule(data=st.data())
    def delete(self, data):
        stem = data.draw(st.sampled_from(sorted(self.articles)))
        del self.articles[stem]
        self.path(stem).unlink()
        self.build_and_compare()

    @rule(data=st.data(), word=st.sampled_from(WORDS))
    def edit_body(self, data, word):
        stem = data.draw(st.sampled_from(sorted(self.articles)))
        body = self.path(stem).read_text("utf-8").split("---\n", 2)[2]
        self.write(stem, body + f"\nA new paragraph on {word}.\n")
        self.build_and_compare()

    @rule(
        data=st.data(),
        topics=st.lists(st.sampled_from(TOPICS), max_size=3, unique=True),
        companies=st.lists(st.sampled_from(COMPANIES), max_size=3, unique=True),
    )
    def edit_tags(self, data, topics, companies):
        stem = data.draw(st.sampled_from(sorted(self.articles)))
        self.articles[stem].update(topics=topics, companies=companies)
        self.write(stem)
        self.build_and_compare()

    @rule(
        data=st.data(),
        organisations=st.lists(st.sampled_from(ORGANISATIONS), max_size=2, unique=True),
        countries=st.lists(st.sampled_from(COUNTRIES), max_size=2, unique=True),
    )
    def edit_organisations_and_countries(self, data, organisations, countries):
        stem = data.draw(st.sampled_from(sorted(self.articles)))
        self.articles[stem].update(organisations=organisations, countries=countries)
        self.write(stem)
        self.build_and_compare()

    @rule()
    def toggle_taxonomies(self):
        """The site's taxonomies become topics, organisations (no feeds, no charts) and regions, or the defaults."""
        settings_file = self.root / "site.toml"
        text = settings_file.read_text("utf-8")
        settings_file.write_text(text.replace(TAXONOMIES, "") if TAXONOMIES in text else text + TAXONOMIES, "utf-8")
        self.build_and_compare()

    @rule(data=st.data(), day=st.none() | st.integers(0, 400))
    def redate(self, data, day):
        stem = data.draw(st.sampled_from(sorted(self.articles)))
        self.articles[stem].pop("date", None)
        if day is not None:
            self.articles[stem]["date"] = dt.date(2025, 1, 1) + dt.timedelta(days=day)
        self.write(stem)
        self.build_and_compare()

    @rule(data=st.data())
    def change_slug(self, data):
        stem = data.draw(st.sampled_from(sorted(self.articles)))
        meta = self.articles[stem]
        self.serial += 1
        meta["aliases"] = [*meta.get("aliases", []), meta["slug"]]
        meta["slug"] = f"moved-{self.serial}"
        self.write(stem)
        self.build_and_compare()

    @rule(data=st.data())
    def same_size_same_mtime(self, data):
        """An edit `cp -p` or a restored backup makes: size and mtime as they were."""
        path = self.path(data.draw(st.sampled_from(sorted(self.articles))))
        before = path.stat()
        text = path.read_text("utf-8")
        path.write_text(
            text.replace("The body", "Our body", 1) if "The body" in text else text.replace("Our body", "The body", 1),
            "utf-8",
        )
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
        self.build_and_compare()

    @rule(kind=st.sampled_from(["footer", "count", "original"]))
    def edit_templates(self, kind):
        for path, text in self.templates.items():
            path.write_text(text, "utf-8")
        if kind == "footer":
            base = self.root / "templates" / "base.html"
            base.write_text(self.templates[base].replace("</body>", "<!-- edited -->\n</body>"), "utf-8")
        elif kind == "count":  # a listing template reads a term's count: a clear error, never a stale site
            chips = self.root / "templates" / "partials" / "chips.html"
            chips.write_text(self.templates[chips].replace("{{ term.name }}</a>", COUNTING_CHIP, 1), "utf-8")
        self.build_and_compare()

    @rule()
    def toggle_registry_alias(self):
        """Quillpay and Quill Pay become one company (part of Google), or two again."""
        registry = self.root / "data" / "companies.yaml"
        text = registry.read_text("utf-8")
        registry.write_text(text.replace(QUILLPAY, "") if QUILLPAY in text else text + QUILLPAY, "utf-8")
        self.build_and_compare()

    @rule(title=st.sampled_from(["Tech Policy News Archive", "Another Title"]))
    def edit_settings(self, title):
        settings_file = self.root / "site.toml"
        lines = [line for line in settings_file.read_text("utf-8").splitlines() if not line.startswith("title")]
        settings_file.write_text("\n".join([f'title = "{title}"', *lines]) + "\n", "utf-8")
        self.build_and_compare()

    @rule()
    def switch_output_folder(self):
        """Build into another folder, and later back into the first (edits in between)."""
        self.out = "site-2" if self.out == "site" else "site"
        self.build_and_compare()

    @invariant()
    def cache_is_json(self):
        cache = self.root / ".cache"
        assert not cache.exists() or not any(p.suffix == ".pickle" for p in cache.iterdir())


class IncrementalSearch(IncrementalBuilds):
    """The same edits with search on, some published the way serve does (pages first, index after):
    after each, the articles search finds and what it holds of each equal a cold build's."""

    deferred = False

    def config(self, out: str, cache: str = ".cache"):
        return load_config(self.root / "site.toml", out=out, cache=cache, search=True)

    def _build(self, config) -> Path | None:
        if not self.deferred or config.path("out").parent.name.startswith("cold"):  # cold builds index at once
            return super()._build(config)
        try:
            build(config, workers=self.workers, defer_search=True)
        except (BuildFailed, ContentError):
            return super()._build(config)
        catch_up_search(config)
        return config.path("out")

    def build_and_compare(self) -> None:
        incremental = self._build(self.config(self.out))
        cold_dir = self.tmp / f"cold-{self.serial}"
        cold = self._build(self.config(str(cold_dir / "site"), str(cold_dir / "cache")))
        assert (incremental is None) == (cold is None)
        if cold is not None:
            pages, cold_pages = (
                {k: v for k, v in file_tree(site).items() if not k.startswith("pagefind/")}
                for site in (incremental, cold)
            )
            assert pages == cold_pages, _difference(pages, cold_pages)
            assert index_contents(incremental) == index_contents(cold)
            overlay = (
                "shards",
                "recent_pages",
                "recent_shards",
                "superseded",
                "pages",
            )  # edits may sit in the incremental index's overlay (and its page count)
            assert {k: v for k, v in search.manifest(incremental).items() if k not in overlay} == {
                k: v for k, v in search.manifest(cold).items() if k not in overlay
            }
            assert search.manifest(incremental)["catching_up"] is False
        shutil.rmtree(cold_dir, ignore_errors=True)

    @rule(deferred=st.booleans())
    def serve_or_build(self, deferred):
        """The next edits are published as serve does (deferred index, then caught up), or not."""
        self.deferred = deferred

    @rule(data=st.data())
    def build_without_search(self, data):
        """A --no-search build between edits leaves shards lagging; the next search build catches up."""
        stem = data.draw(st.sampled_from(sorted(self.articles)))
        body = self.path(stem).read_text("utf-8").split("---\n", 2)[2]
        self.write(stem, body + "\nA paragraph written without search.\n")
        build(load_config(self.root / "site.toml", out=self.out, search=False), workers=self.workers)
        self.build_and_compare()


def test_incremental_search_indexes_equal_cold_builds():
    IncrementalSearch.TestCase.settings = settings(
        max_examples=6, stateful_step_count=6, deadline=None, suppress_health_check=list(HealthCheck)
    )
    IncrementalSearch.TestCase().runTest()


def _difference(incremental: dict[str, bytes], cold: dict[str, bytes]) -> str:
    """The files that differ, for the failure message."""
    names = sorted(n for n in incremental.keys() | cold.keys() if incremental.get(n) != cold.get(n))
    return f"{len(names)} files differ from a cold build: {names[:10]}"


@pytest.mark.parametrize("workers", [1, 2])
def test_incremental_builds_equal_cold_builds(workers, monkeypatch):
    # Two workers fork for every list, however short: the archive here is small.
    monkeypatch.setattr(parallel.fork_map, "__defaults__", (None, 1 if workers > 1 else 400, None))
    machine = type(f"IncrementalBuilds{workers}", (IncrementalBuilds,), {"workers": workers})
    machine.TestCase.settings = settings(
        max_examples=12, stateful_step_count=8, deadline=None, suppress_health_check=list(HealthCheck)
    )
    machine.TestCase().runTest()

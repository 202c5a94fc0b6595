"""Ingest with its memo (what the last run made, in the build cache) equals ingest without it.

Two copies of a project take the same random edits (dumps corrected, added or removed, sidecars
and data files changed, article files edited or deleted by an editor, a deleted article taken
back): one ingests with the memo, the other without, on the same days. After every run their
content folders (every file, the manifest included) and reports are the same. The memo is also
what lets a run with nothing changed skip the registry and the tagging; a failed run leaves no
memo that claims what it did not do.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import random
import shutil
from pathlib import Path
from unittest import mock

import pytest
from conftest import copy_project, file_tree
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import builder.ingest
from builder.build import INGEST_MEMO, build
from builder.cache import ingest_version
from builder.config import load_config
from builder.ingest import MANIFEST, IngestReport, Memo, ingest
from builder.registry import load_registry
from builder.tagging import Tagger

MARKER = "Would you like to learn more about AI, tech and digital diplomacy? If so, ask our Diplo chatbot!"
FIRST_DAY = dt.date(2026, 1, 5)
# Names the sample dumps mention that the registry lacks: adding one changes the tags of its articles.
NEW_COMPANIES = ("Eneco", "Kido", "Zillow", "Luminus")
OPERATIONS = (
    "correct a dump",
    "add a dump",
    "remove a dump",
    "change a sidecar",
    "add a company",
    "edit an article",
    "delete an article",
    "take an article back",
    "nothing",
    "damage the memo",
)
_taggers: dict[bytes, Tagger] = {}


def _tagger(data: Path) -> Tagger:
    """One tagger per registry (a tagger is a pure function of the data files)."""
    key = b"".join(p.name.encode() + p.read_bytes() for p in sorted(data.glob("*.yaml")))
    if key not in _taggers:
        _taggers[key] = Tagger(load_registry(data))
    return _taggers[key]


def _project(folder: Path) -> Path:
    copy_project(folder, ("seeds", "data"))
    return folder


def _shown(report: IngestReport, folder: Path) -> dict:
    """The report with the project's folder left out of every path, so two copies compare."""
    fields = dataclasses.asdict(report)
    fields["errors"] = [str(e) for e in report.errors]
    return json.loads(json.dumps(fields, default=str).replace(str(folder), "<project>"))


class _Pair:
    """The project ingested with the memo (`fast`) and without (`cold`), edited alike."""

    def __init__(self, root: Path):
        self.fast, self.cold = _project(root / "fast"), _project(root / "cold")
        self.taggers_made = 0

    def ingest_both(self, today: dt.date) -> tuple[IngestReport, IngestReport]:
        def make_tagger() -> Tagger:
            self.taggers_made += 1
            return _tagger(self.fast / "data")

        memo = Memo(self.fast / "cache" / INGEST_MEMO, ingest_version(self.fast / "data"))
        fast = ingest(self.fast / "seeds", self.fast / "content", make_tagger, today, memo)
        cold = ingest(self.cold / "seeds", self.cold / "content", _tagger(self.cold / "data"), today)
        assert file_tree(self.fast / "content") == file_tree(self.cold / "content")
        assert _shown(fast, self.fast) == _shown(cold, self.cold)
        return fast, cold

    def both(self, relative: str) -> tuple[Path, Path]:
        return self.fast / relative, self.cold / relative


def _edit(pair: _Pair, step: str, rng: random.Random, number: int) -> bool:
    """Apply one edit to both copies alike; whether it changed what tags are made from."""
    dumps = sorted(p.name for p in (pair.fast / "seeds").glob("*.txt"))
    articles = sorted(p.name for p in (pair.fast / "content").glob("*.md"))
    if step == "correct a dump" and dumps:
        name = rng.choice(dumps)
        text = (pair.fast / "seeds" / name).read_text("utf-8")
        words = [w for w in set(text.split()) if w.isalpha() and len(w) > 4]
        old = rng.choice(sorted(words))
        for path in pair.both(f"seeds/{name}"):
            path.write_text(text.replace(old, "corrected", 1), "utf-8")
        return True
    if step == "add a dump":
        story = f"Eneco and Nvidia sign deal {number}\n\nEneco said on Monday that Nvidia chips will run its grid."
        story += f"\n{MARKER}\nKido wins contract {number}\n\nThe nursery chain Kido was hacked, police said."
        for path in pair.both(f"seeds/{900 + number}_added.txt"):
            path.write_text(story, "utf-8")
        return True
    if step == "remove a dump" and dumps:
        for path in pair.both(f"seeds/{rng.choice(dumps)}"):
            path.unlink()
        return True
    if step == "change a sidecar" and dumps:  # one fact at a time: each must reach the files on its own
        sidecar = Path(rng.choice(dumps)).with_suffix(".yaml").name
        day = f"{1 + number % 28:02d}"
        key, value = rng.choice(
            [("date", f"2026-03-{day}"), ("name", f"Wire {number}"), ("url", f"https://wire{number}.example/")]
            + [
                ("added", f"2026-02-{day}"),
                ("source_urls", f"{{{rng.choice((1, 2))}: 'https://wire.example/{number}'}}"),
            ]
        )
        for path in pair.both(f"seeds/{sidecar}"):
            lines = path.read_text("utf-8").splitlines() if path.exists() else []
            lines = [line for line in lines if not line.startswith(f"{key}:")] + [f"{key}: {value}"]
            path.write_text("\n".join(lines) + "\n", "utf-8")
        return True
    if step == "add a company":
        line = f"- {{name: {rng.choice(NEW_COMPANIES)}, aliases: [Alias{number}]}}\n"
        for path in pair.both("data/companies.yaml"):
            path.write_text(path.read_text("utf-8") + line, "utf-8")
        return True
    if step == "edit an article" and articles:
        name = rng.choice(articles)
        for path in pair.both(f"content/{name}"):
            path.write_bytes(path.read_bytes() + f"\nAn editor's note {number}.\n".encode())
    if step == "delete an article" and articles:
        for path in pair.both(f"content/{rng.choice(articles)}"):
            path.unlink()
    if step == "take an article back":  # README: delete the file, set "sha256" to null in its entry
        manifest = json.loads((pair.fast / "content" / MANIFEST).read_text("utf-8"))
        gone = sorted(slug for slug in manifest["articles"] if f"{slug}.md" not in articles)
        if gone:
            manifest["articles"][rng.choice(gone)]["sha256"] = None
            for path in pair.both(f"content/{MANIFEST}"):
                path.write_text(json.dumps(manifest), "utf-8")
    if step == "damage the memo":  # what it held is lost: articles are tagged again
        memo = pair.fast / "cache" / INGEST_MEMO
        memo.write_bytes(memo.read_bytes()[: rng.randrange(memo.stat().st_size)])
        return True
    return False


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(steps=st.lists(st.sampled_from(OPERATIONS), min_size=1, max_size=6), seed=st.integers(0, 10**6))
def test_ingest_with_its_memo_equals_ingest_without_after_any_edits(steps, seed, tmp_path_factory):
    rng = random.Random(seed)
    pair = _Pair(tmp_path_factory.mktemp("pair"))
    pair.ingest_both(FIRST_DAY)
    for number, step in enumerate(steps, 1):
        today = FIRST_DAY + dt.timedelta(days=number)  # a new article seen today is dated today
        retag = _edit(pair, step, rng, number)
        made = pair.taggers_made
        with mock.patch.object(builder.ingest, "read_dumps", wraps=builder.ingest.read_dumps) as reads:
            for _ in range(3):  # the run after an edit, the one that finds it settled, one with nothing to do
                pair.ingest_both(today)
            fast_runs = sum(call.args[0] == pair.fast / "seeds" for call in reads.call_args_list)
        assert fast_runs < 3, f"{step}: a run with nothing changed read the dumps again"
        if not retag:  # no dump, sidecar or data file changed: no article is tagged again
            assert pair.taggers_made == made, step


def test_a_failed_run_leaves_no_memo_that_claims_its_work(tmp_path):
    pair = _Pair(tmp_path)
    for _ in range(3):
        pair.ingest_both(FIRST_DAY)
    memo = pair.fast / "cache" / INGEST_MEMO
    kept = memo.read_bytes()
    dump = sorted((pair.fast / "seeds").glob("*.txt"))[0].name
    for path in pair.both(f"seeds/{dump}"):
        path.write_text(path.read_text("utf-8").replace("investment", "investments", 1), "utf-8")

    def fail_on_articles(path, data, write=builder.ingest.write_atomic):
        if path.suffix == ".md":
            raise OSError(28, "No space left on device")
        write(path, data)

    tagger, memo_of_fast = _tagger(pair.fast / "data"), Memo(memo, ingest_version(pair.fast / "data"))
    with mock.patch.object(builder.ingest, "write_atomic", fail_on_articles):  # the disk fills up
        with pytest.raises(OSError):
            ingest(pair.fast / "seeds", pair.fast / "content", tagger, FIRST_DAY, memo_of_fast)
        with pytest.raises(OSError):
            ingest(pair.cold / "seeds", pair.cold / "content", tagger, FIRST_DAY)
    assert memo.read_bytes() == kept, "the failed run changed the memo"
    with mock.patch.object(builder.ingest, "write_checked", side_effect=OSError(28, "No space left on device")):
        with pytest.raises(OSError):  # the articles are written, the memo is not
            ingest(pair.fast / "seeds", pair.fast / "content", tagger, FIRST_DAY, memo_of_fast)
    ingest(pair.cold / "seeds", pair.cold / "content", tagger, FIRST_DAY)
    assert memo.read_bytes() == kept
    for _ in range(3):
        pair.ingest_both(FIRST_DAY)  # and the next runs equal runs without a memo


def test_a_build_with_nothing_changed_reads_no_registry(tmp_path):
    project = copy_project(tmp_path / "project")
    config = load_config(project / "site.toml", search=False)
    assert not build(config).errors
    settled = build(config).ingest  # this run finds the articles written and settles the memo
    with mock.patch("builder.build.load_registry", side_effect=AssertionError("the registry was read")):
        again = build(config)
    assert again.up_to_date and again.ingest == settled
    shutil.rmtree(project / ".cache")  # without its memo, ingest tags again, to the same result
    assert build(config).ingest == settled


@pytest.mark.parametrize(
    "key, value",
    [
        ("date", "2026-03-02"),
        ("name", "Wire"),
        ("url", "https://wire.example/"),
        ("added", "2026-02-02"),
        ("source_urls", "{1: 'https://wire.example/1'}"),
    ],
)
def test_each_fact_of_a_sidecar_reaches_the_articles_with_the_memo_as_without(tmp_path, key, value):
    pair = _Pair(tmp_path)
    for _ in range(3):
        pair.ingest_both(FIRST_DAY)
    sidecar = sorted((pair.fast / "seeds").glob("*.yaml"))[0].name
    for path in pair.both(f"seeds/{sidecar}"):
        lines = [line for line in path.read_text("utf-8").splitlines() if not line.startswith(f"{key}:")]
        path.write_text("\n".join([*lines, f"{key}: {value}"]) + "\n", "utf-8")
    for _ in range(3):
        pair.ingest_both(FIRST_DAY)  # each compares the content folders and reports

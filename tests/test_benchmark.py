"""The build benchmark runs on a tiny archive: a deterministic generator, readable articles,
and every figure in run.py's JSON. Not timed; the figures themselves are in benchmarks/README.md."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import file_tree

from builder.frontmatter import KNOWN_KEYS, dump_front_matter, read_article, split_front_matter

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "benchmarks"
SMALL = 30


def run_script(name: str, *args: str, cwd: Path = ROOT, timeout: int = 120) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, str(BENCH / name), *args], cwd=cwd, capture_output=True, text=True, timeout=timeout
    )
    assert result.returncode == 0, (
        f"{name} {' '.join(args)} exited {result.returncode}:\n{result.stdout}\n{result.stderr}"
    )
    return result


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("bench") / "archive"
    run_script("generate.py", str(SMALL), str(out))
    return out


def test_generate_is_deterministic(archive, tmp_path):
    again = tmp_path / "again"
    run_script("generate.py", str(SMALL), str(again))
    assert file_tree(again) == file_tree(archive)
    # Regenerating into the same folder clears it first: the same N gives the same files.
    run_script("generate.py", str(SMALL), str(again))
    assert file_tree(again) == file_tree(archive)


def test_generate_makes_a_buildable_project(archive):
    assert len(list((archive / "content").glob("*.md"))) == SMALL
    assert (archive / "site.toml").read_text() == 'base_url = "https://bench.example.org/"\n'
    assert (archive / "seeds").is_dir() and not any((archive / "seeds").iterdir())
    for name in ("templates", "static", "data"):
        assert file_tree(archive / name) == file_tree(ROOT / name), name


def test_generate_refuses_a_folder_it_did_not_make(tmp_path):
    (tmp_path / "precious.txt").write_text("keep me")
    result = subprocess.run(
        [sys.executable, str(BENCH / "generate.py"), "3", str(tmp_path)], capture_output=True, text=True
    )
    assert result.returncode != 0
    assert (tmp_path / "precious.txt").read_text() == "keep me"


def test_articles_use_the_project_format(archive):
    slugs = set()
    for path in sorted((archive / "content").glob("*.md")):
        text = path.read_text("utf-8")
        article = read_article(path, text)
        meta, body, _ = split_front_matter(text, path)
        # Exactly the front matter the project itself writes for these fields.
        assert text.startswith(dump_front_matter(meta)), path.name
        assert list(meta) == ["title", "slug", "date", "summary", "topics", "companies"]
        assert set(meta) <= set(KNOWN_KEYS) and not article.warnings
        assert article.source is None and article.slug == path.stem
        assert dt.date(2021, 7, 1) <= article.date <= dt.date(2026, 6, 30)
        assert 1 <= len(article.topics) <= 3 and len(article.companies) <= 4
        assert article.summary and article.title
        assert 250 <= len(body.split()) <= 600, path.name
        slugs.add(article.slug)
    assert len(slugs) == SMALL
    bodies = "\n".join((archive / "content").joinpath(f"{s}.md").read_text() for s in slugs)
    for markup in ("*", "**", "](https://example.org/", "\n- ", "\n## "):
        assert markup in bodies, markup


def test_run_reports_every_figure(tmp_path):
    report = tmp_path / "bench.json"
    result = run_script(
        "run.py",
        "--sizes",
        str(SMALL),
        "--sample",
        "--reader",
        "--json",
        str(report),
        "--work",
        str(tmp_path / "work"),
        "--quiet",
        timeout=300,
    )
    assert "| articles | scenario |" in result.stdout
    figures = json.loads(report.read_text())
    assert set(figures) == {"environment", "sizes"}
    size = figures["sizes"][str(SMALL)]
    assert "error" not in size
    assert list(size["scenarios"]) == ["cold", "noop", "edit", "add", "template", "nosearch", "serve"]
    for name, run in size["scenarios"].items():
        assert run["exit_code"] == 0, name
        assert run["wall_seconds"] > 0 and run["peak_rss_mb"] > 0, name
        if name == "serve":
            continue
        assert run["tree_pss_mb"] is not None, name
        build = run["report"]
        for key in ("articles", "pages", "written", "unchanged", "removed", "phases", "seconds"):
            assert key in build, (name, key)
    runs = size["scenarios"]
    assert runs["cold"]["report"]["articles"] == SMALL
    assert runs["add"]["report"]["articles"] == SMALL + 1
    assert runs["cold"]["report"]["pages"] > SMALL and runs["cold"]["pages_per_second"] > 0
    assert runs["noop"]["report"]["written"] == 0
    assert 0 < runs["edit"]["report"]["written"] < runs["cold"]["report"]["pages"]
    # base.html is in every HTML page (feeds and the sitemap do not use it).
    assert runs["template"]["report"]["written"] > runs["add"]["report"]["written"]
    # Search is on by default: the cold build indexes every shard, an edit one, a no-op none.
    assert runs["cold"]["report"]["phases"]["search"] > 0 and runs["cold"]["report"]["search_peak_mb"] > 0
    assert "search" in runs["edit"]["report"]["phases"] and "search" not in runs["noop"]["report"]["phases"]
    assert "search" not in runs["nosearch"]["report"]["phases"]
    serve = runs["serve"]
    assert 0 < serve["wall_seconds"] <= serve["search_caught_up_seconds"] and serve["startup_seconds"] > 0
    published = size["published"]
    assert published["index_mb"] > 0 and published["total_mb"] >= published["html_mb"] + published["index_mb"] - 0.1
    reader = size["reader"]
    for name in ("sharded", "single"):
        assert reader[name]["first_results_seconds"] > 0 and reader[name]["requests"] > 3, name
    assert reader["order"]["queries"] == 7 and 0 <= reader["order"]["top_10_overlap"] <= 1
    for phase in ("load", "plan", "render", "publish"):
        assert phase in runs["cold"]["report"]["phases"], phase
    assert size["cached_equals_cold"] is True
    assert size["checks"] == []  # the issue sets targets for 10,000 and 50,000 only
    assert not (tmp_path / "work" / str(SMALL)).exists()  # removed without --keep

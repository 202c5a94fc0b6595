"""What an editor does between builds and what they see: registry edits, deleted and removed
articles, broken templates, settings, a custom domain, `suggest`.

Builds run in-process (`build()`); the CLI is run only where its output is what is tested.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import PROJECT_PARTS, copy_project, file_tree, run_cli

from builder.build import BuildFailed, build, run_ingest
from builder.config import load_config
from builder.content import load_articles
from builder.errors import ContentError

DUMP = """Regulator fines analytics firm over data transfers

The Irish data protection regulator said on Tuesday it had fined an analytics firm for moving user data abroad. Its decision also names Quorlix as the recipient of the data.

Would you like to learn more about AI, tech and digital diplomacy? If so, ask our Diplo chatbot!

Chip export rules tightened again

Officials in Washington said the rules would cover more chips made by Nvidia and sold abroad, a step lawmakers had asked for.

Would you like to learn more about AI, tech and digital diplomacy? If so, ask our Diplo chatbot!
"""


@pytest.fixture
def root(tmp_path) -> Path:
    """A project with one small dump of two articles."""
    root = copy_project(tmp_path / "project", [p for p in PROJECT_PARTS if p != "seeds"])
    (root / "seeds").mkdir()
    (root / "seeds" / "dump.txt").write_text(DUMP, "utf-8")
    return root


def _config(root: Path, **overrides):
    return load_config(root / "site.toml", **{"search": False, **overrides})


def _articles(root: Path) -> dict[str, object]:
    articles, errors = load_articles(root / "content")
    assert not errors
    return {a.title: a for a in articles}


def test_a_registry_edit_updates_the_tags_of_articles_already_ingested(root):
    config = _config(root)
    first = run_ingest(config)
    assert len(first.written) == 2
    fined = _articles(root)["Regulator fines analytics firm over data transfers"]
    assert "Quorlix" not in fined.companies
    with (root / "data" / "companies.yaml").open("a", encoding="utf-8") as registry:
        registry.write('- {name: Quorlix, website: "https://quorlix.example"}\n')
    again = run_ingest(config)
    assert again.updated == [str(fined.path)] and len(again.unchanged) == 1
    assert "Quorlix" in _articles(root)[fined.title].companies


def test_an_article_the_editor_deleted_stays_deleted_and_its_pages_go(root):
    config = _config(root)
    build(config)
    chips = _articles(root)["Chip export rules tightened again"]
    page = root / "site" / "articles" / chips.slug / "index.html"
    assert page.exists() and chips.slug in (root / "site" / "feed.xml").read_text("utf-8")
    chips.path.unlink()
    report = build(config)
    assert report.ingest.kept_deleted == [str(chips.path)]
    assert not chips.path.exists() and not page.exists()
    assert chips.slug not in (root / "site" / "feed.xml").read_text("utf-8")
    nvidia = root / "site" / "companies" / "nvidia" / "index.html"
    assert not nvidia.exists()  # its only article is gone, so is the company page
    assert file_tree(root / "site") == _cold(root, config)


def _cold(root: Path, config) -> dict[str, bytes]:
    cold = _config(root, out=str(root / "cold"), cache=str(root / ".cold-cache"))
    build(cold)
    return file_tree(root / "cold")


def test_a_template_error_at_render_time_names_the_template_and_line_and_keeps_the_site(root):
    config = _config(root)
    build(config)
    before = file_tree(root / "site")
    article = root / "templates" / "article.html"
    lines = article.read_text("utf-8").splitlines()
    line = lines.index("{% block main %}") + 2
    lines.insert(line - 1, "{{ article.no_such_field.upper() }}")
    article.write_text("\n".join(lines) + "\n", "utf-8")
    with pytest.raises((ContentError, BuildFailed)) as caught:
        build(config)
    errors = getattr(caught.value, "errors", [caught.value])
    error = str(errors[0])
    assert f"article.html:{line}" in error and "no_such_field" in error, error
    assert file_tree(root / "site") == before


def test_a_custom_domain_publishes_cname_and_removing_it_removes_the_file(root):
    settings = root / "site.toml"
    plain = settings.read_text("utf-8")
    settings.write_text(plain + '\ncname = "news.example.org"\n', "utf-8")
    build(_config(root))
    assert (root / "site" / "CNAME").read_text() == "news.example.org\n"
    settings.write_text(plain, "utf-8")
    build(_config(root))
    assert not (root / "site" / "CNAME").exists()


@pytest.mark.parametrize(
    "text, words",
    [
        ('title = "unclosed\n', "invalid settings: Illegal character '\\n' (at line 1, column 18)"),
        ('titel = "Typo"\n', "unknown setting 'titel'"),
        ("per_page = true\n", "setting 'per_page' must be a int"),
    ],
)
def test_invalid_settings_are_a_clear_error_naming_site_toml(root, text, words):
    (root / "site.toml").write_text(text, "utf-8")
    result = run_cli("build", "--no-search", cwd=root, check=False)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "error: site.toml: " in result.stderr and words in result.stderr, result.stderr
    assert not (root / "site").exists()


def test_suggest_prints_registry_entries_for_companies_the_registry_lacks(root):
    (root / "seeds" / "more.txt").write_text(
        "Zentrova Holdings, a Lisbon-based payments start-up, said it had raised new funding.\n", "utf-8"
    )
    result = run_cli("suggest", cwd=root)
    assert re.search(r"name: Zentrova Holdings", result.stdout), result.stdout
    assert "Nvidia" not in result.stdout  # already in the registry

"""End to end through the CLI: the two sample dumps become a complete, linked static site."""

from __future__ import annotations

import re
import shutil

import yaml
from conftest import ROOT, run_cli

from builder.check import crawl, links_of
from builder.dumps import decode_dump, split_dump
from builder.frontmatter import split_front_matter

HEADLINED = "002_2f34ff47e738a880.txt"


def _articles(root):
    """{slug: (front matter, body)} of every article file."""
    found = {}
    for path in sorted((root / "content").glob("*.md")):
        meta, body, _ = split_front_matter(path.read_text("utf-8"), path)
        found[meta["slug"]] = (meta, body)
    return found


def _raw_samples():
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        yield from split_dump(decode_dump(path.read_bytes(), path.name).text, path.name)


def test_samples_give_twenty_articles_with_true_first_paragraphs(built_samples):
    articles = _articles(built_samples)
    assert len(articles) == 20
    raws = list(_raw_samples())
    bodies = [body for _, body in articles.values()]
    for raw in raws:
        [body] = [b for b in bodies if b.startswith(raw.paragraphs[0] + "\n")]
        for paragraph in raw.paragraphs:
            assert paragraph in body
    assert any(b.startswith("The agreement will combine innovations") for b in bodies)


def test_headlines_of_the_headlined_dump_are_taken_exactly(built_samples):
    titles = [
        meta["title"]
        for meta, _ in sorted(_articles(built_samples).values(), key=lambda a: a[0]["source"]["position"])
        if meta["source"]["file"] == HEADLINED
    ]
    assert titles == [
        "Alibaba AI strategy targets $100 billion cloud and AI revenue",
        "FBI warns of fake tokens targeting Tron wallets",
        "OpenAI acquires Astral to expand Codex developer tools",
        "Firefox adds VPN and AI tools",
        "AI agent causes internal data leak at Meta",
        "Bulgaria becomes first country to deploy a national AI model across a tax authority",
        "Mastercard expands AI strategy with new payments model",
        "Agentic Ready programme by Visa launched to prepare for AI-driven payments",
        "YouTube enlists users to rate videos as AI slop in content quality push",
        "Horizon Worlds remains active as Meta reconsiders VR plans",
    ]


def test_no_page_contains_the_chatbot_marker(built_samples):
    for path in (built_samples / "site").rglob("*"):
        if path.is_file() and path.suffix in (".html", ".xml", ".txt"):
            assert "chatbot" not in path.read_text("utf-8").lower(), path


def test_term_pages_list_exactly_their_articles(built_samples):
    articles = _articles(built_samples)
    site = built_samples / "site"
    tagged: dict[tuple[str, str], set[str]] = {}
    for slug, (meta, _) in articles.items():
        for field in ("topics", "companies"):
            for name in meta[field]:
                tagged.setdefault((field, name), set()).add(slug)
    assert tagged, "the samples must produce some tags"
    for (field, name), slugs in tagged.items():
        folder = _term_folder(site, field, name)
        listed = set()
        for page in folder.rglob("index.html"):
            html = page.read_text("utf-8")
            primary = html.split('aria-label="Articles"', 1)[1].split("</section>", 1)[0]
            listed |= {m for m in re.findall(r'href="/articles/([^/"]+)/"', primary)}
        assert listed == slugs, (field, name)


def _term_folder(site, field, name):
    """Find a term's folder through its overview page link, as a reader would."""
    overview = (site / field / "index.html").read_text("utf-8")
    match = re.search(rf'<a href="/{field}/([^/"]+)/">{re.escape(_escape(name))}</a>', overview)
    assert match, f"{name} missing from /{field}/"
    return site / field / match.group(1)


def _escape(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&#34;")


def test_every_internal_link_resolves_at_the_root(built_samples):
    broken, orphans = crawl(built_samples / "site", "https://news.example.org/")
    assert broken == [] and orphans == []


def test_every_internal_link_resolves_under_a_sub_path(built_subpath):
    site = built_subpath / "site"
    assert crawl(site, "https://user.github.io/REPO/") == ([], [])
    home = (site / "index.html").read_text("utf-8")
    assert 'href="/REPO/static/style.css"' in home
    assert not [link for link in links_of(home) if link.startswith("/") and not link.startswith("/REPO/")]


def test_reingest_changes_nothing_and_edits_survive_a_build(project):
    run_cli("build", "--no-search", cwd=project)
    content = project / "content"
    before = {p.name: p.read_bytes() for p in content.iterdir()}
    result = run_cli("ingest", cwd=project)
    assert {p.name: p.read_bytes() for p in content.iterdir()} == before
    assert "20 unchanged" in result.stdout

    target = sorted(content.glob("*.md"))[0]
    edited = target.read_text("utf-8").replace("\n---\n", "\n---\nAn editor's note.\n\n", 1)
    target.write_text(edited, encoding="utf-8")
    result = run_cli("build", "--no-search", cwd=project)
    assert target.read_text("utf-8") == edited
    assert f"kept (edited by hand, not overwritten): {target}" in result.stdout
    slug = yaml.safe_load(edited.split("---")[1])["slug"]
    assert "<p>An editor's note.</p>" in (project / "site" / "articles" / slug / "index.html").read_text("utf-8")


def test_a_repeated_article_is_ingested_once_and_reported(project):
    shutil.copy(project / "seeds" / HEADLINED, project / "seeds" / "003_copy.txt")
    result = run_cli("build", "--no-search", cwd=project)
    assert len(list((project / "content").glob("*.md"))) == 20
    assert result.stdout.count("duplicate: 003_copy.txt:") == 10


def test_hand_written_articles_are_first_class(make_site):
    root, _ = make_site(
        {
            "content/my-note.md": "---\ntitle: A hand-written note\ndate: 2026-03-19\n"
            "topics: [Artificial intelligence]\ncompanies: [OpenAI]\n---\n"
            "Written by *hand*.\n"
        }
    )
    page = (root / "site" / "articles" / "my-note" / "index.html").read_text("utf-8")
    assert "<em>hand</em>" in page and '<time datetime="2026-03-19">' in page
    assert "A hand-written note" in (root / "site" / "index.html").read_text("utf-8")
    assert (root / "site" / "archive" / "2026" / "03" / "index.html").exists()


def test_bad_front_matter_fails_with_file_and_line_and_keeps_the_site(make_site):
    root, _ = make_site({"content/good.md": "---\ntitle: Good\n---\nBody.\n"})
    before = (root / "site" / "index.html").read_bytes()
    (root / "content" / "bad.md").write_text("---\ntitle: Bad\ndate: not a date\n---\nBody.\n")
    result = run_cli("build", "--no-search", cwd=root, check=False)
    assert result.returncode == 1
    assert "content/bad.md:3: 'date': 'not a date' is not a date" in result.stderr
    assert "Traceback" not in result.stderr
    assert (root / "site" / "index.html").read_bytes() == before


def test_base_url_and_out_can_be_overridden_for_one_build(make_site, tmp_path):
    out = tmp_path / "elsewhere"
    root, _ = make_site(
        {"content/a.md": "---\ntitle: A\n---\nBody.\n"}, "--base-url", "https://example.com/sub/", "--out", str(out)
    )
    assert not (root / "site").exists()
    assert 'href="/sub/articles/a/"' in (out / "index.html").read_text("utf-8")
    assert "https://example.com/sub/articles/a/" in (out / "feed.xml").read_text("utf-8")


def test_the_dated_samples_show_a_date_archive_month_charts_and_dated_feeds(built_samples):
    import feedparser

    site = built_samples / "site"
    months = sorted(p.parent.relative_to(site).as_posix() for p in site.glob("archive/*/*/index.html"))
    assert months == ["archive/2025/10", "archive/2026/03"]  # each dump's sidecar dates its ten articles
    assert "Undated articles" not in (site / "archive" / "index.html").read_text("utf-8")
    assert "<svg" in (site / "topics" / "artificial-intelligence" / "index.html").read_text("utf-8")
    feed = feedparser.parse((site / "feed.xml").read_bytes())
    assert feed.feed.updated.startswith("2026-03-19")
    assert {e.published[:10] for e in feed.entries} == {"2025-10-09", "2026-03-19"}
    for article in _articles(built_samples).values():
        meta = article[0]
        assert meta["added"].isoformat() == "2026-11-23" and meta["source"]["name"] == "Digital Watch Observatory"

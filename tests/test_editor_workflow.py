"""An editor's workflow: safe and reproducible rebuilds, redirects, check, new, and live preview."""

from __future__ import annotations

import re
import shutil
import time
import urllib.request

import yaml
from conftest import file_tree, run_cli, start_serve

ARTICLE = (
    "---\ntitle: {title}\nslug: {slug}\ndate: 2026-03-{day:02d}\ntopics: [Cybersecurity]\n"
    "companies: [Discord]\n---\n{body}\n"
)


def _articles(n: int) -> dict[str, str]:
    return {
        f"content/story-{i}.md": ARTICLE.format(
            title=f"Story number {i}", slug=f"story-{i}", day=i % 28 + 1, body=f"Body of story {i}."
        )
        for i in range(n)
    }


def _reproducible_part(tree: dict[str, bytes]) -> dict[str, bytes]:
    """All but Pagefind's filter and metadata indexes, which Pagefind itself does not write
    reproducibly (Pagefind/pagefind#638); its page fragments are stable and stay in."""
    return {
        k: v
        for k, v in tree.items()
        if not re.match(r"pagefind/\d+/(filter/|pagefind-entry\.json)", k) and not k.endswith(".pf_meta")
    }


def test_two_builds_of_the_same_input_are_byte_identical(project, tmp_path):
    run_cli("build", cwd=project)
    other = tmp_path / "again"
    shutil.copytree(project, other, ignore=shutil.ignore_patterns("site", ".cache", "content"))
    run_cli("build", cwd=other)
    first, second = file_tree(project / "site"), file_tree(other / "site")
    assert _reproducible_part(first) == _reproducible_part(second)
    assert any(re.match(r"pagefind/\d+/fragment/", k) for k in _reproducible_part(first))
    assert first.keys() - _reproducible_part(first).keys() == {
        k for k in first if re.match(r"pagefind/\d+/(filter/|pagefind-entry\.json)", k) or k.endswith(".pf_meta")
    }


def test_a_cached_rebuild_equals_a_cold_build(make_site):
    root, _ = make_site(_articles(30), "--jobs", "1")
    story = root / "content" / "story-3.md"
    story.write_text(story.read_text().replace("Body of story 3.", "A corrected body."))
    (root / "content" / "story-99.md").write_text(
        ARTICLE.format(title="A late story", slug="story-99", day=28, body="Added later.")
    )
    run_cli("build", "--no-search", cwd=root)
    story.write_text(story.read_text().replace("A corrected body.", "A second correction."))
    topics = root / "data" / "topics.yaml"
    topics.write_text(
        re.sub(
            r"(- name: Cybersecurity\n(?:  .*\n)*?  description: ).*",
            r"\1Attacks and defences.",
            topics.read_text(),
            count=1,
        )
    )
    run_cli("build", "--no-search", cwd=root)
    cached = file_tree(root / "site")
    shutil.rmtree(root / "site")
    shutil.rmtree(root / ".cache")
    run_cli("build", "--no-search", cwd=root)
    assert file_tree(root / "site") == cached
    assert "A second correction." in cached["articles/story-3/index.html"].decode()
    assert "Attacks and defences." in cached["topics/cybersecurity/index.html"].decode()


def test_a_new_registry_alias_updates_related_articles_as_a_cold_build_would(make_site):
    """Aliases decide which spellings are one company, so they decide related articles too."""
    story = "---\ntitle: {title}\nslug: {slug}\ndate: 2026-03-0{day}\ntopics: [{topic}]\ncompanies: [{company}]\n---\nBody.\n"
    root, _ = make_site(
        {
            "content/a.md": story.format(title="Story A", slug="a", day=1, topic="Cybersecurity", company="Zyxo Corp"),
            "content/b.md": story.format(title="Story B", slug="b", day=2, topic="Space", company="Zyxo"),
        },
        "--no-search",
    )
    assert 'class="related"' not in (root / "site" / "articles" / "a" / "index.html").read_text()
    companies = root / "data" / "companies.yaml"
    companies.write_text(companies.read_text() + "- {name: Zyxo, aliases: [Zyxo Corp]}\n")
    run_cli("build", "--no-search", cwd=root)
    cached = file_tree(root / "site")
    related = re.search(r'<section class="related".*?</section>', cached["articles/a/index.html"].decode(), re.S)
    assert related and "Story B" in related.group()
    shutil.rmtree(root / "site")
    shutil.rmtree(root / ".cache")
    run_cli("build", "--no-search", cwd=root)
    assert file_tree(root / "site") == cached


def test_an_added_old_article_updates_counts_but_not_every_page_with_its_tags(make_site):
    root, _ = make_site(_articles(30), "--jobs", "1")
    before = file_tree(root / "site")
    (root / "content" / "story-old.md").write_text(
        ARTICLE.format(title="An old story", slug="story-old", day=1, body="Found in the archive.").replace(
            "2026-03-01", "2025-01-01"
        )
    )
    run_cli("build", "--no-search", cwd=root)
    after = file_tree(root / "site")
    changed = {name for name in after if before.get(name) != after[name]}
    # Its tags' pages show the new count, though their first page lists the same articles.
    assert "31 articles" in after["topics/cybersecurity/index.html"].decode()
    assert "31 articles" in after["companies/discord/index.html"].decode()
    assert re.search(r"Cybersecurity</a>[^\n]*? <span class=\"count\">31<", after["topics/index.html"].decode())
    # Articles that only share its tags keep their pages.
    assert "articles/story-5/index.html" not in changed
    assert len(changed) < len(after) // 3
    cold = root.parent / "cold"
    shutil.copytree(root, cold, ignore=shutil.ignore_patterns("site", ".cache"))
    run_cli("build", "--no-search", cwd=cold)
    assert file_tree(cold / "site") == after


def test_only_changed_files_are_rewritten(make_site):
    root, _ = make_site(_articles(5))
    site = root / "site"
    before = {p: p.stat().st_mtime_ns for p in site.rglob("*") if p.is_file()}
    time.sleep(0.05)
    assert "nothing changed" in run_cli("build", "--no-search", cwd=root).stdout
    assert {p: p.stat().st_mtime_ns for p in site.rglob("*") if p.is_file()} == before
    story = root / "content" / "story-0.md"
    story.write_text(story.read_text().replace("Body of story 0.", "New words."))
    result = run_cli("build", "--no-search", cwd=root)
    changed = {p.relative_to(site).as_posix() for p, m in before.items() if p.stat().st_mtime_ns != m}
    # The article and the feeds that carry its body; listings show only titles and summaries.
    assert changed == {
        "articles/story-0/index.html",
        "feed.xml",
        "topics/cybersecurity/feed.xml",
        "companies/discord/feed.xml",
    }
    assert "4 files written" in result.stdout


def test_a_failed_build_leaves_the_previous_site_intact(make_site):
    root, _ = make_site(_articles(3))
    before = file_tree(root / "site")
    (root / "templates" / "article.html").write_text(
        "{% extends 'base.html' %}{% block main %}{{ oops( }}{% endblock %}"
    )
    (root / "content" / "story-0.md").write_text(ARTICLE.format(title="Changed", slug="story-0", day=1, body="x"))
    result = run_cli("build", "--no-search", cwd=root, check=False)
    assert result.returncode == 1
    assert "templates/article.html" in result.stderr or "article.html:1" in result.stderr
    assert "Traceback" not in result.stderr
    assert file_tree(root / "site") == before
    assert sorted(p.name for p in (root / ".site.build").iterdir()) == ["lock", "records", "spare", "state.json"]


def test_changing_a_slug_leaves_a_redirect_at_the_old_url(make_site):
    root, _ = make_site(_articles(2))
    story = root / "content" / "story-1.md"
    story.write_text(story.read_text().replace("slug: story-1", "slug: renamed-story\naliases: [story-1]"))
    run_cli("build", "--no-search", cwd=root)
    redirect = (root / "site" / "articles" / "story-1" / "index.html").read_text()
    assert 'http-equiv="refresh" content="0; url=/articles/renamed-story/"' in redirect
    assert (root / "site" / "articles" / "renamed-story" / "index.html").exists()


def test_changing_a_title_keeps_the_url(make_site):
    root, _ = make_site(_articles(2))
    story = root / "content" / "story-1.md"
    story.write_text(story.read_text().replace("title: Story number 1", "title: A better headline"))
    run_cli("build", "--no-search", cwd=root)
    assert "A better headline" in (root / "site" / "articles" / "story-1" / "index.html").read_text()


def test_check_finds_unknown_tags_duplicates_and_broken_links(make_site):
    root, _ = make_site(_articles(2))
    copy = (root / "content" / "story-0.md").read_text().replace("slug: story-0", "slug: story-copy")
    (root / "content" / "story-copy.md").write_text(copy.replace("Cybersecurity", "Cybersecurty"))
    (root / "site" / "articles" / "story-1" / "index.html").write_text('<a href="/nowhere/">x</a>')
    result = run_cli("check", cwd=root, check=False)
    assert result.returncode == 1
    assert "same text as" in result.stderr
    assert "unknown topic 'Cybersecurty'" in result.stderr and "did you mean 'Cybersecurity'?" in result.stderr
    assert "broken link /nowhere/" in result.stderr


def test_check_names_unknown_organisations_and_countries_with_the_closest_known_name(make_site):
    files = _articles(1)
    files["content/story-0.md"] = files["content/story-0.md"].replace(
        "companies: [Discord]\n",
        "companies: [Discord]\norganisations: [European Comission, Ministry of Silly Walks]\n"
        "countries: [Germny, France]\n",
    )
    root, _ = make_site(files)
    result = run_cli("check", cwd=root)  # unknown terms are warnings: the build still publishes them
    assert "unknown organisation 'European Comission'" in result.stderr
    assert "did you mean 'European Commission'" in result.stderr
    assert "unknown organisation 'Ministry of Silly Walks'" in result.stderr
    assert "add it to data/organisations.yaml" in result.stderr
    assert "unknown country 'Germny'" in result.stderr and "'Germany'" in result.stderr
    assert "'France'" not in result.stderr


def test_check_passes_on_a_clean_site(make_site):
    root, _ = make_site(_articles(3))
    result = run_cli("check", cwd=root)
    assert "0 error(s)" in result.stdout


def test_new_creates_a_dated_article_ready_to_edit(make_site):
    root, _ = make_site({})
    result = run_cli("new", "EU fines a platform: what it means", cwd=root)
    path = root / "content" / "eu-fines-a-platform-what-it-means.md"
    assert str(path) in result.stdout
    meta = yaml.safe_load(path.read_text().split("---")[1])
    assert meta["title"] == "EU fines a platform: what it means"
    assert meta["topics"] == [] and meta["companies"] == [] and meta["date"] is not None
    again = run_cli("new", "EU fines a platform: what it means", cwd=root, check=False)
    assert again.returncode == 1 and "already exists" in again.stderr


def test_usage_errors_exit_2_and_report_json_has_the_figures(make_site, tmp_path):
    root, _ = make_site(_articles(2))
    assert run_cli("build", "--no-such-flag", cwd=root, check=False).returncode == 2
    report = tmp_path / "report.json"
    shutil.rmtree(root / "site")
    run_cli("build", "--no-search", "--report-json", str(report), cwd=root)
    figures = yaml.safe_load(report.read_text())
    assert figures["articles"] == 2 and figures["written"] > 0
    assert {"load", "plan", "render", "publish"} <= set(figures["phases"])


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode()


def test_serve_rebuilds_an_edited_article_within_two_seconds_in_its_own_folder(make_site):
    root, _ = make_site(_articles(4))
    deployable = file_tree(root / "site")
    server, port = start_serve(root)
    try:
        base = f"http://127.0.0.1:{port}/"
        deadline = time.time() + 30
        while True:
            try:
                assert "Story number 2" in _get(base + "articles/story-2/")
                break
            except (OSError, AssertionError):
                if time.time() > deadline:
                    raise
                time.sleep(0.2)
        # A build of the deployable site meanwhile waits for nobody and touches no preview file.
        run_cli("build", "--no-search", cwd=root)
        site = root / ".cache" / "serve" / "site"
        others = {p: p.stat().st_mtime_ns for p in site.rglob("*.html") if "story-2" not in str(p)}
        time.sleep(1)  # let the watcher record the current state
        story = root / "content" / "story-2.md"
        story.write_text(story.read_text().replace("Body of story 2.", "Fresh words from the editor."))
        edited = time.time()
        while "Fresh words from the editor." not in _get(base + "articles/story-2/"):
            assert time.time() - edited < 2.0, "the edit did not show within 2 seconds"
            time.sleep(0.05)
        assert {p: p.stat().st_mtime_ns for p in others} == others

        # A broken front matter keeps the last good site served; fixing it recovers.
        good = story.read_text()
        story.write_text("---\ntitle: [unclosed\n---\nbody\n")
        time.sleep(2)
        assert "Fresh words from the editor." in _get(base + "articles/story-2/")
        story.write_text(good.replace("Fresh words", "Recovered words"))
        fixed = time.time()
        while "Recovered words" not in _get(base + "articles/story-2/"):
            assert time.time() - fixed < 5
            time.sleep(0.1)

        # So does a template that fails while rendering: the error is shown, the last good site stays.
        template = root / "templates" / "article.html"
        sound = template.read_text()
        template.write_text(sound.replace("{% block main %}", "{% block main %}{{ article.nope.upper() }}", 1))
        time.sleep(2)
        assert "Recovered words" in _get(base + "articles/story-2/")
        template.write_text(sound.replace("{% block main %}", "{% block main %}<p>Template fixed.</p>", 1))
        fixed = time.time()
        while "Template fixed." not in _get(base + "articles/story-2/"):
            assert time.time() - fixed < 5
            time.sleep(0.1)
    finally:
        server.terminate()
        output = server.communicate(timeout=10)[0]
    assert re.search(r"story-2\.md:2: invalid front matter", output), output
    assert re.search(r"article\.html:\d+: template error while rendering /articles/story-\d/: .*nope", output), output
    # The preview never wrote into the deployable site: no localhost links there, no changed file.
    assert file_tree(root / "site") == deployable


def test_pages_deploys_only_a_tested_build_made_with_the_pinned_versions_and_the_pages_base_url():
    import tomllib

    from conftest import ROOT

    folder = ROOT / ".github" / "workflows"
    pages = yaml.safe_load((folder / "pages.yml").read_text())
    tests = yaml.safe_load((folder / "tests.yml").read_text())
    jobs = pages["jobs"]
    # the test workflow runs first, with the README's test command, and a failure stops the deploy
    assert jobs["tests"]["uses"] == "./.github/workflows/tests.yml" and "workflow_call" in tests[True]
    assert jobs["build"]["needs"] == "tests" and jobs["deploy"]["needs"] == "build"
    assert "make test" in [step.get("run") for step in tests["jobs"]["test"]["steps"]]
    steps = jobs["build"]["steps"]
    runs = {step.get("name"): step.get("run", "") for step in steps}
    assert "-c constraints.txt" in runs["Install the tested versions"]
    assert "newsarchive build --base-url" in runs["Build"] and "steps.pages.outputs.base_url" in runs["Build"]
    uses = [step.get("uses", "") for step in [*steps, *jobs["deploy"]["steps"]]]
    for action in ("configure-pages", "cache", "upload-pages-artifact", "deploy-pages"):
        assert any(u.startswith(f"actions/{action}@") for u in uses), action
    assert pages["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert pages[True]["push"]["branches"] == ["main"]  # YAML 1.1 reads the key `on` as True
    # every dependency of the package has a pinned version, so a deploy never picks up a new release
    pinned = {
        line.split("==")[0].lower().replace("_", "-")
        for line in (ROOT / "constraints.txt").read_text().splitlines()
        if "==" in line
    }
    needed = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    names = {re.split(r"[\[<>=~ ]", dep, maxsplit=1)[0].lower().replace("_", "-") for dep in needed}
    assert names <= pinned, names - pinned

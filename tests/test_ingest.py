"""Ingest identity: an article is recognised by its dump, position and text, so a
corrected dump updates it in place, a layout switch or a lost manifest never duplicates an article
or marks it edited, and an editor's file is never overwritten."""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, run_cli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builder.content import load_articles
from builder.dumps import MARKER as MARKER_PATTERN
from builder.ingest import MANIFEST, ingest
from builder.registry import load_registry
from builder.tagging import Tagger

MARKER = "Would you like to learn more about AI, tech and digital diplomacy? If so, ask our Diplo chatbot!"
LINES = "000_6d26aec734f305a8.txt"  # no headlines, one paragraph per line
HEADLINED = "002_2f34ff47e738a880.txt"  # a headline before each article, blank lines between paragraphs


def _front(path: Path) -> dict:
    return yaml.safe_load(path.read_text("utf-8").split("---\n")[1])


def _articles(content: Path) -> dict[str, dict]:
    """slug -> front matter of every article file."""
    return {p.stem: _front(p) for p in sorted(content.glob("*.md"))}


def _by_source(content: Path) -> dict[tuple[str, int], str]:
    found = {}
    for slug, front in _articles(content).items():
        key = (front["source"]["file"], front["source"]["position"])
        assert key not in found, f"{slug} and {found[key]} are both {key}"
        found[key] = slug
    return found


def _quiet(result, content: Path) -> None:
    """Ingest kept nothing as edited and warned about no article file."""
    assert "kept (" not in result.stdout and f"warning: {content}" not in result.stdout, result.stdout


def _edit_dump(project: Path, dump: str, old: str, new: str) -> None:
    path = project / "seeds" / dump
    text = path.read_text("utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.mark.parametrize(
    "dump, old, new, position",
    [
        (LINES, "a €5 billion investment in Belgium", "a €6 billion investment in Belgium", 1),
        (HEADLINED, "An ambitious target to generate", "An ambitious goal to generate", 1),
    ],
)
def test_a_corrected_dump_updates_its_article_in_place(project, dump, old, new, position):
    run_cli("build", "--no-search", cwd=project)
    content = project / "content"
    slug = _by_source(content)[(dump, position)]
    _edit_dump(project, dump, old, new)
    result = run_cli("build", "--no-search", cwd=project)
    _quiet(result, content)
    assert "20 articles (0 new, 1 updated, 19 unchanged, 0 kept as edited)" in result.stdout, result.stdout
    assert len(list(content.glob("*.md"))) == 20
    assert _by_source(content)[(dump, position)] == slug
    assert new in (content / f"{slug}.md").read_text("utf-8")
    assert new in (project / "site" / "articles" / slug / "index.html").read_text("utf-8")
    again = run_cli("ingest", cwd=project)
    assert "0 new, 0 updated, 20 unchanged, 0 kept as edited" in again.stdout


def test_a_correction_to_an_edited_article_keeps_the_edit_and_says_how_to_take_the_dumps(project):
    run_cli("ingest", cwd=project)
    content = project / "content"
    slug = _by_source(content)[(HEADLINED, 1)]
    path = content / f"{slug}.md"
    edited = path.read_text("utf-8").replace("\n---\n", "\n---\nAn editor's note.\n\n", 1)
    path.write_text(edited, encoding="utf-8")
    _edit_dump(project, HEADLINED, "An ambitious target to generate", "An ambitious goal to generate")
    for _ in range(2):  # said again until the editor decides
        result = run_cli("ingest", cwd=project)
        assert path.read_text("utf-8") == edited
        assert len(list(content.glob("*.md"))) == 20
        assert f"kept (edited by hand, not overwritten): {path}" in result.stdout
        assert (
            f"warning: {path}: kept as edited by hand, but its article in {HEADLINED} (article 1) "
            'changed since; to take the dump\'s version, delete the file and set "sha256" to null in '
            f'its "{slug}" entry in {content / MANIFEST}'
        ) in result.stdout, result.stdout
    # Following the hint brings the dump's version back under the same slug.
    path.unlink()
    manifest = json.loads((content / MANIFEST).read_text())
    manifest["articles"][slug]["sha256"] = None
    (content / MANIFEST).write_text(json.dumps(manifest))
    result = run_cli("ingest", cwd=project)
    _quiet(result, content)
    assert "An ambitious goal to generate" in path.read_text("utf-8")
    assert len(list(content.glob("*.md"))) == 20
    assert run_cli("ingest", cwd=project).stdout.count("20 unchanged") == 1


def test_keeping_an_edit_after_the_dump_changed_silences_the_warning(project):
    run_cli("ingest", cwd=project)
    content = project / "content"
    slug = _by_source(content)[(HEADLINED, 1)]
    path = content / f"{slug}.md"
    path.write_text(
        path.read_text("utf-8").replace("An ambitious target", "An ambitious goal") + "\nAn editor's note.\n",
        encoding="utf-8",
    )
    _edit_dump(project, HEADLINED, "An ambitious target to generate", "An ambitious goal to generate")
    assert "changed since" in run_cli("ingest", cwd=project).stdout
    manifest = json.loads((content / MANIFEST).read_text())
    del manifest["articles"][slug]
    (content / MANIFEST).write_text(json.dumps(manifest))
    result = run_cli("ingest", cwd=project)
    assert "changed since" not in result.stdout and f"kept (edited by hand, not overwritten): {path}" in result.stdout
    assert "changed since" not in run_cli("ingest", cwd=project).stdout


def _to_lines(text: str) -> str:
    """A headlined, blank-separated dump as one paragraph per line without headlines."""
    lines, article = [], []
    for paragraph in text.strip().split("\n\n") + [MARKER]:
        if MARKER_PATTERN.fullmatch(paragraph.strip()):
            lines += [" ".join(p.split("\n")) for p in article[1:]] + [paragraph]
            article = []
        else:
            article.append(paragraph)
    return "\n".join(lines) + "\n"


def _wrapped(text: str) -> str:
    """The same dump with the first paragraph after each headline wrapped onto two lines."""
    paragraphs, index = [], 0
    for paragraph in text.split("\n\n"):
        if index == 1:
            words = paragraph.split(" ")
            paragraph = " ".join(words[: len(words) // 2]) + "\n" + " ".join(words[len(words) // 2 :])
        index = 0 if MARKER_PATTERN.fullmatch(paragraph.strip()) else index + 1
        paragraphs.append(paragraph)
    return "\n\n".join(paragraphs)


def test_switching_a_dump_between_the_two_layouts_marks_nothing_edited(project):
    dump = project / "seeds" / HEADLINED
    headlined = _wrapped(dump.read_text("utf-8"))
    dump.write_text(headlined, encoding="utf-8")
    run_cli("build", "--no-search", cwd=project)
    content = project / "content"
    slugs = _by_source(content)
    for layout in (_to_lines(headlined), headlined):
        dump.write_text(layout, encoding="utf-8")
        result = run_cli("build", "--no-search", cwd=project)
        _quiet(result, content)
        assert "0 new, 10 updated, 10 unchanged, 0 kept as edited" in result.stdout, result.stdout
        assert _by_source(content) == slugs
    assert run_cli("ingest", cwd=project).stdout.count(" unchanged") == 1


def test_a_lost_manifest_and_an_article_inserted_at_the_top_duplicate_nothing(project):
    run_cli("build", "--no-search", cwd=project)
    content = project / "content"
    before = {p.name: p.read_bytes() for p in content.glob("*.md")}
    slugs = _by_source(content)
    (content / MANIFEST).unlink()
    dump = project / "seeds" / LINES
    dump.write_text(
        "Quillpay opens a payments office in Lisbon to serve European merchants.\n"
        f"The company plans to hire forty engineers there this year.\n{MARKER}\n" + dump.read_text("utf-8"),
        encoding="utf-8",
    )
    result = run_cli("build", "--no-search", cwd=project)
    _quiet(result, content)
    assert "21 articles (1 new, 10 updated, 10 unchanged, 0 kept as edited)" in result.stdout, result.stdout
    after = _by_source(content)
    assert len(after) == 21 == len(list(content.glob("*.md")))
    assert {(f, p + (f == LINES)): s for (f, p), s in slugs.items()} == {
        k: v for k, v in after.items() if k != (LINES, 1)
    }
    # Only the position in the source line changed in the moved files.
    for name, data in before.items():
        now = (content / name).read_bytes()
        assert re.sub(rb"position: \d+", b"", now) == re.sub(rb"position: \d+", b"", data)


def test_a_lost_manifest_keeps_edited_files_and_recognises_the_others(project):
    run_cli("ingest", cwd=project)
    content = project / "content"
    edited = sorted(content.glob("*.md"))[3]
    text = edited.read_text("utf-8").replace("\n---\n", "\n---\nAn editor's note.\n\n", 1)
    edited.write_text(text, encoding="utf-8")
    (content / MANIFEST).unlink()
    result = run_cli("ingest", cwd=project)
    assert "20 articles (0 new, 0 updated, 19 unchanged, 1 kept as edited)" in result.stdout, result.stdout
    assert edited.read_text("utf-8") == text


def test_a_manifest_of_the_first_format_is_read_and_rewritten(project):
    """The first manifest format keyed articles by a hash of their text, with a slug and sha256."""
    run_cli("ingest", cwd=project)
    content = project / "content"
    manifest = content / MANIFEST
    current = json.loads(manifest.read_text())["articles"]
    manifest.write_text(
        json.dumps({entry["text"]: {"slug": slug, "sha256": entry["sha256"]} for slug, entry in current.items()})
    )
    _edit_dump(project, LINES, "a €5 billion investment in Belgium", "a €6 billion investment in Belgium")
    result = run_cli("ingest", cwd=project)
    assert "20 articles (0 new, 1 updated, 19 unchanged, 0 kept as edited)" in result.stdout, result.stdout
    assert json.loads(manifest.read_text())["version"] == 2


# --- properties: random corrections, layout switches, insertions and lost manifests ------------------

# Real news items share common words but few word pairs; a vocabulary of 200 words keeps it so.
_VOCABULARY = [
    a + b
    for a in ("reg", "chip", "mod", "dat", "pay", "sat", "net", "pol", "cour", "fin")
    for b in (
        "ulator",
        "set",
        "el",
        "a",
        "ment",
        "ellite",
        "work",
        "icy",
        "t",
        "e",
        "ance",
        "ing",
        "er",
        "ure",
        "ion",
        "ity",
        "ant",
        "ist",
        "age",
        "or",
    )
]


@st.composite
def _archives(draw):
    """A dump as articles of paragraphs; every article has its own words, like real news items."""
    count = draw(st.integers(1, 6))
    articles = []
    for number in range(count):
        rng = random.Random(draw(st.integers(0, 10**6)))
        paragraphs = []
        for p in range(rng.randint(1, 4)):
            words = [rng.choice(_VOCABULARY) for _ in range(rng.randint(8, 30))]
            paragraphs.append(f"Item{number}x{p} " + " ".join(words) + ".")
        articles.append(paragraphs)
    return articles


def _dump_text(articles: list[list[str]], blocks: bool) -> str:
    separator = "\n\n" if blocks else "\n"
    return "".join(separator.join(a) + f"{separator}{MARKER}{separator}" for a in articles)


def _correct(articles: list[list[str]], rng: random.Random) -> tuple[int, str]:
    """Replace one word of one article (never its label); (article index, new paragraph)."""
    index = rng.randrange(len(articles))
    p = rng.randrange(len(articles[index]))
    words = articles[index][p].split(" ")
    w = rng.randrange(1, len(words))
    words[w] = rng.choice([x for x in _VOCABULARY if x != words[w].rstrip(".")]) + ("." if w == len(words) - 1 else "")
    articles[index][p] = " ".join(words)
    return index, articles[index][p]


@pytest.fixture(scope="module")
def tagger():
    return Tagger(load_registry(ROOT / "data"))


def _label(paragraphs) -> str:
    return paragraphs[0].split(" ", 1)[0]


@dataclass
class _State:
    """What the editor sees: the dump's articles, the files edited by hand, articles taken out."""

    articles: list[list[str]]
    blocks: bool
    edited: dict[str, bytes] = field(default_factory=dict)  # label -> the editor's bytes
    removed: set[str] = field(default_factory=set)  # labels no longer in the dump; their files stay

    def check(self, content: Path) -> dict[str, str]:
        """One file per article, each unedited one with exactly its paragraphs; label -> slug."""
        loaded, errors = load_articles(content)
        assert not errors
        slugs = {_label(a.body.split("\n\n")): a.slug for a in loaded}
        assert len(slugs) == len(loaded), "an article was duplicated"
        assert slugs.keys() == {_label(a) for a in self.articles} | self.removed, "an article was lost"
        for article in loaded:
            label = _label(article.body.split("\n\n"))
            if label in self.edited:
                assert article.path.read_bytes() == self.edited[label], "an edited file was overwritten"
            elif label not in self.removed:
                wanted = next(a for a in self.articles if _label(a) == label)
                assert [p.removeprefix("## ") for p in article.body.rstrip("\n").split("\n\n")] == wanted
        return slugs


OPERATIONS = (
    "correct",
    "switch layout",
    "insert at top",
    "remove one",
    "lose manifest",
    "edit a file",
    "correct and insert",
)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(
    articles=_archives(),
    steps=st.lists(st.sampled_from(OPERATIONS), min_size=1, max_size=6),
    seed=st.integers(0, 10**6),
    blocks=st.booleans(),
)
def test_no_change_to_a_dump_duplicates_loses_or_overwrites_an_article(
    articles, steps, seed, blocks, tagger, tmp_path_factory
):
    rng = random.Random(f"steps-{seed}")  # not the stream the archive was drawn from
    folder = tmp_path_factory.mktemp("identity")
    seeds, content = folder / "seeds", folder / "content"
    seeds.mkdir()
    dump = seeds / "d.txt"
    state = _State(articles, blocks)
    dump.write_text(_dump_text(articles, blocks), encoding="utf-8")
    ingest(seeds, content, tagger)
    slugs = state.check(content)
    added = 0
    for step in steps:
        corrected = None
        if step in ("correct", "correct and insert"):
            index, corrected = _correct(articles, rng)
            label = _label(articles[index])
        if step in ("insert at top", "correct and insert"):
            added += 1
            articles.insert(0, [f"New{added} " + " ".join(rng.choice(_VOCABULARY) for _ in range(12)) + "."])
        if step == "remove one" and len(articles) > 1:
            state.removed.add(_label(articles.pop(rng.randrange(len(articles)))))
        if step == "switch layout":
            state.blocks = not state.blocks
        if step == "lose manifest":
            (content / MANIFEST).unlink()
        if step == "edit a file":
            label = rng.choice(sorted(slugs))
            path = content / f"{slugs[label]}.md"
            state.edited[label] = path.read_bytes() + b"\nAn editor's note.\n"
            path.write_bytes(state.edited[label])
        dump.write_text(_dump_text(articles, state.blocks), encoding="utf-8")
        report = ingest(seeds, content, tagger)
        assert not report.kept_deleted and not report.errors, step
        assert {Path(p).stem for p in report.kept_edited} <= {slugs[label] for label in state.edited}, step
        now = state.check(content)
        assert {label: slug for label, slug in now.items() if label in slugs} == slugs, step  # same URLs
        if corrected and label not in state.edited:  # the correction reached the article's own file
            assert corrected in (content / f"{now[label]}.md").read_text("utf-8"), step
        slugs = now
    again = ingest(seeds, content, tagger)
    assert len(again.unchanged) == len(articles) - len(state.edited.keys() - state.removed)
    assert not again.written and not again.updated


# --- when an article entered the archive, and where it came from ------------------------------------

_STORIES = (
    "Regulator fines Meta over data transfers\n\nThe regulator fined Meta on Tuesday over data transfers.\n",
    "Court blocks Google search deal\n\nA court blocked the search deal that Google had signed.\n",
)


def _seeded(tmp_path: Path, sidecar: str | None = None) -> tuple[Path, Path]:
    seeds, content = tmp_path / "seeds", tmp_path / "content"
    seeds.mkdir()
    (seeds / "001_wire.txt").write_text(f"\n{MARKER}\n".join(_STORIES), "utf-8")
    if sidecar is not None:
        (seeds / "001_wire.yaml").write_text(sidecar, "utf-8")
    return seeds, content


def _added(content: Path) -> dict[str, object]:
    return {slug: front.get("added") for slug, front in _articles(content).items()}


def test_the_day_an_article_entered_the_archive_is_recorded_once_and_survives_reingests(tmp_path, tagger):
    import datetime as dt

    seeds, content = _seeded(tmp_path)
    first, later = dt.date(2026, 3, 19), dt.date(2026, 11, 30)
    ingest(seeds, content, tagger, today=first)
    assert set(_added(content).values()) == {first}
    files = {p.name: p.read_bytes() for p in content.glob("*.md")}

    report = ingest(seeds, content, tagger, today=later)  # a later run changes nothing
    assert len(report.unchanged) == 2 and {p.name: p.read_bytes() for p in content.glob("*.md")} == files

    (content / MANIFEST).unlink()  # the manifest lost: the files still say when
    report = ingest(seeds, content, tagger, today=later)
    assert len(report.unchanged) == 2 and set(_added(content).values()) == {first}

    gone = sorted(content.glob("*.md"))[0]  # taken back after deletion: same day, from the manifest
    gone.unlink()
    manifest = json.loads((content / MANIFEST).read_text())
    manifest["articles"][gone.stem]["sha256"] = None
    (content / MANIFEST).write_text(json.dumps(manifest))
    ingest(seeds, content, tagger, today=later)
    assert _front(gone)["added"] == first

    (seeds / "001_wire.txt").write_text(f"\n{MARKER}\n".join((*_STORIES, "Nvidia opens a plant\n\nIn Texas.\n")))
    ingest(seeds, content, tagger, today=later)  # only a new article gets the new day
    assert sorted(_added(content).values()) == [first, first, later]


def test_source_date_epoch_sets_the_day_new_articles_enter(tmp_path, monkeypatch):
    import datetime as dt

    from builder.ingest import first_seen_today

    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(dt.datetime(2026, 3, 19, 23, 59, tzinfo=dt.UTC).timestamp())))
    assert first_seen_today() == dt.date(2026, 3, 19)
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert first_seen_today() == dt.datetime.now(dt.UTC).date()


def test_a_sidecar_names_the_source_its_story_addresses_and_when_the_dump_entered(tmp_path, tagger):
    import datetime as dt

    sidecar = (
        "date: 2026-03-18\nadded: 2026-03-20\nname: Example Wire\nurl: https://wire.example/\n"
        "source_urls: {2: 'https://wire.example/court-blocks-deal'}\n"
    )
    seeds, content = _seeded(tmp_path, sidecar)
    ingest(seeds, content, tagger, today=dt.date(2026, 11, 30))
    fronts = sorted(_articles(content).values(), key=lambda f: f["source"]["position"])
    assert [f["date"] for f in fronts] == [dt.date(2026, 3, 18)] * 2
    assert [f["added"] for f in fronts] == [dt.date(2026, 3, 20)] * 2
    assert fronts[0]["source"] == {
        "file": "001_wire.txt",
        "position": 1,
        "name": "Example Wire",
        "url": "https://wire.example/",
    }
    assert fronts[1]["source"]["source_url"] == "https://wire.example/court-blocks-deal"
    [article] = [a for a in load_articles(content)[0] if a.source.position == 2]
    assert (article.source.label, article.source.link) == ("Example Wire", "https://wire.example/court-blocks-deal")


@pytest.mark.parametrize(
    "sidecar, message",
    [
        ("source_urls: {1: 'javascript:alert(1)'}\n", "source_urls 1 'javascript:alert(1)' is not a web address"),
        ("source_urls: {first: 'https://a.example/'}\n", "source_urls key 'first' is not an article position"),
        ("source_urls: [https://a.example/]\n", "source_urls must map article positions to addresses"),
        ("added: next week\n", "added 'next week' is not YYYY-MM-DD"),
    ],
)
def test_a_bad_sidecar_is_an_error_naming_it_and_nothing_of_its_dump_is_written(tmp_path, tagger, sidecar, message):
    seeds, content = _seeded(tmp_path, sidecar)
    report = ingest(seeds, content, tagger)
    [error] = report.errors
    assert str(error.file).endswith("001_wire.yaml") and message in error.message
    assert not list(content.glob("*.md"))

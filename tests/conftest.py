"""Shared fixtures: run the CLI as an editor does, and build small sites in temp folders."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from builder.registry import load_registry
from builder.tagging import Tagger

ROOT = Path(__file__).resolve().parent.parent
PROJECT_PARTS = ("seeds", "data", "templates", "static", "site.toml")


@pytest.fixture(scope="session")
def tagger() -> Tagger:
    """A tagger of the project's own data files, made once (tagging is a pure function of them)."""
    return Tagger(load_registry(ROOT / "data"))


def topics(tagger: Tagger, *paragraphs: str, title: str = "") -> tuple[str, ...]:
    """The topics the tagger gives an article of these paragraphs."""
    return tagger.tag(title, list(paragraphs)).topics


def pytest_collection_modifyitems(items):
    """Every test in a tests/test_browser*.py file drives chromium: marked `browser`."""
    for item in items:
        if item.path.name.startswith("test_browser"):
            item.add_marker(pytest.mark.browser)


def file_tree(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (relative path with '/') and its bytes: to compare whole sites."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def run_cli(*args: str, cwd: Path, check: bool = True, in_process: bool = False) -> subprocess.CompletedProcess:
    """`newsarchive ARGS` in `cwd`, as an editor would type it.

    `in_process` runs the same `main()` in this process (no interpreter start-up, ~0.5 s a
    call): for tests that need a built site, not the behaviour of a separate process.
    """
    if in_process:
        result = _main_in(cwd, list(args))
    else:
        result = subprocess.run(
            [sys.executable, "-m", "builder", *args], cwd=cwd, capture_output=True, text=True, timeout=600
        )
    if check and result.returncode != 0:
        raise AssertionError(
            f"newsarchive {' '.join(args)} exited {result.returncode}:\n{result.stdout}\n{result.stderr}"
        )
    return result


def _main_in(cwd: Path, args: list[str]) -> subprocess.CompletedProcess:
    """`cli.main(args)` with `cwd` as the working folder, its output captured, signals restored."""
    from builder.cli import main

    out, err, terminate, before = io.StringIO(), io.StringIO(), signal.getsignal(signal.SIGTERM), os.getcwd()
    try:
        os.chdir(cwd)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(args)
    finally:
        os.chdir(before)
        signal.signal(signal.SIGTERM, terminate)
    return subprocess.CompletedProcess(["newsarchive", *args], code, out.getvalue(), err.getvalue())


def copy_project(target: Path, parts=PROJECT_PARTS) -> Path:
    """A copy of the project's editable parts (not the package) in `target`."""
    target.mkdir(parents=True, exist_ok=True)
    for name in parts:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name)
        elif source.exists():
            shutil.copy2(source, target / name)
    return target


@pytest.fixture
def project(tmp_path) -> Path:
    """A fresh copy of the project with the two sample dumps and no content yet."""
    return copy_project(tmp_path / "project")


@pytest.fixture
def make_site(tmp_path):
    """Write {path: text} files over a copy of the project without seeds, build, return the root."""

    def make(files: dict[str, str], *build_args: str, check: bool = True):
        root = copy_project(tmp_path / "site-project", [p for p in PROJECT_PARTS if p != "seeds"])
        (root / "seeds").mkdir(exist_ok=True)
        for relative, text in files.items():
            path = root / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        result = run_cli("build", "--no-search", *build_args, cwd=root, check=check, in_process=True)
        return root, result

    return make


@pytest.fixture(scope="session")
def built_samples(tmp_path_factory) -> Path:
    """The two sample dumps built once (with search) at the domain root."""
    root = copy_project(tmp_path_factory.mktemp("samples") / "project")
    run_cli("build", "--base-url", "https://news.example.org/", cwd=root)
    return root


@pytest.fixture(scope="session")
def built_subpath(tmp_path_factory) -> Path:
    """The samples built for a GitHub Pages project site under /REPO/."""
    root = copy_project(tmp_path_factory.mktemp("subpath") / "project")
    run_cli("build", "--base-url", "https://user.github.io/REPO/", cwd=root)
    return root


# --- A generated, dated archive for the page, feed, HTML and browser tests (appended helpers) ---

GEN_TOPICS = [
    "Artificial intelligence",
    "Cybersecurity",
    "Data protection",
    "Competition",
    "Semiconductors",
    "Online safety",
    "Digital payments",
    "Space",
]
GEN_COMPANIES = [
    "OpenAI",
    "Google",
    "Microsoft",
    "Nvidia",
    "Meta",
    "Apple",
    "Amazon",
    "Anthropic",
    "Samsung",
    "TSMC",
    "Visa",
    "Mastercard",
]
GEN_WORDS = (
    "regulators court ruling investment chips model users data breach fine platform market "
    "launch partnership policy lawmakers researchers network payments satellite"
).split()


def write_generated_archive(root: Path, count: int, undated: int = 3) -> list[dict]:
    """Write `count` hand-written-style articles into root/content (the last `undated` without a date).

    Deterministic: article i always has the same title, date, tags and body. Returns their metadata.
    """
    import datetime as dt
    import random

    content = root / "content"
    content.mkdir(parents=True, exist_ok=True)
    written = []
    for i in range(count):
        rng = random.Random(i)
        company = GEN_COMPANIES[i % len(GEN_COMPANIES)]
        other = rng.choice([c for c in GEN_COMPANIES if c != company])
        topics = sorted({GEN_TOPICS[i % len(GEN_TOPICS)], rng.choice(GEN_TOPICS)})
        words = " ".join(rng.choice(GEN_WORDS) for _ in range(5))
        title = f"{company} and {other}: {words} (report {i + 1})"
        slug = f"report-{i + 1:04d}"
        date = None if i >= count - undated else dt.date(2024, 1, 1) + dt.timedelta(days=(i * 37) % 600)
        paragraphs = [
            f"{company} said on the record that {words}. {other} declined to comment on report {i + 1}.",
            " ".join(rng.choice(GEN_WORDS) for _ in range(40)).capitalize() + ".",
            f"Analysts expect {company} to return to the subject of {topics[0].lower()} soon.",
        ]
        lines = ["---", f"title: '{title}'", f"slug: {slug}"]
        if date:
            lines.append(f"date: {date.isoformat()}")
        lines += [
            f"summary: '{paragraphs[0]}'",
            f"topics: [{', '.join(topics)}]",
            f"companies: [{company}, {other}]",
            "---",
            *("\n" + p for p in paragraphs),
        ]
        (content / f"{slug}.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
        written.append({"slug": slug, "title": title, "date": date, "topics": topics, "companies": [company, other]})
    return written


def generated_project(target: Path, count: int, per_page: int = 20, undated: int = 3) -> Path:
    """A project (templates, static, data, settings) with no seeds and a generated content folder."""
    root = copy_project(target, [p for p in PROJECT_PARTS if p != "seeds"])
    (root / "seeds").mkdir(exist_ok=True)
    settings = root / "site.toml"
    text = settings.read_text("utf-8") if settings.exists() else ""
    import re as _re

    text = _re.sub(r"(?m)^per_page\s*=.*$", "", text) + f"\nper_page = {per_page}\n"
    settings.write_text(text, encoding="utf-8")
    write_generated_archive(root, count, undated)
    return root


@pytest.fixture(scope="session")
def built_generated(tmp_path_factory) -> Path:
    """A generated archive of 150 dated (and 3 undated) articles, 10 per page, built with search under /REPO/."""
    root = generated_project(tmp_path_factory.mktemp("generated") / "project", 153, per_page=10)
    run_cli("build", "--base-url", "https://user.github.io/REPO/", cwd=root)
    return root


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium driven by Playwright (never a downloaded browser), one per test process."""
    from subpath_server import CHROMIUM, CHROMIUM_ARGS

    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is not installed: run scripts/test-tools (make test does)", pytrace=False)
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@contextlib.contextmanager
def watched_tab(browser, width: int = 1280, height: int = 900, console: bool = False, **options):
    """A fresh tab that records failed requests and script errors (and console errors if
    `console`); the test fails on any of them."""
    context = browser.new_context(viewport={"width": width, "height": height}, **options)
    tab = context.new_page()
    problems: list[str] = []
    tab.on("pageerror", lambda err: problems.append(f"script error: {err}"))
    tab.on("response", lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    if console:
        tab.on("console", lambda msg: problems.append(f"console: {msg.text}") if msg.type == "error" else None)
    try:
        yield tab
    finally:
        context.close()
    assert not problems, problems


def start_serve(root: Path) -> tuple[subprocess.Popen, int]:
    """`newsarchive serve --no-search` in `root` on a free port, as an editor starts it: (process, port).
    Its output (stdout and stderr together) is read with `communicate()` after `terminate()`."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-m", "builder", "serve", "--no-search", "--port", str(port)],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    return process, port

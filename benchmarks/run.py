"""Build benchmark: generate archives of several sizes, build each through the CLI, report figures.

    python benchmarks/run.py [--sizes 1000,10000,50000] [--json FILE] [--keep] [--reader]

Per size, in a fresh folder (benchmarks/out/N by default, git-ignored), the scenarios run in
this order, each as one child process `python -m builder build --report-json F` (search on,
the default, except `nosearch`):

  cold      empty cache (.cache/) and no site/
  noop      nothing changed
  edit      one article's body edited
  add       one new article
  template  templates/base.html changed (every page renders again)
  nosearch  cold again without search, for comparison (and as the cold reference)
  serve     `newsarchive serve`: its first build, then one article saved -> the new text
            served, and -> the search index caught up (the slowest answer to a request for the
            home page every 50 ms, from the save until search caught up, noted)

After `template` the published folder is measured: HTML and other files, the search index,
and the whole per article (GitHub Pages takes at most 1 GB). With --reader, Debian's
chromium opens the search page (Playwright) of the sharded index and of one single index
built over the same pages: requests and time to the first results, and how far the result
order of a fixed query set differs between the two.

Wall time is the child's whole life (interpreter start, imports and cache I/O included), the
time an editor waits; it is what the targets are checked against. Phases come from the
build's own JSON report. Peak RSS is `ru_maxrss` of the rusage that `os.wait4` returns
for that one child: the largest resident set of the build process or of any render worker
it reaped, not their sum. "tree PSS" adds the proportional set size of the child and all its
descendants, sampled every 0.2 s from /proc with --sample (off by default: reading smaps of
a large process slows that process down); it counts shared copy-on-write pages once.
After the search build, site/ (without pagefind/) is compared with the site the cached
rebuilds left: `cached_equals_cold` says whether they are byte-identical.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import http.server
import json
import os
import platform
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import generate  # noqa: E402  (the sibling script, importable as a module)

SCENARIOS = ("cold", "noop", "edit", "add", "template", "nosearch", "serve")
# Phases in pipeline order; any other phase a build reports gets a column after these.
PHASES = ("ingest", "scan", "load", "plan", "render", "publish", "search")
# The targets: wall seconds per scenario (serve: save -> page served; reader: query ->
# first results), peak RSS of any process in MB (10^6 bytes), published folder in MB.
TARGETS = {
    10_000: {"cold": 12.0, "edit": 2.0, "serve": 1.5, "rss_mb": 800.0, "reader": 0.5, "size_mb": 170.0},
    50_000: {"cold": 75.0, "edit": 6.0, "serve": 4.0, "rss_mb": 2500.0, "reader": 0.8, "size_mb": 800.0},
}
QUERIES = ("google", "alphabet", "antitrust fine", "data centre", "satellite network", "privacy rules", "bug bounty")
DASH = "–"


# ---------------------------------------------------------------- one child process


def _children(pid: int) -> list[int]:
    """Direct children of `pid` (via /proc/PID/task/*/children)."""
    found: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                found += [int(c) for c in handle.read().split()]
    except OSError:
        pass
    return found


def _pss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


class TreeSampler(threading.Thread):
    """Samples the summed PSS of a process and its descendants until stopped; keeps the peak."""

    def __init__(self, pid: int, interval: float = 0.2):
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.peak_kib = 0
        self.halt = threading.Event()

    def run(self) -> None:
        while not self.halt.is_set():
            pids, todo = [], [self.pid]
            while todo:
                pid = todo.pop()
                pids.append(pid)
                todo += _children(pid)
            self.peak_kib = max(self.peak_kib, sum(_pss_kib(p) for p in pids))
            self.halt.wait(self.interval)


def run_child(cmd: list[str], cwd: Path, log: Path, sample: bool = True) -> dict:
    """Run `cmd` in `cwd`; wall seconds, exit code, ru_maxrss of that child, sampled tree PSS."""
    with open(log, "wb") as output:
        start = time.perf_counter()
        child = subprocess.Popen(cmd, cwd=cwd, stdout=output, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        sampler = TreeSampler(child.pid) if sample else None
        if sampler:
            sampler.start()
        # wait4 returns the rusage of this child alone (and the workers it reaped), unlike
        # getrusage(RUSAGE_CHILDREN), whose ru_maxrss is a maximum over every child so far.
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        if sampler:
            sampler.halt.set()
            sampler.join()
    return {
        "exit_code": child.returncode,
        "wall_seconds": round(wall, 3),
        "peak_rss_mb": round(usage.ru_maxrss * 1024 / 1e6, 1),  # ru_maxrss is in KiB on Linux
        "tree_pss_mb": round(sampler.peak_kib * 1024 / 1e6, 1) if sampler else None,
        "user_seconds": round(usage.ru_utime, 3),
        "system_seconds": round(usage.ru_stime, 3),
    }


# ---------------------------------------------------------------- scenarios

TRASH = ".trash"  # folders set aside during the run, deleted at its end
SETTLE = 3  # seconds of quiet before a cold build: the disk's queues drain after the sync


def set_aside(path: Path, trash: Path) -> None:
    """Move `path` into `trash`, deleted when the run ends.

    Deleting tens of thousands of files right before a build would slow that build down:
    ext4 will not reuse an inode deleted moments ago, and creating files then scans the
    inode tables for others (`recently_deleted` in kernel profiles: up to 15 s of system time
    for a 10,000-article cold build). A rename frees no inode.
    """
    if path.exists():
        trash.mkdir(parents=True, exist_ok=True)
        path.rename(trash / f"{len(list(trash.iterdir()))}-{path.name}")


def clear_build_state(root: Path, trash: Path) -> None:
    """Set aside the cache and every output folder a build leaves, for a cold build."""
    for name in (".cache", "site", ".site.build"):
        set_aside(root / name, trash)
    os.sync()  # write back what earlier builds left dirty now, not during the timed build
    time.sleep(SETTLE)


def edit_one_article(root: Path, at: float = 0.5, words: str = "one more *short* paragraph") -> Path:
    """Append a paragraph to the body of the article `at` (a fraction) of the way through content/."""
    files = sorted((root / "content").glob("*.md"))
    path = files[int(len(files) * at)]
    text = path.read_text("utf-8")
    path.write_text(text.rstrip("\n") + f"\n\nEdited for the benchmark: {words}.\n", "utf-8")
    return path


def add_one_article(root: Path, number: int, seed: int) -> Path:
    name, text = generate.article(number, seed)
    path = root / "content" / name
    path.write_bytes(text.encode("utf-8"))
    return path


def change_template(root: Path) -> Path:
    path = root / "templates" / "base.html"
    with open(path, "a", encoding="utf-8") as handle:
        handle.write("\n{# benchmark: a template change #}<!-- benchmark -->\n")
    return path


def site_digest(site: Path, skip: str = "pagefind") -> str:
    """A hash of every file's path and bytes under `site`, leaving out the `skip` folder."""
    digest = hashlib.sha1()
    for dirpath, dirnames, names in os.walk(site):
        dirnames[:] = sorted(d for d in dirnames if not (Path(dirpath) == site and d == skip))
        for name in sorted(names):
            path = Path(dirpath, name)
            digest.update(path.relative_to(site).as_posix().encode() + b"\0")
            digest.update(hashlib.sha1(path.read_bytes()).digest())
    return digest.hexdigest()


def build(root: Path, name: str, search: bool, jobs: int | None, sample: bool) -> dict:
    """One build of `root` in a child process; its figures and its JSON report."""
    report_file = root / f".bench-report-{name}.json"
    report_file.unlink(missing_ok=True)
    cmd = [sys.executable, "-m", "builder", "build", "--report-json", str(report_file)]
    if not search:
        cmd.append("--no-search")
    if jobs:
        cmd += ["--jobs", str(jobs)]
    load = os.getloadavg()[0]  # other work on the machine skews every figure; keep a note of it
    result = run_child(cmd, root, root / f".bench-log-{name}.txt", sample)
    result["load_before"] = round(load, 2)
    try:
        result["report"] = json.loads(report_file.read_text())
    except (OSError, ValueError):
        result["report"] = {}
    if result["exit_code"] != 0:
        tail = (root / f".bench-log-{name}.txt").read_text(errors="replace").strip().splitlines()[-15:]
        result["error"] = "\n".join(tail)
    report = result["report"]
    done = report.get("rendered", report.get("written"))
    result["pages_per_second"] = round(done / result["wall_seconds"], 1) if isinstance(done, int) and done > 0 else None
    return result


def bench_size(
    count: int,
    work: Path,
    seed: int,
    jobs: int | None,
    sample: bool,
    echo,
    search: bool = True,
    repeat: int = 1,
    reader: bool = False,
) -> dict:
    root, trash = work / str(count), work / TRASH
    set_aside(root, trash)
    start = time.perf_counter()
    generate.generate(count, root, seed)
    figures: dict = {"articles": count, "generate_seconds": round(time.perf_counter() - start, 2), "scenarios": {}}
    echo(f"[{count}] generated in {figures['generate_seconds']}s")
    cached_site = None
    for name in SCENARIOS if search else [n for n in SCENARIOS if n not in ("serve", "nosearch")]:
        if name in ("cold", "nosearch"):
            clear_build_state(root, trash)
        elif name == "edit":
            edit_one_article(root)
        elif name == "add":
            add_one_article(root, count, seed)
        elif name == "template":
            change_template(root)
        if name == "serve":
            result = bench_serve(root, echo)
        else:
            result = build(root, name, search=search and name != "nosearch", jobs=jobs, sample=sample)
        if name == "cold" and repeat > 1 and result["exit_code"] == 0:
            again = []
            for _ in range(repeat - 1):
                clear_build_state(root, trash)
                again.append(build(root, name, search=search, jobs=jobs, sample=sample))
            result = median_of(result, again)
        figures["scenarios"][name] = result
        echo(
            f"[{count}] {name:8} {result['wall_seconds']:8.2f}s  exit {result['exit_code']}  "
            f"peak RSS {result['peak_rss_mb']} MB"
        )
        if result["exit_code"] != 0:
            figures["error"] = f"{name} build failed:\n{result['error']}"
            echo(figures["error"])
            break
        if name == "template":
            cached_site = site_digest(root / "site")
            figures["published"] = folder_sizes(root / "site", count)
            echo(f"[{count}] published {figures['published']}")
            if reader and search:
                figures["reader"] = bench_reader(root / "site", work / f"{count}-single", echo)
    if cached_site and "nosearch" in figures["scenarios"] and "error" not in figures:
        figures["cached_equals_cold"] = cached_site == site_digest(root / "site")
    figures["checks"] = check_targets(count, figures)
    return figures


def folder_sizes(site: Path, count: int) -> dict:
    """Bytes of the published folder (as Pages counts them: file sizes), split into pages and index."""
    index = html = 0
    for folder, _, names in os.walk(site):
        in_index = Path(folder).relative_to(site).parts[:1] == ("pagefind",)
        size = sum(os.stat(os.path.join(folder, name)).st_size for name in names)
        index, html = (index + size, html) if in_index else (index, html + size)
    return {
        "html_mb": round(html / 1e6, 1),
        "index_mb": round(index / 1e6, 1),
        "total_mb": round((html + index) / 1e6, 1),
        "per_article_kb": round((html + index) / count / 1e3, 1),
    }


def _get(url: str) -> tuple[int, bytes]:
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as err:
        return err.code, b""
    except OSError:
        return 0, b""


class _Answers(threading.Thread):
    """Asks the server for its home page every 50 ms; `stop()` returns the slowest answer in seconds."""

    def __init__(self, base: str):
        super().__init__(daemon=True)
        self.base, self.slowest, self.done = base, 0.0, threading.Event()
        self.start()

    def run(self) -> None:
        while not self.done.wait(0.05):
            asked = time.perf_counter()
            _get(self.base)
            self.slowest = max(self.slowest, time.perf_counter() - asked)

    def stop(self) -> float:
        self.done.set()
        self.join()
        return self.slowest


def bench_serve(root: Path, echo) -> dict:
    """`newsarchive serve` in a child: first build, then save -> page served -> search caught up."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    base = f"http://127.0.0.1:{port}/"
    log = root / ".bench-log-serve.txt"
    result: dict = {"exit_code": 0, "report": {}, "pages_per_second": None, "tree_pss_mb": None}
    result["load_before"] = round(os.getloadavg()[0], 2)
    with open(log, "wb") as output:
        start = time.perf_counter()
        child = subprocess.Popen(
            [sys.executable, "-m", "builder", "serve", "--port", str(port)],
            cwd=root,
            stdout=output,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
        try:
            while _get(base)[0] != 200:
                if child.poll() is not None or time.perf_counter() - start > 1800:
                    raise RuntimeError("serve did not start")
                time.sleep(0.2)
            result["startup_seconds"] = round(time.perf_counter() - start, 2)
            time.sleep(2)  # let the watcher record the files as they are
            marker = f"served-{time.time_ns()}"
            path = edit_one_article(root, 0.25, marker)
            saved = time.perf_counter()
            answers = _Answers(base)  # the server must keep answering from the save on
            url = base + f"articles/{path.stem}/"
            try:
                while marker.encode() not in _get(url)[1]:
                    if time.perf_counter() - saved > 600:
                        raise RuntimeError("the edit never showed")
                    time.sleep(0.02)
                result["wall_seconds"] = round(time.perf_counter() - saved, 3)
                while True:  # the index catches up in the background
                    status, body = _get(base + "pagefind/shards.json")
                    if status == 200 and not json.loads(body).get("catching_up"):
                        break
                    if time.perf_counter() - saved > 600:
                        raise RuntimeError("the index never caught up")
                    time.sleep(0.05)
            finally:
                slowest = answers.stop()
            result["search_caught_up_seconds"] = round(time.perf_counter() - saved, 3)
            result["slowest_answer_seconds"] = round(slowest, 3)
        except RuntimeError as err:
            result["exit_code"], result["wall_seconds"] = 1, round(time.perf_counter() - start, 3)
            result["error"] = f"{err}: " + log.read_text(errors="replace")[-1500:]
        finally:
            child.terminate()
            _, _, usage = os.wait4(child.pid, 0)
    result["peak_rss_mb"] = round(usage.ru_maxrss * 1024 / 1e6, 1)
    return result


def bench_reader(site: Path, single: Path, echo) -> dict:
    """The search page in chromium over the sharded index and over one single index of the same pages."""
    from playwright.sync_api import sync_playwright

    start = time.perf_counter()
    single_index(site, single)
    figures: dict = {"single_index_seconds": round(time.perf_counter() - start, 2)}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        for name, folder in (("sharded", site), ("single", single)):
            figures[name], figures.setdefault("counts", {})[name] = reader_runs(browser, folder)
            echo(
                f"reader {name}: {figures[name]['first_results_seconds']}s, {figures[name]['requests']} requests, "
                f"{figures[name]['served']} served"
            )
        browser.close()
    same_first = sum(figures["sharded"]["orders"][q][:1] == figures["single"]["orders"][q][:1] for q in QUERIES)
    overlap = [
        len(set(figures["sharded"]["orders"][q][:10]) & set(figures["single"]["orders"][q][:10]))
        / max(1, min(10, len(figures["single"]["orders"][q])))
        for q in QUERIES
    ]
    figures["order"] = {
        "queries": len(QUERIES),
        "same_first_result": same_first,
        "same_top_20_order": sum(figures["sharded"]["orders"][q] == figures["single"]["orders"][q] for q in QUERIES),
        "top_10_overlap": round(sum(overlap) / len(overlap), 3),
        "same_counts": figures["counts"]["sharded"] == figures["counts"]["single"],
    }
    for name in ("sharded", "single"):
        figures[name].pop("orders")
    shutil.rmtree(single, ignore_errors=True)
    return figures


def single_index(site: Path, single: Path) -> None:
    """`single`: the pages of `site` (hard links) with the builder's own index of them in one shard."""
    sys.path.insert(0, str(HERE.parent))
    from builder import search

    shutil.rmtree(single, ignore_errors=True)
    shutil.copytree(site, single, copy_function=os.link, ignore=shutil.ignore_patterns("pagefind"))
    per_shard, search.PER_SHARD = search.PER_SHARD, 10**9
    try:
        search.Indexer(single.with_name(single.name + "-scratch"))(single, None)
    finally:
        search.PER_SHARD = per_shard


def reader_runs(browser, folder: Path, queries=QUERIES, rounds: int = 1) -> tuple[dict, dict]:
    """Each query `rounds` times in a new browser context (a cold cache: a reader's first search) on
    the search page of `folder`: median and slowest time from navigation to the first results shown,
    median requests (the browser's, its cache's answers included, and those the server answered),
    each query's result links and its status line."""
    from functools import partial

    handler = partial(QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}/search/"
    times, requests, served, orders, counts = [], [], [], {}, {}
    for _ in range(rounds):
        for query in queries:
            context = browser.new_context()
            page = context.new_page()
            asked: list[str] = []
            page.on("request", lambda r, asked=asked: asked.append(r.url))
            server.served = 0
            begin = time.perf_counter()
            page.goto(base + "?q=" + query.replace(" ", "+"))
            page.wait_for_selector("#search-results[data-search]", state="attached", timeout=120_000)
            times.append(time.perf_counter() - begin)
            requests.append(len(asked))
            served.append(server.served)
            orders[query] = page.locator("#search-results .card-title a").evaluate_all(
                "links => links.map(a => a.getAttribute('href'))"
            )
            counts[query] = page.locator("#search-status").inner_text()
            context.close()
    server.shutdown()
    server.server_close()
    figures = {
        "first_results_seconds": round(sorted(times)[len(times) // 2], 3),
        "slowest_seconds": round(max(times), 3),
        "requests": int(sorted(requests)[len(requests) // 2]),
        "served": int(sorted(served)[len(served) // 2]),
        "orders": orders,
    }
    return figures, counts


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """A static file server for the reader benchmark, without a line per request; counts its answers."""

    def log_message(self, *args) -> None:
        pass

    def log_request(self, *args) -> None:
        self.server.served = getattr(self.server, "served", 0) + 1


def median_of(first: dict, others: list[dict]) -> dict:
    """The run with the median wall time, noting every run's wall time (noisy machines)."""
    runs = sorted([first, *others], key=lambda run: run["wall_seconds"])
    median = dict(runs[(len(runs) - 1) // 2])
    median["repeats"] = [run["wall_seconds"] for run in [first, *others]]
    median["peak_rss_mb"] = max(run["peak_rss_mb"] for run in runs)
    return median


def check_targets(count: int, figures: dict) -> list[dict]:
    """The issue's targets for this size, each with the measured figure and pass/fail."""
    targets = TARGETS.get(count)
    if not targets:
        return []
    runs = figures["scenarios"]
    searched = [r for n, r in runs.items() if n != "nosearch"]
    measured = {
        "cold": runs.get("cold", {}).get("wall_seconds"),
        "edit": runs.get("edit", {}).get("wall_seconds"),
        "serve": runs.get("serve", {}).get("wall_seconds"),
        "rss_mb": max((r["peak_rss_mb"] for r in searched if r.get("peak_rss_mb")), default=None),
        "reader": figures.get("reader", {}).get("sharded", {}).get("first_results_seconds"),
        "size_mb": figures.get("published", {}).get("total_mb"),
    }
    labels = {
        "cold": "cold build with search (s)",
        "edit": "one article edited, search on (s)",
        "serve": "serve: save -> page visible, search on (s)",
        "rss_mb": "peak memory of any process, search on (MB)",
        "reader": "reader: query -> first results, Chromium (s)",
        "size_mb": "published folder, HTML + search index (MB)",
    }
    rows = []
    for key, label in labels.items():
        failed = key in runs and runs[key].get("exit_code")
        ok = None if measured[key] is None or failed else measured[key] <= targets[key]
        rows.append({"figure": label, "target": targets[key], "measured": measured[key], "pass": ok})
    return rows


# ---------------------------------------------------------------- output


def _fmt(value, digits: int = 2) -> str:
    if value is None or value == "":
        return DASH
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def phase_names(results: dict) -> list[str]:
    """The issue's phases, plus any other phase the builds reported, in pipeline order."""
    seen = [
        name
        for figures in results["sizes"].values()
        for run in figures["scenarios"].values()
        for name in run["report"].get("phases", {})
    ]
    extra = [name for name in dict.fromkeys(seen) if name not in PHASES]
    return [p for p in PHASES if p in ("ingest", "load", "plan", "render", "publish", "search") or p in seen] + extra


def markdown(results: dict) -> str:
    phases_shown = phase_names(results)
    head = [
        "articles",
        "scenario",
        "wall s",
        "target s",
        "build s",
        "pages",
        "rendered",
        "written",
        "pages/s",
        "peak RSS MB",
        "tree PSS MB",
        "search peak MB",
        *(f"{p} s" for p in phases_shown),
    ]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for size, figures in results["sizes"].items():
        targets = TARGETS.get(int(size), {})
        for name, run in figures["scenarios"].items():
            report, phases = run["report"], run["report"].get("phases", {})
            target = targets.get(name)
            verdict = (
                DASH
                if target is None
                else (f"≤ {target:g} {'✅' if run['wall_seconds'] <= target and not run['exit_code'] else '❌'}")
            )
            wall = _fmt(run["wall_seconds"]) + (
                f" (median of {len(run['repeats'])}: {', '.join(_fmt(w) for w in run['repeats'])})"
                if run.get("repeats")
                else ""
            )
            cells = [
                size,
                name,
                wall,
                verdict,
                _fmt(report.get("seconds")),
                _fmt(report.get("pages")),
                _fmt(report.get("rendered")),
                _fmt(report.get("written")),
                _fmt(run["pages_per_second"], 0),
                _fmt(run["peak_rss_mb"], 0),
                _fmt(run["tree_pss_mb"], 0),
                _fmt(report.get("search_peak_mb"), 0),
                *(_fmt(phases.get(p)) for p in phases_shown),
            ]
            lines.append("| " + " | ".join(str(c) for c in cells) + " |")
    checks = [(size, row) for size, figures in results["sizes"].items() for row in figures["checks"]]
    if checks:
        lines += ["", "| articles | target | measured | pass |", "|---|---|---|---|"]
        for size, row in checks:
            verdict = DASH if row["pass"] is None else ("✅ pass" if row["pass"] else "❌ fail")
            lines.append(f"| {size} | {row['figure']} ≤ {row['target']:g} | {_fmt(row['measured'])} | {verdict} |")
    notes = []
    for size, figures in results["sizes"].items():
        if "cached_equals_cold" in figures:
            same = "byte-identical" if figures["cached_equals_cold"] else "DIFFERENT"
            notes.append(
                f"- {size}: site after the cached rebuilds vs. the cold (no search) build: {same} (pagefind/ excluded)"
            )
        serve = figures["scenarios"].get("serve", {})
        if serve.get("search_caught_up_seconds") is not None:
            notes.append(
                f"- {size}: serve started in {serve['startup_seconds']} s (its first build indexes every shard); "
                f"after a save the page was served in {serve['wall_seconds']} s and search caught up in "
                f"{serve['search_caught_up_seconds']} s; the slowest answer from the save on took "
                f"{serve['slowest_answer_seconds']} s"
            )
        if "published" in figures:
            sizes = figures["published"]
            notes.append(
                f"- {size}: published folder {sizes['total_mb']} MB: pages and static files {sizes['html_mb']} MB, "
                f"search index {sizes['index_mb']} MB; {sizes['per_article_kb']} KB per article"
            )
        if "reader" in figures:
            reader = figures["reader"]
            order = reader["order"]
            for name in ("sharded", "single"):
                notes.append(
                    f"- {size}: reader, {name} index: first results in {reader[name]['first_results_seconds']} s "
                    f"(median of {order['queries']} queries, cold cache, slowest {reader[name]['slowest_seconds']} s), "
                    f"{reader[name]['requests']} requests ({reader[name].get('served', '?')} answered by the server)"
                )
            notes.append(
                f"- {size}: result order, sharded vs single, {order['queries']} queries: same first result "
                f"{order['same_first_result']}, same first 20 in the same order {order['same_top_20_order']}, "
                f"top-10 overlap {order['top_10_overlap']:.0%}, same result counts: {_fmt(order['same_counts'])}"
            )
        if "error" in figures:
            notes.append(f"- {size}: {figures['error'].splitlines()[0]} {figures['error'].splitlines()[-1]}")
    loads = [
        run["load_before"]
        for figures in results["sizes"].values()
        for run in figures["scenarios"].values()
        if run.get("load_before") is not None
    ]
    if loads:
        notes.append(
            f"- load average before the builds: {min(loads):.1f}–{max(loads):.1f} "
            f"(above 0.5 means other work shared the machine)"
        )
    env = results["environment"]
    notes.append(
        f"- {env['cpus']} CPUs, Python {env['python']}, commit {env['commit']}, "
        f"builder from {env.get('builder')}, {env['date']}"
    )
    return "\n".join(lines + [""] + notes)


def environment() -> dict:
    try:
        commit = (
            subprocess.run(
                ["git", "rev-parse", "--short", "HEAD"], cwd=HERE, capture_output=True, text=True
            ).stdout.strip()
            or None
        )
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "builder", "templates", "static", "data"],
            cwd=HERE.parent,
            capture_output=True,
            text=True,
        ).stdout.strip()
        commit = f"{commit}{'+uncommitted changes' if dirty else ''}" if commit else None
    except OSError:
        commit = None
    # The package the builds import (PYTHONPATH can point elsewhere than this checkout).
    package = subprocess.run(
        [sys.executable, "-c", "import builder; print(builder.__file__)"],
        cwd=Path(os.sep),
        capture_output=True,
        text=True,
    ).stdout.strip()
    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "commit": commit,
        "builder": str(Path(package).parent) if package else None,
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", default="1000,10000,50000", help="comma-separated article counts (default: 1000,10000,50000)"
    )
    parser.add_argument("--json", type=Path, help="also write every figure to this JSON file")
    parser.add_argument("--keep", action="store_true", help="keep the generated archives and their sites")
    parser.add_argument(
        "--work",
        type=Path,
        default=HERE / "out",
        help="folder for the archives (default: benchmarks/out/, git-ignored)",
    )
    parser.add_argument("--seed", type=int, default=generate.DEFAULT_SEED)
    parser.add_argument("--jobs", type=int, help="passed to `build --jobs` (default: the build's own)")
    parser.add_argument(
        "--sample",
        action="store_true",
        help="also sample the process tree's PSS (slows big builds down by a few percent)",
    )
    parser.add_argument(
        "--search-max",
        type=int,
        default=None,
        help="build with search only for sizes up to this (larger sizes: --no-search, no serve scenario)",
    )
    parser.add_argument(
        "--reader",
        action="store_true",
        help="also time the search page in Debian's chromium (Playwright), sharded vs. one single index",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="run the cold build this many times and report the median (noisy machines)",
    )
    parser.add_argument("-q", "--quiet", action="store_true", help="print the table only")
    args = parser.parse_args(argv)
    try:
        sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    except ValueError:
        parser.error("--sizes takes comma-separated whole numbers, e.g. 1000,10000")
    if not sizes or min(sizes) < 1:
        parser.error("every size must be at least 1")

    def echo(message: str) -> None:
        if not args.quiet:
            print(message, file=sys.stderr, flush=True)

    results = {"environment": environment(), "sizes": {}}
    try:
        for count in sizes:
            search = args.search_max is None or count <= args.search_max
            results["sizes"][str(count)] = bench_size(
                count, args.work, args.seed, args.jobs, args.sample, echo, search, args.repeat, args.reader
            )
            if not args.keep:
                set_aside(args.work / str(count), args.work / TRASH)
    finally:
        shutil.rmtree(args.work / TRASH, ignore_errors=True)
    print(markdown(results))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    failed = any("error" in figures for figures in results["sizes"].values())
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

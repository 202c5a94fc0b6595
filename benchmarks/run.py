"""Build benchmark: generate archives of several sizes, build each through the CLI, report figures.

    python benchmarks/run.py [--sizes 1000,10000,50000] [--json FILE] [--keep]

Per size, in a fresh folder (benchmarks/out/N by default, git-ignored), the scenarios run in
this order, each as one child process `python -m builder build --no-search --report-json F`:

  cold      empty cache (.cache/) and no site/
  noop      nothing changed
  edit      one article's body edited
  add       one new article
  template  templates/base.html changed (every page renders again)
  search    cold again, with the search index, to time the indexer on its own

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

SCENARIOS = ("cold", "noop", "edit", "add", "template", "search")
# Phases in pipeline order; any other phase a build reports gets a column after these.
PHASES = ("ingest", "scan", "load", "plan", "render", "publish", "search")
# The targets: wall seconds per scenario, and peak RSS in MB (10^6 bytes).
TARGETS = {
    10_000: {"cold": 15.0, "noop": 1.0, "edit": 1.5, "rss_mb": 600.0},
    50_000: {"cold": 75.0, "noop": 4.0, "edit": 5.0, "rss_mb": 2500.0},
}
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


def edit_one_article(root: Path) -> Path:
    """Append a paragraph to the body of the article in the middle of content/."""
    files = sorted((root / "content").glob("*.md"))
    path = files[len(files) // 2]
    text = path.read_text("utf-8")
    path.write_text(text.rstrip("\n") + "\n\nEdited for the benchmark: one more *short* paragraph.\n", "utf-8")
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
    count: int, work: Path, seed: int, jobs: int | None, sample: bool, echo, search: bool = True, repeat: int = 1
) -> dict:
    root, trash = work / str(count), work / TRASH
    set_aside(root, trash)
    start = time.perf_counter()
    generate.generate(count, root, seed)
    figures: dict = {"articles": count, "generate_seconds": round(time.perf_counter() - start, 2), "scenarios": {}}
    echo(f"[{count}] generated in {figures['generate_seconds']}s")
    cached_site = None
    for name in SCENARIOS if search else SCENARIOS[:-1]:
        if name in ("cold", "search"):
            clear_build_state(root, trash)
        elif name == "edit":
            edit_one_article(root)
        elif name == "add":
            add_one_article(root, count, seed)
        elif name == "template":
            change_template(root)
        result = build(root, name, search=name == "search", jobs=jobs, sample=sample)
        if name == "cold" and repeat > 1 and result["exit_code"] == 0:
            again = []
            for _ in range(repeat - 1):
                clear_build_state(root, trash)
                again.append(build(root, name, search=False, jobs=jobs, sample=sample))
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
    if cached_site and search and "error" not in figures:  # the search build is the cold reference
        figures["cached_equals_cold"] = cached_site == site_digest(root / "site")
    figures["checks"] = check_targets(count, figures)
    return figures


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
    # Peak RSS of the builds the targets are about: --no-search (the indexer is a separate
    # program whose memory is reported in the search row).
    peak = max((r["peak_rss_mb"] for n, r in runs.items() if n != "search"), default=None)
    rows = []
    for key, label in (
        ("cold", "cold build, search excluded (s)"),
        ("noop", "no-op rebuild (s)"),
        ("edit", "one article edited (s)"),
        ("rss_mb", "peak RSS, builds without search (MB)"),
    ):
        measured = peak if key == "rss_mb" else runs.get(key, {}).get("wall_seconds")
        ok = None if measured is None or runs.get(key, {}).get("exit_code", 0) else measured <= targets[key]
        rows.append({"figure": label, "target": targets[key], "measured": measured, "pass": ok})
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
                f"- {size}: site after the cached rebuilds vs. the cold (search) build: {same} (pagefind/ excluded)"
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
        help="run the search scenario only for sizes up to this (the indexer needs about 0.2 GB per 1,000 articles)",
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
                count, args.work, args.seed, args.jobs, args.sample, echo, search, args.repeat
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

"""The `newsarchive` command: argument parsing, messages and exit codes only.

Exit codes: 0 success, 1 content errors (files named in the messages), 2 usage errors.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import os
import signal
import sys
import threading
import time
from pathlib import Path

from builder.build import BuildFailed, BuildReport, build, run_ingest
from builder.config import Config, load_config
from builder.errors import ContentError
from builder.ingest import IngestReport
from builder.publish import Interrupted


def _paths(parser: argparse.ArgumentParser, *, out: bool = True) -> None:
    parser.add_argument("--config", type=Path, help="settings file (default: ./site.toml)")
    parser.add_argument("--seeds", type=Path, help="folder of raw text dumps (default: seeds/)")
    parser.add_argument("--content", type=Path, help="folder of Markdown articles (default: content/)")
    parser.add_argument("--data", type=Path, help="folder of the company and topic registries (default: data/)")
    if out:
        parser.add_argument("--out", type=Path, help="output folder (default: site/)")
        parser.add_argument("--base-url", help="public URL of the site, e.g. https://USER.github.io/REPO/")
    parser.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every file ingested and written")


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsarchive",
        description="Turn raw news dumps into a static, searchable archive site.",
        epilog="exit codes: 0 ok, 1 content errors, 2 usage errors",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    b = commands.add_parser("build", help="ingest the dumps and build the site")
    _paths(b)
    b.add_argument("--no-search", action="store_true", help="skip the search index (faster)")
    b.add_argument("--report-json", type=Path, help="also write the build's figures to this JSON file")
    b.add_argument(
        "--jobs", type=int, help="processes for loading, related lists and rendering (default: one per core)"
    )
    b.add_argument(
        "--force",
        action="store_true",
        help="build into an output folder that holds files newsarchive did not write (they are kept)",
    )
    i = commands.add_parser("ingest", help="turn raw dumps into Markdown articles only")
    _paths(i, out=False)
    s = commands.add_parser(
        "serve", help="build a preview into .cache/serve/, serve it on 127.0.0.1 and rebuild on changes"
    )
    _paths(s, out=False)
    s.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1)")
    s.add_argument("--port", type=int, default=8000)
    s.add_argument("--no-search", action="store_true", help="skip the search index (faster)")
    c = commands.add_parser("check", help="validate articles and the built site; non-zero exit on errors")
    _paths(c)
    n = commands.add_parser("new", help="create a hand-written article with today's date")
    n.add_argument("title", help="the headline")
    _paths(n, out=False)
    k = commands.add_parser("clean", help="delete what the build wrote to the output folder, and its build state")
    _paths(k)
    g = commands.add_parser("suggest", help="list companies found in the dumps that the registry lacks")
    _paths(g, out=False)
    return parser


def config_from(args: argparse.Namespace) -> Config:
    absolute = {
        name: str(getattr(args, name).resolve()) if getattr(args, name, None) else None
        for name in ("seeds", "content", "data", "out")
    }
    search = False if getattr(args, "no_search", False) else None
    return load_config(args.config, base_url=getattr(args, "base_url", None), search=search, **absolute)


class Console:
    """Messages for editors: results on stdout, progress and errors on stderr."""

    def __init__(self, quiet: bool = False, verbose: bool = False):
        self.quiet, self.verbose = quiet, verbose
        self.live = sys.stderr.isatty()

    def info(self, message: str) -> None:
        if not self.quiet:
            print(message, flush=True)

    def detail(self, message: str) -> None:
        if self.verbose:
            print(message, flush=True)

    def error(self, error: ContentError | str, label: str = "error") -> None:
        self.end_line()
        print(f"{label}: {error}", file=sys.stderr, flush=True)

    def progress(self, phase: str, done: int | None, total: int | None) -> None:
        """A bar that redraws itself on a terminal; one plain line per phase in logs."""
        if self.quiet:
            return
        if done is None:
            self.end_line()
            print(f"  {phase}…", file=sys.stderr, end="" if self.live else "\n", flush=True)
        elif self.live and total:
            filled = 30 * done // total
            print(
                f"\r  {phase} [{'#' * filled}{'.' * (30 - filled)}] {done}/{total}", end="", file=sys.stderr, flush=True
            )

    def end_line(self) -> None:
        if self.live and not self.quiet:
            print("\r\033[K", end="", file=sys.stderr, flush=True)


def report_ingest(console: Console, report: IngestReport) -> None:
    console.info(
        f"ingest: {report.articles} articles ({len(report.written)} new, {len(report.updated)} updated, "
        f"{len(report.unchanged)} unchanged, {len(report.kept_edited)} kept as edited)"
    )
    for label, items in (("new", report.written), ("updated", report.updated), ("unchanged", report.unchanged)):
        for item in items:
            console.detail(f"  {label}: {item}")
    for item in report.kept_edited:
        console.info(f"  kept (edited by hand, not overwritten): {item}")
    for item in report.kept_deleted:
        console.info(f"  skipped (article file was deleted; remove its manifest entry to restore): {item}")
    for item in report.duplicates:
        console.info(f"  duplicate: {item}")
    discovered = sorted({name for tags in report.tags.values() for name in tags.discovered})
    if discovered:
        console.info(
            f"  discovered companies (not in the registry; see `newsarchive suggest`): {', '.join(discovered)}"
        )
    for warning in report.warnings:
        console.info(f"  warning: {warning}")
    for error in report.errors:
        console.error(error)


def report_build(console: Console, report: BuildReport) -> None:
    if report.ingest:
        report_ingest(console, report.ingest)
    for warning in report.warnings[len(report.ingest.warnings) if report.ingest else 0 :]:
        console.info(f"  warning: {warning}")
    figures = report.summary()
    if report.up_to_date:
        console.info(f"build: nothing changed; site is up to date ({figures['seconds']:.2f}s)")
        return
    console.info(
        f"build: {figures['articles']} articles, {figures['pages']} pages; {figures['rendered']} rendered, "
        f"{figures['written']} files written, {figures['unchanged']} unchanged, "
        f"{figures['removed']} removed in {figures['seconds']:.2f}s"
    )
    for name in report.write.written if report.write else []:
        console.detail(f"  wrote {name}")
    console.detail("  phases: " + ", ".join(f"{k} {v:.2f}s" for k, v in report.phases.items()))


def cmd_build(args, config: Config, console: Console) -> int:
    report = build(config, progress=console.progress, workers=args.jobs, force=args.force)
    console.end_line()
    report_build(console, report)
    if args.report_json:
        args.report_json.write_text(json.dumps(report.summary(), indent=2) + "\n")
    return 1 if report.errors else 0


def cmd_check(args, config: Config, console: Console) -> int:
    from builder.check import check_build_state, check_duplicates, check_site, check_tags
    from builder.content import load_articles
    from builder.registry import load_registry

    articles, load_errors = load_articles(config.path("content"))
    errors: list[ContentError | str] = [*load_errors, *check_duplicates(articles)]
    warnings: list[ContentError | str] = [*check_tags(articles, load_registry(config.path("data")), config.taxonomies)]
    site = config.path("out")
    if site.is_dir():
        errors += check_site(site, config.base_url)
        warnings += check_build_state(config)
    else:
        console.info(f"note: {site} does not exist; build first to check links")
    for warning in warnings:
        console.error(warning, "warning")
    for error in errors:
        console.error(error)
    console.info(f"check: {len(articles)} articles, {len(errors)} error(s), {len(warnings)} warning(s)")
    return 1 if errors else 0


def cmd_new(args, config: Config, console: Console) -> int:
    from builder.files import write_atomic
    from builder.frontmatter import article_text
    from builder.urls import slugify

    slug = slugify(args.title)
    path = config.path("content") / f"{slug}.md"
    if path.exists():
        raise ContentError(
            "an article with this slug already exists",
            file=path,
            hint="choose another headline, or edit the existing file",
        )
    meta = {
        "title": " ".join(args.title.split()),
        "slug": slug,
        "date": dt.date.today(),
        "summary": "",
        "topics": [],
        "companies": [],
    }
    write_atomic(path, article_text(meta, "Write the article here.").encode("utf-8"))
    console.info(f"created {path}")
    return 0


def cmd_clean(args, config: Config, console: Console) -> int:
    from builder.build import clean

    removed, kept = clean(config)
    console.info(f"clean: {removed} file(s) and folder(s) the build wrote removed, build state removed")
    if kept:
        console.info(f"  kept {len(kept)} file(s) newsarchive did not write, e.g. {kept[0]}")
    return 0


def cmd_suggest(args, config: Config, console: Console) -> int:
    from builder.suggest import suggestions_report

    report = run_ingest(config)
    print(suggestions_report(report.tags))
    return 0


def _terminate(signum, frame):
    """SIGTERM ends a build like Ctrl+C: nothing half-published, an honest message."""
    raise Interrupted()


def main(argv: list[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    console = Console(args.quiet, args.verbose)
    if args.verbose:  # what the build cache and body store skip, and why (only ever slower, never wrong)
        notes = logging.StreamHandler()
        notes.setFormatter(logging.Formatter("note: %(message)s"))
        logging.getLogger("builder").addHandler(notes)
        logging.getLogger("builder").setLevel(logging.DEBUG)
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _terminate)
    start = time.perf_counter()
    try:
        config = config_from(args)
        if args.command == "ingest":
            report = run_ingest(config)
            report_ingest(console, report)
            return 1 if report.errors else 0
        if args.command == "serve":
            from builder.serve import serve

            return serve(lambda: config_from(args), args.host, args.port, console)
        handler = {"build": cmd_build, "check": cmd_check, "new": cmd_new, "suggest": cmd_suggest, "clean": cmd_clean}
        return handler[args.command](args, config, console)
    except BuildFailed as failed:
        for error in failed.errors:
            console.error(error)
        console.error(f"build failed with {len(failed.errors)} error(s); the site was not changed")
        return 1
    except ContentError as error:
        console.error(error)
        return 1
    except BrokenPipeError:  # `newsarchive suggest | head`: the reader has gone, which is fine
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except OSError as error:  # a full disk, a folder made read-only: say which, never a traceback
        console.error(
            ContentError(
                f"cannot read or write this: {error.strerror or error}",
                file=error.filename or None,
                hint="check the disk space and the folder's permissions, then build again; "
                "the published site is whole (old or new)",
            )
        )
        return 1
    except KeyboardInterrupt as stop:
        state = (
            "the new site had just been published, complete"
            if getattr(stop, "published", False)
            else "the site was not changed"
        )
        console.error(f"interrupted after {time.perf_counter() - start:.1f}s; {state}")
        return 130

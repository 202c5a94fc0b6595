"""The `newsarchive` command: argument parsing, messages and exit codes only.

Exit codes: 0 success, 1 content errors (files named in the messages), 2 usage errors.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from builder.build import BuildFailed, BuildReport, build, run_ingest
from builder.config import Config, load_config
from builder.errors import ContentError
from builder.ingest import IngestReport


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
    parser = argparse.ArgumentParser(prog="newsarchive", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    b = commands.add_parser("build", help="ingest the dumps and build the site")
    _paths(b)
    b.add_argument("--no-search", action="store_true", help="skip the search index (faster)")
    i = commands.add_parser("ingest", help="turn raw dumps into Markdown articles only")
    _paths(i, out=False)
    s = commands.add_parser("serve", help="build, serve on 127.0.0.1 and rebuild on changes")
    _paths(s)
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=int, default=8000)
    s.add_argument("--no-search", action="store_true", help="skip the search index (faster)")
    return parser


def config_from(args: argparse.Namespace) -> Config:
    absolute = {name: str(getattr(args, name).resolve()) if getattr(args, name, None) else None
                for name in ("seeds", "content", "data", "out")}
    search = False if getattr(args, "no_search", False) else None
    return load_config(args.config, base_url=getattr(args, "base_url", None), search=search, **absolute)


class Console:
    """Messages for editors: progress and summaries on stderr/stdout, by verbosity."""

    def __init__(self, quiet: bool, verbose: bool):
        self.quiet, self.verbose = quiet, verbose

    def info(self, message: str) -> None:
        if not self.quiet:
            print(message, flush=True)

    def detail(self, message: str) -> None:
        if self.verbose:
            print(message, flush=True)

    def error(self, error: ContentError | str) -> None:
        print(f"error: {error}", file=sys.stderr, flush=True)

    def progress(self, message: str) -> None:
        if not self.quiet:
            print(f"  {message}", file=sys.stderr, flush=True)


def report_ingest(console: Console, report: IngestReport) -> None:
    console.info(f"ingest: {report.articles} articles ({len(report.written)} new, {len(report.updated)} updated, "
                 f"{len(report.unchanged)} unchanged, {len(report.kept_edited)} kept as edited)")
    for label, items in (("new", report.written), ("updated", report.updated),
                         ("unchanged", report.unchanged)):
        for item in items:
            console.detail(f"  {label}: {item}")
    for item in report.kept_edited:
        console.info(f"  kept (edited by hand, not overwritten): {item}")
    for item in report.kept_deleted:
        console.info(f"  skipped (article file was deleted; remove its manifest entry to restore): {item}")
    for item in report.duplicates:
        console.info(f"  duplicate: {item}")
    for warning in report.warnings:
        console.info(f"  warning: {warning}")
    for error in report.errors:
        console.error(error)


def report_build(console: Console, report: BuildReport, seconds: float) -> None:
    if report.ingest:
        report_ingest(console, report.ingest)
    for warning in report.warnings[len(report.ingest.warnings) if report.ingest else 0:]:
        console.info(f"  warning: {warning}")
    write = report.write
    written = len(write.written) if write else 0
    unchanged = write.unchanged if write else 0
    console.info(f"build: {report.articles} articles, {report.pages} pages; "
                 f"{written} files written, {unchanged} unchanged, "
                 f"{len(write.removed) if write else 0} removed in {seconds:.2f}s")
    for name in (write.written if write else []):
        console.detail(f"  wrote {name}")
    console.detail("  phases: " + ", ".join(f"{k} {v:.2f}s" for k, v in report.phases.items()))


def main(argv: list[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    console = Console(args.quiet, args.verbose)
    try:
        config = config_from(args)
        if args.command == "ingest":
            report = run_ingest(config)
            report_ingest(console, report)
            return 1 if report.errors else 0
        if args.command == "serve":
            from builder.serve import serve

            return serve(config, args.host, args.port, console)
        start = time.perf_counter()
        report = build(config, progress=console.progress)
        report_build(console, report, time.perf_counter() - start)
        return 1 if report.errors else 0
    except BuildFailed as failed:
        for error in failed.errors:
            console.error(error)
        console.error(f"build failed with {len(failed.errors)} error(s); the site was not changed")
        return 1
    except ContentError as error:
        console.error(error)
        return 1
    except KeyboardInterrupt:
        console.error("interrupted; the site was not changed")
        return 130

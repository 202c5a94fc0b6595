"""Full-text search: index a site tree with Pagefind (its binary ships in the `pagefind` wheel)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from builder.errors import ContentError

FOLDER = "pagefind"
SEARCHED = "articles/**/*.html"  # only article pages carry data-pagefind-body; the rest need no parsing


@dataclass
class Indexer:
    """Builds a tree's search index; knows which output files the index is made from."""

    scratch: Path  # where Pagefind writes before the index moves into the tree
    seconds: float = 0.0  # time spent indexing, for the build report

    @staticmethod
    def covers(path: str) -> bool:
        return path.startswith("articles/") and path.endswith(".html")

    def __call__(self, tree: Path) -> None:
        start = time.perf_counter()
        index(tree, self.scratch)
        self.seconds += time.perf_counter() - start


def index(tree: Path, scratch: Path) -> None:
    """Build the Pagefind index of the pages in `tree` into `tree/pagefind/`.

    `tree` is a site not yet published, so the old index may simply be replaced; Pagefind
    writes into `scratch` first, so a failed run leaves the old index whole.
    """
    shutil.rmtree(scratch, ignore_errors=True)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pagefind",
            "--site",
            str(tree),
            "--glob",
            SEARCHED,
            "--output-path",
            str(scratch),
            "--silent",
        ],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        shutil.rmtree(scratch, ignore_errors=True)
        raise ContentError(
            f"the search indexer failed: {(result.stderr or result.stdout).strip()[-500:]}",
            hint="run the build with --no-search to publish without search, and report this",
        )
    shutil.rmtree(tree / FOLDER, ignore_errors=True)
    scratch.rename(tree / FOLDER)

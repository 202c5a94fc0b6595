"""Full-text search: index the built pages with Pagefind (its binary ships in the `pagefind` wheel)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from builder.errors import ContentError

FOLDER = "pagefind"


def index(site_dir: Path) -> None:
    """Write the Pagefind index into `site_dir/pagefind/`; the pages mark what is indexed."""
    result = subprocess.run(
        [sys.executable, "-m", "pagefind", "--site", str(site_dir), "--output-subdir", FOLDER, "--silent"],
        capture_output=True, text=True)
    if result.returncode != 0:
        raise ContentError(f"the search indexer failed: {(result.stderr or result.stdout).strip()[-500:]}",
                           hint="run the build with --no-search to publish without search, and report this")

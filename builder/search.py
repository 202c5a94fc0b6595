"""Full-text search: index the built pages with Pagefind (its binary ships in the `pagefind` wheel)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from builder.errors import ContentError
from builder.output import replace_folder

FOLDER = "pagefind"


def index(site_dir: Path) -> None:
    """(Re)build the Pagefind index of the published pages and swap it in as `site_dir/pagefind/`."""
    fresh = site_dir.with_name(f".{site_dir.name}.{FOLDER}")
    shutil.rmtree(fresh, ignore_errors=True)
    result = subprocess.run(
        [sys.executable, "-m", "pagefind", "--site", str(site_dir), "--output-path", str(fresh), "--silent"],
        capture_output=True, text=True)
    if result.returncode == 0:
        replace_folder(site_dir, FOLDER, fresh)
    else:
        shutil.rmtree(fresh, ignore_errors=True)
        raise ContentError(f"the search indexer failed: {(result.stderr or result.stdout).strip()[-500:]}",
                           hint="run the build with --no-search to publish without search, and report this")

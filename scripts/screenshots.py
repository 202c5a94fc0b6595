"""Screenshots of the home page, an article, term pages and overviews and search results at 375 and 1280 px.

    .venv/bin/python scripts/screenshots.py [--site-project DIR] [--out docs/screenshots]

Builds the sample dumps (or the project folder given) under a GitHub Pages style sub-path, serves
it on 127.0.0.1 under /REPO/, and drives Debian's chromium through Playwright (never a browser
download). The PNGs show the first screen a reader sees.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from subpath_server import CHROMIUM, CHROMIUM_ARGS, PREFIX, serve  # noqa: E402  (shared with the browser tests)

WIDTHS = {375: 812, 1280: 900}  # width -> viewport height


def build(project: Path, base_url: str) -> Path:
    result = subprocess.run(
        [sys.executable, "-m", "builder", "build", "--base-url", base_url], cwd=project, capture_output=True, text=True
    )
    if result.returncode != 0:
        sys.exit(f"the build failed:\n{result.stdout}{result.stderr}")
    return project / "site"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site-project", type=Path, help="a project folder to build (default: the samples)")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp) / "project"
        if args.site_project:
            shutil.copytree(args.site_project, project, ignore=shutil.ignore_patterns("site", ".cache"))
        else:
            project.mkdir()
            for name in ("seeds", "data", "templates", "static", "site.toml"):
                source = ROOT / name
                if source.is_dir():
                    shutil.copytree(source, project / name)
                elif source.exists():
                    shutil.copy2(source, project / name)
        server = serve(project / "site")  # the folder is created by the build below
        base = f"http://127.0.0.1:{server.server_port}{PREFIX}"
        build(project, base)
        args.out.mkdir(parents=True, exist_ok=True)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                for width, height in WIDTHS.items():
                    page = browser.new_page(viewport={"width": width, "height": height})
                    page.goto(base)
                    page.screenshot(path=str(args.out / f"home-{width}.png"))
                    company_link = page.locator("#top-companies + ul a").first
                    company = company_link.inner_text()
                    company_link.click()
                    page.wait_for_load_state()
                    page.screenshot(path=str(args.out / f"company-{width}.png"))
                    page.locator(".article-list .card-title a").first.click()
                    page.wait_for_load_state()
                    page.screenshot(path=str(args.out / f"article-{width}.png"))
                    page.goto(f"{base}search/?q={company}")
                    page.locator("#search-results li").first.wait_for()
                    page.screenshot(path=str(args.out / f"search-{width}.png"))
                    for overview, term in (
                        ("topics", "topic"),
                        ("organisations", "organisation"),
                        ("countries", "country"),
                    ):
                        page.goto(f"{base}{overview}/")
                        page.screenshot(path=str(args.out / f"{overview}-{width}.png"))
                        page.goto(f"{base}{overview}/by-count/")
                        busiest = page.locator(".term-table a").first
                        if busiest.count():  # the busiest term's page
                            busiest.click()
                            page.wait_for_load_state()
                            page.screenshot(path=str(args.out / f"{term}-{width}.png"))
                    page.close()
            finally:
                browser.close()
                server.shutdown()
    for png in sorted(args.out.glob("*.png")):
        print(png.relative_to(ROOT) if png.is_relative_to(ROOT) else png)
    return 0


if __name__ == "__main__":
    sys.exit(main())

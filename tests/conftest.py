"""Shared fixtures: run the CLI as an editor does, and build small sites in temp folders."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROJECT_PARTS = ("seeds", "data", "templates", "static", "site.toml")


def run_cli(*args: str, cwd: Path, check: bool = True) -> subprocess.CompletedProcess:
    """`newsarchive ARGS` in `cwd`, as an editor would type it."""
    result = subprocess.run([sys.executable, "-m", "builder", *args], cwd=cwd, capture_output=True,
                            text=True, timeout=600)
    if check and result.returncode != 0:
        raise AssertionError(f"newsarchive {' '.join(args)} exited {result.returncode}:\n"
                             f"{result.stdout}\n{result.stderr}")
    return result


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
        result = run_cli("build", "--no-search", *build_args, cwd=root, check=check)
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

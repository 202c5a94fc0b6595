"""Tagging speed: the 20 sample articles tagged N times over on one core (target: 10,000 articles in under 2 s).

.venv/bin/python benchmarks/tagging.py [N]
.venv/bin/python benchmarks/tagging.py --distinct [ROUNDS]

`--distinct` tags every article of the samples and the evaluation sets (tests/fixtures/eval/) once a
round, as ingest meets them: each article new, so nothing is left in a cache from an earlier one
(Python's cache of compiled patterns is emptied before each round). It prints CPU seconds per
10,000 articles.
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

from builder.dumps import decode_dump, split_dump
from builder.registry import given_names, load_registry
from builder.tagging import Tagger

ROOT = Path(__file__).resolve().parent.parent


def _articles(folders: list[Path]) -> list[tuple[str, list[str]]]:
    return [
        (raw.headline or "", list(raw.paragraphs))
        for folder in folders
        for dump in sorted(folder.glob("*.txt"))
        for raw in split_dump(decode_dump(dump.read_bytes(), dump.name).text, dump.name)
    ]


def main(count: int = 10_000) -> None:
    samples = _articles([ROOT / "seeds"])
    start = time.process_time()
    tagger = Tagger(load_registry(ROOT / "data"))
    built = time.process_time() - start
    articles = samples * (count // len(samples))
    start = time.process_time()
    for title, paragraphs in articles:
        tagger.tag(title, paragraphs)
    print(
        f"registry and automaton: {built:.2f}s CPU; {len(articles)} articles tagged in "
        f"{time.process_time() - start:.2f}s CPU"
    )


def distinct(rounds: int = 5) -> None:
    """Every distinct article tagged once per round; the best round, per 10,000 articles."""
    eval_sets = sorted(p for p in (ROOT / "tests" / "fixtures" / "eval").iterdir() if p.is_dir())
    articles = _articles([ROOT / "seeds", *eval_sets])
    tagger = Tagger(load_registry(ROOT / "data"))
    given_names()  # read once, as in a build
    best = float("inf")
    for _ in range(rounds):
        re.purge()
        start = time.process_time()
        for title, paragraphs in articles:
            tagger.tag(title, paragraphs)
        best = min(best, time.process_time() - start)
    print(
        f"{len(articles)} distinct articles, best of {rounds} rounds: "
        f"{best / len(articles) * 10_000:.2f}s CPU per 10,000"
    )


if __name__ == "__main__":
    if sys.argv[1:2] == ["--distinct"]:
        distinct(*(int(a) for a in sys.argv[2:3]))
    else:
        main(*(int(a) for a in sys.argv[1:2]))

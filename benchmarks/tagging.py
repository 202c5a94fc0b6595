"""Tagging speed: the 20 sample articles tagged N times over on one core (target: 10,000 articles in under 2 s).

.venv/bin/python benchmarks/tagging.py [N]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from builder.dumps import decode_dump, split_dump
from builder.registry import load_registry
from builder.tagging import Tagger

ROOT = Path(__file__).resolve().parent.parent


def main(count: int = 10_000) -> None:
    samples = [
        raw
        for dump in sorted((ROOT / "seeds").glob("*.txt"))
        for raw in split_dump(decode_dump(dump.read_bytes(), dump.name).text, dump.name)
    ]
    start = time.process_time()
    tagger = Tagger(load_registry(ROOT / "data"))
    built = time.process_time() - start
    articles = [(raw.headline or "", list(raw.paragraphs)) for raw in samples] * (count // len(samples))
    start = time.process_time()
    for title, paragraphs in articles:
        tagger.tag(title, paragraphs)
    print(
        f"registry and automaton: {built:.2f}s CPU; {len(articles)} articles tagged in "
        f"{time.process_time() - start:.2f}s CPU"
    )


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:2]))

"""`python -m builder.evaluate`: tagging precision and recall, and headline checks, on labelled samples.

Reads tests/fixtures/labels.yaml (hand labels for the sample dumps in seeds/) and prints
micro-averaged precision and recall per facet, the articles that differ from their labels,
and the headline quality rules for untitled articles. Always exits 0: it reports, it does
not judge; tests/test_evaluate.py holds the targets.
"""

from __future__ import annotations

import argparse
import importlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from builder.dumps import decode_dump, split_dump
from builder.registry import load_registry
from builder.tagging import Tagger

ROOT = Path(__file__).resolve().parent.parent
LABELS = ROOT / "tests" / "fixtures" / "labels.yaml"
FACETS = ("companies", "topics")
MAX_HEADLINE = 90
_DANGLING = frozenset("the a an of to and or for in on at by with from as its their his her is are was "
                      "be that this amid into over".split())


@dataclass
class Score:
    """Counts for one facet, micro-averaged over articles."""

    true_pos: int = 0
    false_pos: int = 0
    false_neg: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, where: str, expected: set[str], got: set[str]) -> None:
        self.true_pos += len(expected & got)
        self.false_pos += len(got - expected)
        self.false_neg += len(expected - got)
        if expected != got:
            extra, missing = sorted(got - expected), sorted(expected - got)
            self.misses.append(f"{where}: " + "; ".join(
                part for part in (f"extra {extra}" if extra else "", f"missing {missing}" if missing else "") if part))

    @property
    def precision(self) -> float:
        found = self.true_pos + self.false_pos
        return self.true_pos / found if found else 1.0

    @property
    def recall(self) -> float:
        wanted = self.true_pos + self.false_neg
        return self.true_pos / wanted if wanted else 1.0


@dataclass(frozen=True)
class Labelled:
    where: str
    headline: str | None
    paragraphs: list[str]
    label: dict


def load_labelled(labels_path: Path = LABELS, seeds_dir: Path = ROOT / "seeds") -> list[Labelled]:
    """The labelled articles, each with its text from the dump (checked against `starts`)."""
    labels = yaml.safe_load(labels_path.read_text("utf-8"))["articles"]
    dumps: dict[str, list] = {}
    found = []
    for label in labels:
        name = label["dump"]
        if name not in dumps:
            dumps[name] = split_dump(decode_dump((seeds_dir / name).read_bytes(), name).text, name)
        raw = dumps[name][label["position"] - 1]
        where = f"{name}#{label['position']}"
        if not raw.paragraphs[0].startswith(label["starts"]):
            raise ValueError(f"{where} starts {raw.paragraphs[0][:60]!r}, label expects {label['starts']!r}")
        found.append(Labelled(where, raw.headline, list(raw.paragraphs), label))
    return found


def evaluate_tags(articles: list[Labelled], tagger: Tagger) -> dict[str, Score]:
    scores = {facet: Score() for facet in FACETS}
    for article in articles:
        tags = tagger.tag(article.headline or "", article.paragraphs)
        for facet in FACETS:
            scores[facet].add(article.where, set(article.label[facet]), set(getattr(tags, facet)))
    return scores


def headline_problems(headline: str, actor: str | None) -> list[str]:
    """The quality rules a derived headline breaks (empty list: it passes)."""
    problems = []
    words = headline.split()
    if not words:
        return ["empty"]
    if len(headline) > MAX_HEADLINE:
        problems.append(f"longer than {MAX_HEADLINE} characters ({len(headline)})")
    if words[-1].strip(".,;:").casefold() in _DANGLING:
        problems.append(f"ends on {words[-1]!r}")
    if headline.rstrip().endswith(("…", "...", ",", ";", ":", "-")):
        problems.append("ends mid-clause")
    if re.search(r"\w-$|^\W", headline):
        problems.append("cut inside a word")
    if actor and actor.casefold() not in headline.casefold():
        problems.append(f"does not name {actor}")
    return problems


def evaluate_headlines(articles: list[Labelled]) -> list[str] | None:
    """One line per untitled article with its derived headline; None if headlines.py is missing."""
    try:
        derive = importlib.import_module("builder.headlines").derive_headline
    except (ImportError, AttributeError):
        return None
    lines = []
    for article in articles:
        if article.headline is None:
            headline = derive(article.paragraphs)
            problems = headline_problems(headline, article.label.get("actor"))
            lines.append(f"{'ok  ' if not problems else 'FAIL'} {article.where}: {headline!r}"
                         + (f"  ({'; '.join(problems)})" if problems else ""))
    return lines


def report(articles: list[Labelled], tagger: Tagger, verbose: bool = False) -> str:
    scores = evaluate_tags(articles, tagger)
    lines = [f"Tagging of {len(articles)} labelled articles ({LABELS.relative_to(ROOT)}):"]
    for facet, score in scores.items():
        lines.append(f"  {facet:<10} precision {score.precision:.3f}  recall {score.recall:.3f}  "
                     f"({score.true_pos} right, {score.false_pos} extra, {score.false_neg} missing)")
    for facet, score in scores.items():
        if score.misses and verbose:
            lines.append(f"  {facet} differing from labels:")
            lines += [f"    {miss}" for miss in score.misses]
    headlines = evaluate_headlines(articles)
    if headlines is None:
        lines.append("Headlines: not available (builder.headlines.derive_headline is missing)")
    else:
        passed = sum(line.startswith("ok") for line in headlines)
        lines.append(f"Headlines of untitled articles: {passed}/{len(headlines)} pass the quality rules")
        lines += [f"  {line}" for line in headlines]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m builder.evaluate", description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT / "data", help="registry folder (default: data/)")
    parser.add_argument("-v", "--verbose", action="store_true", help="list the articles that differ from labels")
    args = parser.parse_args(argv)
    print(report(load_labelled(), Tagger(load_registry(args.data)), args.verbose))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

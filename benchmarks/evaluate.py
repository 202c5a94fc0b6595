"""Tagging and headline figures on labelled articles: `python benchmarks/evaluate.py` (or `-m benchmarks.evaluate`).

A development tool, not part of the site builder. Sets: the 20 samples (tests/fixtures/labels.yaml
over seeds/) and the evaluation sets of issues 13 and 14 (tests/fixtures/eval/<set>.yaml over the
folder of the same name): dev, dev2, blind2, dev3, blind3, blind4 and blind5 for development (dev2,
blind2, blind3, blind4 and blind5 were held out in earlier rounds and, once scored, became development
data), and blind6, the held-out set of round 6, scored only with `--set blind6` (and reported as absent
while its files are not there). Prints micro-averaged precision, recall and F1 per facet (companies also per error
class; organisations, threat actors, countries, topics), the derived headlines' ROUGE-1 F against
the real headlines and the share passing the headline rules, summaries cut mid-word, and tagging
speed per 10,000 articles. Always exits 0: it reports; tests hold the targets.
"""

from __future__ import annotations

import argparse
import math
import re
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from builder.dumps import decode_dump, split_dump
from builder.headlines import _BASES, _GERUNDS, _PARTICIPLES, _PASTS, _PRESENTS, derive_headline, summarize
from builder.registry import Registry, load_registry
from builder.tagging import Tagger

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
SETS = {
    "samples": (FIXTURES / "labels.yaml", ROOT / "seeds"),
    "dev": (FIXTURES / "eval" / "dev.yaml", FIXTURES / "eval" / "dev"),
    "dev2": (FIXTURES / "eval" / "dev2.yaml", FIXTURES / "eval" / "dev2"),
    "blind2": (FIXTURES / "eval" / "blind2.yaml", FIXTURES / "eval" / "blind2"),
    "dev3": (FIXTURES / "eval" / "dev3.yaml", FIXTURES / "eval" / "dev3"),
    "blind3": (FIXTURES / "eval" / "blind3.yaml", FIXTURES / "eval" / "blind3"),
    "blind4": (FIXTURES / "eval" / "blind4.yaml", FIXTURES / "eval" / "blind4"),
    "blind5": (FIXTURES / "eval" / "blind5.yaml", FIXTURES / "eval" / "blind5"),
    "blind6": (FIXTURES / "eval" / "blind6.yaml", FIXTURES / "eval" / "blind6"),
}
HELD_OUT = "blind6"
DEFAULT_SETS = tuple(name for name in SETS if name != HELD_OUT)  # the held-out set only when named
# Facet -> (label key of required names, label key of optional names).
FACETS = {
    "companies": ("companies", "optional_companies"),
    "organisations": ("organisations", None),
    "threat_actors": ("threat_actors", None),
    "countries": ("countries", "optional_countries"),
    "topics": ("topics", "optional_topics"),
}
MAX_HEADLINE = 90
_DANGLING = frozenset(
    "the a an of to and or for in on at by with from as its their his her is are was "
    "be that this amid into over".split()
)
_DATE_OPENING = re.compile(
    r"^(?:(?:on|in|at|from|by|since|until|during|running|starting|beginning|between|last|this|next|"
    r"earlier|later|early|late|mid)\b[\w\s,-]{0,20}?)?\b(?:\d{1,2}(?:st|nd|rd|th)?\b|\d{4}\b|today|yesterday|"
    r"tomorrow|monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|april|"
    r"may|june|july|august|september|october|november|december|week|month|year|weekend|morning|night)",
    re.IGNORECASE,
)
# Verb forms, for "has a finite verb" and "does not start with its verb" ("Issued ruling in…").
_VERB_FORMS = (
    frozenset(_PASTS)
    | frozenset(_PRESENTS)
    | _BASES
    | frozenset("to is are was were has have had will can may must".split())
)
_FINITE_FORMS = _VERB_FORMS - _BASES
_PAST_ONLY = frozenset(_PASTS) - frozenset(_PARTICIPLES)  # "fell", "rose", "took": never a participle
_OPENING_VERBS = frozenset(_PASTS) | frozenset(_GERUNDS)
_SAYS = frozenset(("says", "say", "said"))  # they take a clause: "X says hackers stole data", not "X says attack on"
_OPENER_FOLLOWERS = frozenset("to from at in on for with the a an its about".split())  # "Running to about…"
_SCENE_WORDS = frozenset(
    "after following amid despite in on at from with under as while when since until before during".split()
)


@dataclass
class Score:
    """Counts for one facet, micro-averaged over articles; optional names count neither way."""

    true_pos: int = 0
    false_pos: int = 0
    false_neg: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, where: str, expected: set[str], got: set[str], optional: set[str] = frozenset()) -> None:
        extra, missing = got - expected - optional, expected - got
        self.true_pos += len(expected & got)
        self.false_pos += len(extra)
        self.false_neg += len(missing)
        if extra or missing:
            self.misses.append(
                f"{where}: "
                + "; ".join(
                    part
                    for part in (
                        f"extra {sorted(extra)}" if extra else "",
                        f"missing {sorted(missing)}" if missing else "",
                    )
                    if part
                )
            )

    @property
    def precision(self) -> float:
        found = self.true_pos + self.false_pos
        return self.true_pos / found if found else 1.0

    @property
    def recall(self) -> float:
        wanted = self.true_pos + self.false_neg
        return self.true_pos / wanted if wanted else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True)
class Labelled:
    where: str
    headline: str | None  # as found in the dump; None for untitled articles
    paragraphs: list[str]
    label: dict


def load_labelled(labels_path: Path = SETS["samples"][0], dumps_dir: Path = SETS["samples"][1]) -> list[Labelled]:
    """The labelled articles, each with its text from the dump (checked against `starts`)."""
    labels = yaml.safe_load(labels_path.read_text("utf-8"))["articles"]
    dumps: dict[str, list] = {}
    found = []
    for label in labels:
        name = label["dump"]
        if name not in dumps:
            dumps[name] = split_dump(decode_dump((dumps_dir / name).read_bytes(), name).text, name)
        raw = dumps[name][label["position"] - 1]
        where = f"{name}#{label['position']}"
        if not raw.paragraphs[0].startswith(label["starts"]):
            raise ValueError(f"{where} starts {raw.paragraphs[0][:60]!r}, label expects {label['starts']!r}")
        found.append(Labelled(where, raw.headline, list(raw.paragraphs), label))
    return found


def _canonical(registry: Registry) -> dict[str, dict[str, str]]:
    """Per facet, lower-cased name or alias -> canonical name, so labels may use any form."""
    companies = {f.casefold(): c.name for c in registry.companies for f in c.forms}
    organisations = {f.casefold(): o.name for o in registry.organisations for f in (o.name, *o.aliases)}
    actors = {f.casefold(): a.name for a in registry.threat_actors for f in (a.name, *a.aliases)}
    countries = {f.casefold(): c.name for c in registry.countries for f in c.names}
    return {
        "companies": companies,
        "organisations": organisations,
        "threat_actors": actors,
        "countries": countries,
        "topics": {},
    }


def evaluate_tags(articles: list[Labelled], tagger: Tagger) -> dict[str, Score]:
    """Scores per facet, and per error class for companies ("companies/<class>")."""
    names = _canonical(tagger.registry)
    scores: dict[str, Score] = {facet: Score() for facet in FACETS}
    for article in articles:
        tags = tagger.tag(article.headline or "", article.paragraphs)
        for facet, (required, optional) in FACETS.items():
            if required not in article.label:
                continue  # the samples carry no organisation or threat actor labels

            def norm(values, known=names[facet]) -> set[str]:
                return {known.get(v.casefold(), v).casefold() for v in values}

            expected, got = norm(article.label[required]), norm(getattr(tags, facet))
            maybe = norm(article.label.get(optional) or []) if optional else set()
            scores[facet].add(article.where, expected, got, maybe)
            if facet == "companies":
                for kind in article.label.get("classes") or []:
                    scores.setdefault(f"companies/{kind}", Score()).add(article.where, expected, got, maybe)
    return scores


def headline_problems(headline: str, actor: str | None = None) -> list[str]:
    """The headline rules a derived headline breaks (empty list: it passes)."""
    words = headline.split()
    if not words:
        return ["empty"]
    problems = []
    if len(headline) > MAX_HEADLINE:
        problems.append(f"longer than {MAX_HEADLINE} characters ({len(headline)})")
    if words[-1].strip(".,;:").casefold() in _DANGLING:
        problems.append(f"ends on {words[-1]!r}")
    if headline.rstrip().endswith(("…", "...", ",", ";", ":", "-")):
        problems.append("ends mid-clause")
    if re.search(r"\w-$|^[^\w$€£\"'“‘]", headline):
        problems.append("cut inside a word")
    if _DATE_OPENING.match(headline):
        problems.append("starts with a date or time phrase")
    rest = [w.strip(",;:'\"’”") for w in words] + [""]
    # "agencies led by the unit" is a noun phrase, not a clause ("fell by a third", a past that is no
    # participle, is one); a bare "plan" counts after a name only
    if not any(
        _is_finite(prev, w) and (nxt != "by" or w in _PAST_ONLY) for prev, w, nxt in zip(rest, rest[1:], rest[2:])
    ):
        problems.append("no finite verb")
    first, second = words[0].casefold(), rest[1].casefold()
    if first in _OPENING_VERBS or (first.endswith("ing") and second in _OPENER_FOLLOWERS):
        problems.append("starts with its verb: no actor")
    elif first in _SCENE_WORDS:
        problems.append("starts with a scene-setting phrase, not the actor")
    said = next((i for i, w in enumerate(rest[:-1]) if w.casefold() in _SAYS), None)
    reported = rest[said + 1 : -1] if said is not None else []
    if reported and not any(_is_finite(prev, w) for prev, w in zip(reported, reported[1:])):
        problems.append("what was said is cut before its verb")
    if actor and actor.casefold() not in headline.casefold():
        problems.append(f"does not name {actor}")
    return problems


def _is_finite(previous: str, word: str) -> bool:
    """A finite verb form; a bare 'plan' or 'go' only after a name or a plural ('airports go down')."""
    return (
        word in _FINITE_FORMS
        or word.endswith("ed")
        or (word in _BASES and (previous[:1].isupper() or previous.endswith("s")))
    )


def _tokens(text: str) -> Counter:
    return Counter(re.findall(r"[\w€$£%.]+", text.casefold().replace("’", "'")))


def token_f1(derived: str, real: str) -> float:
    """ROUGE-1 F: the F1 of the unigrams two headlines share (lower case, each token counted as often as written)."""
    a, b = _tokens(derived), _tokens(real)
    common = sum((a & b).values())
    if not common:
        return 0.0
    precision, recall = common / sum(a.values()), common / sum(b.values())
    return 2 * precision * recall / (precision + recall)


def summary_cut_mid_word(paragraphs: list[str]) -> bool:
    """True if the summary ends inside a word of the text."""
    summary = summarize(paragraphs)
    body = summary.removesuffix("…")
    text = " ".join(" ".join(paragraphs).split())
    at = text.find(body)
    return at < 0 or (summary.endswith("…") and text[at + len(body) : at + len(body) + 1].isalnum())


@dataclass
class HeadlineFigures:
    lines: list[str]
    passed: int
    overlap: float  # mean ROUGE-1 F against the real headline; nan when none is labelled


def evaluate_headlines(articles: list[Labelled]) -> HeadlineFigures:
    """Derived headlines of the untitled articles, their rule checks and overlap with the real ones."""
    lines, passed, overlaps = [], 0, []
    for article in (a for a in articles if a.headline is None):
        headline = derive_headline(article.paragraphs)
        problems = headline_problems(headline, article.label.get("actor"))
        passed += not problems
        real = article.label.get("headline")
        if real:
            overlaps.append(token_f1(headline, real))
        lines.append(
            f"{'ok  ' if not problems else 'FAIL'} {article.where}: {headline!r}"
            + (f"  ({'; '.join(problems)})" if problems else "")
            + (f"  [real: {real!r}]" if real else "")
        )
    return HeadlineFigures(lines, passed, sum(overlaps) / len(overlaps) if overlaps else float("nan"))


def seconds_per_10000(articles: list[Labelled], tagger: Tagger, budget: float = 0.5) -> float:
    """CPU seconds to tag 10,000 articles like these, measured over at least `budget` seconds."""
    texts = [(a.headline or "", a.paragraphs) for a in articles]
    done, start = 0, time.process_time()
    while (spent := time.process_time() - start) < budget or not done:
        for title, paragraphs in texts:
            tagger.tag(title, paragraphs)
        done += len(texts)
    return spent / done * 10_000


def report(name: str, articles: list[Labelled], tagger: Tagger, verbose: bool = False) -> str:
    scores = evaluate_tags(articles, tagger)
    lines = [f"== {name}: {len(articles)} labelled articles"]
    for facet, score in scores.items():
        if score.true_pos + score.false_pos + score.false_neg:
            lines.append(
                f"  {facet:<26} P {score.precision:.3f}  R {score.recall:.3f}  F1 {score.f1:.3f}  "
                f"({score.true_pos} right, {score.false_pos} extra, {score.false_neg} missing)"
            )
    if verbose:
        for facet in FACETS:
            lines += [f"  {facet} differing from labels:"] + [f"    {m}" for m in scores[facet].misses]
    heads = evaluate_headlines(articles)
    cut = sum(summary_cut_mid_word(a.paragraphs) for a in articles)
    lines.append(
        f"  headlines of untitled articles: {heads.passed}/{len(heads.lines)} pass the rules; "
        "ROUGE-1 F with the real headline "
        + ("n/a (none labelled)" if math.isnan(heads.overlap) else f"{heads.overlap:.3f}")
    )
    lines.append(f"  summaries cut mid-word: {cut}/{len(articles)}")
    lines.append(f"  tagging speed: {seconds_per_10000(articles, tagger):.2f} s CPU per 10,000 articles")
    if verbose:
        lines += [f"    {line}" for line in heads.lines]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python benchmarks/evaluate.py", description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT / "data", help="registry folder (default: data/)")
    parser.add_argument(
        "--set",
        dest="sets",
        action="append",
        choices=sorted(SETS),
        help=f"set to score, repeatable (default: {', '.join(DEFAULT_SETS)}; {HELD_OUT} only when named)",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="list differences from the labels")
    args = parser.parse_args(argv)
    tagger = Tagger(load_registry(args.data))
    for name in args.sets or DEFAULT_SETS:
        labels, dumps = SETS[name]
        if not (labels.is_file() and dumps.is_dir()):
            print(f"== {name}: not present (needs {labels} and {dumps}/)")
            continue
        print(report(name, load_labelled(labels, dumps), tagger, args.verbose))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

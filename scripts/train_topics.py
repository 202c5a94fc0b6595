"""Train the topic model (data/topic_model.json) from the labelled sets: `python scripts/train_topics.py`.

Deterministic: the same labels give the same file, byte for byte (a test checks the committed file).
The model is one L2-regularised logistic regression per topic over an article's distinct words
(builder.topics.words), each weighted by its idf and the vector scaled to length 1. Its vocabulary is
the words most tied to some topic (chi-squared, `SELECTED` per topic, in at least `MIN_DF` articles);
each topic keeps its `KEPT` heaviest weights. Trained by dual coordinate descent (Yu, Huang and Lin
2011, as in LIBLINEAR) in plain Python, classes weighted to balance, a fixed number of passes in an
order shuffled from a fixed seed: no library, the same arithmetic on every machine. An article's
optional topics count neither way for that topic. Retrain after labelling a new set or changing
topics.yaml; never edit the file by hand.
"""

from __future__ import annotations

import json
import math
import random
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import evaluate  # noqa: E402
from benchmarks.evaluate import SETS, Labelled, load_labelled  # noqa: E402
from builder.registry import load_topics  # noqa: E402
from builder.topics import words  # noqa: E402

MODEL = ROOT / "data" / "topic_model.json"
MIN_DF = 2  # a word must occur in this many training articles
SELECTED = 100  # words chosen per topic for the vocabulary (chi-squared)
KEPT = 100  # weights kept per topic
C = 10.0  # inverse regularisation strength
PASSES = 30  # coordinate-descent passes over the articles
DIGITS = 4  # decimals written


@dataclass(frozen=True)
class Example:
    text: str  # headline and paragraphs joined by newlines, as the tagger reads them
    topics: frozenset[str]
    optional: frozenset[str] = frozenset()


def train(examples: Sequence[Example], topic_names: Sequence[str]) -> dict:
    """The model, as the JSON object data/topic_model.json holds."""
    docs = [set(w.decode() for w in words(e.text)) for e in examples]
    df: dict[str, int] = {}
    for doc in docs:
        for w in doc:
            df[w] = df.get(w, 0) + 1
    n = len(docs)
    idf = {w: round(math.log((1 + n) / (1 + c)) + 1, DIGITS) for w, c in df.items() if c >= MIN_DF}
    vocabulary = sorted({w for name in topic_names for w in _selected(docs, examples, name, idf)})
    columns = {w: j for j, w in enumerate(vocabulary)}
    rows = [_vector(doc, idf, vocabulary, columns) for doc in docs]
    weights, bias = {}, {}
    for name in topic_names:
        labelled = [(row, name in e.topics) for row, e in zip(rows, examples) if name not in e.optional]
        if not any(y for _, y in labelled):
            continue  # no article to learn from
        w, b = _logistic(labelled, len(vocabulary))
        heaviest = sorted(range(len(w)), key=lambda j: (-abs(w[j]), vocabulary[j]))[:KEPT]
        weights[name] = {vocabulary[j]: round(w[j], DIGITS) for j in sorted(heaviest, key=lambda j: -w[j]) if w[j]}
        bias[name] = round(b, DIGITS)
    return {"idf": {w: idf[w] for w in vocabulary}, "bias": bias, "weights": weights}


def _selected(docs: list[set[str]], examples: Sequence[Example], name: str, idf: dict[str, float]) -> list[str]:
    """The `SELECTED` words whose presence is most tied to the topic, either way (chi-squared)."""
    positive = [d for d, e in zip(docs, examples) if name in e.topics]
    negative = [d for d, e in zip(docs, examples) if name not in e.topics and name not in e.optional]
    if not positive:
        return []
    counts: dict[str, list[int]] = {}
    for side, group in ((0, positive), (1, negative)):
        for doc in group:
            for w in doc:
                if w in idf:
                    counts.setdefault(w, [0, 0])[side] += 1
    p, q = len(positive), len(negative)

    def chi2(w: str) -> float:
        a, c = counts[w]
        b, d = p - a, q - c
        den = (a + b) * (c + d) * (a + c) * (b + d)
        return (a + b + c + d) * (a * d - b * c) ** 2 / den if den else 0.0

    return sorted(counts, key=lambda w: (-chi2(w), w))[:SELECTED]


def _vector(
    doc: set[str], idf: dict[str, float], vocabulary: list[str], columns: dict[str, int]
) -> list[tuple[int, float]]:
    """An article's features: each vocabulary word it holds at its idf, scaled to length 1 (as the tagger)."""
    present = sorted(columns[w] for w in doc if w in columns)
    values = [idf[vocabulary[j]] for j in present]
    length = math.sqrt(math.fsum(v * v for v in values)) or 1.0
    return [(j, v / length) for j, v in zip(present, values)]


def _logistic(labelled: list[tuple[list[tuple[int, float]], bool]], size: int) -> tuple[list[float], float]:
    """Weights and bias of an L2-regularised logistic regression (the bias a feature of value 1, as in
    LIBLINEAR), classes weighted to balance, by dual coordinate descent."""
    positives = sum(y for _, y in labelled)
    upper = {True: C * len(labelled) / (2 * positives), False: C * len(labelled) / (2 * (len(labelled) - positives))}
    w = [0.0] * (size + 1)  # the last is the bias
    alpha = [min(0.001 * upper[y], 1e-8) for _, y in labelled]
    for (row, y), a in zip(labelled, alpha):
        sign = 1.0 if y else -1.0
        for j, v in row:
            w[j] += sign * a * v
        w[size] += sign * a
    order = list(range(len(labelled)))
    shuffle = random.Random(13).shuffle  # a fixed seed: the same order on every machine
    for _ in range(PASSES):
        shuffle(order)
        for i in order:
            row, y = labelled[i]
            sign, bound = (1.0 if y else -1.0), upper[y]
            margin = sign * (sum([w[j] * v for j, v in row]) + w[size])
            step = _newton(alpha[i], bound, 1.0 + sum([v * v for _, v in row]), margin)
            if step:
                alpha[i] += step
                for j, v in row:
                    w[j] += sign * step * v
                w[size] += sign * step
    return w[:size], w[size]


def _newton(alpha: float, bound: float, q: float, margin: float) -> float:
    """The change of one dual variable in (0, bound) minimising its part of the dual objective:
    z log z + (bound - z) log(bound - z) + q (z - alpha)^2 / 2 + margin (z - alpha)."""
    z = alpha
    for _ in range(100):
        gradient = q * (z - alpha) + margin + math.log(z / (bound - z))
        if abs(gradient) < 1e-10:
            break
        candidate = z - gradient / (q + bound / ((bound - z) * z))
        z = candidate if 0 < candidate < bound else (z * 0.1 if candidate <= 0 else bound - (bound - z) * 0.1)
    return z - alpha


def dumps(model: dict) -> str:
    """The file's text: the vocabulary's idf on one line, then one line per topic, its heaviest words first."""
    lines = [
        "{",
        '"about": "Written by scripts/train_topics.py from the labelled sets; do not edit by hand, re-run it.",',
        f'"idf": {json.dumps(model["idf"], sort_keys=True)},',
        f'"bias": {json.dumps(model["bias"])},',
        '"weights": {',
        ",\n".join(f"{json.dumps(name)}: {json.dumps(w)}" for name, w in model["weights"].items()),
        "}",
        "}",
    ]
    return "\n".join(lines) + "\n"


def example(article: Labelled) -> Example:
    """A labelled article (benchmarks/evaluate.py) as a training example."""
    text = "\n".join([article.headline or "", *article.paragraphs])
    return Example(text, frozenset(article.label["topics"]), frozenset(article.label.get("optional_topics") or ()))


def examples(set_names: Sequence[str] | None = None) -> list[Example]:
    """The labelled articles of these sets (by default every development set, never the held-out one,
    as the evaluator names them when called)."""
    chosen = evaluate.DEFAULT_SETS if set_names is None else set_names
    return [example(article) for name in chosen for article in load_labelled(*SETS[name])]


def main() -> int:
    names = [t.name for t in load_topics(ROOT / "data" / "topics.yaml")]  # not the registry: it reads the old model
    MODEL.write_text(dumps(train(examples(), names)), encoding="utf-8")
    print(f"wrote {MODEL.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

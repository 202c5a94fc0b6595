"""A learned judge of the company names discovery finds: a logistic regression of our own.

Every capitalised name an article writes outside the registry's names, and every name the rules
discovered or suggested, is a candidate described by features: what the rules made of it, its words
and shape, registry hints (given names, places, demonyms, a registry name as its first word), and
the words around its first mentions (a verb after it, a firm listed with it, threat-actor words).
The model is a dict of weights: a candidate's score is the sum of its features' weights, the
log-odds that it is a firm. A name the rules did not tag is tagged from `accept` up; a name they
tagged is dropped below `veto`. Registry matches are never judged.

Measured leave-one-set-out on the labelled sets (`python benchmarks/evaluate.py --cross-companies`)
it does not beat the rules (tests/fixtures/eval/results.md, round 9), so builds use no judge.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from builder.registry import given_names
from builder.tagging import (
    _GENERIC_FIRM_WORDS,
    _LEGAL_FORMS,
    _NAME,
    _ORG_WORDS,
    _STRONG_SUFFIXES,
    _SUBJECT_VERBS,
    _WEAK_SUFFIXES,
    Discovery,
    _clean,
    _given_name_first,
    _person_shaped,
    _spans,
    _starts_sentence_at,
    _surname,
    _written_as_word,
)

RULE_FEATURES = ("rule=strong", "rule=weak", "rule=none")  # what the rules made of a candidate


@dataclass(frozen=True)
class FirmModel:
    """Weights by feature, and the thresholds on their sum; a judge for `builder.tagging.Tagger`."""

    weights: Mapping[str, float]
    accept: float  # log-odds from which a name the rules left out is a firm
    veto: float  # log-odds below which a name the rules found is none

    def score(self, features: Sequence[str]) -> float:
        weights = self.weights
        return sum(weights.get(f, 0.0) for f in features)

    def revise(self, seen: Discovery) -> tuple[list[str], list[str]]:
        return self.judge(candidates(seen), seen.discovered, seen.suggested)

    def judge(
        self, found: Mapping[str, Sequence[str]], discovered: list[str], suggested: list[str]
    ) -> tuple[list[str], list[str]]:
        """(discovered, suggested) after judging the candidates `found`: vetoed names leave the
        first list, accepted ones join it."""
        kept = [n for n in discovered if n not in found or self.score(found[n]) >= self.veto]
        added = [n for n, fs in found.items() if n not in discovered and self.score(fs) >= self.accept]
        return kept + added, [n for n in suggested if n not in added]


def train(
    examples: Sequence[tuple[Sequence[str], bool]], epochs: int = 12, l2: float = 1e-4, rate: float = 0.2
) -> dict[str, float]:
    """Weights of a logistic regression fitted by AdaGrad, one example at a time in the given order
    (deterministic), with an L2 penalty; features seen only once are left out."""
    seen: dict[str, int] = {}
    for features, _ in examples:
        for f in set(features):
            seen[f] = seen.get(f, 0) + 1
    weights = {f: 0.0 for f, n in seen.items() if n > 1}
    squares = dict.fromkeys(weights, 1e-8)
    rows = [([f for f in dict.fromkeys(fs) if f in weights], 1.0 if y else 0.0) for fs, y in examples]
    for _ in range(epochs):
        for features, label in rows:
            z = max(-30.0, min(30.0, sum(weights[f] for f in features)))
            error = 1 / (1 + math.exp(-z)) - label
            for f in features:
                gradient = error + l2 * weights[f]
                squares[f] += gradient * gradient
                weights[f] -= rate * gradient / math.sqrt(squares[f])
    return weights


# --- candidates and their features ------------------------------------------------------------

_CANDIDATE = re.compile(rf"(?<![\w&.-]){_NAME}")
_CONTEXT_TOKEN = re.compile(r"['’]s\b|\w[\w'’-]*|[^\w\s]")
_JOINED_AFTER = re.compile(r",? (?:and|or) |, ")
_JOINED_BEFORE = re.compile(r"(?:,? (?:and|or)|,) $")
_ACTOR_WORDS = frozenset(
    "ransomware gang gangs hackers hacker hacking attackers extortion cybercriminals criminal criminals "
    "threat actor actors malware botnet".split()
)


def candidates(seen: Discovery) -> dict[str, list[str]]:
    """Each name the text writes in capitals outside the registry's names, and each name the rules
    discovered or suggested, with its features."""
    text = seen.text
    spans: dict[str, int] = {}
    for found in _CANDIDATE.finditer(text):
        start, end = found.span()
        if any(s < end and start < e for s, e in seen.taken):
            continue
        name = _clean(found.group())
        if name and name.casefold() not in seen.registry_names:
            spans.setdefault(name, text.find(name, start))
    for name in (*seen.discovered, *seen.suggested):
        if name not in spans and (at := text.find(name)) >= 0:
            spans[name] = at
    rule = dict.fromkeys(seen.suggested, RULE_FEATURES[1]) | dict.fromkeys(seen.discovered, RULE_FEATURES[0])
    firms = seen.firms + _spans(text, seen.discovered)
    ends = ({s for s, _ in firms}, {e for _, e in firms})
    return {
        name: [
            rule.get(name, RULE_FEATURES[2]),
            *_name_features(name, text, seen),
            *_context(text, name, at, ends, seen),
        ]
        for name, at in spans.items()
    }


def _name_features(name: str, text: str, seen: Discovery) -> list[str]:
    """The name's words, shape and registry hints."""
    tokens = name.split()
    last = tokens[-1]
    given = given_names()
    features = ["bias", f"len={min(len(tokens), 3)}", f"last={last.casefold()}", *(f"w={t.casefold()}" for t in tokens)]
    if name.isupper():
        features.append("caps")
    elif any(c.isupper() for t in tokens for c in t[1:]):
        features.append("camel")
    if any(c.isdigit() for c in name):
        features.append("digit")
    if "." in name:
        features.append("dot")
    if last in _LEGAL_FORMS or last in _STRONG_SUFFIXES:
        features.append("suffix=strong")
    elif last in _WEAK_SUFFIXES:
        features.append("suffix=weak")
    if tokens[0] in given:
        features.append("given")
        if _given_name_first(name, given):
            features.append("given-person")
    if _person_shaped(name):
        features.append("person-shaped")
    if any(t in seen.demonyms or t.casefold() in seen.registry_names for t in tokens):
        features.append("place-word")
    if not _ORG_WORDS.isdisjoint(tokens):
        features.append("org-word")
    if all(t in _GENERIC_FIRM_WORDS or t in seen.demonyms for t in tokens):
        features.append("generic")
    if len(tokens) > 1 and tokens[0].casefold() in seen.registry_names:
        features.append("known-head")  # "Altice UK", "Kenya Power"
    if len(tokens) == 1 and _surname(text, name):
        features.append("surname")
    if len(tokens) == 1 and _written_as_word(text, name.lower()):
        features.append("also-a-word")  # "Three" of "three"
    features.append(f"count={min(text.count(name), 3)}")
    return features


def _context(
    text: str, name: str, at: int, firms: tuple[set[int], set[int]], seen: Discovery, most: int = 4
) -> list[str]:
    """The words around the name's first `most` mentions (from `at`), and whether it is listed with a firm."""
    features = ["title"] if at < seen.title_end else []
    openings = mentions = 0
    while at >= 0 and mentions < most:
        mentions += 1
        end = at + len(name)
        openings += _starts_sentence_at(text, at)
        after = _JOINED_AFTER.match(text, end)
        before = _JOINED_BEFORE.search(text, max(0, at - 6), at)
        if (after and after.end() in firms[0]) or (before and before.start() in firms[1]) or at in seen.listed:
            features.append("listed-with-firm")
        elif (after and text[after.end() : after.end() + 1].isupper()) or (
            before and text[before.start() - 1 : before.start()].isalnum()
        ):
            features.append("listed-with-name")
        words_before = _CONTEXT_TOKEN.findall(text, max(0, at - 40), at)[-3:]
        words_after = _CONTEXT_TOKEN.findall(text, end, end + 40)[:3]
        features += [f"p{i}={w.casefold()}" for i, w in enumerate(reversed(words_before), 1)]
        features += [f"n{i}={w.casefold()}" for i, w in enumerate(words_after, 1)]
        if len(words_before) > 1:
            features.append(f"p21={words_before[-2].casefold()} {words_before[-1].casefold()}")
        if len(words_after) > 1:
            features.append(f"n12={words_after[0].casefold()} {words_after[1].casefold()}")
        verb = words_after[0] if words_after else ""
        if verb.islower() and (verb in _SUBJECT_VERBS or verb.endswith(("s", "ed"))):
            features.append("verb-after")
        if not _ACTOR_WORDS.isdisjoint(w.casefold() for w in words_before + words_after):
            features.append("actor-context")
        at = text.find(name, end)
    features.append("only-opening" if openings == mentions else "inside-sentence")
    return features

"""Keyword matches, the entities an article names and a small learned model -> its topics.

A topic's evidence is the weight of its keywords (data/topics.yaml) found in the text, mentions in
the headline or lead sentence counting more, plus the sectors of the companies and bodies named
(registry `topics`), which support a topic the text itself names and never settle one alone.
A topic the headline or lead sentence names too weakly for these rules is added when a small learned
model (data/topic_model.json, written by scripts/train_topics.py) reads the article as about it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import orjson

from builder.errors import ContentError
from builder.registry import Match, Matcher, Phrase, Registry

TOPIC_THRESHOLD = 5.5  # minimum score for a topic only the body names (swept on every development set, round 8)
LEAD_THRESHOLD = 4.0  # ...and for a topic the headline or lead sentence names: the lead says what a story is about
TOPIC_RELATIVE = 0.3  # ...and at least this share of the strongest topic's score
FLOOR_CAP = 8.0  # ...which never asks more than this: a topic with this much evidence of its own is one
MAX_TOPICS = 4
LEAD_FACTOR = 2  # a mention in the headline or the lead sentence counts as this many body mentions
REPEAT_SHARE = 0.5  # each further mention of a phrase adds this share of its weight (three count at most)
SECTOR_WEIGHT = 2.0  # a named company or body whose sector is the topic, once the text itself names it
LEAD_SECTOR_WEIGHT = 3.0  # ...and when it is named in the headline or lead sentence: the story's actor
STRONG_CUE = 2.0  # a topic needs one keyword of at least this weight: weak ones only support
ACTOR_WEIGHT = TOPIC_THRESHOLD  # a named threat actor settles its topics (a ransomware gang: cybercrime)
MODEL_THRESHOLD = 0.0  # the model's score (log-odds, 0: p = 0.5) from which it confirms a topic the lead names
# too weakly for the rules; tuned, as MODEL_READS, by the leave-one-set-out figure (benchmarks/evaluate.py --cross)
MODEL_CUE = 3.0  # ...for a topic the headline or lead sentence names with this much keyword evidence (one strong word)
MODEL_READS = 600  # characters of the article the model reads: the headline and the opening paragraphs
_AI_NAME = re.compile(r"(?:\bAI|\.ai)$", re.IGNORECASE)  # "Scale AI", "Builder.ai": an AI company by name
# Bytes of a word as the model reads it: ASCII letters (lower-cased) and digits; every other byte separates.
_WORD_BYTES = bytes(c + 32 if 65 <= c <= 90 else c if 48 <= c <= 57 or 97 <= c <= 122 else 32 for c in range(256))


def words(text: str) -> list[bytes]:
    """The words the topic model reads: the lower-cased runs of ASCII letters and digits of the
    article's first `MODEL_READS` characters."""
    return text[:MODEL_READS].encode().translate(_WORD_BYTES).split()


@dataclass(frozen=True)
class TopicModel:
    """One linear scorer per topic over the distinct words of an article: each word of the vocabulary
    it holds counts its idf, the vector scaled to length 1; a topic's score is its bias plus the weights
    of those words (log-odds that the article is about the topic)."""

    idf2: dict[bytes, float]  # squared idf of each vocabulary word: the article vector's length
    weights: tuple[dict[bytes, float], ...]  # per topic (registry order): word -> weight times idf
    bias: tuple[float, ...]

    def scores(self, text: str, topics: Sequence[int]) -> list[float]:
        """The model's scores of these topic indices for the article `text`."""
        present = self.idf2.keys() & words(text)
        length = math.sqrt(math.fsum(map(self.idf2.__getitem__, present))) or 1.0  # fsum: exact in any order
        weights = self.weights
        return [
            self.bias[i] + math.fsum(map(weights[i].__getitem__, weights[i].keys() & present)) / length for i in topics
        ]


def load_topic_model(path: Path, topic_names: Sequence[str]) -> TopicModel | None:
    """The model of data/topic_model.json (None if there is none), its topics in the registry's order."""
    if not path.is_file():
        return None
    try:
        return topic_model(orjson.loads(path.read_bytes()), topic_names)
    except ValueError as error:  # orjson's errors too
        raise ContentError(
            f"the topic model is not as scripts/train_topics.py writes it ({error})",
            file=path,
            hint="re-run python scripts/train_topics.py",
        ) from None


def topic_model(data: dict, topic_names: Sequence[str]) -> TopicModel:
    """The model from its JSON object (`idf`, `bias` and `weights` by topic name); ValueError if malformed."""
    try:
        idf = {w.encode(): float(v) for w, v in data["idf"].items()}
        if unknown := sorted(set(data["weights"]) - set(topic_names)):
            raise ValueError(f"it names topics topics.yaml does not have: {', '.join(unknown)}")
        weights = tuple(
            {w.encode(): float(v) * idf[w.encode()] for w, v in data["weights"].get(name, {}).items()}
            for name in topic_names
        )
        bias = tuple(float(data["bias"].get(name, -math.inf)) for name in topic_names)  # a topic it never learnt
    except (KeyError, TypeError, AttributeError) as error:
        raise ValueError(f"missing or malformed {error}") from None
    return TopicModel({w: v * v for w, v in idf.items()}, weights, bias)


def _keyword(phrase: Phrase) -> tuple[int, float]:
    """A keyword's (topic index, weight)."""
    return cast("tuple[int, float]", phrase.target)  # a string: no alias built per call on the hot path


def _keywords(matcher: Matcher) -> dict[Phrase, tuple[int, float]]:
    """(topic index, weight) per keyword phrase of the automaton: a dict lookup is cheaper than a call."""
    phrases = [entry[0] for _, simple, checked in matcher.automaton.values() for entry in (*simple, *checked)]
    return {p: _keyword(p) for p in phrases if p.kind == "keyword"}


class Topics:
    """The registry's topics, their keywords and sector hints; build once, call `assign` per article."""

    def __init__(self, registry: Registry, matcher: Matcher):
        index = {t.name: i for i, t in enumerate(registry.topics)}
        self._sectors = {
            e.name: frozenset(index[t] for t in e.topics)
            for entries in (registry.companies, registry.organisations)
            for e in entries
            if e.topics
        }
        self._actor_topics = {a.name: frozenset(index[t] for t in a.topics) for a in registry.threat_actors}
        self._ai_index = index.get("Artificial intelligence")
        self._ai_firms = frozenset(c.name for c in registry.companies if _AI_NAME.search(c.name))
        bodies = {f.casefold() for o in registry.organisations for f in (o.name, *o.aliases)}
        self._index_of: dict[Phrase, int] = {}
        self._cue_of: dict[Phrase, tuple[int, tuple[float, ...], bool, bool]] = {}
        for phrase, (topic, weight) in _keywords(matcher).items():
            self._index_of[phrase] = topic
            gains = tuple(weight * (1 + REPEAT_SHARE * (count - 1)) for count in range(4))  # by mentions, 0-3
            own = phrase.form.casefold() not in bodies  # "FTC" is a body's name: see _topic_scores
            self._cue_of[phrase] = (topic, gains, weight >= STRONG_CUE, own)
        self._names = [t.name for t in registry.topics]
        self._model = registry.topic_model

    def assign(
        self,
        text: str,
        keywords: list[Match],
        lead_end: int,
        companies: list,
        discovered: list[str],
        others: list[Match],
        listed: AbstractSet[int],
        actors: Iterable[str],
    ) -> tuple[str, ...]:
        """The article's topics, strongest first: from its keyword matches, the registry companies
        ((prominence key, name) pairs), discovered firms and other entities it names, the starts of
        companies first named in a list (`listed`), and the threat actors it names."""
        sectors, lead_sectors = self._entity_sectors(text, lead_end, companies, discovered, others, listed)
        evidence = {i for name in actors for i in self._actor_topics.get(name, ())}
        return self._topics(text, keywords, lead_end, sectors, lead_sectors, evidence)

    def _entity_sectors(
        self,
        text: str,
        lead_end: int,
        companies: list,
        discovered: list[str],
        others: list[Match],
        listed: AbstractSet[int],
    ) -> tuple[set[int], set[int]]:
        """Topic indices of the sectors of the companies and bodies named: anywhere, and in the lead.
        A company first named as one of three or more partners ("G42, OpenAI, Oracle, Nvidia …")
        takes part in the story; its sector is not the story's."""
        sectors: set[int] = set()
        lead: set[int] = set()
        for (_, _, first), name in companies:
            if first in listed:
                continue
            found = self._sectors.get(name, ())
            sectors.update(found)
            if first < lead_end:
                lead.update(found)
        for m in others:
            if m.phrase.kind == "organisation":
                found = self._sectors.get(cast(str, m.phrase.target), ())
                sectors.update(found)
                if m.start < lead_end:
                    lead.update(found)
        if self._ai_index is not None:
            ai_firms = self._ai_firms
            for name in [n for n in discovered if _AI_NAME.search(n)] + [n for _, n in companies if n in ai_firms]:
                sectors.add(self._ai_index)
                if 0 <= text.find(name) < lead_end:
                    lead.add(self._ai_index)
        return sectors, lead

    def _topics(
        self,
        text: str,
        matches: list[Match],
        lead_end: int,
        sectors: set[int],
        lead_sectors: set[int],
        evidence: set[int],
    ) -> tuple[str, ...]:
        """Topics whose keyword evidence, plus sector hints of the entities named, is strong enough
        and holds a strong keyword or hint (`STRONG_CUE`); the topics of threat actors named (`evidence`);
        then, up to `MAX_TOPICS`, those the headline or lead sentence names too weakly that the model confirms
        (a passing mention in the body never makes a topic)."""
        scores, in_lead, strong = self._topic_scores(
            matches, lead_end, sectors, lead_sectors, self._index_of, self._cue_of
        )
        top = max(scores.values(), default=0.0)  # the words' evidence: a gang's name does not crowd out others
        for index in evidence:  # naming a ransomware gang is itself evidence, like a keyword
            scores[index] = scores.get(index, 0.0) + ACTOR_WEIGHT
        if not scores:
            return ()
        in_lead |= lead_sectors
        ranked = sorted([(-score, i) for i, score in scores.items()])[:MAX_TOPICS]  # strongest, then first listed
        floor = min(TOPIC_RELATIVE * top, FLOOR_CAP)
        chosen = [
            i
            for minus, i in ranked
            if -minus >= (LEAD_THRESHOLD if i in in_lead else TOPIC_THRESHOLD)
            and -minus >= floor
            and (i in strong or i in evidence)
        ]
        if self._model is not None and len(chosen) < MAX_TOPICS:
            named = [i for i, score in scores.items() if score >= MODEL_CUE and i in in_lead and i not in chosen]
            chosen += self._confirmed(text, named)[: MAX_TOPICS - len(chosen)]
        names = self._names
        return tuple(names[i] for i in chosen)

    def _confirmed(self, text: str, named: list[int]) -> list[int]:
        """The topics among `named` that the model reads the article as about, its surest first."""
        if not named:
            return []
        model = cast(TopicModel, self._model)
        found = [(-score, i) for score, i in zip(model.scores(text, named), named) if score >= MODEL_THRESHOLD]
        return [i for _, i in sorted(found)]

    @staticmethod
    def _topic_scores(
        matches: list[Match],
        lead_end: int,
        sectors: set[int],
        lead_sectors: set[int],
        index_of: dict[Phrase, int],
        cue_of: dict[Phrase, tuple[int, tuple[float, ...], bool, bool]],
    ) -> tuple[dict[int, float], set[int], set[int]]:
        """Evidence per topic index: keyword weights, repeated and lead mentions counting more; the
        topics the headline or lead sentence names; and those with a strong keyword or sector hint.
        A keyword that is only a public body's name ("FTC") lets no sector hint in: a body's remit is
        wider than its hint (the FTC also guards consumers' privacy); a firm's name does ("OpenAI")."""
        mentions: dict[Phrase, int] = {}  # keyed by identity (Phrase has eq=False)
        last: dict[int, tuple] = {}  # per topic, the phrase counted last: (start, end, phrase, count)
        lead: set[int] = set()
        for start, end, phrase in matches:  # in order of end position; unpacked: the hot path
            index = index_of[phrase]
            if start < lead_end:
                count = LEAD_FACTOR
                lead.add(index)
            else:
                count = 1
            previous = last.get(index)
            if previous and start < previous[1]:  # overlap: "digital skills" is not also "skills"
                if end - start <= previous[1] - previous[0]:
                    continue
                mentions[previous[2]] -= previous[3]
            last[index] = (start, end, phrase, count)
            mentions[phrase] = mentions.get(phrase, 0) + count
        scores: dict[int, float] = {}
        strong: set[int] = set()
        own: set[int] = set()  # topics named by more than a body's name
        for phrase, count in mentions.items():
            if count:
                index, gains, strong_cue, own_cue = cue_of[phrase]  # gains: precomputed per mention count
                scores[index] = scores.get(index, 0.0) + gains[count if count < 3 else 3]
                if strong_cue:
                    strong.add(index)
                if own_cue:
                    own.add(index)
        for index in own & sectors:  # a hint needs the text's own evidence
            scores[index] += LEAD_SECTOR_WEIGHT if index in lead_sectors else SECTOR_WEIGHT
            strong.add(index)
        return scores, lead, strong

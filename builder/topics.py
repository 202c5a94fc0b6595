"""Keyword matches and the entities an article names -> its topics.

A topic's evidence is the weight of its keywords (data/topics.yaml) found in the text, mentions in
the headline or lead sentence counting more, plus the sectors of the companies and bodies named
(registry `topics`), which support a topic the text itself names and never settle one alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from typing import cast

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
_AI_NAME = re.compile(r"(?:\bAI|\.ai)$", re.IGNORECASE)  # "Scale AI", "Builder.ai": an AI company by name


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
        return self._topics(keywords, lead_end, sectors, lead_sectors, evidence)

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
        matches: list[Match],
        lead_end: int,
        sectors: set[int],
        lead_sectors: set[int],
        evidence: set[int],
    ) -> tuple[str, ...]:
        """Topics whose keyword evidence, plus sector hints of the entities named, is strong enough
        and holds a strong keyword or hint (`STRONG_CUE`); the topics of threat actors named (`evidence`)."""
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
        names = self._names
        return tuple(
            names[i]
            for minus, i in ranked
            if -minus >= (LEAD_THRESHOLD if i in in_lead else TOPIC_THRESHOLD)
            and -minus >= floor
            and (i in strong or i in evidence)
        )

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

"""Tagging and headline figures on labelled articles: `python benchmarks/evaluate.py` (or `-m benchmarks.evaluate`).

A development tool, not part of the site builder. Sets: the 20 samples (tests/fixtures/labels.yaml
over seeds/) and the evaluation sets of issues 13 and 14 (tests/fixtures/eval/<set>.yaml over the
folder of the same name): dev, dev2, blind2, dev3, blind3, blind4, blind5, blind6 and blind7 for development
(dev2, blind2, blind3, blind4, blind5, blind6 and blind7 were held out in earlier rounds and, once scored, became
development data), and blind8, the held-out set of round 8, scored only with `--set blind8` (and reported as absent
while its files are not there). Prints micro-averaged precision, recall and F1 per facet (companies also per error
class; organisations, threat actors, countries, topics), the derived headlines' ROUGE-1 F against
the real headlines and the share passing the headline rules, summaries cut mid-word, and tagging
speed per 10,000 articles. Always exits 0: it reports; tests hold the targets.
"""

from __future__ import annotations

import argparse
import math
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml

from builder.dumps import decode_dump, split_dump
from builder.headlines import (
    _BASES,
    _FOCUSING,
    _GERUNDS,
    _NEEDS_WITH,
    _PARTICIPLES,
    _PASTS,
    _PRESENTS,
    _PURPOSE_NOUNS,
    GIVES,
    NEEDS_OBJECT,
    TAKES_CLAUSE,
    derive_headline,
    has_clause_marker,
    summarize,
    verb_base,
)
from builder.registry import Registry, load_registry
from builder.tagging import Tagger, without_legal_forms
from builder.topics import topic_model

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
    "blind7": (FIXTURES / "eval" / "blind7.yaml", FIXTURES / "eval" / "blind7"),
    "blind8": (FIXTURES / "eval" / "blind8.yaml", FIXTURES / "eval" / "blind8"),
    "blind9": (FIXTURES / "eval" / "blind9.yaml", FIXTURES / "eval" / "blind9"),
}
HELD_OUT = "blind9"
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
_PREPOSITIONS = frozenset(
    "of to in on at by for with from into onto over under about after between across through within without "
    "against among amid amidst during via per than upon toward towards until since despite including like "
    "versus plus behind beyond outside inside alongside throughout".split()
)
_AUXILIARIES = frozenset(
    "is are was were be been being has have had will would can could may might must shall should do does did".split()
)
# Words a whole phrase never ends on: prepositions, determiners and quantifiers, conjunctions and
# relatives, possessive determiners, auxiliaries.
_DANGLING = (
    _PREPOSITIONS
    | _AUXILIARIES
    | frozenset(
        "the a an this that these those each every some any another such both neither all most many much several "
        "and or but nor because while whereas although though if unless whether as when where which who whom whose "
        "its their his her our your my not".split()
    )
)
# Words that start a new phrase or clause when the text goes on after a headline's last word.
_PHRASE_STARTS = _PREPOSITIONS | frozenset(
    "and or but nor as while whereas when where which who whom whose that because although though if unless "
    "whether before such saying citing adding according so".split()
)
_SUBORDINATORS = frozenset("after as while because when since before until although though whereas if unless".split())
# Objects that are told or ordered something: people, bodies, firms, a name or a pronoun.
_RECIPIENTS = frozenset(
    """
agencies agency companies company firms firm banks bank platforms platform people staff employees workers members
customers users citizens authorities governments government states countries ministries ministry businesses
schools universities hospitals regulators regulator courts court public parents children students teens minors
apps services networks sites websites it them him her us
""".split()
)
_NOT_RECIPIENTS = frozenset(
    "orders powers numbers papers transfers offers letters servers computers sectors errors factors processors "
    "monitors filters".split()
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
    | frozenset("to is are was were has have had will would can could may might must should does did".split())
)
_FINITE_FORMS = _VERB_FORMS - _BASES
_PAST_ONLY = frozenset(_PASTS) - frozenset(_PARTICIPLES)  # "fell", "rose", "took": never a participle
_OPENING_VERBS = frozenset(_PASTS) | frozenset(_GERUNDS)
_OPENING_AUXILIARIES = frozenset("has have had is are was were will would".split())  # "Has raised $96 million"
_SAYS = frozenset(
    ("says", "say", "said", "rules", "ruled")
)  # they take a clause: "X says hackers stole data", not "X says attack on"
_OPENER_FOLLOWERS = frozenset("to from at in on for with the a an its about".split())  # "Running to about…"
_SCENE_WORDS = frozenset(
    "after following amid despite in on at from with under as while when since until before during if although "
    "though because unless whereas once whether".split()
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

    def __iadd__(self, other: Score) -> Score:
        """Pooled counts of two scores (the differences stay this one's)."""
        self.true_pos += other.true_pos
        self.false_pos += other.false_pos
        self.false_neg += other.false_neg
        return self

    def __str__(self) -> str:
        return (
            f"P {self.precision:.3f}  R {self.recall:.3f}  F1 {self.f1:.3f}  "
            f"({self.true_pos} right, {self.false_pos} extra, {self.false_neg} missing)"
        )


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


def _name(value: str, known: dict[str, str], firm: bool) -> str:
    """The canonical name of a label or a tag; a firm's without its legal forms on both sides, since
    the tagger drops them by design ("TikTok Technology Limited" is "TikTok Technology")."""
    if value.casefold() in known or not firm:
        return known.get(value.casefold(), value)
    bare = without_legal_forms(value)
    return known.get(bare.casefold(), bare)


def evaluate_tags(articles: list[Labelled], tagger: Tagger) -> dict[str, Score]:
    """Scores per facet, and per error class for companies ("companies/<class>")."""
    names = _canonical(tagger.registry)
    scores: dict[str, Score] = {facet: Score() for facet in FACETS}
    for article in articles:
        tags = tagger.tag(article.headline or "", article.paragraphs)
        for facet, (required, optional) in FACETS.items():
            if required not in article.label:
                continue  # the samples carry no organisation or threat actor labels

            def norm(values, known=names[facet], firms=facet == "companies") -> set[str]:
                return {_name(v, known, firms).casefold() for v in values}

            expected, got = norm(article.label[required]), norm(getattr(tags, facet))
            maybe = norm(article.label.get(optional) or []) if optional else set()
            scores[facet].add(article.where, expected, got, maybe)
            if facet == "companies":
                for kind in article.label.get("classes") or []:
                    scores.setdefault(f"companies/{kind}", Score()).add(article.where, expected, got, maybe)
    return scores


def headline_problems(headline: str, actor: str | None = None, text: list[str] | None = None) -> list[str]:
    """The headline rules a derived headline breaks (empty list: it passes); with the article's
    paragraphs as `text`, also whether the text goes on inside the phrase the headline ends on."""
    words = headline.split()
    if not words:
        return ["empty"]
    problems = []
    if len(headline) > MAX_HEADLINE:
        problems.append(f"longer than {MAX_HEADLINE} characters ({len(headline)})")
    if dangling := _dangling_end(words):
        problems.append(f"ends on {dangling!r}")
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
    if first in _OPENING_VERBS | _OPENING_AUXILIARIES or (first.endswith("ing") and second in _OPENER_FOLLOWERS):
        problems.append("starts with its verb: no actor")
    elif first in _SCENE_WORDS:
        problems.append("starts with a scene-setting phrase, not the actor")
    said = next((i for i, w in enumerate(rest[:-1]) if w.casefold() in _SAYS), None)
    reported = rest[said + 1 : -1] if said is not None else []
    # "… rules government's plan to store": "to" after a noun is no verb of what was said ("says Zentro to buy" is)
    if reported and not any(
        _is_finite(prev, w) and not (w == "to" and prev.islower()) for prev, w in zip([""] + reported, reported)
    ):
        problems.append("what was said is cut before its verb")
    if mixed := _participle_after_present(rest[:-1]):
        problems.append(f"a second verb left a participle after a present one: 'and {mixed}'")
    if (that := _clause_without_verb(rest[:-1])) is not None:
        problems.append(f"the clause after '{rest[that - 1]} that' has no verb")
    if _object_missing(words):
        problems.append(f"ends on {words[-1]!r}, a verb without its object")
    if told := _told_nothing(words):
        problems.append(f"says whom {told!r} addresses but not what")
    if _only_an_aside(words):
        problems.append("the actor's own verb is cut: only an aside on it is left")
    if _participle_opening(words, text) and "starts with its verb: no actor" not in problems:
        problems.append(f"opens with a participle phrase ({words[0]!r} …) and no clause of its own")
    if text and (governed := _complement_cut(words, text)):
        problems.append(f"ends before what {governed[0]!r} governs: the text goes on {governed[1]!r}")
    if role := _role_only(rest[:-1], text):
        problems.append(f"names no actor, only {role!r}")
    if text and (following := _text_goes_on(words, text)):
        problems.append(f"cut mid-phrase: the text goes on {following!r}")
    if actor and actor.casefold() not in headline.casefold():
        problems.append(f"does not name {actor}")
    return problems


def _core(word: str) -> str:
    return re.sub(r"^\W+|\W+$", "", word).casefold().replace("’", "'")


def _dangling_end(words: list[str]) -> str | None:
    """The function word, possessive or auxiliary (before any -ly adverbs) a headline ends on, if any."""
    last = _core(words[-1])
    if last in _DANGLING:
        return words[-1]
    if words[-1].islower() and last.endswith(("'s", "s'")):
        return words[-1]  # "… buys the company's"
    end = len(words)
    while end > 1 and words[end - 1].islower() and _core(words[end - 1]).endswith("ly"):
        end -= 1  # "has preliminarily"
    return " ".join(words[end - 1 :]) if end < len(words) and _core(words[end - 1]) in _AUXILIARIES else None


def _participle_after_present(words: list[str]) -> str | None:
    """The participle-only form ('taken', 'given') after 'and' that shares no auxiliary, when the verb before it is
    in the present: 'fires several employees and taken legal action'."""
    for i in range(2, len(words) - 1):
        word = words[i + 1]
        if words[i] != "and" or not word.islower() or word not in _PARTICIPLES or word in _PASTS:
            continue
        before = [w.casefold() for w in words[:i]]
        present = any(w.endswith("s") and _is_finite(p, w) for p, w in zip(words, words[1:i]))  # "Orbix fires"
        if present and not (_AUXILIARIES | {"been", "be", "being"}) & set(before):
            return word
    return None


def _clause_without_verb(words: list[str]) -> int | None:
    """The index of a 'that' after a verb whose clause has no finite verb ('India orders that laptops')."""
    for i in range(1, len(words)):
        if words[i] == "that" and words[i - 1].islower() and verb_base(words[i - 1]) is not None:
            clause = words[i + 1 :]
            if not any(_is_finite(p, w) for p, w in zip(["that"] + clause, clause)):
                return i
    return None


def _object_missing(words: list[str]) -> bool:
    """True if the last word is a verb that needs an object: 'X unveils', '… and extorting', 'to pay'."""
    last, before = words[-1], words[-2] if len(words) > 1 else ""
    word, previous = _core(last), _core(before)
    if not last.islower() or verb_base(word) not in NEEDS_OBJECT:
        return False
    if word in _GERUNDS or word in _PAST_ONLY:
        return True
    if word in _PARTICIPLES and previous not in ("to", "will"):
        return False  # passive: "Two teenagers arrested"
    if word in _PRESENTS:
        return before[:1].isupper() or previous in ("it", "who", "which", "that", "and")
    return previous in ("to", "will", "can", "may", "must")  # a bare form elsewhere may be a noun: "Go plan"


def _told_nothing(words: list[str]) -> str | None:
    """The clause-taking verb ('tells', 'orders', 'requiring') whose last clause is only the one
    addressed ('tells operators of critical infrastructure', 'orders agencies'), if any."""
    cores = [_core(w) for w in words]
    at = next(
        (i for i in range(len(words) - 1, 0, -1) if words[i].islower() and verb_base(cores[i]) in TAKES_CLAUSE | GIVES),
        None,
    )
    if at is None or has_clause_marker(cores[at + 1 :]):
        return None
    if cores[at] in _PARTICIPLES and cores[at] not in _PASTS:
        return None
    addressed = []
    for word, original in zip(cores[at + 1 :], words[at + 1 :]):
        if word in _PREPOSITIONS:
            break
        addressed.append((word, original))
    if not addressed:
        return None
    head, original = addressed[-1]
    recipient = (
        verb_base(cores[at]) == "tell"
        or original[:1].isupper()
        or head in _RECIPIENTS
        or (head.endswith(("ers", "ors", "ists", "ians", "ees")) and head not in _NOT_RECIPIENTS)
    )
    return words[at] if recipient else None


def _only_an_aside(words: list[str]) -> bool:
    """True if the actor's name is followed by an aside that never closes, with no verb before it:
    'Latitude Financial, Australian lender behind cards and plans', 'CDK Global, whose software runs sales'."""
    comma = next((i for i, w in enumerate(words[:6]) if w.endswith(",")), None)
    if comma is None or comma + 1 == len(words):
        return False
    before = [w.strip(",;:'\"’”") for w in words[: comma + 1]]
    if any(_is_finite(p, w) for p, w in zip([""] + before, before)):
        return False
    after = words[comma + 1 :]
    item = after[: next((i for i, w in enumerate(after) if _core(w) in ("and", "or")), len(after))]
    aside = _core(after[0]) in ("whose", "which", "who") or any(w.islower() and _core(w) not in _DANGLING for w in item)
    return aside and not any(w.endswith(",") for w in after)


# Nouns that stand for an actor the headline should name: "Company says …", "Cloud company says …".
_ROLE_NOUNS = frozenset(
    "company firm group startup start-up giant business platform maker operator provider developer lender "
    "carrier retailer".split()
)


def _role_only(words: list[str], text: list[str] | None) -> str | None:
    """The subject, if it is only a role noun with at most two modifiers and no name ('Cloud company';
    its first word counts as a name if the text writes it capitalised inside a sentence)."""
    verb = next((i for i in range(1, len(words)) if _is_finite(words[i - 1], words[i])), None)
    subject = words[:verb] if verb is not None else []
    if not 0 < len(subject) <= 3 or _core(subject[-1]) not in _ROLE_NOUNS:
        return None
    first = subject[0]
    named = any(not w.islower() for w in subject[1:]) or any(c.isdigit() for c in first)
    if len(subject) > 1 and not named:
        inside = re.findall(r"(?<=[^.!?\s] )" + re.escape(first) + r"\b", " ".join(text)) if text else [first]
        named = bool(inside)
    return None if named else " ".join(subject)


_NUMERALS = frozenset("one two three four five six seven eight nine ten".split())
_NUMBER_WORDS = frozenset("hundred thousand million billion trillion crore lakh".split())


def _end_in_text(words: list[str], tokens: list[str], cores: list[str]) -> int | None:
    """Index of the text token the headline ends on (the occurrence with most of the headline's last words
    before it); None when it is not there, or not after those words (a reordered passive)."""
    ending, context = _core(words[-1]), {_core(w) for w in words[-4:-1]}
    found = [
        (-len(context & set(cores[max(0, i - 5) : i])), i)
        for i, word in enumerate(cores[:-1])
        if word == ending and ending
    ]
    if not found or (len(words) > 1 and context and min(found)[0] == 0):
        return None
    return min(found)[1]


def _text_goes_on(words: list[str], text: list[str]) -> str | None:
    """The next word of the text after the headline's last word when it continues the same phrase
    ('… largest copyright' + 'recovery', '… media outlets' + 'reported'); None at a phrase boundary
    or when the headline's end is not found in the text."""
    tokens = " ".join(text).split()
    cores = [_core(t) for t in tokens]
    ending = _core(words[-1])
    if (at := _end_in_text(words, tokens, cores)) is None:
        return None  # nothing to check against
    following, word = tokens[at + 1], cores[at + 1]
    if _modifiers_go_on(tokens[at : at + 6], words[-1]):
        return following  # "… using confidential" + ", current lease data": the noun is still to come
    if re.search(r"[,.;:)\]!?”\"']$", tokens[at]) and not re.search(r"'s$|’s$", tokens[at]):
        return None
    then = cores[at + 2] if at + 2 < len(cores) else ""
    if (
        word in ("in", "out")
        and (ending in _NUMERALS or ending[:1].isdigit())
        and (then in _NUMERALS or then[:1].isdigit())
    ):
        return following  # "… finds one" + "in five teenagers": a ratio cut in two
    clause = cores[
        at + 1 : next((j for j in range(at, len(tokens)) if tokens[j].endswith((",", ";", "."))), len(tokens))
    ]
    if _told_nothing(words) and any(w in ("to", "that") for w in clause):
        return following  # "… to require all new phones" + "[sold in …] to have …": what is required is cut
    if not word or following[0] in "([–—-" or word in _PHRASE_STARTS:
        return None
    if following[0] in "$€£0123456789" and words[-1][:1].isupper():
        return None  # "fines Orbix" + "€4 million": the amount is a phrase of its own
    if following.islower() and word.isalpha() and (ending in _NUMBER_WORDS or ending[:1].isdigit()):
        if not ((word in _PARTICIPLES or word.endswith("ed")) and then in _PREPOSITIONS):
            return following  # a figure without its unit: "… 134.8 billion" + "won", not "… million" + "led by"
    if following.islower() and (word.endswith("ing") or word in _GERUNDS):
        return None  # a participle clause: "… platform serving 5 million users"
    if following.islower() and (word in _PARTICIPLES or word.endswith("ed")):
        # a participle phrase ("… platform used by …") unless the headline's last clause is a
        # subordinate one still waiting for its verb ("… after group of media outlets" + "reported")
        opener = max((i for i, w in enumerate(words) if _core(w) in _SUBORDINATORS), default=None)
        tail = [w.strip(",;:'\"’”") for w in words[opener + 1 :]] if opener is not None else []
        if not tail or any(_is_finite(p, w) for p, w in zip([""] + tail, tail)):
            return None
    return following


def _complement_cut(words: list[str], text: list[str]) -> tuple[str, str] | None:
    """The word whose complement the headline cuts off, and the text's next word, if the text goes on with
    it: whom a verb allows or orders without what ('allows banks' + 'to open accounts'), a focusing
    adverb without its focus ('may be imported only' + 'with a licence'), a noun without what it is for
    ('signs deal' + 'to buy power'), 'comply' without its 'with'."""
    tokens = " ".join(text).split()
    cores = [_core(t) for t in tokens]
    if (at := _end_in_text(words, tokens, cores)) is None or re.search(r"[,.;:)!?”\"]$", tokens[at]):
        return None
    following, word, then = tokens[at + 1], cores[at + 1], cores[at + 2] if at + 2 < len(cores) else ""
    if _core(words[-1]) in _FOCUSING and following.islower():
        return words[-1], following
    infinitive = word == "to" and then.isalpha() and tokens[at + 2].islower() and then not in _DANGLING
    if (_core(words[-1]) in _PURPOSE_NOUNS and infinitive) or (_core(words[-1]) in _NEEDS_WITH and word == "with"):
        return words[-1], following  # "signs first deal" + "to buy power", "to have to comply" + "with the act"
    core = [_core(w) for w in words]
    verb = next(
        (i for i in range(len(words) - 2, 0, -1) if words[i].islower() and verb_base(core[i]) in TAKES_CLAUSE), None
    )
    if verb is None or has_clause_marker(core[verb + 1 :]) or any(c in _PREPOSITIONS for c in core[verb + 1 :]):
        return None
    gerund = word == "from" and then.endswith("ing")
    return (words[verb], following) if infinitive or gerund or word == "that" else None


_ASIDE_OPENERS = frozenset("now still already also just once one two three some none".split())


def _modifiers_go_on(tokens: list[str], last: str) -> bool:
    """True if a lowercase word ends on a comma and another modifier of the same noun follows, not a list
    item or a new phrase: 'confidential, current lease data'."""
    following = [_core(t) for t in tokens[1:]]
    return (
        last.islower()
        and tokens[0].endswith(",")
        and len(following) > 2
        and tokens[1].islower()
        and following[0] not in _PHRASE_STARTS | _DANGLING | _ASIDE_OPENERS
        and not following[0].endswith(("ing", "ed", "ly"))
        and following[1] not in _PREPOSITIONS
        and not {"and", "or"} & set(following)
        and not tokens[1].endswith(",")
    )


def _participle_opening(words: list[str], text: list[str] | None) -> bool:
    """True if the headline opens with a participle phrase ('Discussing plans for strikes …', 'Citing
    concerns') and no clause with its own verb follows a comma. An -ing word the text writes capitalised
    inside a sentence is a name ('Boeing'); without the text, one followed by a finite verb may be."""
    first = _core(words[0])
    if len(words) < 2 or not first.endswith("ing") or len(first) < 6 or not words[1].islower():
        return False
    if text is None and _is_finite(words[0], words[1]) and first not in _GERUNDS:
        return False
    if text and _named_in(words[0].strip(","), " ".join(text)):
        return False
    comma = next((i for i, w in enumerate(words) if w.endswith(",")), None)
    clause = [w.strip(",;:'\"’”") for w in words[comma + 1 :]] if comma is not None else []
    return not any(_is_finite(p, w) for p, w in zip(clause, clause[1:]))


def _named_in(word: str, text: str) -> bool:
    """True if the text writes the capitalised word as a name: inside a sentence ('… said Boeing'), before
    an aside or a possessive ('Boeing, the planemaker', "Boeing's"), or as a subject before a verb ('Kering
    has confirmed …', 'Kering said …'); never a participle's place."""
    for match in re.finditer(r"(?<!\w)" + re.escape(word) + r"\b(\W*)(\w*)", text):
        inside = re.search(r"[a-z,] [\"'“‘(]?$", text[: match.start()])
        aside = match.group(1).startswith((",", "'s", "’s"))  # "Boreling, a ferry operator,", "Boreling's"
        following = match.group(2).casefold()
        if inside or aside or following in _AUXILIARIES | _PAST_ONLY | {"said", "says"}:
            return True
    return False


def _is_finite(previous: str, word: str) -> bool:
    """A finite verb form; a bare 'plan' or 'go' only after a name or a plural ('airports go down')."""
    if word in _PRESENTS and previous.casefold() in _DANGLING:
        return False  # "including names", "of plans": a noun
    return (
        word in _FINITE_FORMS
        or word.endswith("ed")
        or (
            word in _BASES
            and not previous.endswith(("'s", "’s"))  # "government's plan": a noun
            and (previous[:1].isupper() or previous.endswith("s") or previous in ("police", "people"))
        )
        or (
            previous[:1].isupper()
            and word.islower()
            and len(word) > 3
            and re.fullmatch(r"\w+[^su]s", word)
            and not word.endswith(("ers", "ors", "ists", "ians"))
        )
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
        problems = headline_problems(headline, article.label.get("actor"), article.paragraphs)
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
            lines.append(f"  {facet:<26} {score}")
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


def cross_topics(registry: Registry, set_names: list[str]) -> str:
    """Leave-one-set-out topic figures: each set scored by the rules with the topic model trained on every
    other development set (scripts/train_topics.py), beside the rules alone; pooled over the sets."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))  # scripts/ is no package of the builder
    from scripts.train_topics import example, train

    names = [t.name for t in registry.topics]
    labelled = {name: load_labelled(*SETS[name]) for name in dict.fromkeys([*DEFAULT_SETS, *set_names])}
    rules = Tagger(replace(registry, topic_model=None))
    lines = ["== leave-one-set-out topics: rules alone | rules and the model trained on the other sets"]
    pooled = [Score(), Score()]
    for name in set_names:
        training = [example(a) for other in DEFAULT_SETS if other != name for a in labelled[other]]
        learned = Tagger(replace(registry, topic_model=topic_model(train(training, names), names)))
        figures = [evaluate_tags(labelled[name], tagger)["topics"] for tagger in (rules, learned)]
        for total, score in zip(pooled, figures):
            total += score
        lines.append(f"  {name:<8} " + " | ".join(map(str, figures)))
    lines.append(f"  {'pooled':<8} " + " | ".join(map(str, pooled)))
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
    parser.add_argument(
        "--cross",
        action="store_true",
        help="topics only, leave-one-set-out: each set scored with the topic model trained on the other sets",
    )
    args = parser.parse_args(argv)
    if args.cross:
        print(cross_topics(load_registry(args.data), args.sets or list(DEFAULT_SETS)))
        return 0
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

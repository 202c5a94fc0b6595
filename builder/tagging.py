"""Article text -> tags: topics, registry companies, discovered companies, organisations, countries.

Registry names are found by one automaton scan (builder.registry.Matcher). Companies the
registry does not know are discovered from company contexts ("the fintech startup Quillpay",
"Unitree Robotics", "agreements with Eneco, Luminus and Renner"); clear finds are tagged,
weaker ones only suggested to the editor (see `suggestions_report`). Public bodies the registry
does not know are discovered by their form ("Australian Signals Directorate", "Ministry of …").
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from operator import itemgetter
from typing import cast

from builder.registry import Company, Country, Match, Matcher, Phrase, Registry, demonyms, given_names
from builder.topics import Topics

_UP = "A-ZÀ-ÖØ-Þ"  # capital letters, for name patterns


# A phrase's target depends on its kind (see registry.Phrase); these give each kind's target its type.
def _company(m: Match) -> Company:
    return cast(Company, m.phrase.target)


def _country(m: Match) -> Country:
    return cast(Country, m.phrase.target)


def _label(m: Match) -> str:
    """The name of an organisation or threat actor, or the kind of a cue."""
    return cast(str, m.phrase.target)


@dataclass(frozen=True)
class Tags:
    topics: tuple[str, ...]
    companies: tuple[str, ...]
    discovered: tuple[str, ...]
    suggested: tuple[str, ...]
    organisations: tuple[str, ...]
    threat_actors: tuple[str, ...] = ()  # hacking groups and malware named: never companies
    countries: tuple[str, ...] = ()  # canonical names of the countries (and the EU) the text names
    parents: tuple[tuple[str, str], ...] = ()  # (discovered division or subsidiary, its registry parent)


class Tagger:
    """Tags articles against one registry; build it once, call `tag` per article."""

    def __init__(self, registry: Registry):
        self.registry = registry
        self.matcher = Matcher(registry, CUE_PHRASES)
        self._known = {f.casefold() for c in registry.companies for f in c.forms}
        self._not_company = (
            {f.casefold() for o in registry.organisations for f in (o.name, *o.aliases)}
            | {d.casefold() for d in registry.deny}
            | {p.casefold() for p in registry.places}
            | {f.casefold() for c in registry.countries for f in c.forms}  # "French", "US" are not firms
        )
        # a body that is also a country facet's name (the European Union) is tagged as a country only
        self._regions = frozenset(c.name for c in registry.countries)
        self._generic_org_words = _GENERIC_ORG_WORDS | {f for c in registry.countries for f in c.forms}
        self.topics = Topics(registry, self.matcher)
        self._demonyms = demonyms(registry.countries)

    def tag(self, title: str, paragraphs: list[str]) -> Tags:
        text = "\n".join([title or "", *paragraphs])
        title_end = len(title or "")
        found = self.matcher.find(text)
        keywords, cues, places = found["keyword"], found["cue"], found["country"]
        actor_cues, org_cues = found["actor-cue"], found["org-cue"]
        named = found["company"] + found["organisation"] + found["threat_actor"] + found["deny"]
        entities = _longest_first(
            [m for m in named if m[2].kind != "threat_actor"] + _threat_actors(text, named, actor_cues)
        )
        known: list[Match] = []
        others: list[Match] = []
        organisations: dict[str, None] = {}
        actors: dict[str, None] = {}
        for m in entities:  # one pass: registry companies, and everything that is not one
            kind = m[2].kind
            (known if kind == "company" else others).append(m)
            if kind == "organisation" and _label(m) not in self._regions:
                organisations[_label(m)] = None
            elif kind == "threat_actor":
                actors[_label(m)] = None
        bodies = (
            discover_organisations(text, org_cues, [(m.start, m.end) for m in entities], self._generic_org_words)
            if org_cues
            else []
        )
        for m in bodies:
            organisations.setdefault(_label(m))
        divisions = _divisions(text, known) if known else {}
        lists = _lists(text, known) if known else []
        companies, accepted = self._companies(text, title_end, [m for m in known if m.start not in divisions], lists)
        lead_end = _lead_end(text, title_end)
        strong, weak = discover(
            text,
            cues,
            others + bodies + accepted,
            lists,
            list(divisions.values()),
            lead_end,
            {m.start for m in places},
            given_names(),  # the name dictionary, read on the first tagging: a build without dumps never reads it
        )
        longer = tuple(text[m.start : m.end] for m in known if " " in m.phrase.form)  # "Epic" of "Epic Games"
        # "Zentro" of a discovered "Zentro Bank & Trust" is the same firm, unless written as one ("Zentro plc")
        if weak:  # "SM, the agency …" is the "SM Entertainment" the text also names: its full name
            strong = list(dict.fromkeys(next((w for w in weak if w.startswith(n + " ")), n) for n in strong))
        longer_found = tuple(n for n in strong if " " in n)
        discovered = [
            n
            for n in strong
            if self._is_new(n, text)
            and not _short_form(n, longer)
            and n not in organisations
            and not (_short_form(n, longer_found) and not _with_legal_form(text, n))
        ]
        parents = tuple((name, parent) for name, _, parent in divisions.values() if name in discovered)
        suggested = [
            n
            for n in weak
            if n not in strong
            and self._is_new(n, text)
            and not _short_form(n, longer)
            and n not in organisations
            and n.split(" ", 1)[0].casefold() not in self._known  # "Apple Pay": a known firm's product
        ]
        listed = {m.start for span in lists if len(span.items) >= 3 for m in span.companies}
        topics = self.topics.assign(text, keywords, lead_end, companies, discovered, others, listed, actors)
        ranked = companies + [_prominence(n, text, title_end, text.count(n)) for n in discovered]
        ranked.sort(key=lambda r: r[0])
        named_countries: tuple[str, ...] = ()
        if places:
            firms = [(m.start, m.end) for m in known] + _spans(text, discovered + suggested)
            named_countries = countries(text, places, firms)
        return Tags(
            topics,
            tuple(n for _, n in ranked),
            tuple(discovered),
            tuple(suggested),
            tuple(organisations),
            tuple(actors),
            named_countries,
            parents,
        )

    def _companies(self, text: str, title_end: int, matches: list[Match], lists: list) -> tuple[list, list[Match]]:
        """(prominence key, canonical name) per registry company named, and the matches used."""
        hits: dict[str, list[Match]] = {}
        confirmed: set[str] = set()
        in_lists = {m.start for span in lists if len(span.companies) > 1 for m in span.companies}
        owners = {m.end + 3: _company(m).name for m in matches if text[m.end : m.end + 3] in ("’s ", "'s ")}
        for m in matches:
            company = _company(m)
            if m.start in owners and company.parent != owners[m.start]:
                continue  # "Nvidia's RTX chips" is a product; "Alphabet's Waymo" a subsidiary
            if m.phrase.form != company.name and _another_firms_acronym(text, m.phrase.form, company):
                continue
            if " " in m.phrase.form:
                verdict = STRONG
            elif _model_number_at(text, m.end + 1) and _MODEL_NAME.match(text, m.end):
                continue  # "a Kirin 9000s processor": a product line's name, not the firm of that name
            elif company.ambiguous:
                verdict = (
                    WEAK  # "Apple growers …" in a story about apples: the word, unless said otherwise
                    if (not m.start or text[m.start - 1] == "\n" or text[m.start - 2 : m.start] == ". ")
                    and _word_opening_a_sentence(text, m)
                    else _company_sense(text, m, title_end)
                )
            else:
                # "Kelly Acme Rosmarin"; a headline may be in title case ("Regulators Fine Uber Over Data")
                verdict = REJECT if m.start > title_end and _between_names(text, m.start, m.end) else STRONG
            if verdict is REJECT:
                continue
            if verdict is WEAK and m.start in in_lists:
                verdict = STRONG  # "Arm, Microsoft, Nvidia and Oracle": listed with firms, a firm
            hits.setdefault(company.name, []).append(m)
            if verdict is STRONG:
                confirmed.add(company.name)
        ranked = [
            _prominence(name, text, title_end, len(ms), ms[0].start, sum(m.start < title_end for m in ms))
            for name, ms in hits.items()
            if name in confirmed
        ]
        return ranked, [m for name in confirmed for m in hits[name]]

    def _is_new(self, name: str, text: str) -> bool:
        key = name.casefold()
        return key not in self._known and key not in self._not_company and not self._no_firm(name)

    def _no_firm(self, name: str) -> bool:
        """A discovered name of only generic words and demonyms is none ("Peruvian", "British AI",
        "Technology Co"), unless a nationality and a firm's word ("American Bank", "Korean Air")."""
        tokens = name.split()
        if len(tokens) > 1 and tokens[0] in _REGION_WORDS and tokens[1] in self._demonyms:
            tokens = tokens[1:]  # "Latin American", "East African": a region's people
        if not all(t in _GENERIC_FIRM_WORDS or t in self._demonyms for t in tokens):
            return False
        return not (tokens[0] in self._demonyms and len(tokens) > 1 and tokens[-1] in _STRONG_SUFFIXES)


_REGION_WORDS = frozenset("Latin North South East West Central Southeast Southern Northern Eastern Western".split())


# --- countries -----------------------------------------------------------------------------------

# "North American", "Latin America", "New Jersey", "New Mexico": a region or another place, not the country.
_PLACE_PREFIXES = ("North ", "South ", "Latin ", "Central ", "New ", "Native ")
_LANGUAGE_SUFFIXES = ("-speaking", "-language")  # "a Russian-speaking gang" names a language, not a country


def countries(text: str, matches: list[Match], firms: list[tuple[int, int]]) -> tuple[str, ...]:
    """Canonical names of the countries named (names, short forms, demonyms), most named first.

    A country named only inside a company's name ("British Airways", "Bank of America") or as a
    language ("Russian-speaking") does not count; inside an organisation's it does ("Competition
    Commission of India"). An ambiguous name (Georgia, Jordan, Chad) counts only when a demonym or
    another form of it is written too.
    """
    counts: dict[str, int] = {}  # by canonical name: a Country's own hash would hash all its forms
    firsts: dict[str, int] = {}
    plain: set[str] = set()  # countries named at least once by a form that is not an ambiguous name
    for m in _longest_first(matches):
        if (
            any(s <= m.start and m.end <= e for s, e in firms)
            or text.endswith(_PLACE_PREFIXES, 0, m.start)
            or text.startswith(_LANGUAGE_SUFFIXES, m.end)
            or _inside_brand(text, m.end)
        ):
            continue
        country = _country(m)
        counts[country.name] = counts.get(country.name, 0) + 1
        firsts.setdefault(country.name, m.start)
        if m.phrase.form not in country.ambiguous_names:
            plain.add(country.name)
    found = sorted(plain, key=lambda name: (-counts[name], firsts[name]))
    return tuple(found)


_CAPITALISED_RUN = re.compile(r"(?: [A-Z][a-z][\w&'-]*)+")  # " Airways", " Federal Communications Commission"


def _inside_brand(text: str, end: int) -> bool:
    """True if the country word opens a proper name that is no public body or title ("British Airways")."""
    run = _CAPITALISED_RUN.match(text, end)
    return run is not None and _ORG_WORDS.isdisjoint(words := run.group().split()) and _TITLES.isdisjoint(words)


def _spans(text: str, names: list[str]) -> list[tuple[int, int]]:
    """Every (start, end) at which one of `names` is written in `text`."""
    spans = []
    for name in names:
        at = text.find(name)
        while at >= 0:
            spans.append((at, at + len(name)))
            at = text.find(name, at + 1)
    return spans


def _short_form(name: str, known: tuple[str, ...]) -> bool:
    """True if `name` opens a known company's longer name written in the text: "Epic" of "Epic Games"."""
    return any(form.startswith(name + " ") for form in known)


def _with_legal_form(text: str, name: str) -> bool:
    """True if the text writes `name` followed by a legal form ("Zentro plc")."""
    at = text.find(name + " ")
    while at >= 0:
        if text[at + len(name) + 1 :].split(" ", 1)[0].rstrip(",;:") in _LEGAL_SUFFIXES:
            return True
        at = text.find(name + " ", at + 1)
    return False


def _lead_end(text: str, title_end: int) -> int:
    """End of the lead: the headline and the first sentence of the body."""
    found = _SENTENCE_END.search(text, title_end + 1)
    return found.end() if found else len(text)


_SENTENCE_END = re.compile(r"[.!?][\"'”’)]*\s")


def _prominence(name, text, title_end, count, first=None, in_title=None):
    """Sort key: headline mentions, then mention count, then first position (all descending)."""
    first = text.find(name) if first is None else first
    in_title = (0 <= text.find(name) < title_end) if in_title is None else in_title
    return (-int(in_title), -count, first), name


_START, _END = itemgetter(0), itemgetter(1)


def _longest_first(matches: list[Match]) -> list[Match]:
    """Non-overlapping matches, leftmost then longest ("Google DeepMind" over "Google")."""
    chosen, end = [], -1
    ordered = sorted(matches, key=_END, reverse=True)
    ordered.sort(key=_START)  # stable: leftmost, then longest (two C-keyed sorts, no Python call per match)
    for m in ordered:
        if m.start >= end:
            chosen.append(m)
            end = m.end
    return chosen


# --- ambiguous names: Visa, Apple, Amazon, Meta, X ----------------------------------------------

REJECT, WEAK, STRONG = "reject", "weak", "strong"
_DETERMINERS = frozenset(
    "a an the this that these those his her their its our your my no every "
    "golden travel tourist student work business transit digital".split()
)
_COMPANY_NOUNS = frozenset(
    "platform app apps company group network card cards account accounts brand owner "
    "ceo chief founder service services users shares stock".split()
)
_SUBJECT_VERBS = frozenset(
    "has have had is was will would can could did does said says may might must plans wants agreed and also".split()
)
_SENTENCE_START = frozenset('.!?:;\n"“‘(')
# What the text calls a product feature: "Circle to Search, a feature", "Recall, an AI tool".
_NAMED_FEATURE = re.compile(
    r"(?: (?:to|for|on|in|with) [A-Z][\w-]*)?, (?:a|an|the|its) (?:[\w-]+ ){0,3}?(?:feature|tool|function|option|"
    r"setting|button)s?\b"
)
_RELATIVE = re.compile(r", (?:which|whose) ")  # "Circle, which issues USDC"
_LAST_WORD = re.compile(r"(\S+) $")
_NEXT_WORD = re.compile(r" ([A-Z]\w+)")


_NAMING_WORDS = frozenset(("called", "named", "dubbed", "codenamed"))
_NAME_PARTICLES = frozenset("de del della di da do dos das du des van von der den la le y e".split())


def _model_number_at(text: str, at: int) -> bool:
    """Cheap test before _MODEL_NAME: a digit, or a capital and a digit ("9000s", "S24")."""
    first = text[at : at + 1]
    return first.isdigit() or (first.isupper() and text[at + 1 : at + 2].isdigit())


_NEXT_LOWER = re.compile(r" ([a-z][\w-]*)")


def _written_as_word(text: str, word: str) -> bool:
    """True if the lower-case `word` (or its plural) stands alone in the text: "an apple", "apples"."""
    at = text.find(word)
    while at >= 0:
        end = at + len(word)
        end += 2 if text.startswith("es", end) else 1 if text.startswith("s", end) else 0
        if (not at or not text[at - 1].isalnum()) and not text[end : end + 1].isalnum():
            return True
        at = text.find(word, at + 1)
    return False


def _word_opening_a_sentence(text: str, m: Match) -> bool:
    """An ambiguous one-word name that opens a sentence (the caller checks) before a lower-case word,
    in a text that also writes it in lower case as a word: "Apple growers are testing …" in a story
    about apples."""
    word = m.phrase.form.lower()
    if word not in text:
        return False
    after = _NEXT_LOWER.match(text, m.end)
    verb = after.group(1) if after else ""
    if (
        not verb
        or verb.endswith("ed")
        or verb in _SUBJECT_VERBS
        or (verb[-1] == "s" and verb[-3:] not in ("ers", "ors"))
    ):
        return False  # "Apple sued …", "Visa issues visas": the firm acts; "Apple growers" are no firm
    return _written_as_word(text, word)


def _company_sense(text: str, m: Match, title_end: int) -> str:
    """Whether an ambiguous single-word name is used as a company name here."""
    company = _company(m)
    after = text[m.end : m.end + 40]
    if after[:1] == "-":
        word = re.match(r"-(\w+)", after)
        return STRONG if word and word.group(1) in ("owned", "backed", "based", "led", "funded", "run") else REJECT
    if _NAMED_FEATURE.match(text, m.end):
        return REJECT  # "Circle to Search, a feature that …": a product's name
    if after[:2] in ("’s", "'s") or _RELATIVE.match(after):
        return STRONG  # "Circle, which issues USDC"
    nxt = re.match(r" ([\w-]+)", after)
    next_word = nxt.group(1) if nxt else ""
    if next_word.casefold() in company.not_before:
        return REJECT
    if next_word[:1].isupper():
        return REJECT  # part of a longer name: "X Square Robot", "Apple Music"
    before = text[max(0, m.start - 40) : m.start]
    prev = re.search(r"(\S*) $", before)
    prev_word = prev.group(1) if prev else ""
    if prev_word[:1].isupper() and prev_word[-1:].isalnum() and not prev_word.endswith(("’s", "'s")):
        return REJECT  # "Generation X", "Golden Visa"
    if prev_word in _NAME_PARTICLES and re.search(rf"[{_UP}]\S* $", before[: -len(prev_word) - 1]):
        return REJECT  # "Asociación de Medios de Información": a word of a longer name
    if prev_word in _NAMING_WORDS:  # "one of the assistant's voices, called Sky": a name given to a thing
        earlier = re.search(r"(\w+),? \S+ $", before)
        return STRONG if earlier and earlier.group(1).casefold() in _COMPANY_NOUNS else REJECT
    if prev_word.casefold() in _DETERMINERS:
        return STRONG if next_word.casefold() in _COMPANY_NOUNS else REJECT
    if m.start < title_end:
        return WEAK
    stripped = before.rstrip()
    if not stripped or stripped[-1] in _SENTENCE_START:
        low = next_word.casefold()
        verb_like = low in _SUBJECT_VERBS or low in _COMPANY_NOUNS or (low.endswith(("ed", "s")) and len(low) > 3)
        return STRONG if verb_like else WEAK
    return STRONG


# --- threat actors, divisions and lists ---------------------------------------------------------

# Vendor naming schemes for threat actors: "APT28", "UNC3944", "UAT4356", "Storm-2603", "Volt Typhoon".
_ACTOR_CODE = re.compile(r"\b(?:(?:APT|UNC|UAT|TA)\d{2,5}|FIN\d{1,2}|(?:Storm|DEV|GTG)-\d{3,5})\b")
_ACTOR_CODE_STARTS = [
    f"{family}{digit}*" for family in "APT UNC UAT TA FIN Storm- DEV- GTG-".split() for digit in range(10)
]
_ACTOR_NAME = r"[A-Z][\w$-]*(?: [A-Z][\w$-]*){0,2}"
# "a group calling itself Radiant", "the Everest ransomware gang", "the extortion group Crimson Collective"
_ACTOR_CONTEXT = re.compile(
    rf"\b(?:group|gang|collective|crew|actor) (?:calling itself|that calls itself|known as|dubbed) ({_ACTOR_NAME})"
    rf"|\b[Tt]he ({_ACTOR_NAME}) (?:ransomware|hacking|hacker|extortion|cybercrime) (?:gang|group|crew|operation)"
    rf"|\b(?:ransomware|hacking|hacker|extortion|cybercrime) (?:gang|group|crew) ({_ACTOR_NAME})"
)
_ACTOR_FAMILY = re.compile(r"[A-ZÀ-ÖØ-Þ][\w$-]* $")  # the capitalised word before "Typhoon"
_ACTOR_FAMILIES = (
    "Typhoon Blizzard Sleet Sandstorm Tempest Hail Spider Panda Bear Kitten Chollima Jackal Leopard"
).split()


def _threat_actors(text: str, entities: list[Match], cues: list[Match]) -> list[Match]:
    """Threat actors named: registry entries used as names, names in the vendors' schemes, and names
    a group gives itself or the text gives a gang ("a group calling itself Radiant", "the Everest gang")."""
    found = []
    for m in entities:
        if m.phrase.kind == "threat_actor" and (" " in m.phrase.form or not _inside_name(text, m.start, m.end)):
            found.append(m)
    for cue in cues:  # the scan found where a code may start ("APT2…"): the pattern says whether one does
        if cue.phrase.target == "actor-code" and (code := _ACTOR_CODE.match(text, cue.start)):
            found.append(Match(code.start(), code.end(), Phrase(code.group(), "threat_actor", code.group())))
    if not any(cue.phrase.target == "actor-context" for cue in cues):
        return found
    for named in _ACTOR_CONTEXT.finditer(text):
        group = next(i for i in (1, 2, 3) if named.group(i))
        name = named.group(group)
        found.append(Match(named.start(group), named.end(group), Phrase(name, "threat_actor", name)))
    for cue in cues:
        if cue.phrase.target == "actor-family" and (
            word := _ACTOR_FAMILY.search(text, max(0, cue.start - 30), cue.start)
        ):
            name = text[word.start() : cue.end]
            found.append(Match(word.start(), cue.end, Phrase(name, "threat_actor", name)))
    return found


def _inside_name(text: str, start: int, end: int) -> bool:
    """True if the span is part of a longer capitalised name: "Royal" in "Royal Mail"."""
    after = text[end : end + 1] == " " and text[end + 1 : end + 2].isupper()
    before = text[max(0, start - 30) : start]
    prev = _LAST_WORD.search(before)
    return after or bool(
        prev
        and prev.group(1)[:1].isupper()
        and prev.group(1)[-1:].isalnum()
        and not _starts_sentence_at(before, prev.start())
    )


_PLAIN_WORD = re.compile(rf"[{_UP}][a-zà-ÿ]+")


def _between_names(text: str, start: int, end: int) -> bool:
    """True if the word at start:end sits between two plain capitalised words inside a sentence:
    the middle of a person's name ("Chief executive Kelly Acme Rosmarin"), not a firm."""
    if not text[end + 1 : end + 2].isupper():
        return False  # cheap test first: most names are not followed by a capitalised word
    before = _LAST_WORD.search(text, max(0, start - 30), start)
    return bool(
        before
        and _PLAIN_WORD.fullmatch(word := before.group(1))
        and word not in _STOP
        and word not in _TITLES
        and not _starts_sentence_at(text, before.start(1))
        and _PLAIN_WORD.match(text, end + 1)
        and text[end : end + 1] == " "
    )


def _starts_sentence_at(text: str, at: int) -> bool:
    """Whether a sentence starts at `at` (nothing but space since a sentence's end), without copying the text."""
    while at and text[at - 1].isspace():
        at -= 1
    return not at or text[at - 1] in _SENTENCE_START


# A known company followed by one of these is a division or subsidiary, its own term:
# "Intel Capital", "Allianz Life", "Orange Belgium", "Samsung Electronics". Not "Pay": "Apple Pay" is a product;
# not "Entertainment": "Live Nation Entertainment" is the firm's full name, not a part of it.
_DIVISION_WORDS = frozenset(
    """
Capital Ventures Cloud Life Insurance Bank Securities Research Energy Motors Electronics
Studios Pictures Health Pharmaceuticals Aerospace Automotive Mobility Payments Logistics
Semiconductor Display Displays Biologics Telecom Networks Foundry UK US USA Europe EU India Japan China
Germany France Belgium Ireland Italy Spain Netherlands Canada Australia Brazil Korea Singapore
""".split()
)


_LEGAL_SUFFIXES = frozenset(
    "Limited Ltd Ltd. Inc Inc. Corp Corp. LLC L.L.C. GmbH plc PLC AG SE SA S.A. SAS NV N.V. BV B.V. Srl S.r.l. "
    "Pty Oy AB ASA".split()
)
# "Kappa Ireland Limited", "Kappa Cloud Services Ltd": a company's name, up to three words, a legal suffix
_SUBSIDIARY = re.compile(
    rf"((?: [{_UP}][\w&-]*){{1,3}}) (?:{'|'.join(re.escape(s) for s in _LEGAL_SUFFIXES)})(?![\w.])"
)
# "Kappa AI, the division led by …": a word after the company that the text itself calls a part of it
_CALLED_DIVISION = re.compile(r", (?:the|its|a|an) (?:[\w-]+ ){0,2}(?:division|unit|subsidiary|arm)\b")


# "Kakao and its entertainment arm, Kakao Entertainment": the text calls the name after it a part of a firm
_UNIT_AFTER = re.compile(r"(?:[a-z-]+ )?(?:division|unit|subsidiary|arm)\b")  # "(food) delivery unit"
_UNIT_NOUNS = ("division", "unit", "subsidiary", "arm", "affiliate")
_CALLED_DIVISION_BEFORE = re.compile(
    r"\b(?:its|the|a|an) (?:[\w-]+ ){0,2}(?:division|unit|subsidiary|arm|affiliate)(?:,| called| named)? $"
)


def _called_unit_before(text: str, at: int) -> bool:
    """The text calls the name at `at` a part of a firm right before it ("its entertainment arm, …")."""
    head = text[max(0, at - 50) : at]
    if not head.rstrip(" ,").removesuffix(" called").removesuffix(" named").endswith(_UNIT_NOUNS):
        return False  # cheap test first
    return _CALLED_DIVISION_BEFORE.search(head) is not None


def _described_as_unit(text: str, word: str) -> bool:
    """The text calls the firm's part by the word of its name: "Jumia Food … the food delivery unit"."""
    low = word.lower()
    at = text.find("he " + low + " ")
    while at >= 0:
        if text[at - 1 : at] in ("T", "t") and _UNIT_AFTER.match(text, at + len(low) + 4):
            return True
        at = text.find("he " + low + " ", at + 1)
    return False


def _divisions(text: str, companies: list[Match]) -> dict[int, tuple[str, int, str]]:
    """Per start of a company match that opens a division's name: (the division's name, start, parent)."""
    found = {}
    for m in companies:
        if not text[m.end + 1 : m.end + 2].isupper() or text[m.start - 3 : m.start] in ("’s ", "'s "):
            continue  # cheap test first; "Nvidia's Europe team" is no division
        word = _NEXT_WORD.match(text, m.end, m.end + 20)
        end = m.end + 1 + len(word.group(1)) if word else 0
        if word and word.group(1) in _DIVISION_WORDS:
            while (more := _NEXT_WORD.match(text, end, end + 20)) and more.group(1) in _SUFFIXES:
                end = more.end()  # "Sony Semiconductor Solutions": a firm's word runs the name on
        subsidiary = _SUBSIDIARY.match(text, m.end)
        if subsidiary and _ORG_WORDS.isdisjoint(subsidiary.group(1).split()):
            end = subsidiary.end(1)  # the name without its legal suffix: "Meta Platforms Ireland"
        elif not (
            word
            and not text[end + 1 : end + 2].isupper()
            and (
                word.group(1) in _DIVISION_WORDS
                or _CALLED_DIVISION.match(text, end)
                or _called_unit_before(text, m.start)
                or _described_as_unit(text, word.group(1))
            )
        ):
            continue
        found[m.start] = (text[m.start : end], m.start, _company(m).name)
    return found


@dataclass(frozen=True)
class Listing:
    """A list of capitalised names ("CrowdStrike, Microsoft and Fenix24") holding known companies."""

    items: tuple[tuple[str, int], ...]  # (name as written, start)
    companies: tuple[Match, ...]


_ITEM_SEPARATOR = re.compile(r",? (?:and|or) |, ")


def _list_start(text: str, at: int) -> int:
    """Where a list ending at `at` begins: walk back over capitalised words, commas and 'and'."""
    words = text[max(0, at - 160, text.rfind("\n", 0, at) + 1) : at].split(" ")  # a list never spans a line
    start, index = at, len(words) - 1
    while index > 0:
        word = words[index - 1]
        joins = word in ("and", "or") and index > 1 and words[index - 2][:1].isupper()
        if word[:1].isupper() or word[:1] == "&" or joins:
            start -= len(word) + 1
            index -= 1
        else:
            break
    while start < at and not (text[start].isupper() or text[start] == "&"):
        start = text.find(" ", start, at) + 1 or at  # a list starts with a name
    return start


# What a sentence's subject does next: "Amazon and iRobot have called off", "Disney and Universal sued".
_PREDICATE = re.compile(
    r" (?:also )?(?:have|had|are|were|will|would|said|say|agreed|signed|announced|filed|settled|sued|brought|launched|"
    r"plan|plans|planned|face|faced|denied|deny|[a-z]+ed)\b"
)


def _pair_as_subject(text: str, start: int, end: int, items: list, inside: tuple) -> bool:
    """Two names, one a known company, that open a sentence as its subject: the other is a firm too."""
    return (
        len(items) == 2
        and len(inside) == 1
        and " and " in text[start:end]
        and (text[start - 1 : start] == "\n" or _starts_sentence_at(text, start))
        and _PREDICATE.match(text, end) is not None
    )


_PAIR_BEFORE = re.compile(r"\b(?:by|from|with|between|to|at|of) $")


def _pair_with_a_firm(text: str, start: int, end: int, items: list, inside: tuple) -> bool:
    """Two names after a preposition, one a known firm and ending the clause: "sold by Cisco and
    Netgear", "a deal between Vodafone and Zegona." The other is a firm too."""
    return (
        len(items) == 2
        and len(inside) == 1
        and " and " in text[start:end]
        and _PAIR_BEFORE.search(text, max(0, start - 10), start) is not None
        and text[end : end + 1] in (".", ",", ";", "")
    )


def _lists(text: str, companies: list[Match]) -> list[Listing]:
    """Lists of three or more names, or of two when both are known, that contain a known company."""
    found: dict[int, Listing] = {}
    for m in companies:
        if not (
            text.startswith((", ", " and ", " or ", ", and ", ", or "), m.end)
            or text.endswith((", ", " and ", " or "), 0, m.start)
        ):
            continue
        start = _list_start(text, m.start)
        if start in found:
            continue
        body = _LIST_AT.match(text, start)
        if not body or body.end() < m.end:
            continue
        items, at = [], start
        for part in _ITEM_SEPARATOR.split(body.group()):
            at = text.find(part, at)
            items.append((part, at))
            at += len(part)
        inside = tuple(c for c in companies if start <= c.start < body.end())
        if (
            len(items) >= 3
            or len(inside) == len(items)
            or _pair_as_subject(text, start, body.end(), items, inside)
            or _pair_with_a_firm(text, start, body.end(), items, inside)
        ):
            found[start] = Listing(tuple(items), inside)
    return list(found.values())


# --- discovery of companies the registry does not know ----------------------------------------

# A "." belongs to a name only inside it ("Builder.ai", "S.A"): "Partners. Investors" is two sentences.
# "iRobot", "eToro", "eBay": a lower-case letter or two before a capitalised word is a brand's spelling.
_TOKEN = rf"(?:[{_UP}]|\d+[{_UP}&]|[a-z]{{1,5}}[{_UP}](?=[a-z])|&)(?:[\w&+-]|\.(?=\w))*+"
_NAME = rf"{_TOKEN}(?: (?:\d{{1,3}} )?{_TOKEN}){{0,4}}"  # a number inside a name: "One 97 Communications"
_LIST = rf"{_NAME}(?:, {_NAME})*(?:,? (?:and|or) {_NAME})?"
_STRONG_SUFFIXES = frozenset(
    "Robotics Robot Group Labs Bank Technologies Technology Holdings Inc Inc. Corp Corp. "
    "Corporation Ltd Ltd. Limited plc PLC LLC GmbH AG SE SA S.A. NV N.V. BV AB ASA Co. "
    "Motors Semiconductor Semiconductors Airlines Airways Pharmaceuticals Therapeutics "
    "Telecom Fintech".split()
)
_WEAK_SUFFIXES = frozenset(
    "AI Systems Software Networks Energy Capital Ventures Partners Media Studios Games "
    "Security Digital Solutions Industries Electronics Analytics Interactive Entertainment "
    "Mobility Automotive Cloud Health Bio Pay Payments Financial Insurance Logistics "
    "Aerospace Dynamics Intelligence Computing Chips Data".split()
)
_SUFFIXES = _STRONG_SUFFIXES | _WEAK_SUFFIXES
# Context words, found by the same automaton scan as the registry; each kind has a pattern
# applied right after the cue ("after") or to the text just before it ("before").
_CUES = {
    "one": (
        "startup start-up company firm automaker carmaker chipmaker bank lender insurer retailer chain "
        "developer operator provider maker manufacturer fintech subsidiary conglomerate vendor "
        "supplier publisher studio exchange broker airline giant unicorn outfit app marketplace neobank "
        "carrier distributor wholesaler designer producer brewer processor platform lab group rival competitor owner "
        "fund"
    ).split(),
    "list": (
        "partners companies firms rivals competitors players participants banks startups start-ups "
        "investors clients customers vendors developers brands lenders insurers retailers operators "
        "carriers platforms ventures providers suppliers manufacturers makers automakers carmakers "
        "chipmakers exchanges fintechs unicorns distributors wholesalers publishers airlines conglomerates neobanks "
        "subsidiaries affiliates"
    ).split(),
    # a firm's rivals named after what it does: "faces competition from TVS Motor, Bajaj Auto and …"
    "rival": ["competition from", "competes with", "compete with", "competing with", "competed with"],
    "deal": [
        "acquires",
        "acquired",
        "acquire",
        "acquiring",
        "buys",
        "bought",
        "acquisition of",
        "takeover of",
        "purchase of",
        "merger with",
        "merge with",
        "stake in",
        "invest in",
        "invests in",
        "invested in",
        "backed by",
        "owned by",
        "owns",
        "partnered with",
        "partnering with",
        "teamed up with",
        "agreement with",
        "agreements with",
        "deal with",
        "deals with",
        "partnership with",
        "partnerships with",
        "contract with",
        "contracts with",
        "made by",
        "funding from",
        "investment from",
        "backing from",
        "shares of",
        "shareholders of",
        "merger of",
        "merger between",
    ],
    "round": ["led by", "co-led by"],
    # the object of a fine or a suit: "has fined Doctolib", "sued Kroger", "a complaint against Zentro"
    "object": [
        "fined",
        "fines",
        "sued",
        "sues",
        "suing",
        "countersued",
        "complaint against",
        "complaints against",
        "lawsuit against",
        "case against",
        "ruling against",
    ],
    "took-part": ["took part", "participated", "joined the round"],  # "Accel, Plural and Saab also took part."
    "funding": ["raised", "raises", "raising"],  # "had raised $58 million from Sequoia, Ribbit Capital and …"
    # "its Change Healthcare unit", "UnitedHealth's Optum division": a named part of a firm is a firm
    "unit": ["unit", "division", "subsidiary", "subsidiaries", "arm", "business"],
    "acquired": ["acquired", "acquires", "agreed to buy", "agreed to acquire"],
    "announced": [
        "announced",
        "launched",
        "unveiled",
        "introduced",
        "raised",
        "released",
        "debuted",
        "secured",
        "rolled out",
        "signed",
        "filed",
        "reported",
    ],
    "suffix": sorted(_SUFFIXES),
    "owner": [
        "chief executive",
        "CEO",
        "chief financial officer",
        "CFO",
        "co-founder",
        "founder",
        "chairman",
        "shareholders",
        "shares",
    ],
    # the story's subject speaking for itself: "Lotte Card says …", "Zentro has confirmed …"
    "stated": [
        "says",
        "said",
        "confirmed",
        "admitted",
        "disclosed",
        "agreed",
        "told",
        "warned",
        "is investigating",
        "was hit",
        "has been hit",
        "was fined",
        "has been fined",
        "will pay",
        "has sued",
        "sued",
        "has completed",
        "completed",
    ],
    "actor-family": _ACTOR_FAMILIES,
    "actor-code": _ACTOR_CODE_STARTS,  # where a vendor's code may start, for _ACTOR_CODE
    # the last word of a public body's name ("Australian Signals Directorate"), for discover_organisations
    "org-head": (
        "Commission Authority Agency Ministry Council Court Office Tribunal Directorate Board Institute University "
        "Bureau Department Inspectorate Regulator Police Centre Center Corporation Administration Association"
    ).split(),
    # what a description calls a body ("Spain's data protection agency, the AEPD", "the SBU security service")
    "body": "regulator watchdog agency authority office service ministry commission police".split(),
    # words around a name a group gives itself or the text gives a gang, for _ACTOR_CONTEXT
    "actor-context": ["itself", "known as", "dubbed", "ransomware", "hacking", "hacker", "extortion", "cybercrime"],
}
_CUE_NOUNS = frozenset(_CUES["one"]) | frozenset(_CUES["list"])
# Each reader gets its own list from the scan: company cues, public bodies' words, threat actors' words.
_CUE_LISTS = {"org-head": "org-cue", "body": "org-cue"} | dict.fromkeys(
    ("actor-family", "actor-context", "actor-code"), "actor-cue"
)
_EXACT_CUES = frozenset(("one", "suffix", "actor-family", "actor-code", "unit", "org-head", "body"))
CUE_PHRASES = tuple(
    Phrase(form, _CUE_LISTS.get(kind, "cue"), kind, exact=kind in _EXACT_CUES, prefix=form.endswith("*"))
    for kind, forms in _CUES.items()
    for form in dict.fromkeys(forms)
)
_AFTER = {
    "one": re.compile(rf",? (?:(?:now |later |since )?(?:called |named |renamed ))?({_NAME})"),
    # "partners such as Bigbank, Quillpay and Zentro", "rivals TD Synnex and D&H"
    "list": re.compile(rf"(?:(?: [\w-]+){{0,2}},? (?:such as|like|including|include|includes|namely))? ({_LIST})"),
    "object": re.compile(rf" ({_LIST})"),
    "rival": re.compile(rf" ({_LIST})"),
    "deal": re.compile(rf" ({_LIST})"),
    "round": re.compile(rf" ({_LIST})"),
    "funding": re.compile(rf" [^.;:]{{0,50}}? from ({_LIST})"),
}
_LIST_AT = re.compile(rf"(?<![\w&.-]){_NAME}(?:(?:, |,? (?:and|or) ){_NAME})+")
# "Lyten, a US battery start-up", "PowerSchool, the education software company": the name before a cue.
_APPOSITION = re.compile(rf"(?<![\w&.-])({_NAME}), (?:an?|the|[{_UP}][\w-]*['’]s) (?:[\w'’-]+ ){{0,5}}$")
# "the Kido nursery chain", "the Zentro payments start-up": a name that qualifies the firm noun.
_THE_NAME = re.compile(rf"\b[Tt]he ({_TOKEN}(?: {_TOKEN})?) (?:[a-z][\w-]* ){{0,2}}$")


def _names_a_firm(name: str) -> bool:
    """Not an acronym for a kind of thing ("the GPU maker") nor a place's adjective ("the Paris-based …")."""
    return not name.isupper() and "-" not in name


# "Ingram Micro, one of the world's largest distributors": the name before a plural cue.
_ONE_OF = re.compile(rf"(?<![\w&.-])({_NAME}), one of (?:the )?(?:[\w'’-]+ ){{0,5}}$")
# "its mobile money platform MoMo", "Google's ad exchange AdX": a product, not a company.
_POSSESSED = re.compile(r"(?:\b(?:its|their|his|her|our|own)|['’]s)(?: [\w-]+){0,5},? ?$")
_BEFORE = {
    "owner": re.compile(rf"(?:^|[.!?:] |, |\n|\b[a-z]+ )({_NAME})(?:['’]s)? $"),
    "acquired": re.compile(rf"({_NAME}) (?:has |have |had )?(?:(?:is|was|has been|is being|will be) )?$"),
    "announced": re.compile(rf"(?:^|[.!?:] |, |\n)({_NAME}) (?:has |have |had )?$"),
    # "Zentro said", "In a filing, Zentro said", "Zentro, one of the largest lenders, has told"
    "stated": re.compile(rf"(?:^|[.!?:] |\n|, )({_NAME})(, (?!who )[^,.;:]{{3,90}},)? (?:has |have |had )?$"),
    "unit": re.compile(rf"(?:\bits|['’]s) ({_NAME}) $"),
}
# What a match of each _BEFORE pattern (and of _APPOSITION) never holds past its first character, so it
# starts at the last of them or later (see _from_last); "stated" has commas inside ("X, the lender, said").
_BREAKS = dict.fromkeys(_BEFORE, (", ", ". ", "\n")) | {"stated": (". ",), "apposition": (". ", "\n")}


def _from_last(text: str, start: int, end: int, breaks: tuple[str, ...]) -> int:
    """`start` moved up to the last of `breaks` in text[start:end]. A search tries every start in its
    window, the costliest step of discovery: no match of a pattern holding none of `breaks` past its
    first character starts earlier, so searching from here finds the same match."""
    return max(start, *[text.rfind(mark, start, end) for mark in breaks])


# The last item of a list, described: "…, Toppr and the coding platform Tynker".
_DESCRIBED_LAST = re.compile(r" and (?:the|a|an|its) (?:[a-z][\w-]* ){1,3}")
_JOINED_SUBJECT = re.compile(rf"(?:^|[.!?] |\n)({_NAME}) and $")
# A later sentence's subject speaking: "Worldcoin said", "Rite Aid, which is in bankruptcy proceedings, said".
_STATED_AT = re.compile(rf"({_NAME})(, (?!who )[^,.;:]{{3,90}},)? (?:has |have |had )?$")
_UNIT_APPOSITION = re.compile(rf"(?<![\w&.-])({_NAME}), (?:its|their) (?:[\w-]+ ){{0,2}}$")
_STRONG_KINDS = frozenset(
    ("one", "list", "rival", "deal", "round", "funding", "acquired", "owner", "stated", "unit", "object")
)
# A name followed by one of these is a modifier, not the firm itself: "fines Replika developer Luka".
_MODIFIER = re.compile(
    r" (?:developer|owner|parent|maker|operator|creator|provider|founder|users|executives|shareholders|investors|"
    r"firms|companies|platforms|giants)\b"
)
# What the text calls a name that is no firm: a body, a grouping of members, or a criminal service
# ("Zentro Northwest, a consortium of public utilities", "Vexmart, a marketplace that sold stolen logins").
_NOT_FIRM_APPOSITION = re.compile(
    r", (?:an?|the) (?:(?:[\w'’-]+ ){0,4}?(?:consortium|association|non-profit|nonprofit|charity|foundation|agency|"
    r"regulator|watchdog|coalition|think tank|trade body|trade group|lobby group|union|co-?operative|university|"
    r"ministry)\b|[^.;,]{0,80}?\b(?:stolen|criminals?|dark ?web|darknet|illicit|cybercrime|underground)\b)"
)
# A model number and what it is after a one-word name: "Kirin 9000s processor", "Galaxy S24 phones".
_MODEL_NAME = re.compile(
    r" [A-Z]?\d{1,5}[A-Za-z]{0,3}(?: (?:Pro|Max|Ultra|Plus|Mini|Lite))? (?:chips?|chipsets?|processors?|"
    r"smartphones?|phones?|handsets?|models?|series|GPUs?|CPUs?|cars?|vehicles?|engines?)\b"
)
_DESIGNATION = re.compile(r" \d{1,4}\b(?![,.]?\d| ?%| (?:per|million|billion|years?|months?|days?)\b)")
# An apposition that makes the name before it a person's: "Sam Altman, OpenAI's chief executive, said".
_ROLE = re.compile(
    r"\b(?:chief|executive|founder|co-founder|minister|president|spokesperson|spokesman|spokeswoman|head|director|"
    r"CEO|professor|lawyer|analyst|researcher|commissioner|secretary|chair|chairman|boss|officer|who|whose)\b"
)
_PARTICLE_BEFORE = re.compile(rf"[{_UP}][\w-]* (?:de|des|du|da|di|von|van|of|la|le) $")
_PRODUCT_LIST = re.compile(
    r"\b(?:apps|products|services|features|tools|devices|games|models|browsers)(?: [\w-]+){0,2},? "
    r"(?:including|such as|like|include|includes) $"
)
_TRAILING_NAME = re.compile(rf"{_NAME}$")
_FIRM_PART = frozenset(("division", "unit", "subsidiary", "arm", "affiliate"))
_ROUND_CONTEXT = re.compile(r"\b(?:round|investors|shareholders|funding)\b")
_PRODUCT_CUES = frozenset(("app", "marketplace", "exchange", "outfit", "studio", "platform", "lab"))
# "the hacking group Radiant", "an industry group": groups that are no firms
_NOT_FIRM_GROUPS = frozenset(
    "hacking hacker hackers ransomware criminal cybercrime extortion threat espionage state-backed "
    "state-sponsored activist advocacy rights lobby lobbying campaign consumer consumers industry working "
    "political research user users interest civil pressure terrorist militant rebel trade parliamentary "
    "expert study contact focus".split()
)
_STOP = frozenset(
    "The A An This That These Those It Its Their His Her However Meanwhile Both Each All Some Many "
    "Other Such While When In On At For With By From And Or But As If We They He She I You Our "
    "Your Earlier Later Also Then Now New Its After Before During Under Over Since Despite Once "
    "Early Unlike Like Only Last Next First Why How What Which Who Where".split()
)
_TITLES = frozenset(
    "CEO CFO CTO COO Chief President Chairman Chairwoman Chair Director Minister Prime Deputy "
    "Senior Head Founder Co-founder Vice Executive Secretary Commissioner Professor Prof. Dr Dr. "
    "Mr Mr. Mrs Mrs. Ms Ms. Sir Lord Lady Officer Manager Spokesperson Spokesman "
    "Spokeswoman Researcher Analyst Governor Senator Judge Mayor King Queen Prince Pope "
    "Chancellor Ambassador Representative Inspector Detective Sheriff".split()
)
# A candidate containing one of these is a public body, event or programme, not a company.
_ORG_WORDS = frozenset(
    "National Central Federal Reserve Development Ministry Ministries Department Agency "
    "Authority Commission Council University Institute Centre Center Office Police Court "
    "Parliament Government Committee Association Foundation Union Bureau Services Service "
    "Administration Army Navy Force Forces Party Board Tribunal School College Academy "
    "Observatory Programme Program Strategy Act Law Directive Regulation Summit Forum Week "
    "Day Conference Initiative Alliance Coalition Network Hub Hubs Watch Task European "
    "International World State States Republic Kingdom Commonwealth "
    "Organisation Organization Nations Society Museum Hospital Trust Fund Festival Olympic "
    "Olympics Games League Cup Championship Prize Award Senate Congress Treasury Embassy Cabinet Customs".split()
)
# Words of _ORG_WORDS that firms' names share: a name the text calls a firm may hold them.
_PUBLIC_WORDS = _ORG_WORDS - frozenset(
    "Development International National Global World Services Service Network Hub Trust Fund Alliance Union".split()
)


# Legal forms a discovered name drops, however many it ends with ("… Private Limited", "… Co Ltd").
_LEGAL_FORMS = _LEGAL_SUFFIXES | frozenset(
    "Pvt Pvt. Private Co Co. Pte Pte. Bhd Bhd. Sdn Tbk Oyj SpA S.p.A. LLP Ltda Ltda. KGaA A/S ApS".split()
)
# Words that say what kind of firm, not which one: a name of only these (and demonyms) is a fragment
# ("Technology Co", "Entertainment Group", "Digital Media") or a nationality ("British AI"), no firm.
_GENERIC_FIRM_WORDS = (
    _SUFFIXES
    | _LEGAL_FORMS
    | frozenset(
        "Technology Tech Digital Media Entertainment Group Science Sciences Electric Motor Communications "
        "Telecommunications Company Holding Financial Global Services Online Internet Mobile Network Credit "
        "Card Cards & and".split()
    )
)
_AND_TRUST = ["&", "Trust"]  # "Zentro Bank & Trust": a bank's name, though a "Trust" alone is a body
_TIME_WORDS = frozenset(
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April "
    "May June July August September October November December Easter Christmas".split()
)


def _any_capitalised(words: list[str]) -> bool:
    """True if one of the words is written like a name: "Zentro", and "iRobot" or "eToro" (a brand's spelling)."""
    for word in words:  # a loop, not any() over a generator: the hot path
        if word[:1].isupper() or (word[:1].islower() and (word[1:2].isupper() or word[2:3].isupper())):
            return True
    return False


def _drop_legal_forms(tokens: list[str]) -> list[str]:
    """The name's words without the legal forms it ends with: "Luka Inc", "Think & Learn Pvt Ltd"."""
    while len(tokens) > 1 and tokens[-1] in _LEGAL_FORMS:
        tokens = tokens[:-1]
    return tokens


def without_legal_forms(name: str) -> str:
    """A firm's name as the tagger writes it, without its legal forms ("TikTok Technology Limited")."""
    return " ".join(_drop_legal_forms(name.split()))


def _clean(candidate: str, firm: bool = False) -> str | None:
    """Trim a capitalised phrase to a plausible company name, or None if it is not one. A name the
    text calls a firm may hold words bodies' names share with firms' ("Development Partners International")."""
    tokens = candidate.split()
    while tokens and (tokens[0] in _STOP or tokens[0].isdigit() or tokens[0].casefold() in _CUE_NOUNS):
        tokens.pop(0)  # "Investors DST Global": a sentence's first word is no part of the name
    if tokens and tokens[0] in _TIME_WORDS:
        return None  # "Tuesday, OpenAI, SoftBank and Oracle": a date before a list
    tokens = _drop_legal_forms(tokens)
    if tokens and tokens[-1].endswith(".") and tokens[-1] not in _STRONG_SUFFIXES:
        tokens[-1] = tokens[-1].rstrip(".")
    if (
        not tokens
        or tokens[0] in _TITLES
        or not (_PUBLIC_WORDS if firm else _ORG_WORDS).isdisjoint(tokens[:-2] if tokens[-2:] == _AND_TRUST else tokens)
    ):
        return None
    if len(tokens) == 1 and (tokens[0] in _SUFFIXES or len(tokens[0]) < 2):
        return None
    if len(tokens) > 1 and (tokens[-1].isdigit() or len(tokens[-1]) == 1):
        return None  # "Model S", "Galaxy 9": a product's model, not a firm
    return " ".join(tokens)


def _keep_leading_word(text: str, raw: str, name: str) -> str:
    """The name with the word `_clean` dropped ("Under" of "Under Armour") when the text never
    writes the name without it, and writes it so at least once inside a sentence."""
    if raw == name or not raw.endswith(" " + name) or " " in raw[: -len(name) - 1]:
        return name
    full = list(_whole_words(text, raw))
    if len(full) < sum(1 for _ in _whole_words(text, name)):
        return name
    return raw if any(not _starts_sentence_at(text, at) for at in full) else name


def _items(found: str) -> list[str]:
    return [p for p in re.split(r",? (?:and|or) |, ", found) if p]


def _surname(text: str, name: str) -> bool:
    """True if a one-word name is the surname of a person the text names in full ("Musk" of "Elon Musk")."""
    at = text.find(" " + name)
    while at > 0:
        end = at + 1 + len(name)
        first = text[max(text.rfind(" ", 0, at), text.rfind("\n", 0, at)) + 1 : at]
        if (
            first[:1].isupper()
            and first[1:].isalpha()
            and first[1:].islower()
            and first not in _STOP
            and first not in _TIME_WORDS
            and not text[end : end + 1].isalnum()
            and text[end + 1 : end + 40].split(" ", 1)[0].rstrip(".,;:") not in _SUFFIXES  # "Delta Air Lines"
        ):
            return True
        at = text.find(" " + name, end)
    return False


def _plain_words(name: str) -> bool:
    """Two or three plain capitalised words: a person's name as often as a firm's ("Sam Altman")."""
    tokens = name.split()
    return 2 <= len(tokens) <= 3 and all(t.isalpha() and t[0].isupper() and t[1:].islower() for t in tokens)


def _another_firms_acronym(text: str, form: str, company: Company) -> bool:
    """True if an acronym alias ("SBI" of State Bank of India) is only ever written as the first word
    of another name ("SBI Holdings", "LG Uplus") and the text never names its firm otherwise: the
    acronym is shared with a firm the registry does not know, and which one is meant is not said."""
    if " " in form or not form.isupper() or any(f in text for f in company.forms if f != form and not f.isupper()):
        return False
    at = text.find(form)
    while at >= 0:
        if (at == 0 or not text[at - 1].isalnum()) and not _NEXT_WORD.match(text, at + len(form)):
            if not text[at + len(form) : at + len(form) + 1].isalnum():
                return False  # written alone somewhere
        at = text.find(form, at + 1)
    return True


def _given_name_first(name: str, given: AbstractSet[str]) -> bool:
    """A common given name and one or two plain capitalised words that are no firm's word: a
    person ("Paul Patterson", "Jack Dorsey"; not "Ola Electric", "Lotte Card")."""
    tokens = name.split()
    return (
        2 <= len(tokens) <= 3
        and tokens[0] in given
        and tokens[-1] not in _GENERIC_FIRM_WORDS
        and all(t.isalpha() and t[0].isupper() and t[1:].islower() for t in tokens)
    )


def _person_shaped(name: str) -> bool:
    """Two or three plain capitalised words, none a firm's word: "Gundbert Scherf", not "Helsing Labs"."""
    tokens = name.split()
    return (
        2 <= len(tokens) <= 3
        and tokens[-1] not in _GENERIC_FIRM_WORDS
        and tokens[-1] not in _SUFFIXES
        and all(t.isalpha() and t[0].isupper() and t[1:].islower() for t in tokens)
    )


def _people_list(listing: Listing, given: AbstractSet[str]) -> bool:
    """A list whose unknown items are all people's names, two or more opening with a common given
    name ("founded by Torsten Reil, Gundbert Scherf and Niklas Köhler"): its items are no firms."""
    if sum(raw.split(" ", 1)[0] in given for raw, _ in listing.items) < 2:
        return False  # cheap test first
    unknown = [raw for raw, start in listing.items if not any(c.start <= start < c.end for c in listing.companies)]
    return sum(raw.split(" ", 1)[0] in given for raw in unknown) >= 2 and all(_person_shaped(raw) for raw in unknown)


def _looks_like_person(name: str, text: str, start: int) -> bool:
    """Two or three plain words after a title ("CEO Sam Altman") or whose surname recurs alone."""
    tokens = name.split()
    if not 2 <= len(tokens) <= 3 or not all(t.isalpha() and t[0].isupper() and t[1:].islower() for t in tokens):
        return False
    if tokens[-1] in _SUFFIXES:
        return False  # "Penske Automotive Group", "Sonic Automotive": no person's surname
    before = text[max(0, start - 30) : start].split()
    if before and before[-1].rstrip(",") in _TITLES:
        return True
    return text.count(tokens[-1]) > text.count(name) and _stands_alone(text, tokens[-1])


def _stands_alone(text: str, word: str) -> bool:
    """True if `word` is written as a name of its own somewhere: not inside a longer capitalised
    name ("Foods" in "Whole Foods Market") nor a longer word ("Air" in "Airlines")."""
    for start in _whole_words(text, word):
        prev = _LAST_WORD.search(text, max(0, start - 30), start)
        inside = (
            prev
            and prev.group(1)[:1].isupper()
            and (prev.group(1) not in _STOP or not _starts_sentence_at(text, prev.start()))
        )
        if not inside and not _NEXT_WORD.match(text, start + len(word)):
            return True
    return False


_CORPORATE_WORDS = frozenset(
    "Group Holdings Inc Inc. Corp Corp. Corporation plc PLC Ltd Limited Co. SA AG SE NV".split()
)


def _participants(text: str, at: int) -> list[tuple[str, int]]:
    """The names of a sentence that is only a list before "(also) took part" ("Whale Rock, Owl Rock,
    a division of Blue Owl, D1 and Ghisallo also took part"): each item ends with a name; one that
    a description opens is kept only when it names a firm's part ("a division of Blue Owl"), not
    a person ("the investor Elad Gil")."""
    start = max(text.rfind(". ", 0, at) + 2, text.rfind("\n", 0, at) + 1)
    body = text[start:at].rstrip()
    if body.endswith(" also"):
        body = body[:-5]
    found = []
    for part in _ITEM_SEPARATOR.split(body):
        name = _TRAILING_NAME.search(part)
        if not name:
            return []  # not a list of names
        described = part[: name.start()].split()
        if described and not _FIRM_PART.intersection(described):
            continue
        found.append((name.group(), start + text[start:at].find(part) + name.start()))
    return found if len(found) >= 2 else []


def _owner(text: str, raw: str, at: int) -> bool:
    """True if the name as written from `at` is a possessive: "Elon Musk's Starlink"."""
    end = text.find(raw, at) + len(raw)
    return text.startswith(("'s ", "’s "), end)


def _sentence_opened_often(text: str, at: int) -> int:
    """Where the sentence that a cue at `at` is in starts, if it opens with a capitalised word
    written three times or more; else -1."""
    start = max(text.rfind(". ", max(0, at - 120), at) + 2, text.rfind("\n", max(0, at - 120), at) + 1)
    if start <= 1 and at > 120:
        return -1
    first = text[start : text.find(" ", start, at)].rstrip(",")
    return start if first[:1].isupper() and first not in _STOP and text.count(first) >= 3 else -1


_NAME_RUN = re.compile(rf"(?: [{_UP}][\w&-]*)+")  # the capitalised words that run a name on


def _said_often(text: str, raw: str) -> bool:
    """A name of up to three words written three times or more: a subject that speaks in a later
    sentence ("Worldcoin said …", "CDK, which was spun off …, said") is a firm when the story keeps
    naming it (a body the text calls a regulator is an organisation: see discover_organisations)."""
    return raw.count(" ") < 3 and text.count(raw) >= 3


def _full_name(text: str, raw: str, at: int) -> tuple[str, int]:
    """The name as the text writes it in full elsewhere: "Patelco" of "Patelco Credit Union"."""
    start = text.find(raw + " ")
    while start >= 0:
        if not start or not (text[start - 1].isalnum() or text[start - 1] == "-"):
            full = _NAME_RUN.match(text, start + len(raw))
            if full:
                return text[start : full.end()], start
        start = text.find(raw + " ", start + 1)
    return raw, at


def _recurs_as_subject(text: str, raw: str) -> bool:
    """A name written at least twice, or its core ("UnitedHealth" of "UnitedHealth Group") or its
    first word on its own ("Delta" of "Delta Air Lines"), and not the surname of a person named in
    full ("Sam Altman")."""
    name = raw.strip()
    if text.count(name) < 2:
        words = name.split()
        while len(words) > 1 and words[-1] in _CORPORATE_WORDS:
            words.pop()
        core = " ".join(words)
        if (core == name or text.count(core) < 2) and not (len(words) > 1 and _alone(text, words[0])):
            return False
    return " " in name or not _after_capitalised_word(text, name)


# Per-name patterns would be compiled anew for every article (each names other firms): these
# helpers find what `\b{name}\b` and the like would, with patterns compiled once.
_BOUNDARY = re.compile(r"\b")
_CAPITALISED_WORD = re.compile(rf"\b[{_UP}][a-z]+")
_NAME_NEXT = re.compile(rf" [{_UP}&]")


def _whole_words(text: str, word: str, overlapping: bool = False) -> Iterator[int]:
    """Where `word` is written as a whole word: the starts `re.finditer(rf"\b{re.escape(word)}\b",
    text)` gives, or, `overlapping`, every start where that pattern matches."""
    at = text.find(word)
    while at >= 0:
        end = at + len(word)
        if _BOUNDARY.match(text, at) and _BOUNDARY.match(text, end):
            yield at
            at = text.find(word, at + 1 if overlapping else end)
        else:
            at = text.find(word, at + 1)


def _alone(text: str, word: str) -> bool:
    """A name's first word written on its own, no capitalised word after it ("Delta says")."""
    return any(not _NAME_NEXT.match(text, at + len(word)) for at in _whole_words(text, word, overlapping=True))


def _after_capitalised_word(text: str, name: str) -> bool:
    """True if a capitalised word and a space come before `name` somewhere ("Sam Altman"), where
    `re.search(rf"\b[{_UP}][a-z]+ {re.escape(name)}\b", text)` would match."""
    at = text.find(" " + name)
    while at >= 0:
        start = at
        while start > 0 and "a" <= text[start - 1] <= "z":
            start -= 1
        if (
            0 < start < at
            and _CAPITALISED_WORD.fullmatch(text, start - 1, at)
            and _BOUNDARY.match(text, at + 1 + len(name))
        ):
            return True
        at = text.find(" " + name, at + 1)
    return False


def _possessed(text: str, at: int) -> bool:
    """True if the noun phrase ending at `at` belongs to someone ("its … platform")."""
    before = text[max(0, at - 40) : at]
    return ("its " in before or "their " in before or "’s " in before or "'s " in before or "own " in before) and bool(
        _POSSESSED.search(before)
    )


def _not_a_firm_group(text: str, at: int) -> bool:
    """True if the words before "group" say what kind of group it is and it is no firm ("the hacking group")."""
    words = text[max(0, at - 40) : at].split()[-3:]
    return any(w.strip(",").casefold() in _NOT_FIRM_GROUPS for w in words)


def _has_apposition(text: str, start: int, end: int) -> bool:
    """Cheap test before the apposition pattern: ", a", ", an", ", the" or a possessive in the window."""
    return (
        text.find(", a", start, end) >= 0
        or text.find(", the ", start, end) >= 0
        or _comma_possessive(text, "’s ", start, end)
        or _comma_possessive(text, "'s ", start, end)
    )


def _comma_possessive(text: str, mark: str, start: int, end: int) -> bool:
    """A possessive word right after a comma in the window: ", Ukraine's"."""
    at = text.find(mark, start, end)
    while at >= 0:
        word = text.rfind(" ", start, at)
        if word > start and text[word - 1] == ",":
            return True
        at = text.find(mark, at + 1, end)
    return False


_TOKEN_AT_END = re.compile(rf"{_TOKEN}$")


def _tokens_before(text: str, end: int, most: int) -> int:
    """Start of the run of up to `most` name tokens, each followed by one space, that ends at `end`
    ("Zentro Robotics " before "AI"), or -1. Walks back word by word: a regex searched over the
    window before `end` would try every start in it."""
    start, pending = end, -1  # pending: where the name starts if a number just taken has no name word before it
    for _ in range(most):
        if text[start - 1 : start] != " ":
            break
        word_start = max(text.rfind(" ", 0, start - 1), text.rfind("\n", 0, start - 1)) + 1
        if pending < 0 and start < end and text[word_start : start - 1].isdigit() and start - word_start <= 4:
            pending, start = start, word_start  # "One 97 Communications": a number inside a name
            continue
        found = _TOKEN_AT_END.search(text, word_start, start - 1)
        if not found:
            break
        start, pending = found.start(), -1
        if start > word_start:
            break  # "(Zentro": the name starts inside the word
    if pending >= 0 and start < pending and text[start].isdigit():
        start = pending
    return start if start < end else -1


def _division_span(text: str, name: str, start: int) -> tuple[int, int]:
    """Where a division's name is written, with the legal suffix after it ("… Ireland Limited")."""
    end = start + len(name)
    suffix = text[end + 1 : end + 12].split(" ", 1)[0].rstrip(",;:")
    return start, end + 1 + len(suffix) if suffix in _LEGAL_SUFFIXES else end


def _first_spans(text: str, names: dict[str, int]) -> list[Match]:
    """A company-like match at each name's first mention from its recorded start."""
    spans = []
    for name, at in names.items():
        start = text.find(name, at)
        if start >= 0:
            spans.append(Match(start, start + len(name), Phrase(name, "company", name)))
    return spans


def discover(
    text: str,
    cues: list[Match],
    entities: list[Match],
    lists: Sequence[Listing] = (),
    divisions: Sequence[tuple[str, int, str]] = (),
    lead_end: int = 0,
    places: AbstractSet[int] = frozenset(),
    given: AbstractSet[str] = frozenset(),
) -> tuple[list[str], list[str]]:
    """(strong, weak) names of possible companies from context, in order of first mention.

    Text covered by registry entities is skipped; names that merely start with a tagged company
    ("Google Labs"), follow its possessive ("Meta's Reality Labs") or end its name ("Telekom" for
    Deutsche Telekom) are not new. Named divisions ("Intel Capital") and unknown items of lists
    that hold known companies are strong finds. A name that opens the headline or the lead as the
    subject of "says", "has confirmed", "has agreed" … and recurs in the text is a strong find too.
    `places` holds the starts of country names and demonyms ("the French AI start-up"); `given` the
    common given names: a name that opens with one is a person's ("Paul Patterson, the head of …"),
    unless the text calls it a firm right before it or lists it with firms ("the firm Thoma Bravo").
    """
    taken = [(m.start, m.end) for m in entities] + [_division_span(text, name, at) for name, at, _ in divisions]
    companies = [m for m in entities if m.phrase.kind == "company"]
    known_prefixes = tuple(text[m.start : m.end] + " " for m in companies)
    known_names = [text[m.start : m.end] for m in companies if " " in m.phrase.form]
    after_possessive = {m.end + 3 for m in companies if text[m.end : m.end + 3] in ("’s ", "'s ")}

    def accept(raw: str, start: int, called_firm: bool = False, unit: bool = False, firm: bool = False) -> str | None:
        name = _clean(raw, firm or called_firm)
        if not name:
            return None
        name = _keep_leading_word(text, raw.strip(), name)
        start = text.find(name, start)
        end = start + len(name)
        if (
            (start in after_possessive and not unit)  # "PayPal's Braintree unit" is a firm of its own
            or name.startswith(known_prefixes)
            or any(known.endswith(" " + name) for known in known_names)
            or any(s <= start and end <= e for s, e in taken)
            or _MODIFIER.match(text, end)  # "iPhone maker Apple", "TikTok owner ByteDance": a product
            or _DESIGNATION.match(text, end)  # "Model 3", "Pixel 9 Pro": a product's model
            or _NOT_FIRM_APPOSITION.match(text, end)  # "Zentro Northwest, a consortium of utilities"
            or (" " not in name and _surname(text, name))
        ):
            return None
        if not called_firm and _given_name_first(name, given):
            return None
        return None if _looks_like_person(name, text, start) else name

    strong: dict[str, int] = {}
    weak: dict[str, int] = {}
    for division, start, _ in divisions:
        strong.setdefault(division, start)
    for listing in lists:
        if _PRODUCT_LIST.search(text, max(0, listing.items[0][1] - 60), listing.items[0][1]):
            continue  # "its suite of apps, including Search, Chrome and YouTube": products, not firms
        if _people_list(listing, given):
            continue
        for raw, start in listing.items:
            if not any(c.start <= start < c.end for c in listing.companies) and (name := accept(raw, start, True)):
                strong.setdefault(name, start)
    for cue in cues:
        kind = cast(str, cue.phrase.target)  # _label, inlined: the hot path
        called = 0  # how many of the names found follow a noun that calls them firms
        described = 0  # ...and of those and an apposition's name, how many a firm's noun describes
        if kind == "round" and not _ROUND_CONTEXT.search(text, max(0, cue.start - 40), cue.start):
            continue  # "led by" names investors only in a funding round or a group of shareholders
        if kind in _AFTER:
            found = _AFTER[kind].match(text, cue.end)
            if kind == "one" and found and text[cue.start : cue.end] in _PRODUCT_CUES and _possessed(text, cue.start):
                found = None  # "its mobile money app MoMo" names a product; "its lender Viola Credit" a firm
            if kind == "one" and text[cue.start : cue.end] == "group" and _not_a_firm_group(text, cue.start):
                continue
            if kind == "object" and found and _MODIFIER.match(text, found.end()):
                continue  # "fines Replika developer": the name qualifies the firm fined
            if text[cue.start : cue.end] == "owner":
                found = None  # "Twitter owner Elon Musk": only "Zentro, the owner of …" says firm
            raws = [(item, found.start(1)) for item in _items(found.group(1))] if found else []
            if kind == "rival":  # "compete with Elon Musk's Starlink": the rival is what the owner owns
                raws = [(raw, at) for raw, at in raws if not _owner(text, raw, at)]
            if kind in ("one", "list"):  # named right after a firm's noun: "the private equity firm Thoma Bravo"
                called = len(raws)
            window = max(0, cue.start - 90)
            if (
                kind == "one"
                and _has_apposition(text, window, cue.start)
                and (
                    before := _APPOSITION.search(
                        text, _from_last(text, window, cue.start, _BREAKS["apposition"]), cue.start
                    )
                )
            ):
                if not _PARTICLE_BEFORE.search(text, max(0, before.start(1) - 30), before.start(1)):
                    # one firm, described in the singular: "Star Health and Allied Insurance, India's largest …"
                    joined = _JOINED_SUBJECT.search(text, max(0, before.start(1) - 60), before.start(1))
                    at = joined.start(1) if joined else before.start(1)
                    raws.append((text[at : before.end(1)], at))  # not the end of "Fonds … de Participations"
                    if text[cue.start : cue.end] not in _PRODUCT_CUES:
                        described = len(raws)  # "Development Partners International, a private equity firm"
            elif kind == "one" and text[cue.start : cue.end] not in _PRODUCT_CUES:  # "the LMArena platform"
                the = max(text.rfind("the ", cue.start - 60, cue.start), text.rfind("The ", cue.start - 60, cue.start))
                before = _THE_NAME.match(text, the, cue.start) if the >= 0 else None
                if before and _names_a_firm(before.group(1)) and before.start(1) not in places:
                    raws.append((before.group(1), before.start(1)))
            elif kind == "list" and text.find(", one of ", window, cue.start) >= 0:
                if before := _ONE_OF.search(text, window, cue.start):
                    raws.append((before.group(1), before.start(1)))
        elif kind == "took-part":
            if not _ROUND_CONTEXT.search(text):
                continue
            raws, called = _participants(text, cue.start), 0
            kind = "round"
        elif kind == "suffix":
            if not text[text.rfind(" ", 0, cue.start - 1) + 1 : cue.start][:1].isupper():
                continue  # cheap test first: "generative AI" has no name before the suffix
            follows = text[cue.end : cue.end + 2]
            if follows[:1] == "-" or follows[:1].isalnum() or (follows[:1] == " " and follows[1:].isupper()):
                continue
            at = _tokens_before(text, cue.start, 4)
            if at < 0:
                continue
            end = cue.end + 8 if text.startswith(" & Trust", cue.end) else cue.end  # "Zentro Bank & Trust"
            raws = [(text[at:end], at)]  # `_clean` drops a legal form: "Orbixa GmbH" is "Orbixa"
            suffix = text[cue.start : cue.end]
            kind = (
                "suffix-legal"
                if suffix in _LEGAL_SUFFIXES
                else "suffix-strong"
                if suffix in _STRONG_SUFFIXES
                else "suffix-weak"
            )
        else:
            preceding = text[max(0, cue.start - 30) : cue.start]
            later = kind == "stated" and cue.start > lead_end + 60
            if later:  # only a name the text keeps naming that speaks (see _said_often), opening the sentence
                opens = _sentence_opened_often(text, cue.start)
                if opens < 0:
                    continue
                found = _STATED_AT.match(text, opens, cue.start)
                if found and any(s <= opens < e for s, e in taken):
                    continue  # a name the registry knows
            elif kind != "stated" and (preceding.islower() or not _any_capitalised(preceding.split()[-3:])):
                continue  # cheap test first: no capitalised word just before the cue (the lead's are few)
            else:
                window = _from_last(text, max(0, cue.start - 120), cue.start, _BREAKS[kind])
                found = _BEFORE[kind].search(text, window, cue.start)
            if not found and kind == "unit":  # "Openreach, its network division, has connected …"
                found = _UNIT_APPOSITION.search(text, max(0, cue.start - 120), cue.start)
            raws = [(found.group(1), found.start(1))] if found else []
            if kind == "stated":
                if found and found.group(2) and _ROLE.search(found.group(2)):
                    continue  # "Sam Altman, OpenAI's chief executive, said": a person
                raws = [
                    (raw, at) if at < lead_end else _full_name(text, raw, at)
                    for raw, at in raws
                    if (at < lead_end or _said_often(text, raw)) and _recurs_as_subject(text, raw)
                ]
            elif kind == "unit":  # "its EDA unit": a bare acronym names a product line as often as a firm
                raws = [(raw, at) for raw, at in raws if not (raw.isupper() and len(raw) <= 4)]
        for i, (raw, start) in enumerate(raws):
            name = accept(raw, start, i < called, kind == "unit", i < max(called, described))
            if name:
                strong_enough = (
                    (kind in _STRONG_KINDS and not (kind == "object" and _plain_words(name)))
                    or (kind == "suffix-strong" and " " in name)
                    or kind == "suffix-legal"
                )
                (strong if strong_enough else weak).setdefault(name, start)
    discovered = _first_spans(text, strong)
    if strong and (listed := _lists(text, [*discovered, *companies])):
        for listing in listed:  # "Penske Automotive Group, Sonic Automotive, AutoNation and …": firms like it
            if listing.items[0][1] not in {known.items[0][1] for known in lists} and not _people_list(listing, given):
                for raw, start in listing.items:
                    if not any(c.start <= start < c.end for c in listing.companies) and (
                        name := accept(raw, start, True)
                    ):
                        strong.setdefault(name, weak.get(name, start))
    for firm in discovered:  # "…, Toppr and the coding platform Tynker": the firm described was discovered
        if not text[firm.start - 2 : firm.start - 1].islower():
            continue  # cheap test first: a lower-case word right before the firm
        at = text.rfind(" and ", max(0, firm.start - 40), firm.start)
        if at < 0 or not _DESCRIBED_LAST.fullmatch(text, at, firm.start):
            continue
        end = at - 1 if text[at - 1] == "," else at
        start = _list_start(text, at + 1)  # from after the space, as for a name's start
        if ", " in text[start:end]:
            for raw, item in _list_items(text, start, text[start:end]):
                if name := accept(raw, item, True):
                    strong.setdefault(name, weak.get(name, item))
    return sorted(strong, key=strong.__getitem__), sorted((n for n in weak if n not in strong), key=weak.__getitem__)


def _list_items(text: str, at: int, body: str) -> list[tuple[str, int]]:
    """The items of a list of names written from `at`, each with its start."""
    items = []
    for part in _ITEM_SEPARATOR.split(body):
        at = text.find(part, at)
        items.append((part, at))
        at += len(part)
    return items


# --- discovery of organisations the registry does not know ------------------------------------

_TAIL_ONLY_HEADS = frozenset(("Centre", "Center"))  # "Center for Security …", not a power plant's "Energy Center"
# Heads that end firms' names too ("Sony Corporation"): a body only as "Federal …", "National …" or "… of <country>"
# ("Federal Deposit Insurance Corporation", "Recording Industry Association of America").
_FIRM_LIKE_HEADS = frozenset(("Corporation", "Administration", "Association"))
_PUBLIC_OPENINGS = frozenset(("Federal", "National"))
# Words that name a kind of body, not which one: "Supreme Court", "Competition Commission", "Oversight Board".
_GENERIC_ORG_WORDS = frozenset(
    """
Supreme High Federal National State Central District Regional Local Appeals Appeal Constitutional Competition
Security Data Protection Privacy Regulatory Financial Home Foreign Digital Trade Investment Research Public
General Human Rights Civil Criminal Justice Interior Economic Economy Defence Defense Health Finance Cyber
Information Communications Media Markets Consumer Energy Transport Telecommunications Education Science
Technology Industry Oversight Executive Advisory Governing Electoral Election Tax Revenue Customs Intelligence
Safety Standards Cybersecurity Commerce Affairs Communication Policy Enforcement Conduct Planning
and of for the
""".split()
)
# "of India", "of Economy, Trade and Industry", "for Security and Emerging Technology": what a head may take after it.
_ORG_TAIL = re.compile(
    rf" (?:of|for) (?:the )?[{_UP}][\w-]*(?: [{_UP}][\w-]*)*"
    rf"(?:(?:, [{_UP}][\w-]*(?: [{_UP}][\w-]*)*)*,? and [{_UP}][\w-]*(?: [{_UP}][\w-]*)*)?"
)
_ORG_WORD = re.compile(rf"[{_UP}][\w&-]*")
_ORG_JOINS = frozenset(("and", "&"))  # "Competition and Consumer Protection Tribunal"
_NOT_BODIES = frozenset(("Directors", "Trustees", "Governors"))  # "Board of Directors" is no public body
_ACRONYM = r"((?=[A-Za-z]*[A-Z][A-Za-z]*[A-Z])[A-Z][A-Za-z]{2,7})(?![\w-])"
_ACRONYM_AFTER = re.compile(rf", (?:the )?{_ACRONYM}")  # "the data protection agency, the AEPD"
_ACRONYM_BEFORE = re.compile(rf"(?:\b[Tt]he|['’]s) {_ACRONYM} (?:(?!of |the |and |to |for )[a-z]+ ){{0,3}}$")


_ACRONYM_NEXT = re.compile(rf" {_ACRONYM}")  # "Germany's financial regulator BaFin"
_WATCHDOGS = frozenset(("regulator", "watchdog"))


def _mostly_capitals(word: str) -> bool:
    """An acronym: more than half of its letters are capitals ("BayLDA", "SBU"; not "OpenAI")."""
    return sum(c.isupper() for c in word) * 2 > len(word)


def _name_before(text: str, at: int) -> tuple[int, list[str]]:
    """Start and words (last first) of the capitalised name, its words joined by "and" or "&", that
    ends one space before `at`; a title's possessive may end it ("Information Commissioner's Office")."""
    start, words = at, list[str]()
    while text[start - 1 : start] == " ":
        word_start = max(text.rfind(" ", 0, start - 1), text.rfind("\n", 0, start - 1)) + 1
        word = text[word_start : start - 1]
        if word.endswith(("’s", "'s")):
            if words or word[:-2] not in _TITLES:
                break
        elif word in _ORG_JOINS:
            if not words:
                break
        elif not _ORG_WORD.fullmatch(word) or word in _STOP or word in _TIME_WORDS:
            break
        words.append(word)
        start = word_start
    while words and words[-1] in _ORG_JOINS:  # a name opens with a capitalised word
        start += len(words.pop()) + 1
    return start, words


def discover_organisations(
    text: str, cues: list[Match], taken: list[tuple[int, int]], generic: AbstractSet[str] = _GENERIC_ORG_WORDS
) -> list[Match]:
    """Public bodies the registry does not know, named by their form, each at its first mention:
    capitalised words ending in a body's head word ("Australian Signals Directorate"), a head word
    taking "of …" or "for …" ("Ministry of Economy, Trade and Industry"), and acronyms a description
    calls a body ("the SBU security service"), found at the "org-head" and "body" `cues`. A name of
    only generic words says which kind of body, not which one ("Supreme Court", "US District Court":
    `generic` holds such words and the country names); three such words before the head are specific
    enough ("Competition and Consumer Protection Tribunal"). Names overlapping a registry name
    (`taken` spans) are skipped."""
    found: dict[str, Match] = {}
    for cue in cues:
        kind = cue.phrase.target
        if kind == "org-head":
            if _NEXT_WORD.match(text, cue.end):
                continue  # inside a longer name: "Office Depot", "University College London"
            start, words = _name_before(text, cue.start)
            tail = _ORG_TAIL.match(text, cue.end)
            if cue.phrase.form in _FIRM_LIKE_HEADS and not (
                (words and words[-1] in _PUBLIC_OPENINGS)
                or (tail and (last := tail.group().rsplit(" ", 1)[-1]) in generic and last not in _GENERIC_ORG_WORDS)
            ):
                continue  # a firm's name as often as a body's, unless "Federal …", "National …" or "… of <country>"
            if tail and not _NOT_BODIES.intersection(tail.group().split()):
                end = tail.end()
            elif cue.phrase.form not in _TAIL_ONLY_HEADS and (
                sum(w not in _ORG_JOINS for w in words) >= 3 or any(w not in generic for w in words)
            ):
                end = cue.end
            else:
                continue
        elif kind == "body":
            named = (
                _ACRONYM_AFTER.match(text, cue.end)
                or _ACRONYM_BEFORE.search(text, max(0, cue.start - 50), cue.start)
                or (cue.phrase.form in _WATCHDOGS and _ACRONYM_NEXT.match(text, cue.end))
            )
            if (
                not named
                or not (_mostly_capitals(named.group(1)) or named.re is _ACRONYM_NEXT)  # "BaFin" right after
                or named.group(1) in _TITLES
            ):
                continue
            start, end = named.span(1)
        else:
            continue
        if not any(s < end and start < e for s, e in taken):
            name = text[start:end].replace("’", "'")
            found.setdefault(name.casefold(), Match(start, end, Phrase(name, "organisation", name)))
    return sorted(found.values())

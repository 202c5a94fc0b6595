"""Headlines and summaries for articles that arrive without them: plain text rules, no models.

A headline is the lead sentence rewritten in headline style: descriptors before the actor
dropped ("The US startup OpenAI" -> "OpenAI"), headline tense ("has announced" -> "announces",
"have been arrested" -> "arrested", "will" -> "to"), articles dropped, cut to one clause.
"""

from __future__ import annotations

import functools
import re

FALLBACK_HEADLINE = "Untitled article"

# Words a headline must not end on.
FUNCTION_WORDS = frozenset(
    """
a an the of to and or but nor in on at for with from by as into onto over under about after
before between across through within without against among amid amidst during via per than
that which who whom whose its their his her our your my it they he she we this these those
has have had is are was were be been being will would can could should may might must shall
do does did not if so such while toward towards upon until since whether including plus
""".split()
)

# Characters a headline may end on besides letters and digits.
_END_CHARS = "\"'”’»)]?!%"
_OPENERS = "\"'“‘«(["

_ABBREVIATIONS = frozenset(
    """
mr mrs ms dr prof sr jr st mt inc ltd co corp plc llc vs etc no nos approx est dept gov sen rep
gen col lt sgt capt jan feb mar apr jun jul aug sep sept oct nov dec fig al ft bros
""".split()
)

_CONNECTIVE = re.compile(
    r"^(?:in addition|as a result|at the same time|on the other hand|in contrast|by contrast|"
    r"in turn|even so|in particular|for example|for instance|despite this|meanwhile|however|"
    r"moreover|furthermore|additionally|also|but|and|yet|still|instead|similarly|likewise|"
    r"nevertheless|nonetheless|therefore|thus|consequently|indeed|separately|elsewhere|overall|"
    r"notably|importantly|besides)\b,?\s+",
    re.IGNORECASE,
)
# A short scene-setting opener before the subject: "On Tuesday, ", "As Cyber Smart Week begins, ".
_INTRO = re.compile(
    r"^(?:(?:On|In|At|Last|Earlier|Later|This|Today|Yesterday|During|Since|Under|Speaking|As|With|Once|"
    r"Now|Until|According to|From|By|Within|Starting|Beginning|Running)\b(?:[^,]|,(?=\d)){0,50}|"
    r"(?:After|Following|Amid|Despite|Before|Weeks|Days|Months|Hours)\b(?:[^,]|,(?=\d)){0,90}),\s+"
)
_MONTHS = frozenset("january february march april may june july august september october november december".split())
_MONTH = "(?:January|February|March|April|May|June|July|August|September|October|November|December)"
_PHRASES = (
    (re.compile(r"\bin (?:connection|relation) with\b|\bin relation to\b"), "over"),
    (re.compile(r"\b([Mm])ore than\b"), lambda m: "Over" if m.group(1) == "M" else "over"),
    (re.compile(r"\bin order to\b"), "to"),
    (re.compile(r"\bwill (?:have|need) to\b"), "must"),  # "will have to comply" -> "must comply"
    (re.compile(r"\bas well as\b"), "and"),
    (re.compile(r"(?<=[a-z]) (?:that|which) will (?=[a-z])"), " to "),  # "rules that will force" -> "rules to force"
    (re.compile(r"\s*\bon (?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"), ""),
    # dates are for the page's date line, not the headline: "in March 2025", "on 8 May", "in 2008"
    (
        re.compile(
            r"(?<=\S) (?:in|on|since|during) (?:early |late |mid-)?(?:\d{1,2} )?"
            rf"{_MONTH}(?: \d{{1,2}})?(?:,? \d{{4}})?\b(?![-,])"
        ),
        "",
    ),
    (re.compile(r"(?<=\S) (?:in|since|during) \d{4}\b(?![-–\d,])"), ""),
    (re.compile(r"\s+\([^()]*\)(?=\w)"), " "),  # parentheticals do not belong in headlines
    (re.compile(r"\s+\([^()]*\)"), ""),
)

_PRONOUNS = frozenset(
    "it its this that these those they their he his she her we our such there here both another".split()
)
# Nouns that, after "The", refer back to something the lead already named.
_ANAPHORIC = frozenset(
    """
agreement deal move company firm tool initiative plan report partnership update feature expansion
incident attack breach decision announcement platform programme program project proposal strategy
investment acquisition service app system model group agency bill law measure step effort change
changes case ruling lawsuit study findings research survey event scheme campaign technology product
device merger collaboration pact contract funding round transaction offering launch rollout policy
framework regulation rules legislation suspects startup giant organisation organization government
ministry minister official officials authorities lab unit team project tool news latter former same
""".split()
)
# Verbs that comment on an earlier fact rather than state a new one.
_COMMENTARY = frozenset(
    "comes came follows followed marks marked reflects reflected underscores "
    "highlights signals means represents shows builds is was are were remains "
    "adds".split()
)
# Descriptors that may stand before the actor's name: "The US startup OpenAI".
_ROLES = frozenset(
    """
startup start-up company firm giant group maker chipmaker carmaker automaker platform bank lender
regulator watchdog agency operator carrier retailer developer provider app service chain brand
manufacturer insurer network exchange conglomerate unicorn outlet publisher broadcaster lab titan
behemoth powerhouse supplier vendor marketplace studio fintech specialist producer airline operator
authority
""".split()
)
_QUANTIFIERS = frozenset(
    "one some most many all each any none part both several few half majority "
    "rest number series lot dozens hundreds thousands millions billions".split()
)
_DROPPED_ADVERBS = frozenset("also recently just already now since previously finally".split())
_ADVERBS = _DROPPED_ADVERBS | frozenset(
    "officially formally reportedly quietly publicly largely partly mostly "
    "narrowly "
    "successfully further still initially soon currently "
    "once again even jointly".split()
)
_AUXILIARIES = frozenset("has have had is are was were will would can could may might must should".split())
_REPORTING = frozenset(
    "says said warns warned claims claimed reports reported reveals revealed "
    "admits admitted discloses disclosed acknowledges acknowledged tells told "
    "confirms confirmed announces announced finds found shows showed suggests "
    "suggested argues argued notes noted states stated insists insisted "
    "estimates estimated predicts predicted admits admitted denies denied "
    "believes believed fears feared rules ruled".split()
)
# After a comma, these start another clause, not an item of a list.
_CLAUSE_OPENERS = frozenset(
    "which who whom whose where while whereas as with without now "
    "according its their his her after amid following despite although "
    "though but saying citing".split()
)
_CLAUSE_WORDS = frozenset(
    "as while after amid following with which that where when because "
    "despite although though whereas including according before until "
    "since but without".split()
)
_PREPOSITIONS = frozenset(
    "in on at for from by of over under into across through within via "
    "around towards toward against among between during per beyond to about behind outside inside alongside "
    "throughout".split()
)

_REGULAR_VERBS = """
accelerate accept accuse acquire add address adopt agree aim alert allege allow announce appeal
appoint approve argue arrest ask assist attack back ban block boost breach call cancel cap caution
charge claim close collaborate combine commit complete confirm connect consider criticise criticize
curb debut delay deliver demand deny deploy design detect develop direct disclose discover dismiss
double downgrade drop earn ease emerge enable end enhance ensure enter establish examine expand
expect explore expose extend face file fine fix flag focus force form fund gain halt help hike hire
host identify impose improve include increase integrate intend introduce invest investigate invite
join launch limit list lobby lower merge miss move name need offer open order oust partner pass
pause phase plan pledge post power prepare present press probe promise propose protect provide
publish pull push raise reach receive recall record reduce reject release remove rename replace
report require restrict resume reveal roll sanction scrap secure select settle share shift sign
slash start step stop strengthen submit sue support suspend switch target team test threaten
track trial triple turn unveil update upgrade urge use vow want warn welcome work accelerate
bolster counter tackle combat compete create promote prevent avoid deepen broaden widen tighten
loosen modernise modernize digitalise digitalize optimise optimize analyse analyze strike
exploit exceed surpass overhaul streamline automate encourage license buy sell build reverse
decide conclude exclude outline define compete delete promote unite retire capture feature produce
divide hack leak crack reinstate restore revive revise revoke renew resolve respond retain return
review scale scan seize serve slow spark stage stall stay stream study succeed suggest supply surge
survey sustain tease terminate trace trade train transform trigger unlock uncover underscore
validate verify violate wipe achieve acknowledge activate adapt adjust advance advise affect align
amend apply arrange attempt attract audit authorise authorize award battle challenge change clarify
clear clinch collect commission compare comply condemn conduct consolidate continue contribute
convert cooperate coordinate cover declare decline defend demonstrate describe detail determine
diversify document dominate donate draft elect embrace employ enact encrypt endorse enforce engage
escalate evaluate evolve explain export fail finalise finalize follow gather generate grant handle
harness highlight implement import incorporate inform inject inspect install instruct intensify
issue label lease leverage lift link lock maintain manage mandate mark migrate monitor notify obtain
operate pilot pitch place play position praise predict preview prioritise process prohibit prompt
prove purchase pursue rank recognise recommend recover recruit redesign refuse register regulate
reinforce relaunch remain repeal request rescue reshape restructure reward rule save schedule
designate invoke attribute knock crash disrupt halt rent outsource hand
search sponsor spur stress struggle summon tout transfer uncover undergo underline
abandon collapse delist plunge soar slump tumble jump climb postpone detain indict convict jail extradite
acquit overturn exit bribe extort permit vote veto ratify outlaw criminalise criminalize legalise legalize axe sack
""".split()
_DOUBLED = frozenset(
    "ban plan stop drop commit admit submit ship scrap step slam tap top nab rob "
    "grab swap flag cap trim plug prop map chip clip snap skip strip spot tip "
    "pin bar transfer acquit permit".split()
)
# base: (simple past, past participle)
_IRREGULAR = {
    "make": ("made", "made"),
    "win": ("won", "won"),
    "strike": ("struck", "struck"),
    "take": ("took", "taken"),
    "give": ("gave", "given"),
    "set": ("set", "set"),
    "put": ("put", "put"),
    "cut": ("cut", "cut"),
    "hit": ("hit", "hit"),
    "build": ("built", "built"),
    "sell": ("sold", "sold"),
    "buy": ("bought", "bought"),
    "bring": ("brought", "brought"),
    "begin": ("began", "begun"),
    "grow": ("grew", "grown"),
    "show": ("showed", "shown"),
    "lose": ("lost", "lost"),
    "pay": ("paid", "paid"),
    "lead": ("led", "led"),
    "tell": ("told", "told"),
    "find": ("found", "found"),
    "hold": ("held", "held"),
    "leave": ("left", "left"),
    "send": ("sent", "sent"),
    "spend": ("spent", "spent"),
    "keep": ("kept", "kept"),
    "choose": ("chose", "chosen"),
    "draw": ("drew", "drawn"),
    "see": ("saw", "seen"),
    "say": ("said", "said"),
    "seek": ("sought", "sought"),
    "withdraw": ("withdrew", "withdrawn"),
    "write": ("wrote", "written"),
    "rise": ("rose", "risen"),
    "fall": ("fell", "fallen"),
    "shut": ("shut", "shut"),
    "meet": ("met", "met"),
    "break": ("broke", "broken"),
    "steal": ("stole", "stolen"),
    "freeze": ("froze", "frozen"),
    "drive": ("drove", "driven"),
    "become": ("became", "become"),
    "overtake": ("overtook", "overtaken"),
    "uphold": ("upheld", "upheld"),
    "oversee": ("oversaw", "overseen"),
    "raise": ("raised", "raised"),
    "undertake": ("undertook", "undertaken"),
    "forge": ("forged", "forged"),
    "go": ("went", "gone"),
    "come": ("came", "come"),
    "run": ("ran", "run"),
    "get": ("got", "got"),
    "know": ("knew", "known"),
    "think": ("thought", "thought"),
    "fly": ("flew", "flown"),
    "speak": ("spoke", "spoken"),
    "do": ("did", "done"),
}


def _third_person(base: str) -> str:
    """'launch' -> 'launches', 'apply' -> 'applies', 'warn' -> 'warns'."""
    if base == "have":
        return "has"
    if base.endswith(("s", "sh", "ch", "x", "z", "o")):
        return base + "es"
    if base.endswith("y") and base[-2:-1] not in "aeiou":
        return base[:-1] + "ies"
    return base + "s"


def _past(base: str) -> str:
    """Regular past tense: 'announce' -> 'announced', 'ban' -> 'banned', 'apply' -> 'applied'."""
    if base.endswith("e"):
        return base + "d"
    if base.endswith("y") and base[-2:-1] not in "aeiou":
        return base[:-1] + "ied"
    return base + (base[-1] + "ed" if base in _DOUBLED else "ed")


def _verb_tables() -> tuple[dict[str, str], dict[str, str], dict[str, str], dict[str, str]]:
    """Lookup tables from a verb form to its base: participles, simple pasts, -ing forms, 3sg."""
    participles, pasts, gerunds, presents = {}, {}, {}, {}
    for base in _REGULAR_VERBS:
        participles[_past(base)] = pasts[_past(base)] = base
        if re.search(r"[^aeiou][aeiou]l$", base):  # British doubling: "cancelled", "labelling"
            participles[base + "led"] = pasts[base + "led"] = gerunds[base + "ling"] = base
    for base, (past, participle) in _IRREGULAR.items():
        pasts[past], participles[participle] = base, base
    for base in set(_REGULAR_VERBS) | set(_IRREGULAR):
        stem = base[:-1] if base.endswith("e") and not base.endswith(("ee", "ye")) else base
        gerunds[stem + (base[-1] if base in _DOUBLED else "") + "ing"] = base
        presents[_third_person(base)] = base
    return participles, pasts, gerunds, presents


_PARTICIPLES, _PASTS, _GERUNDS, _PRESENTS = _verb_tables()
_BASES = frozenset(_REGULAR_VERBS) | frozenset(_IRREGULAR)

# Verbs a headline never leaves without their object: "X unveils", "… for hacking Y and extorting".
NEEDS_OBJECT = frozenset(
    """
acquire buy tell unveil announce seize fine sue designate attribute extort hire appoint accuse obtain impose
introduce reject approve urge ask order require allow force instruct direct let give bring put use provide
include target breach steal expose sanction award grant receive secure purchase demand seek want need pay
arrest detain indict extradite summon replace oust dismiss deny disclose reveal identify discover uncover
disrupt compromise exploit enact amend repeal endorse propose submit reach raise make take permit find plan
intend
""".split()
)
# Verbs whose object is told, ordered or allowed something ("tells operators to stop …"): with only
# that object left ("tells operators of critical infrastructure") the clause is cut.
TAKES_CLAUSE = frozenset(
    "tell ask urge order require allow force instruct direct permit enable invite encourage advise authorise "
    "authorize let".split()
)
# Verbs that give someone something ("issues Snap with a notice"): with only the receiver left, the thing is cut.
GIVES = frozenset("issue give grant award hand send offer".split())
# What a clause-taking verb's object is followed by when the clause is whole ("to stop", "that it …").
CLAUSE_MARKERS = frozenset("to that not from how what why whether when where if into about with".split())


def verb_base(word: str) -> str | None:
    """The base of a known verb form, whatever its form: 'tells', 'told', 'telling', 'tell' -> 'tell'."""
    core = _core(word)
    for table in (_PRESENTS, _PASTS, _PARTICIPLES, _GERUNDS):
        if core in table:
            return table[core]
    return core if core in _BASES else None


# ", as it is known,", ", as the law is called,": how a thing is named, never part of a headline
_NAMING_ASIDE = re.compile(
    r", as (?:it|they|(?:the|this|that)(?: [\w-]+){1,2}) (?:is|are|was|were|has been|have been|became|becomes) "
    r"(?:known|called|dubbed|nicknamed|referred to|styled),"
)


def derive_headline(paragraphs: list[str], max_chars: int = 90) -> str:
    """A headline for an article that has none, from its body paragraphs: the first of its leading
    sentences that gives a whole headline, else the best lead cut as well as it can be."""
    if max_chars < len(FALLBACK_HEADLINE):
        raise ValueError(f"max_chars must be at least {len(FALLBACK_HEADLINE)}")
    candidates = [s for p in paragraphs for s in split_sentences(p)][:4]
    acronyms = frozenset(re.findall(r"\b[A-Z]{3,6}\b", " ".join(paragraphs)))
    first = ""
    for lead in _ranked_leads(candidates):
        lead = _short_names(
            _with_acronym(_NAMING_ASIDE.sub("", lead), acronyms), paragraphs
        )  # as the article calls them
        headline, whole = _headline_from(lead, max_chars)
        if whole:
            headline = _said_more(lead, headline, acronyms, max_chars)
        for shorter in _shortened(lead, acronyms):
            if whole:
                break
            headline, whole = _headline_from(shorter, max_chars) if shorter != lead else (headline, whole)
        headline = _sentence_case(_LEGAL_FORM.sub("", headline))
        if headline and whole:
            return headline
        first = first or headline
    return first or FALLBACK_HEADLINE


# A legal form inside a headline ("Intel Corp. shares", "Aleph Alpha GmbH announces"); one that ends it stays, as
# the text goes on with it.
_LEGAL_FORM = re.compile(
    r"(?<=[A-Za-z0-9]) (?:Co\.?,? )?(?:Ltd|Inc|Corp|Co|PLC|plc|LLC|GmbH|Limited|Pte)\.?(?= [^\s—–-])"
)


def _said_more(lead: str, headline: str, acronyms: frozenset[str], max_chars: int) -> str:
    """The headline of the lead made shorter where that leaves room for more of what was done: a long name as
    the acronym the article uses ("… Authority designates Google"), the actor without its place ("judge in
    Delaware"), no examples ("lenders such as A, B and C"); each kept only if the headline then says more."""
    form, said = lead, len(headline.split())
    for shorten in (lambda s: _with_acronym(s, acronyms), _without_place, lambda s: _EXAMPLES.sub("", s)):
        if (shorter := shorten(form)) == form:
            continue
        alternative, whole = _headline_from(shorter, max_chars)
        saying = len(alternative.split()) + len(lead.split()) - len(shorter.split())
        if whole and saying > said:
            form, said, headline = shorter, saying, alternative
    return headline


# Examples after a plural: "lenders such as Affirm, Klarna and PayPal", "apps including X and Y".
_EXAMPLES = re.compile(
    r"(?<=[a-z]s),? (?:such as|including|like) (?:[A-Z][\w.&’'-]*(?: [A-Z][\w.&’'-]*)*,? )+(?:and|or) "
    r"[A-Z][\w.&’'-]*(?: [A-Z][\w.&’'-]*)*"
)


def _without_place(sentence: str) -> str:
    """The sentence without a place after its actor: 'A federal judge in Brooklyn rejected …' -> 'A federal judge
    rejected …' (a list of places, 'Police in Latvia, Lithuania and Ukraine', stays)."""
    tokens = sentence.split()
    verb = _find_verb(tokens, _apposition_end(tokens))
    if verb is None or tokens[verb - 1].endswith(","):
        return sentence
    at = next((i for i in range(1, verb - 1) if tokens[i] == "in" and _core(tokens[i - 1]) != "shares"), None)
    if (
        at is None
        or any(w.endswith(",") for w in tokens[:at])
        or not all(w[:1].isupper() for w in tokens[at + 1 : verb])
    ):
        return sentence
    return " ".join(tokens[:at] + tokens[verb:])


_COLLECTIVE = re.compile(r"\b(?:a|the) (?:group|number|series|handful|set|coalition|consortium) of (?=[a-z])")


def _shortened(sentence: str, acronyms: frozenset[str]) -> list[str]:
    """Ever shorter forms of a lead that gave no whole headline: a long name as the acronym the
    article uses, then without a country's possessive before a name ("Britain's Information
    Commissioner's Office"), without "a group of" before a plural, without an "of" phrase on whom
    a verb tells something."""
    forms = [_with_acronym(sentence, acronyms)]
    owner = re.match(r"^(?:The )?[A-Z][a-z]+['’]s ((?:[A-Z][\w’']*(?: (?:of|for|and))? )+[A-Z][\w’']*)", forms[-1])
    body = owner and _core(owner.group(1).split()[-1]) in _BODY_WORDS  # "Britain's Information Commissioner's Office"
    forms.append(forms[-1][owner.start(1) :] if owner and body else forms[-1])  # not "Microsoft's Digital Crimes Unit"
    forms.append(_COLLECTIVE.sub("", forms[-1]))  # "a group of authors" -> "authors"
    forms.append(_without_relative(forms[-1]))
    words = forms[-1].split()
    for i in range(len(words) - 3):
        if verb_base(words[i]) in TAKES_CLAUSE and words[i + 1].islower() and words[i + 2] == "of":
            to = next((j for j in range(i + 3, min(len(words), i + 15)) if words[j] in ("to", "that")), None)
            if to and not any(w.endswith(",") for w in words[i + 2 : to]):
                forms.append(" ".join(words[: i + 2] + words[to:]))  # "told operators [of networks] to stop"
            break
    return forms


def _without_relative(sentence: str) -> str:
    """The sentence without a relative clause on its subject: 'Employers in New York City that use AI tools to
    screen candidates must now have …' -> 'Employers in New York City must now have …'."""
    tokens = sentence.split()
    verb = _find_verb(tokens, _apposition_end(tokens))
    at = next((k for k in range(1, verb or 0) if _core(tokens[k]) in ("that", "which", "who")), None)
    if at is None or _after_relative(tokens, at) != verb:
        return sentence
    return " ".join(tokens[:at] + tokens[verb:])


# Words that end a firm's full name ("Samsung Electronics", "Meta Platforms", "Kioxia Holdings").
_CORPORATE = frozenset(
    "Technologies Technology Holdings Holding Group Corporation Platforms Financial Communications International "
    "Electronics Networks Network".split()
)


def _short_names(sentence: str, paragraphs: list[str]) -> str:
    """The sentence with the full name of the firm it opens with in the short form its article also uses on its own:
    'Kioxia Holdings' -> 'Kioxia' when the text also writes 'Kioxia said …'."""
    text = " ".join(paragraphs)

    def short(match: re.Match) -> str:
        name = match.group(1)
        alone = re.search(r"\b" + re.escape(name) + r"\b(?! [A-Z])(?!['’]s [A-Z])", text)
        return name if alone else match.group()

    return _FULL_NAME.sub(short, sentence, count=1)


# A firm's full name opening a sentence, ending on a corporate word: "Samsung Electronics", "KT Corporation".
_FULL_NAME = re.compile(
    r"^((?:[A-Z][\w&.-]* ){0,2}[A-Z][\w&.-]*) (?:" + "|".join(sorted(_CORPORATE)) + r")\b(?! [A-Z])"
)


def _with_acronym(sentence: str, acronyms: frozenset[str]) -> str:
    """The sentence with its first long name written as the acronym the article also uses, so a
    headline that did not fit may: 'Cybersecurity and Infrastructure Security Agency' -> 'CISA'."""
    for match in re.finditer(r"[A-Z][\w’'-]*(?: (?:and |of |for |&amp; )?[A-Z][\w’'-]*){2,}", sentence):
        words = match.group().split()
        for start in range(len(words) - 2):
            name = [w for w in words[start:] if w[:1].isupper()]
            initials = "".join(w[0] for w in name)
            if words[start][:1].isupper() and initials in acronyms:
                head = " ".join(words[:start])
                rest = sentence[match.end() :]
                if rest.startswith(".") and words[-1] in _ABBREVIATED_FORMS:  # "… Manufacturing Co." -> "TSMC"
                    rest = rest[1:]
                return sentence[: match.start()] + (head + " " if head else "") + initials + rest
    return sentence


_ABBREVIATED_FORMS = frozenset({"Co", "Corp", "Inc", "Ltd"})


def _headline_from(lead: str, max_chars: int) -> tuple[str, bool]:
    """The lead as a headline, and whether it is whole (a verb, cut only at a phrase boundary)."""
    tokens, verb = _headline_tokens(lead)
    attributed = _ATTRIBUTION.match(lead)
    if attributed and not _sayer(attributed.group(2)):
        attributed = None  # "…, which is preparing rules to …": no one said or ruled anything
    if attributed and (verb is None or _UNNAMED_SUBJECT.match(lead) or _verb_in_attribution(tokens, verb, attributed)):
        # "The group behind the attack was Play, the cloud company has said": the sayer is the actor
        sayer = _drop_articles(attributed.group(2).removesuffix(" has").removesuffix(" have").split())
        said = attributed.group(1)
        says = _ATTRIBUTION_VERBS[attributed.group(3)]
        unnamed = all(w.islower() for w in sayer) or _core(sayer[-1]) in _ROLES
        if unnamed and (owner := _POSSESSOR.search(said)):
            sayer = owner.group(1).split()  # "… Rackspace's email service …, the cloud company has said"
            unnamed = False
        if unnamed and verb is not None:
            tokens, verb = _headline_tokens(said)  # "the Swedish … company said" names no one: what was said stands
        else:
            verb = len(sayer)
            tokens = [
                sayer[0][:1].upper() + sayer[0][1:],
                *sayer[1:],
                says,
                *_drop_articles(_lower_first(said).split()),
            ]
    if verb is not None and (firm := _firm_of_speaker(tokens, verb)):
        tokens, verb = _headline_tokens(" ".join(firm + tokens[verb + 2 :]))  # "X chief … says company will V": X to V
    if verb is not None and _core(tokens[verb]) in _SAYS:
        tokens = tokens[: verb + 1] + _drop_relative(tokens[verb + 1 :])
    headline, whole = _fit(tokens, verb, max_chars)
    if verb is not None and _core(tokens[verb]) in _SAYS and not (whole and _has_verb(headline.split()[verb + 1 :])):
        # "X says attack on its unit" is no headline: what was said may be one of its own
        headline, whole = _reported(tokens[verb + 1 :], max_chars) or (headline, False)
    elif verb is not None and not whole and _core(tokens[verb]) in _FINDS and _names_first(tokens[verb + 1 :]):
        # "Regulator finds that X had handed data of 40 million users to Y" too long: the finding on X stands
        headline, whole = _reported(tokens[verb + 1 :], max_chars) or (headline, False)
    return headline, whole and verb is not None


_SAYS = frozenset(("says", "say", "rules"))


_TITLES = frozenset(
    "chief ceo cfo cto chairman chairwoman chair president founder co-founder boss spokesperson spokesman "
    "spokeswoman".split()
)


def _firm_of_speaker(tokens: list[str], verb: int) -> list[str] | None:
    """The firm whose officer says what 'the company' will do ('Intel chief executive Pat Gelsinger says company
    will pause …' -> 'Intel'), else None."""
    if _core(tokens[verb]) not in ("says", "say") or verb + 2 >= len(tokens):
        return None
    if _core(tokens[verb + 1]) not in ("company", "firm", "group") or not tokens[verb + 2].islower():
        return None
    title = next((i for i, w in enumerate(tokens[:verb]) if _core(w) in _TITLES), None)
    firm = [re.sub(r"['’]s$", "", w) for w in tokens[:title]] if title else []
    return firm if firm and all(w[:1].isupper() for w in firm) else None


def _names_first(words: list[str]) -> bool:
    """True if the words (after a 'that') open with a name: 'that Kakao Pay had …', not 'the arrests …'."""
    words = words[1:] if words and words[0] == "that" else words
    return bool(words) and words[0][:1].isupper()


# Verbs whose object is a finding that can be a headline of its own.
_FINDS = frozenset(
    "finds find confirms confirm alleges allege claims claim reveals reveal concludes conclude argues argue "
    "warns warn believes believe estimates estimate".split()
)
_DATE_PHRASE = re.compile(
    r"\b(?:in|on|since|from) (?:(?:early|late|mid-)?(?:January|February|March|April|May|June|July|August|September"
    r"|October|November|December)(?: \d{4})?|\d{4}) "
)


# "<what was said>, the cloud company has said after …": a sentence that names its sayer last
_ATTRIBUTION = re.compile(
    r"(.{20,}?), ((?:the |an? )?[\w’'&.-]+(?: [\w’'&.-]+){0,3}(?:, [\w’'&.-]+(?: [\w’'&.-]+){0,3})?) "
    r"(has said|have said|said|says|ruled|rules)\b"
)
_ATTRIBUTION_VERBS = {
    "has said": "says",
    "have said": "says",
    "said": "says",
    "says": "says",
    "ruled": "rules",
    "rules": "rules",
}


def _sayer(words: str) -> bool:
    """True if the words can name who said or ruled: not a relative clause ('which is preparing') nor ending on a
    verb form whose object the 'rules' would be."""
    tokens = [_core(w) for w in words.split()]
    return tokens[0] not in _RELATIVES and not (tokens[-1] in _GERUNDS or tokens[-1].endswith("ing"))


def _lower_first(text: str) -> str:
    """The text with its first word lower-cased if it is a function word or pronoun ('The group …'), not a name."""
    first = text.split()[0] if text.split() else ""
    return text[:1].lower() + text[1:] if first.lower() in FUNCTION_WORDS | _PRONOUNS else text


def _verb_in_attribution(tokens: list[str], verb: int, attributed: re.Match) -> bool:
    """True if the verb found is the sayer's, after what was said ('Google monopolised …, a judge ruled'):
    a word ending on the comma before the sayer comes before it."""
    end = _core(attributed.group(1).split()[-1])
    return verb_base(tokens[verb]) in ("say", "rule") and any(
        t.endswith(",") and _core(t) == end for t in tokens[:verb]
    )


# The owner named in what was said ("Rackspace Technology's"): whom "the company" stands for.
_POSSESSOR = re.compile(r"\b((?:[A-Z][\w&.-]* )*[A-Z][\w&.-]*?)(?:['’]s\b|(?<=s)['’](?= ))")
_UNNAMED_SUBJECT = re.compile(r"(?:The|A|An) [a-z]")  # "The group behind …": a subject that names no one


def _drop_relative(words: list[str]) -> list[str]:
    """What was said without a relative clause on its subject, when its own verb follows:
    'cyberattack that shut down slot machines … will cost it' -> 'cyberattack will cost it'."""
    for k in range(1, min(6, len(words))):
        if words[k - 1].endswith(",") or _core(words[k]) in _AUXILIARIES:
            return words
        if _core(words[k]) in ("that", "which") and words[k].islower():
            aux = next(
                (j for j in range(k + 2, len(words)) if words[j].islower() and _core(words[j]) in _AUXILIARIES), None
            )
            return words[:k] + words[aux:] if aux is not None and not words[aux - 1].endswith(",") else words
    return words


def _has_verb(words: list[str]) -> bool:
    """True if the words hold a finite verb, known or a regular past ('concerned') after a content word."""
    known = _AUXILIARIES | {"do", "does", "did"}
    return any(_core(w) in known or _core(w) in _PRESENTS or _core(w) in _PASTS for w in words) or any(
        w.islower() and _core(w).endswith("ed") and _core(p) not in FUNCTION_WORDS for p, w in zip(words, words[1:])
    )


def _reported(words: list[str], max_chars: int) -> tuple[str, bool] | None:
    """What was said, as a headline of its own, when the sayer's headline has no room for it:
    'X says the attack on its unit in February exposed data of …' -> 'Attack on its unit exposed data …'."""
    if words and _core(words[0]) == "that":
        words = words[1:]
    text = _DATE_PHRASE.sub("", " ".join(words))
    if not text:
        return None
    tokens, verb = _headline_tokens(text[:1].upper() + text[1:])
    headline, whole = _fit(tokens, verb, max_chars)
    return (headline, whole) if verb is not None and _has_verb(headline.split()[verb:]) else None


def summarize(paragraphs: list[str], max_chars: int = 200) -> str:
    """One or two whole sentences (<= max_chars) for listings, feeds and meta descriptions."""
    sentences = [s for p in paragraphs for s in split_sentences(p)][:2]
    if not sentences:
        return ""
    if len(sentences[0]) > max_chars:
        return _truncate(sentences[0], max_chars)
    both = " ".join(sentences)
    return both if len(both) <= max_chars else sentences[0]


def split_sentences(text: str) -> list[str]:
    """Split a paragraph into sentences; 'U.S.', 'e.g.', 'Mr.', '4.3' and 'x.com' do not end one."""
    text = " ".join(text.split())
    sentences, start = [], 0
    for match in re.finditer(r"[.!?…]+[\"'”’»)\]]*\s+", text):
        following = text[match.end() :].lstrip(_OPENERS)[:1]
        if not (following.isupper() or following.isdigit()):
            continue
        if (
            match.group().startswith(".")
            and not match.group().startswith("..")
            and _is_abbreviation(text[start : match.start()])
        ):
            continue
        sentences.append(text[start : match.end()].strip())
        start = match.end()
    sentences.append(text[start:].strip())
    return [s for s in sentences if s]


def _is_abbreviation(before: str) -> bool:
    """True if the word before a full stop is an abbreviation or an initial, not a sentence end."""
    word = before.split()[-1].lstrip(_OPENERS) if before.split() else ""
    lower = word.lower()
    return (
        lower in _ABBREVIATIONS
        or bool(re.fullmatch(r"(?:[a-z]\.)+[a-z]", lower))
        or (len(word) == 1 and word.isupper())
    )


def _ranked_leads(sentences: list[str]) -> list[str]:
    """The sentences that can open a story, strongest first (weaker openings only when nothing
    better comes), without their scene-setting openers."""
    clauses = [_unquoted(s) for s in sentences]
    ranked = sorted((3 if quoted else _weakness(c), k, c, dropped) for k, (c, dropped, quoted) in enumerate(clauses))
    return [
        _named(_strip_opening(c), sentences[:k] + [dropped])
        for n, (weak, k, c, dropped) in enumerate(ranked)
        if n == 0 or weak < 3
    ]


# '“…,” said X, head of …, as the agency banned …': the quotation is comment, the clause after it the news.
_QUOTE_LEAD = re.compile(
    r"^[“\"‘].{10,}?[,.!?]?[”\"’],? (?:said|says|told|wrote|added)\b[^“\"]*?,? (?:as|after|when|while) "
    r"(?=(?:the|an?|[A-Z])\b)"
)


def _unquoted(sentence: str) -> tuple[str, str, bool]:
    """A quotation lead's attributed clause ('the agency banned the chain from …') and the text dropped before it;
    else the quotation as what its sayer says ('Ana Lima said we will not pay', a weak lead), flagged; else the
    sentence."""
    quote = _QUOTE_LEAD.match(sentence)
    if quote and len(sentence) - quote.end() >= 20:
        rest = sentence[quote.end() :]
        rest = rest[:1].upper() + rest[1:]
        unnamed = _ROLE_SUBJECT.match(rest) and _named(rest, [sentence[: quote.end()]]) == rest
        if not unnamed:  # "… after the lender confirmed": only if the text says which lender
            return rest, sentence[: quote.end()], False
    if said := _QUOTE_WHO.match(sentence):  # '“…,” said X, who has opened an investigation into Y'
        return f"{said.group(1)} {said.group(2)}", sentence[: said.start(2)], False
    if said := _QUOTE_SAID.match(sentence):
        return f"{said.group(2).rstrip('.')} said {_lower_first(said.group(1))}.", "", True
    return sentence, "", False


# '“We will not pay,” said Ana Lima, …': what a named sayer said.
_SAYER = r"([A-Z][\w.’'-]*(?: [\w.’'-]+){0,6}? [A-Z][\w.’'-]*|[A-Z][\w.’'-]*)"  # "Fenland's commissioner Ana Lima"
_QUOTE_SAID = re.compile(r"^[“\"‘](.{10,}?)[,.!?]?[”\"’],? (?:said|says) " + _SAYER + r"(?=[,.;]|$)")
_QUOTE_WHO = re.compile(
    r"^[“\"‘].{10,}?[,.!?]?[”\"’],? (?:said|says) " + _SAYER + r", who (?!(?:is|was|are|were)\b)(.{20,})$"
)


# "The payments company has cut …" after a sentence that named it: the role stands for the name.
_ROLE_SUBJECT = re.compile(
    r"^The ((?:[a-z-]+ ){0,2}(?:company|firm|group|startup|start-up|giant|bank|lender|platform|maker|operator|"
    r"provider|developer|retailer|carrier|regulator|watchdog|agency|authority|commission)) (?=[a-z])"
)
_NAME = re.compile(r"(?<=[a-z,] )(?:[A-Z][\w&.-]*[a-z][\w&.-]*)(?: [A-Z][\w&.-]*)*")
# A public body's name ends on one of these; a firm's does not.
_BODY_WORDS = frozenset(
    "commission agency authority ministry office bureau department regulator court tribunal council service "
    "board administration parliament senate government police watchdog inspectorate commissioner".split()
)
# A person's name, not a firm's: "said Ana Lima", "Ana Lima, chief executive of …".
_PERSON_BEFORE = re.compile(r"\b(?:said|says|told|according to) $")
_PERSON_AFTER = re.compile(
    r",? (?:the |a |an |its )?(?:[\w-]+ ){0,2}(?:chief|head|founder|co-founder|director|president|minister|chairman|"
    r"chairwoman|chair|spokesperson|spokesman|spokeswoman|secretary|commissioner|executive|officer)\b"
)
_BODY_ROLES = frozenset("regulator watchdog agency authority commission".split())


def _named(sentence: str, before: list[str]) -> str:
    """The sentence with a bare role subject ('The payments company', 'The agency') replaced by the one name
    of that kind (a firm, a public body) the sentences before it give ('It has been a turbulent year for
    Quillpay.')."""
    if not (role := _ROLE_SUBJECT.match(sentence)):
        return sentence
    body = role.group(1).split()[-1] in _BODY_ROLES
    names = {
        re.sub(r"['’]s$", "", m.group().rstrip(".,;:"))
        for s in before
        for m in _NAME.finditer(s)
        if not _PERSON_BEFORE.search(s, 0, m.start()) and not _PERSON_AFTER.match(s, m.end())
    }
    names = {n for n in names if (n.split()[-1].lower() in _BODY_WORDS) == body}
    return names.pop() + " " + sentence[role.end() :] if len(names) == 1 else sentence


def _weakness(sentence: str) -> int:
    """0 for a sentence that opens a story, up to 3 for one that leans on what came before."""
    if _CONNECTIVE.match(sentence):
        return 1 + min(1, _weakness(_CONNECTIVE.sub("", sentence, count=1)))
    words = [_core(w) for w in sentence.split()]
    first = words[0]
    opening = sentence.split()[0]
    named = sentence[:1].isupper() or (opening[:1].isdigit() and any(c.isupper() for c in opening))  # "1X", "3M"
    if sentence[:1] in _OPENERS or not named or first in ("according", ""):
        return 3
    if first in _PRONOUNS or re.match(r"^(?:A|An|The) \S+ (?:that|which)\b", sentence):
        return 3
    if first == "the" and len(words) > 1 and words[1] in _ANAPHORIC:
        names = any(w[:1].isupper() for w in sentence.split()[2:])
        commentary = any(w in _COMMENTARY for w in words[2:4])
        return 0 if names and not commentary else 2
    return 0


def _strip_opening(sentence: str) -> str:
    """Drop a leading connective ('However,') and a scene-setting opener ('On Monday,', 'In a case
    brought by …,', 'Five years after …,', 'Arguing that …,') before the actor."""
    sentence = _CONNECTIVE.sub("", sentence, count=1)
    shorter = _INTRO.sub("", sentence, count=1)
    if shorter == sentence or _subject_runs_on(shorter):  # "In Germany, Italy and Spain, regulators…"
        shorter = _strip_long_opener(sentence)
    return shorter if len(shorter.split()) >= 4 else sentence


def _subject_runs_on(clause: str) -> bool:
    """True if a comma (not one closing an aside on the actor) comes before the clause's verb."""
    tokens = clause.split()
    start = _apposition_end(tokens)
    verb = _find_verb(tokens, start)
    return verb is not None and any(t.endswith(",") for t in tokens[start - 1 if start > 1 else 0 : verb][1:] if t)


# A long opener starts with a preposition or conjunction, a participle ("Posting …", "Arguing …")
# or a span of time ("Five years after …", "Nearly 50 years after …").
_OPENER_STARTS = frozenset(
    "in on at after following amid despite before with under as while when since until "
    "during from by for having if although though because unless once whether".split()
)
_TIME_SPAN = re.compile(
    r"^(?:\S+ ){0,3}(?:years?|months?|weeks?|days?|decades?|hours?) (?:after|before|since)\b", re.IGNORECASE
)
_MAX_OPENER = 200


def _strip_long_opener(sentence: str) -> str:
    """The main clause after a long opener, if the rest after one of its commas has an actor and a verb."""
    words = sentence.split()
    first = _core(words[0]) if words else ""
    participle = first in _PARTICIPLES or (first.endswith("ed") and len(first) > 4)  # "Hit by …, X said"
    if not (
        first in _OPENER_STARTS
        or (first.endswith("ing") and len(first) > 5)
        or participle
        or _TIME_SPAN.match(sentence)
    ):
        return sentence
    for comma in re.finditer(r",\s+", sentence):
        head, rest = sentence[: comma.start()], sentence[comma.end() :]
        if len(head) > _MAX_OPENER:
            break
        tokens = rest.split()
        if len(head.split()) < 2 or len(tokens) < 4:
            continue
        verb = _find_verb(tokens, _apposition_end(tokens))
        # "Discussing plans …, senior officials included …": a participle opener's clause may open with an adjective
        within = 8 if (participle or first.endswith("ing")) and not _opens_predicate(tokens) else 3
        actor = rest[:1].isupper() or re.match(r"(?:a|an|the) \S", rest) or (verb is not None and verb <= within)
        if actor and verb is not None and verb <= 14 and not _subject_runs_on(rest):
            return rest[:1].upper() + rest[1:]
    return sentence


# "…, the Swedish buy now, pay later company said": who said it, at the end, is no part of the headline
_TRAILING_ATTRIBUTION = re.compile(
    r"(?<=\w), (?:the|a|an|its) [\w’'&.-]+(?: [\w’'&.-]+){0,4}(?:, [\w’'&.-]+(?: [\w’'&.-]+){0,3})? "
    r"(?:has said|have said|said|says|reported|confirmed|announced)(?: on \w+)?$"
)


# The unnamed public bodies a headline calls by their country: "France's competition authority fines …" ->
# "France fines …" (a named regulator too: "India's Competition Commission"; a court or parliament stays).
_STATE_BODIES = frozenset(
    "regulator regulators watchdog authority authorities ministry government agency commission".split()
)


# The last word of a named regulator's name: "Competition Commission", "Financial Conduct Authority".
_REGULATORS = frozenset("commission authority agency office regulator watchdog".split())


def _country_for_body(subject: list[str]) -> list[str]:
    """'China's internet regulator', "India's Competition Commission" -> 'China', 'India': a country's regulator is
    the country in a headline."""
    owner = next((i for i, w in enumerate(subject[:3]) if re.search(r"\w['’]s$", w)), None)
    if owner is None or not all(w[:1].isupper() for w in subject[: owner + 1]):
        return subject
    body = subject[owner + 1 :]
    common = all(w.islower() or (w.isupper() and len(w) <= 3) for w in body)  # "India's IT ministry"
    named = all(w[:1].isupper() or w in ("of", "and", "for") for w in body)  # "India's Competition Commission"
    if not 0 < len(body) <= 5 or not (common or named) or _core(body[-1]) not in _STATE_BODIES | _REGULATORS:
        return subject
    return subject[:owner] + [re.sub(r"['’]s$", "", subject[owner])]


def _headline_tokens(sentence: str) -> tuple[list[str], int | None]:
    """The lead sentence as headline words, and the index of its main verb (None if not found)."""
    text = _TRAILING_ATTRIBUTION.sub("", sentence.rstrip().rstrip(".…").rstrip())
    for pattern, replacement in _PHRASES:
        text = pattern.sub(replacement, text)
    tokens = text.split()
    verb = _find_verb(tokens, _apposition_end(tokens))
    if verb is None:
        return _drop_articles(tokens), None
    subject = _drop_articles(_actor(_drop_aside(tokens[:verb])))
    if len(subject) > 1 and _core(subject[0]) in _MONTHS and subject[1].islower():
        subject = [subject[1][:1].upper() + subject[1][1:]] + subject[2:]  # "September breach at…": no date
    if len(subject) > 2 and subject[0] == "Shares" and subject[1] in ("of", "in"):
        subject = subject[2:] + ["shares"]  # "Shares of Orbix fell" -> "Orbix shares fall"
    subject = _country_for_body(subject)
    if re.fullmatch(r"Council of (?:the )?European Union", " ".join(subject)):
        subject = ["EU"]  # the Union's governments acting together: "EU adopts …"
    if leader := _LEADER.fullmatch(" ".join(subject)):
        subject = [leader.group(1)]  # "President Donald Trump signs …" -> "Trump signs …"
    if len(subject) > 1 and re.fullmatch(r"U[SK]", subject[0]) and re.fullmatch(r"[A-Z]{3,6}", subject[1]):
        subject = subject[1:]  # "US FTC sues …" -> "FTC sues …": the acronym names the body
    aux = _core(tokens[verb])
    plural = aux in ("have", "are", "were") or aux not in ("has", "is", "was") and _is_plural(subject)
    after = next((_core(t) for t in tokens[verb + 1 :] if not (_core(t) in _ADVERBS or _is_adverb(t))), "")
    perfect = aux in ("has", "have", "had") and after != "been"  # "has fired …": not "has been fined …"
    predicate = _said_to(_headline_tense(tokens[verb:], plural), plural)
    if perfect or aux not in _AUXILIARIES:  # the predicate opens with its verb in headline present
        predicate = _coordinated_tense(predicate, plural, perfect)
    if aux in _BE_AUXILIARIES and (active := _active(subject, predicate)):
        return active
    if len(predicate) > 2 and verb_base(predicate[0]) in _INTENDS and predicate[1] == "to" and _is_base(predicate[2]):
        predicate = predicate[1:]  # "agrees to buy", "plans to open" -> "to buy", "to open", as headlines write them
    predicate = _drop_articles(_first_clause(predicate))
    return subject + predicate, len(subject)


# Verbs of intent a headline writes as a bare "to": "X agrees to buy Y" -> "X to buy Y".
_INTENDS = frozenset("agree plan intend decide".split())


def _is_base(word: str) -> bool:
    """True if the word can be a verb's base after 'to': 'buy', 'plead', not 'a', 'its', 'terms', '$5'."""
    core = _core(word)
    common = word.isalpha() and word.islower() and core not in FUNCTION_WORDS | _OBJECT_OPENERS
    return core in _BASES or (common and not core.endswith("s"))


# A head of state or government by title and full name: headlines call them by the surname.
_LEADER = re.compile(r"(?:President|Prime Minister|Chancellor|Premier) [A-Z][\w’'-]+ ([A-Z][\w’'-]+)")
_BE_AUXILIARIES = frozenset("is are was were has have had".split())
# Incidents that strike a firm: "X was hit by an attack that disrupted Y" -> "Attack on X disrupts Y".
_INCIDENTS = frozenset("attack cyberattack cyber-attack breach hack outage incident intrusion failure fire".split())
_TELLING = frozenset("tell tells told inform informs informed notify notifies notified".split())


# Words that open a verb's object: "… and delayed [more than] 20 flights", "… and raised its dividend".
_OBJECT_OPENERS = frozenset(
    "its their his her the a an over more about around nearly almost some several all dozens hundreds "
    "thousands millions up".split()
)


def _coordinated_tense(predicate: list[str], plural: bool, perfect: bool) -> list[str]:
    """A second verb after 'and' takes the first one's headline tense: 'approves X and raised its Y', 'took …';
    after a perfect, its participle too: '[has] fired several employees and taken legal action'."""
    words = list(predicate)
    for i in range(1, len(words) - 1):
        at = i + 2 if _core(words[i + 1]) in ("then", "later") else i + 1  # "… and then collapsed"
        if words[i] != "and" or at >= len(words) or not words[at].islower():
            continue
        word, then = _core(words[at]), _core(words[at + 1]) if at + 1 < len(words) else ""
        objected = then in _OBJECT_OPENERS or then[:1].isdigit() or not then
        # the first verb's own "and", not one inside what it reports or a clause after it ("says X had … and stole")
        main = _core(words[0]) not in _REPORTING and not any(_core(w) in _CLAUSE_WORDS for w in words[1:i])
        if word in _PASTS and (objected or word in _REPORTING or (main and word not in _PARTICIPLES)):
            base = _PASTS[word]  # "took", "fell": never a participle, always a verb
        elif perfect and main and word in _PARTICIPLES and (objected or word not in _PASTS):
            base = _PARTICIPLES[word]  # "taken", "given": a participle only, sharing the perfect's "has"
        elif perfect and main and objected and re.fullmatch(r"[a-z]{3,}ed", word):
            base = _guess_base(word)  # a regular verb the lexicon lacks: "… and quarantined the devices"
        else:
            continue
        words[at] = _keep_punct(words[at], base if plural else _third_person(base))
        if word in _REPORTING:  # "… and said it would make" -> "… and says it will make"
            return words[: at + 1] + _drop_that(word, words[at + 1 :])
    return words


def _said_to(predicate: list[str], plural: bool) -> list[str]:
    """'tells US authorities that data was stolen' -> 'says data was stolen': whom it was told is not news."""
    if predicate and _core(predicate[0]) in _TELLING:
        that = next((i for i in range(2, min(len(predicate), 9)) if predicate[i] == "that"), None)
        back = (
            that is not None
            and that + 1 < len(predicate)
            and _core(predicate[that + 1]) in ("their", "they", "them", "his", "her")
        )
        if that and not any(w.endswith((",", ";")) for w in predicate[1:that]):
            says = ["say" if plural else "says"]
            if not back:
                return says + _drop_that("said", predicate[that:])
            # "tells customers that their names were stolen" -> "says names of customers were stolen"
            verb = next((i for i in range(that + 3, len(predicate)) if _core(predicate[i]) in _AUXILIARIES), None)
            if _core(predicate[that + 1]) == "their" and verb and verb - that <= 8:
                if not any(w.endswith((",", ";")) for w in predicate[that + 1 : verb]):
                    return says + predicate[that + 2 : verb] + ["of"] + predicate[1:that] + predicate[verb:]
    return predicate


def _active(subject: list[str], predicate: list[str]) -> tuple[list[str], int] | None:
    """A passive with its agent turned active: 'X has been fined by the regulator for …' -> 'Regulator fines X
    for …'; 'X was hit by an attack that disrupted Y' -> 'Attack on X disrupts Y'. Only for a named subject."""
    amount: list[str] = []  # "X was fined €91 million by the regulator" -> "Regulator fines X €91 million"
    if len(predicate) > 3 and predicate[1][:1] in "$€£¥₹0123456789":
        by = next((j for j in range(2, min(len(predicate), 4)) if _core(predicate[j]) == "by"), None)
        if by is not None and not any(w.endswith(",") for w in predicate[1:by]):
            amount, predicate = predicate[1:by], predicate[:1] + predicate[by:]
    if len(predicate) < 3 or _core(predicate[1]) != "by" or _core(predicate[0]) not in _PARTICIPLES:
        return None
    if not any(w[:1].isupper() for w in subject[1:]) and len(subject) > 1 or predicate[0].endswith(","):
        return None
    end = next(
        (
            i
            for i in range(2, len(predicate))
            if predicate[i - 1].endswith(",")
            or _core(predicate[i]) in _CLAUSE_WORDS | _PREPOSITIONS - {"of"} | {"about"}
            or (_core(predicate[i]) == "of" and i + 1 < len(predicate) and predicate[i + 1].islower())
        ),
        len(predicate),
    )
    agent = _drop_articles([w.rstrip(",") for w in predicate[2:end]])
    if not agent or len(agent) > 6 or predicate[2].islower() and predicate[2] not in ("a", "an", "the"):
        return None
    agent = [agent[0][:1].upper() + agent[0][1:]] + agent[1:]
    rest = predicate[end:]
    if _core(agent[-1]) in _INCIDENTS and rest and _core(rest[0]) in ("that", "which") and len(rest) > 2:
        verb = _core(rest[1])
        if rest[1].islower() and (verb in _PASTS or verb in _PRESENTS):
            base = _PASTS.get(verb) or _PRESENTS[verb]
            clause = _drop_articles(_first_clause([_keep_punct(rest[1], _third_person(base))] + rest[2:]))
            return agent + ["on"] + subject + clause, len(agent) + 1 + len(subject)
    if rest and _core(rest[0]) in ("that", "which", "who"):
        rest = []  # the agent's own relative clause is no part of what it did
    verb = _third_person(_PARTICIPLES[_core(predicate[0])])
    return agent + [verb] + subject + amount + _drop_articles(_first_clause(rest)), len(agent)


_NAMING = frozenset("called named dubbed titled branded".split())


def _find_verb(tokens: list[str], start: int = 1) -> int | None:
    """Index of the main verb: the first auxiliary or known finite verb after the subject."""
    for i in range(max(start, 1), min(len(tokens), start + 16)):
        word, before = _core(tokens[i]), tokens[i - 1]
        if tokens[i][:1].isupper():
            continue
        if word in _AUXILIARIES:
            return i
        if word in ("that", "which", "who") and (main := _after_relative(tokens, i)):
            return main  # "Employers that use AI tools to screen candidates must …": the relative's verb is not it
        if before.endswith(",") and i + 1 < len(tokens) and _core(tokens[i + 1]) == "by" and word in _PARTICIPLES:
            continue  # an aside on the subject: "Police in Latvia, coordinated by Eurojust, have …"
        modifier = i + 2 < len(tokens) and tokens[i + 1].islower() and _core(tokens[i + 2]) in _AUXILIARIES
        possessed = before.endswith(("'s", "’s", "s'", "s’"))  # "Orbix’s plans to cut …": a noun
        nxt = _core(tokens[i + 1]) if i + 1 < len(tokens) and tokens[i + 1].islower() else ""
        then = tokens[i + 2] if i + 2 < len(tokens) else ""
        compound = nxt in _PASTS and (nxt not in _PARTICIPLES or then[:1].isdigit())  # "Nvidia shares fell 17%"
        if word in _PRESENTS and (modifier or possessed or compound or (i == 1 and _core(before) in _NOUN_OPENERS)):
            continue  # "US appeals court has upheld …", "New rules requiring …": nouns, not the verb
        if word in _NAMING and i + 1 < len(tokens) and not tokens[i + 1][:1].islower():
            continue  # "a cryptocurrency called $LIBRA rose …": a name given, not the verb
        if word in _PARTICIPLES and _reduced_relative(tokens, i):
            continue  # "Hackers linked to the government have been …": the subject's modifier
        after_aside = i == start > 1 and before.endswith(",")  # "X, which took effect on Monday, requires …"
        if (
            word in _BASES
            and (before[:1].isupper() or _core(before) in _ADVERBS)
            and _is_plural([w for w in tokens[:i] if _core(w) not in _ADVERBS])
        ):
            return i  # "Zentro and Quillpay [also] deliver …", "Police arrest …": a plural's verb in its base form
        if (
            after_aside
            and word in _BASES
            and _is_plural(tokens[: next(k for k in range(i) if tokens[k].endswith(","))])
        ):
            return i  # "Walmart and Wing, the drone company owned by Alphabet, plan to …"
        if (
            word in _PRESENTS
            and (before[:1].isupper() or after_aside)
            or word in _PASTS
            and _core(before) not in FUNCTION_WORDS | _PRENOMINAL
        ):
            return i
    for i in range(max(start, 1), min(len(tokens) - 1, start + 16)):  # a verb the lexicon lacks
        word, before, after = _core(tokens[i]), tokens[i - 1], _core(tokens[i + 1])
        if (
            tokens[i].islower()
            and word.endswith("ed")
            and "-" not in word
            and after != "by"
            and not before.endswith(",")
            and _core(before) not in FUNCTION_WORDS | _PRENOMINAL
        ):
            return i
    return None


def _after_relative(tokens: list[str], i: int) -> int | None:
    """The auxiliary after a relative clause on the subject that opens at i ('Employers that use tools to screen
    candidates | must …'), if no comma and no other finite verb comes before it."""
    if i < 1 or tokens[i - 1].endswith(",") or not tokens[i - 1][:1].isalnum():
        return None
    for j in range(i + 2, min(len(tokens), i + 30)):
        word = _core(tokens[j])
        if tokens[j - 1].endswith((",", ";", ":")) or word in _REPORTING or word in ("that", "which", "who"):
            return None
        if word in _AUXILIARIES and tokens[j].islower():
            return j
        if j > i + 2 and (word in _PRESENTS or word in _PASTS and word not in _PARTICIPLES):
            return None  # a second finite verb: the relative's own, or the sentence's without an auxiliary
    return None


# Words after which a participle is an adjective before its noun: "other automated tools", "more advanced chips".
_PRENOMINAL = frozenset("other more most less least many several no any some few".split())


# Words that open a noun phrase, so a following "rules", "plans" or "talks" is its noun.
_NOUN_OPENERS = frozenset(
    "new many some most several other two three four five six seven eight ten few both all top big major key "
    "former proposed draft updated stricter tougher fresh recent".split()
)


def _reduced_relative(tokens: list[str], i: int) -> bool:
    """True if the participle at i modifies the subject ('attacks reported to the agency rose …'):
    a preposition follows it, then the sentence's own verb before any comma."""
    if i + 1 >= len(tokens) or _core(tokens[i + 1]) not in _PREPOSITIONS | {"by"} or tokens[i].endswith(","):
        return False
    for j in range(i + 2, min(len(tokens), i + 10)):
        word = _core(tokens[j])
        if tokens[j - 1].endswith((",", ";")) or (word in _CLAUSE_WORDS and word != "with"):
            return False
        then = _core(tokens[j + 1]) if j + 1 < len(tokens) else ""
        object_follows = word in _PASTS and (then in _OBJECT_OPENERS or then[:1].isdigit())  # "… breached the"
        if tokens[j].islower() and (
            word in _AUXILIARIES or (word in _PASTS and word not in _PARTICIPLES) or object_follows
        ):
            return True
    return False


def _apposition_end(tokens: list[str]) -> int:
    """Index after a descriptive aside on the subject ('Humain, the AI company launched by …,')."""
    if len(tokens) > 3:
        for i in range(1, min(len(tokens), 12)):
            before = tokens[i - 1]
            named = before[:1].isupper() or before[:1].isdigit() or before in ("of", "and", "&")
            if not named and _find_verb(tokens[:i]) is not None:
                break  # the aside follows the name itself ("Shares of One 97 Communications,"), before any verb
            following = _core(tokens[i + 1]) if i + 1 < len(tokens) else ""
            aside = tokens[i] in _ASIDE_OPENERS or (_is_participle(tokens[i]) and following in _PREPOSITIONS)
            if before.endswith(",") and aside and following:
                commas = [j for j in range(i + 1, min(len(tokens) - 1, i + 30)) if tokens[j].endswith(",")]
                # the comma that closes the aside is the one the verb follows, not one inside a list
                close = next((j for j in commas if _opens_predicate(tokens[j + 1 :])), commas[0] if commas else None)
                return close + 1 if close else 1
            if before.endswith(","):
                break
    return 1


_ASIDE_OPENERS = frozenset(("a", "an", "the", "whose", "which", "who", "including"))


def _opens_predicate(words: list[str]) -> bool:
    """True if the words start with a verb: 'has said …', 'reportedly fell …', 'was hit …'."""
    words = words[1:] if words and _is_adverb(words[0]) else words
    word = _core(words[0]) if words and words[0].islower() else ""
    return word in _AUXILIARIES or word in _PRESENTS or word in _PASTS


def _actor(subject: list[str]) -> list[str]:
    """The actor without descriptors: 'The US tech giant, Google,' / 'The US startup OpenAI' -> name."""
    text = re.sub(r"(?<=\d),(?=\d{3})", "\x00", " ".join(subject))  # "400,000" is no aside's comma

    def words(part: str) -> list[str]:
        return part.replace("\x00", ",").split()

    if (joined := re.sub(r", (?:a|an|the) [^,]*,(?= and | & |$)", "", text)) != text and " and " in joined:
        return words(joined.rstrip(","))  # "Zentro, the telecoms group, and Kappa, the cable operator,"
    if (m := re.fullmatch(r"(?:The|A|An) [^,]+, ([^,]+),? ?(.*)", text)) and m.group(1)[:1].isupper():
        return words(m.group(1)) + words(m.group(2))
    if m := re.fullmatch(r"([^,]+), [^,]+,|([^,]+), (?:a|an|the|whose|which|who|including) .*,", text):
        return words(m.group(1) or m.group(2))
    for i, word in enumerate(subject[:-1]):
        name = subject[i + 1 :]
        if _core(word) in ("and", "&") or _core(word) in _PREPOSITIONS:
            break  # "Stripe and the crypto firm Paradigm", "Users of the app Chatly": not a descriptor
        if _core(word) in _ROLES and word.islower() and all(w[:1].isupper() or w[:1].isdigit() for w in name):
            return name
    return subject


def _drop_aside(subject: list[str]) -> list[str]:
    """The subject without an aside of the form ', supported by Interpol,': a headline has no room for it."""
    for i in range(1, len(subject) - 2):
        participle = _core(subject[i]) in _PARTICIPLES or _core(subject[i]).endswith("ed")
        if subject[i - 1].endswith(",") and _core(subject[i + 1]) in _PREPOSITIONS | {"by"} and participle:
            close = next((j for j in range(i + 2, len(subject)) if subject[j].endswith(",")), None)
            if close is not None and close == len(subject) - 1:
                return subject[: i - 1] + [subject[i - 1].rstrip(",")]
    return subject


def _is_plural(subject: list[str]) -> bool:
    """Rough number of a subject: 'Two 17-year-olds', 'Hackers', 'Police', 'Google and Meta'."""
    words = [_core(w) for w in subject]
    if not words or "and" in words or "&" in words:
        return bool(words)
    end = next((i for i, w in enumerate(words) if w in _PREPOSITIONS or subject[i].endswith(",")), len(words))
    if 1 < end < len(words) and subject[end - 1].islower() and words[end - 1] in _PARTICIPLES:
        end -= 1  # "Hackers linked to …": the noun before its participle
    head, word = words[max(end - 1, 0)], subject[max(end - 1, 0)]
    if head in ("police", "people"):
        return True
    if word.islower():
        return head.endswith("s") and not head.endswith(("ss", "us", "is"))
    # Capitalised only because it opens the sentence: 'Hackers', 'Researchers', 'Shares of X', not 'Siemens'.
    if end == 1 and len(words) > 1 and words[1] == "of":
        return head.endswith("s") and not head.endswith(("ss", "us", "is"))
    return end == 1 and head.endswith(("ers", "ors", "ists", "ians", "ies", "ants", "ents", "ees", "als"))


def _headline_tense(predicate: list[str], plural: bool) -> list[str]:
    """'has announced' -> 'announces', 'have been arrested' -> 'arrested', 'will X' -> 'to X'."""
    aux, rest = _core(predicate[0]), predicate[1:]
    present = (lambda base: base) if plural else _third_person
    if aux in _PASTS and not (rest and _core(rest[0]) == "by" and aux in _PARTICIPLES):
        return [_keep_punct(predicate[0], present(_PASTS[aux]))] + _drop_that(aux, rest)
    adverbs = []
    while rest and (_core(rest[0]) in _ADVERBS or _is_adverb(rest[0])) and len(rest) > 1:
        if _core(rest[0]) not in _DROPPED_ADVERBS:
            adverbs.append(rest[0])
        rest = rest[1:]
    head = _core(rest[0]) if rest else ""
    if aux in ("has", "have", "had") and head == "been" and len(rest) > 1 and _is_participle(rest[1]):
        return adverbs + rest[1:]
    if aux in ("has", "have") and head == "been" and len(rest) > 1 and _core(rest[1]) in _GERUNDS:
        return adverbs + [_keep_punct(rest[1], present(_GERUNDS[_core(rest[1])]))] + rest[2:]  # "have been exploiting"
    if aux in ("has", "have", "had") and head in _PARTICIPLES:
        return adverbs + [_keep_punct(rest[0], present(_PARTICIPLES[head]))] + _drop_that(head, rest[1:])
    if aux in ("has", "have") and rest and rest[0].islower() and head.endswith("ed") and head != "been":
        return adverbs + [_keep_punct(rest[0], present(_guess_base(head)))] + _drop_that(head, rest[1:])
    if aux in ("is", "are", "was", "were") and head == "being" and len(rest) > 1:
        rest, head = rest[1:], _core(rest[1])
    if aux in ("is", "are", "was", "were") and _is_participle(rest[0] if rest else ""):
        return adverbs + rest
    if aux in ("is", "are") and head in _GERUNDS:
        return adverbs + [_keep_punct(rest[0], present(_GERUNDS[head]))] + rest[1:]
    if aux == "will" and rest:
        return adverbs + ["to"] + rest
    return predicate[:1] + _drop_that(aux, rest) if aux in _REPORTING else predicate


def _is_adverb(word: str) -> bool:
    """An -ly adverb between an auxiliary and its verb: 'has preliminarily found', 'was formally charged'."""
    return word.islower() and len(word) > 5 and word.endswith("ly") and not word.endswith(("ply", "bly"))


def _guess_base(participle: str) -> str:
    """Base of a regular participle the lexicon lacks: 'designated' -> 'designate', 'admitted' -> 'admit'."""
    stem = participle[:-2]
    if participle.endswith("ied"):
        return participle[:-3] + "y"
    if len(stem) > 2 and stem[-1] == stem[-2] and stem[-1] not in "lsz":
        return stem[:-1]
    if stem.endswith(
        (
            "at",
            "ut",
            "ok",
            "iz",
            "is",
            "uc",
            "ov",
            "iv",
            "rg",
            "dg",
            "bl",
            "pl",
            "tl",
            "ag",
            "ir",
            "ur",
            "nc",
            "rc",
            "ps",
            "rs",
            "ot",
        )
    ):
        return stem + "e"
    return stem


def _drop_that(verb: str, rest: list[str]) -> list[str]:
    """'said that it would' -> 'says it will', as headlines write reported speech."""
    if verb not in _REPORTING:
        return rest
    if rest and rest[0] == "that":
        rest = rest[1:]
    if len(rest) > 1 and _core(rest[0]) in ("it", "they", "he", "she", "we") and rest[1] in ("would", "had"):
        singular = _core(rest[0]) in ("it", "he", "she")
        rest = [rest[0], {"would": "will", "had": "has" if singular else "have"}[rest[1]]] + rest[2:]
    would = next((i for i, w in enumerate(rest[:6]) if w == "would" or w.endswith((",", ";"))), None)
    if would is not None and rest[would] == "would":
        rest = rest[:would] + ["will"] + rest[would + 1 :]  # "says the company would open" -> "… will open"
    had = next((i for i, w in enumerate(rest[:6]) if w == "had" or w.endswith((",", ";"))), None)
    said = verb in ("said", "says", "say")  # a finding keeps its "had": "found that X had handed …" stands alone
    participle = _core(rest[had + 1]) if said and had is not None and had + 1 < len(rest) and rest[had] == "had" else ""
    if had is not None and (participle in _PARTICIPLES or re.fullmatch(r"[a-z]{3,}ed", participle)):  # "had accessed"
        base = _PARTICIPLES.get(participle)  # a regular verb's past is its participle: "accessed", "stolen" -> "stole"
        past = next((p for p, b in _PASTS.items() if b == base), participle) if base else participle
        rest = rest[:had] + [_keep_punct(rest[had + 1], past)] + rest[had + 2 :]
    return rest


def _is_participle(word: str) -> bool:
    """A word that can follow 'has been' / 'is' as a passive participle."""
    core = _core(word)
    return word.islower() and (core in _PARTICIPLES or core.endswith(("ed", "en")))


def _first_clause(predicate: list[str]) -> list[str]:
    """Cut the predicate where a comma, semicolon or dash starts another clause."""
    for i in range(1, len(predicate)):
        word = predicate[i]
        if word in ("–", "—", "-") or _core(word) == "according":
            return predicate[:i]
        if (
            predicate[i - 1].endswith(",")
            and _core(word) in ("a", "an", "the", "which", "who", "whose")
            and (close := _aside_close(predicate, i))
            and close + 1 < len(predicate)
            and predicate[close + 1].islower()
            and _core(predicate[close]) not in _REPORTING  # ", the agency said, adopting …": who said it, no aside
        ):
            # "ruled that Ross, a former start-up, was not entitled": drop the aside, keep the clause
            return _first_clause(predicate[: i - 1] + [predicate[i - 1].rstrip(",")] + predicate[close + 1 :])
        if predicate[i - 1].endswith(",") and _modifier_follows(predicate[i - 1 :]):
            continue  # "using the confidential, current lease data": one noun phrase
        if predicate[i - 1].endswith(";") or (predicate[i - 1].endswith(",") and not _continues(predicate[i:])):
            return predicate[:i]
    return predicate


def _aside_close(predicate: list[str], start: int) -> int | None:
    """The comma closing an aside that opens at start, past commas inside a list ('logins, cookies and …')."""
    commas = [j for j in range(start, min(len(predicate) - 1, start + 20)) if predicate[j].endswith(",")]
    for j in commas:  # "the buy now, pay later service it launched last year, and will …": the predicate goes on
        following = predicate[j + 2 :] if _core(predicate[j + 1]) == "and" else predicate[j + 1 :]
        if following and _opens_predicate(following):
            return j
    for j in (j for j in commas if j < start + 12):
        if not _list_goes_on(predicate[j + 1 : j + 5]):
            return j if _core(predicate[j + 1]) not in _RELATIVES else None
    return None


_RELATIVES = frozenset("which who whom whose that where while whereas".split())


def _list_goes_on(words: list[str]) -> bool:
    """True if the words after a comma are a list's last items: 'cookies and browser fingerprints'."""
    cores = [_core(w) for w in words]
    joint = next((k for k, w in enumerate(cores) if w in ("and", "or")), None)
    if joint == 0 and len(words) > 1 and words[1].islower() and (verb_base(words[1]) or cores[1].endswith("ed")):
        return False  # ", and extorting it": the predicate goes on after an aside
    return joint is not None and not any(w in _PREPOSITIONS or w in _CLAUSE_WORDS for w in cores[:joint])


def _modifier_follows(words: list[str]) -> bool:
    """True if a lowercase word ending on a comma is followed by another modifier of the same noun."""
    if len(words) < 4 or not words[0].islower() or not words[1].islower() or words[1].endswith(","):
        return False
    word, then = _core(words[1]), _core(words[2])
    return (
        word not in FUNCTION_WORDS
        and word not in _CLAUSE_OPENERS
        and not word.endswith(("ing", "ed", "ly"))
        and word not in ("now", "still", "one", "two", "three", "some")
        and then not in _PREPOSITIONS
        and not any(_core(w) in ("and", "or") for w in words[1:5])
    )


def _continues(tail: list[str]) -> bool:
    """True if the words after a comma go on with a list or end with a short appositive."""
    text = " ".join(tail)
    if _core(tail[-1]) in _REPORTING:
        return False  # ", the company said": attribution, not part of the clause
    if (
        _core(tail[0]) in ("its", "their", "a", "an", "the")
        and "," not in text
        and not any(_core(w) in _GERUNDS or _core(w) in _CLAUSE_WORDS for w in tail)
    ):
        return len(tail) <= 5  # ", a Lisbon start-up" stays; ", the first such decision under the law" is detail
    if _core(tail[0]) in _CLAUSE_OPENERS or _core(tail[0]).endswith("ing"):
        return False
    return bool(re.match(r"(?:[^,]{1,40}, )*(?:[^,]{1,40}? )?(?:and|or) ", text))


def _drop_articles(tokens: list[str]) -> list[str]:
    """Drop 'a', 'an', 'the', 'also' and 'recently' as headlines do, but keep 'one of the largest'."""
    kept: list[str] = []
    for i, word in enumerate(tokens):
        nxt = _core(tokens[i + 1]) if i + 1 < len(tokens) else ""
        if i == 0 and word in ("The", "A", "An") and nxt:
            continue
        if word in ("a", "an") and nxt not in ("few", "little", "lot", "bit", "while"):
            continue
        if word == "the" and not (
            kept and _core(kept[-1]) == "of" and (nxt in ("most", "first", "last", "same") or nxt.endswith("est"))
        ):
            continue
        if word in ("also", "recently") or (word in ("its", "their") and re.match(r"[$€£¥₹\d]", nxt)):
            continue  # "completes its $1.5 billion purchase" -> "completes $1.5 billion purchase"
        kept.append(word)
    return kept or tokens


def _fit(tokens: list[str], verb: int | None, max_chars: int) -> tuple[str, bool]:
    """Join the words, cutting at a clause, then a phrase boundary to fit max_chars; a cut word by word
    is the last resort, and the flag says it was not needed."""
    if not tokens:
        return "", False
    if len(" ".join(tokens)) <= max_chars and _reports_whole(tokens, verb) and not _ends_badly(tokens):
        relative = next(
            (i for i in range((verb or 0) + 3, len(tokens)) if tokens[i] in ("where", "which", "who")), None
        )
        if relative is None or not (short := _fit(tokens[:relative], verb, max_chars))[1]:
            return _trim_end(tokens), True
        return short  # "… in all seven countries [where it runs the service …]": a headline has no room for asides
    shortest = verb + 2 if verb is not None else 3
    for boundary in (_clause_boundary, _phrase_boundary, _list_boundary):
        for i in range(len(tokens) - 1, shortest - 1, -1):
            if not boundary(tokens, i, verb) or len(" ".join(tokens[:i])) > max_chars:
                continue
            kept = _drop_dangling(tokens[:i], verb)
            if _clause_cut_short(kept):
                continue  # "… over next four years as it races [to meet demand]": the clause goes whole or not at all
            if _reports_whole(kept, verb) and _cut_ok(tokens, len(kept)) and (trimmed := _trim_end(kept)):
                if not _ends_badly(trimmed.split()):
                    return trimmed, True
    fitting = [w for i, w in enumerate(tokens) if len(" ".join(tokens[: i + 1])) <= max_chars]
    return _trim_end(fitting), False  # "" when not even the first word fits: never a word cut in two


def _clause_cut_short(kept: list[str]) -> bool:
    """True if the words end two or three words into a subordinate clause: '… as it races', not '… as fast'."""
    for j in range(max(len(kept) - 3, 1), len(kept) - 1):
        subject = _core(kept[j + 1]) in _PRONOUNS or kept[j + 1][:1].isupper()
        if kept[j].islower() and _core(kept[j]) in _SUBORDINATORS and subject:
            return True
    return False


def _cut_ok(tokens: list[str], kept: int) -> bool:
    """False if the cut parts a subject from its verb ('… after a group of outlets | reported that')
    or a figure from its unit ('134.8 billion | won')."""
    if kept >= len(tokens):
        return True
    last, following = _core(tokens[kept - 1]), tokens[kept]
    word, then = _core(following), _core(tokens[kept + 1]) if kept + 1 < len(tokens) else ""
    if tokens[kept - 1][:1].isupper() and tokens[kept - 1][-1:].isalnum() and following[:1].isupper():
        return False  # "… from Fenland Aviation | Authority": a name goes whole
    if tokens[kept - 1].endswith((",", ";")) or not following.islower():
        return True
    if word == "of" and kept > 2 and _core(tokens[kept - 2]) in _PREPOSITIONS and tokens[kept - 1].islower():
        return False  # "… at valuation | of about $10 billion": a noun whose "of" says what it is
    if word in _AUXILIARIES or word in _PRESENTS or (word in _PASTS and then not in _PREPOSITIONS and then != "by"):
        return False
    opener = max((i for i in range(kept) if _core(tokens[i]) in _SUBORDINATORS and tokens[i].islower()), default=None)
    if opener is not None and word in _PASTS and not _has_verb(tokens[opener + 1 : kept]):
        return False  # "… exposed when attackers | got into": the clause's own verb is still to come
    rest = tokens[kept : next((j for j in range(kept, len(tokens)) if tokens[j].endswith((",", ";"))), len(tokens))]
    if _told_whom(tokens[:kept]) and any(w in ("to", "that") for w in rest):
        return False  # "… to require all new phones [sold in …] | to have replaceable batteries": what is required
    if last in _FOCUSING or (_complement_follows(word, then) and _allows_whom(tokens[:kept])):
        return False  # "… may be imported only | with a licence", "allows banks | to open accounts": what it governs
    if (last in _PURPOSE_NOUNS and word == "to" and _is_base(then)) or (last in _NEEDS_WITH and word == "with"):
        return False  # "signs first deal | to buy power …", "to have to comply | with the law": what it is for
    verb_form = last in _PASTS or last in _PARTICIPLES or last in _GERUNDS
    objectless = verb_form and verb_base(last) in NEEDS_OBJECT and tokens[kept - 1].islower()
    if objectless and word not in _PREPOSITIONS | _CLAUSE_WORDS | {"by"}:
        return False  # "… says attack exposed | the records of …": the verb keeps its object
    numeric = last in _NUMBER_WORDS or last[:1].isdigit()
    return not (numeric and word.isalpha() and word not in _PREPOSITIONS and word not in FUNCTION_WORDS)


# Nouns whose infinitive says what they are for: "deal [to buy power]", "court order [to seize domains]".
_PURPOSE_NOUNS = frozenset(
    "deal deals order orders attempt attempts bid bids effort efforts move push decision pledge proposal request "
    "permission approval".split()
)
# Verbs that are no whole predicate without their "with": "to comply [with the act]".
_NEEDS_WITH = frozenset("comply complies cooperate cooperates".split())
# Adverbs that single out what follows them: "may be imported only [with a licence]".
_FOCUSING = frozenset("only solely exclusively merely just even".split())


def _complement_follows(word: str, then: str) -> bool:
    """True if the words open what a clause-taking verb's object is allowed or told: 'to open', 'from selling'."""
    return (word == "to" and then.isalpha() and then not in FUNCTION_WORDS) or (word == "from" and then.endswith("ing"))


def _allows_whom(words: list[str]) -> bool:
    """True if the words end on the object of a verb that allows, orders or tells, with nothing after it yet:
    'allows banks and other financial institutions'."""
    cores = [_core(w) for w in words]
    at = next(
        (i for i in range(len(words) - 2, 0, -1) if words[i].islower() and verb_base(cores[i]) in TAKES_CLAUSE), None
    )
    return at is not None and not has_clause_marker(cores[at + 1 :]) and not _PREPOSITIONS & set(cores[at + 1 :])


_TAKES_GERUND = frozenset("stop start keep begin continue resume quit finish avoid consider risk end".split())


def has_clause_marker(words: list[str]) -> bool:
    """True if what follows a telling verb's object says what is told: 'to stop', 'that …', 'from selling'
    ('from 2027' is only a time)."""
    return any(
        w in CLAUSE_MARKERS and (w not in ("from", "into") or following.endswith("ing"))
        for w, following in zip(words, words[1:] + [""])
    )


_SUBORDINATORS = frozenset("after as while because when since before until although though whereas if".split())
_NUMBER_WORDS = frozenset("hundred thousand million billion trillion crore lakh".split())
_OBJECT_PRONOUNS = frozenset("it them him her us".split())
_RECIPIENTS = frozenset(
    """
agencies agency companies company firms firm banks bank platforms platform people staff employees workers members
customers users citizens authorities governments government states countries ministries ministry businesses
schools universities hospitals regulators regulator courts court public parents children students minors
""".split()
)


def _ends_badly(words: list[str]) -> bool:
    """True if the words end where no phrase ends: on a verb that needs its object ('… and extorting'),
    or on whom a verb tells or gives something without what ('tells operators of networks')."""
    if not words:
        return True
    cores = [_core(w) for w in words]
    last, previous = cores[-1], cores[-2] if len(cores) > 1 else ""
    comma = next((k for k in (2, 3) if len(words) > k and words[-k].endswith(",")), None)
    if comma and all(w.islower() and verb_base(w) is None for w in words[1 - comma :]):
        return True  # an aside cut to its first word: "… seize Darkbazaar, forum"
    if words[-1].islower() and verb_base(last) in NEEDS_OBJECT:
        if last in _GERUNDS or (last in _PASTS and last not in _PARTICIPLES):
            return True
        if last in _PRESENTS and len(words) > 1 and (words[-2][:1].isupper() or previous == "and"):
            return True
        if last in _BASES and previous in ("to", "will", "can", "may", "must"):
            return True
    return _told_whom(words)


def _told_whom(words: list[str]) -> bool:
    """True if the words end on whom a verb tells or gives something, without what ('tells operators of
    networks', 'issues Orbix', 'orders agencies')."""
    cores = [_core(w) for w in words]
    at = next(
        (i for i in range(len(words) - 1, 0, -1) if words[i].islower() and verb_base(cores[i]) in TAKES_CLAUSE | GIVES),
        None,
    )
    if at is None or has_clause_marker(cores[at + 1 :]):
        return False
    addressed = []
    for word, original in zip(cores[at + 1 :], words[at + 1 :]):
        if word in _PREPOSITIONS:
            break
        addressed.append((word, original))
    if not addressed:
        return False
    head, original = addressed[-1]
    return (
        verb_base(cores[at]) == "tell"
        or original[:1].isupper()
        or head in _RECIPIENTS
        or head in _OBJECT_PRONOUNS
        or head.endswith(("ers", "ors", "ists", "ians", "ees"))
    )


_SPEECH = frozenset(("said", "says", "say", "told", "tells", "warned", "warns", "rules", "ruled"))


def _reports_whole(tokens: list[str], verb: int | None) -> bool:
    """False if the words end inside what someone said, before its verb: '… after the maker said its auditor'."""
    said = next(
        (
            i
            for i in range(len(tokens) - 1, (verb or 0) - 1, -1)
            if _core(tokens[i]) in _SPEECH
            and (i != verb or _core(tokens[i]) in _SAYS)
            and not (verb is not None and i == verb + 1 and _core(tokens[i]) == "rules")  # "approve rules": a noun
        ),
        None,
    )
    if said is not None and said < len(tokens) - 1 and not _has_verb(tokens[said + 1 :]):
        return False
    that = next((i for i in range(len(tokens) - 1, (verb or 0), -1) if tokens[i] == "that"), None)
    if that is None or that + 1 == len(tokens):
        return True
    after = _core(tokens[that + 1])
    verb_after = (
        tokens[that + 1].islower()
        and after.endswith("s")
        and not after.endswith(("ss", "us"))
        and that + 2 < len(tokens)
        and not tokens[that + 1].endswith(",")
    )  # "that values it", not "that laptops,"
    return verb_after or _has_verb(tokens[that + 1 :])  # "… tells regulator that personal data" is cut


def _drop_dangling(tokens: list[str], verb: int | None) -> list[str]:
    """Drop a participle left hanging by a cut: '…model trained [on billions…]' -> '…model'."""
    last = tokens[-1]
    if len(tokens) > 3 and tokens[-2] == "and" and last.islower() and verb_base(last) and verb is not None:
        return tokens[:-2]  # "…in Lucid and deploy [20,000 cars]": the second verb lost its object
    if len(tokens) > 3 and _core(tokens[-2]) in ("for", "by", "from", "without") and _core(last) in _GERUNDS:
        return tokens[:-2]  # "… €3 million for failing [to protect card numbers]": what was failed is cut
    # "… people were stolen" (the verb itself), "… most of ruling" (a noun after a function word)
    passive = _core(tokens[-2]) in _AUXILIARIES | {"been", "be"} | FUNCTION_WORDS
    participle = _core(last) in _PARTICIPLES or _core(last) in _GERUNDS or _core(last).endswith("ed")
    noun = _core(last) in _GERUNDS and _core(tokens[-2]).endswith("ed")  # "in extended trading"
    hanging = last.islower() and participle and not passive and not noun
    return tokens[:-1] if hanging and verb is not None and len(tokens) - 1 > verb + 1 else tokens


def _clause_boundary(tokens: list[str], i: int, verb: int | None) -> bool:
    """True if a subordinate clause or a purpose infinitive ('to strengthen…') starts at i."""
    word, nxt = _core(tokens[i]), _core(tokens[i + 1]) if i + 1 < len(tokens) else ""
    if tokens[i - 1].endswith(";") or (word in _CLAUSE_WORDS and word != "with"):
        return True  # "with" with no comma before it opens a phrase ("designates X with status"), not a clause
    if tokens[i - 1].endswith(","):
        # not inside "confidential, current lease data" nor inside a list ("passwords, cookies and …")
        return not _modifier_follows(tokens[i - 1 :]) and not _list_goes_on(tokens[i : i + 4])
    if (
        word in _GERUNDS
        and tokens[i].islower()
        and nxt
        and nxt not in _PREPOSITIONS
        and _core(tokens[i - 1]) not in FUNCTION_WORDS
        and not _core(tokens[i - 1]).endswith("ed")  # "in extended trading": a noun phrase, no clause
        and verb_base(tokens[i - 1]) not in _TAKES_GERUND
    ):
        return True  # a participle clause: '…survey asking viewers to rate…', not '…to stop buying chips'
    after_object = verb is not None and i - verb >= 4
    complement = _core(tokens[i - 1]) in _TAKES_INFINITIVE  # "easier | to repair": the adjective's own infinitive
    return word == "to" and after_object and nxt in _BASES and not complement


_TAKES_INFINITIVE = frozenset(
    "easier harder cheaper simpler faster able unable likely unlikely easy hard ready free enough".split()
)


def _list_boundary(tokens: list[str], i: int, verb: int | None) -> bool:
    """True at a comma inside a list, the last resort: '… disrupts check-in systems | , bank apps and …'."""
    return tokens[i - 1].endswith(",") and _list_goes_on(tokens[i : i + 4])


def _phrase_boundary(tokens: list[str], i: int, verb: int | None) -> bool:
    """True if a prepositional phrase starts at i ('…investment in Belgium over the next…')."""
    word = _core(tokens[i])
    if word == "of" and _core(tokens[i - 1]) in _QUANTIFIERS:
        return False
    if word in ("to", "than") and _core(tokens[i - 1]) in ("up", "more", "less", "fewer"):
        return False  # "up to 9.8 million": a number's modifier, no phrase of its own
    if word == "to" and _core(tokens[i - 1]) in _TAKES_INFINITIVE:
        return False  # "easier to repair": the adjective's own infinitive
    if word in ("in", "out") and _is_number(tokens[i - 1]) and i + 1 < len(tokens) and _is_number(tokens[i + 1]):
        return False  # "one in five teenagers": a ratio
    following = _core(tokens[i + 1]) if i + 1 < len(tokens) and tokens[i + 1].islower() else ""
    then = tokens[i + 2] if i + 2 < len(tokens) else ""
    verb_then = following in _PRESENTS and (then[:1].isupper() or _core(then) in _OBJECT_OPENERS | {"it", "they"})
    modal = following in _BASES and any(_core(w) in _MODALS for w in tokens[:i])  # "must have X checked | and tell"
    if word == "and" and (following in _GERUNDS or following in _PASTS or verb_then or modal):
        return True  # "… stealing chip designs | and selling them …": the second verb goes whole
    if tokens[i].islower() and word in _GERUNDS and verb_base(tokens[i - 1]) in _TAKES_GERUND:
        return True  # "… to stop | collecting iris scans": what is stopped goes, the order stays
    if verb is not None and i - 1 > verb and tokens[i][:1] in "$€£0123456789" and tokens[i - 1][:1].isupper():
        return True  # "fines SK Telecom | 134.8 billion won": the amount is a phrase of its own
    return (word in _PREPOSITIONS or word == "with") and tokens[i].islower()


_NUMERALS = frozenset("one two three four five six seven eight nine ten".split())
_MODALS = frozenset("to will would can could may might must should".split())


def _is_number(word: str) -> bool:
    return _core(word) in _NUMERALS or _core(word)[:1].isdigit()


# Quantifiers a headline never ends on either: "… eight times as many", "… upholds most".
_QUANTIFIER_ENDS = frozenset("each every some any another all both neither most many much several".split())


def _trim_end(tokens: list[str]) -> str:
    """Join words, dropping trailing punctuation and function words until the end is whole."""
    tokens = list(tokens)
    while tokens:
        last = tokens[-1]
        while last and not (last[-1].isalnum() or last[-1] in _END_CHARS):
            last = last[:-1]
        object_of_verb = _core(last) in ("it", "them") and len(tokens) > 1 and verb_base(tokens[-2]) is not None
        possessive = last.islower() and _core(last).endswith(("'s", "’s"))  # "… the company’s"
        dangling = _core(last) in FUNCTION_WORDS | _QUANTIFIER_ENDS and not object_of_verb
        if not _core(last) or dangling or possessive:
            tokens.pop()  # "… and extorting it" keeps its object
            continue
        tokens[-1] = last
        break
    return " ".join(tokens)


def _sentence_case(headline: str) -> str:
    """Capitalise the first letter unless the first word has its own capitals ('iPhone')."""
    if headline[:1].islower() and headline.split()[0].islower():
        return headline[0].upper() + headline[1:]
    return headline


def _truncate(text: str, max_chars: int) -> str:
    """Cut on a word boundary to at most max_chars, ending with '…'."""
    words = text.split()
    kept = [w for i, w in enumerate(words) if len(" ".join(words[: i + 1])) < max_chars]
    body = _trim_end(kept) or text[: max_chars - 1].rstrip()
    return body + "…"


_EDGES = re.compile(r"^\W+|\W+$")


@functools.lru_cache(maxsize=1 << 16)
def _core(word: str) -> str:
    """A word lower-cased without surrounding punctuation: '“Google’s,' -> 'google’s'."""
    return _EDGES.sub("", word).lower()


def _keep_punct(original: str, replacement: str) -> str:
    """The replacement word with the original's trailing punctuation ('announced,' -> 'announces,')."""
    return replacement + original[len(original.rstrip(",;:")) :]

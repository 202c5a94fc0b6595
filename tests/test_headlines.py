"""Headlines and summaries for untitled articles: the 10 untitled sample leads, other news, properties."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.evaluate import headline_problems
from builder.headlines import (
    FALLBACK_HEADLINE,
    FUNCTION_WORDS,
    derive_headline,
    split_sentences,
    summarize,
    verb_base,
)

# The opening paragraphs of the 10 untitled articles in seeds/000_6d26aec734f305a8.txt.
SAMPLES = {
    "google_belgium": [
        "The US tech giant, Google, has announced a €5 billion investment in Belgium to strengthen its AI and "
        "cloud infrastructure over the next two years.",
        "A plan that includes major expansions of its Saint-Ghislain data centre campuses and the creation of "
        "300 full-time jobs.",
    ],
    "alibaba": [
        "Alibaba Group has established a robotics AI team within its Qwen lab, marking a significant step in its "
        "strategy to expand into AI-powered hardware.",
        "However, this move reflects China’s broader push to lead in robotics and embodied intelligence, "
        "increasingly driven by generative AI and multimodal foundation models.",
    ],
    "openai": [
        "The US startup OpenAI has broadened access to its affordable ChatGPT Go plan, now available in 16 "
        "additional countries across Asia, including Malaysia, Vietnam, the Philippines, Pakistan, and Thailand.",
        "Priced at under $5 per month, the plan offers local currency payments in select regions, while others "
        "will pay in USD with tax-adjusted variations.",
    ],
    "commission": [
        "The European Commission has launched the Apply AI Strategy to accelerate AI adoption, especially among "
        "small and medium-sized enterprises (SMEs). The initiative seeks to improve public services, boost "
        "Europe’s competitiveness, and advance European AI model development.",
    ],
    "new_zealand": [
        "Over 4.3 million New Zealand account details have been exposed online, according to the National Cyber "
        "Security Centre. As Cyber Smart Week begins, the agency is launching a free tool called ‘How Exposed Am "
        "I‘ through its Own Your Online platform to help people check their data and strengthen defences.",
    ],
    "olympics": [
        "The agreement will combine innovations across Google Search, Gemini, and Google Cloud. AI tools will "
        "assist Team USA with training analysis, while viewers will benefit from more innovative search "
        "functions during NBCUniversal’s coverage.",
        "Gemini will also support athletes and organisers with enhanced data insights and communication tools.",
    ],
    "kido": [
        "Two 17-year-olds have been arrested in connection with a ransomware attack on the London-based nursery "
        "chain Kido, which led to the theft of data belonging to about 8,000 children. The Metropolitan Police "
        "confirmed the arrests took place in Bishop’s Stortford and Hertfordshire.",
    ],
    "discord": [
        "A September breach at one of Discord’s customer service vendors has exposed user data, highlighting the "
        "growing cybersecurity risks associated with third-party providers. Attackers exploited vulnerabilities "
        "in the external platform, but Discord’s core systems were not compromised.",
    ],
    "opal": [
        "Google is expanding access to Opal, its no-code AI mini-app builder. Introduced two months ago within "
        "Google Labs, the tool enables users to create AI-powered mini-apps through natural language prompts, "
        "eliminating the need for coding.",
        "According to Megan Li, Senior Product Manager at Google Labs, the expansion follows strong early "
        "engagement from creators. Users can access Opal at opal.withgoogle.com and join its builder community "
        "through Discord.",
    ],
    "kazakhstan": [
        "Kazakhstan’s Prime Minister Olzhas Bektenov has directed the full implementation of AI across government "
        "agencies to meet President Kassym-Jomart Tokayev’s goal of reducing the shadow economy’s share in GDP to "
        "15 percent in 2025.",
    ],
}

END_CHARS = "\"'”’»)]?!%"


def assert_headline_shape(headline: str, max_chars: int = 90) -> None:
    """Non-empty, within the limit, ending on a whole content word (or a verb's object 'it'), sentence case."""
    assert headline and len(headline) <= max_chars, headline
    assert headline[-1].isalnum() or headline[-1] in END_CHARS, headline
    words = [re.sub(r"^\W+|\W+$", "", w).lower() for w in headline.split()]
    object_of_verb = words[-1] in ("it", "them") and len(words) > 1 and verb_base(words[-2]) is not None
    assert words[-1] and (words[-1] not in FUNCTION_WORDS or object_of_verb), headline
    dangling = [p for p in headline_problems(headline) if p.startswith("ends on") and "verb" not in p]
    assert not dangling, (headline, dangling)
    assert headline == headline.strip() and "  " not in headline


def assert_whole_words(headline: str, paragraphs: list[str]) -> None:
    """Every word of the headline is a word of the text (parentheticals dropped), a verb form made from one, or a
    headline word: no word is cut in two."""
    joined = " ".join(paragraphs)
    text = {re.sub(r"^[\W_]+|[\W_]+$", "", w).casefold() for w in joined.split() + re.split(r"[\s()]+", joined)}
    made = {"says", "say", "will", "to", "on", "shares", "over", "and", "untitled", "article"}
    for word in (re.sub(r"^[\W_]+|[\W_]+$", "", w).casefold() for w in headline.split()):
        assert word in text or word in made or verb_base(word) or word.isupper() or not word, (word, headline)


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_sample_headlines_have_headline_shape(name):
    headline = derive_headline(SAMPLES[name])
    assert_headline_shape(headline)
    assert headline[0].isupper()
    assert not headline.startswith(("The ", "A ", "An ")), headline
    assert not re.search(
        r"\b(?:has|have) (?:\w+ )?(?:announced|launched|established|broadened|directed|been)\b", headline
    ), headline


@pytest.mark.parametrize(
    "name, check",
    [
        ("google_belgium", lambda h: h.startswith("Google announces €5 billion investment in Belgium")),
        ("alibaba", lambda h: h.startswith("Alibaba") and "establishes" in h),
        ("openai", lambda h: h.startswith("OpenAI broadens")),
        ("commission", lambda h: h.startswith("European Commission launches Apply AI Strategy")),
        ("new_zealand", lambda h: "New Zealand" in h and "exposed" in h and "according" not in h),
        ("olympics", lambda h: "Google" in h and not h.startswith("The")),
        ("kido", lambda h: h.startswith("Two 17-year-olds arrested") and "Kido" in h),
        ("discord", lambda h: "Discord" in h and "exposes user data" in h and "highlighting" not in h),
        ("opal", lambda h: h.startswith("Google expands access to Opal")),
        ("kazakhstan", lambda h: ("Kazakhstan" in h or "Bektenov" in h) and "directs" in h),
    ],
)
def test_sample_headlines_name_the_actor_in_headline_tense(name, check):
    headline = derive_headline(SAMPLES[name])
    assert check(headline), headline


def test_sample_headlines_keep_curly_quotes_and_currency():
    assert "€5" in derive_headline(SAMPLES["google_belgium"])
    assert "Discord’s" in derive_headline(SAMPLES["discord"])


@pytest.mark.parametrize(
    "paragraphs, expected",
    [
        (
            ["Microsoft said on Tuesday that it would cut around 6,000 jobs, roughly 3% of its workforce."],
            "Microsoft says it will cut around 6,000 jobs",
        ),
        (
            ["The Chinese e-commerce giant JD.com has unveiled a new AI chip for its data centres, the company said."],
            "JD.com unveils new AI chip for its data centres",
        ),
        (
            ["Hackers stole the personal data of 2.7 million patients from a health insurer in Texas, officials said."],
            "Hackers steal personal data of 2.7 million patients from health insurer in Texas",
        ),
        (
            ["The U.S. Department of Justice has sued Visa, alleging the payments giant monopolised debit cards."],
            "U.S. Department of Justice sues Visa",
        ),
        (
            ["Samsung Electronics is expected to report a sharp drop in operating profit amid weak demand for chips."],
            "Samsung Electronics expected to report sharp drop in operating profit",
        ),
        (
            ["The European Union will require large platforms to assess systemic risks from next year."],
            "European Union to require large platforms to assess systemic risks from next year",
        ),
        (
            ["In a blog post, the fintech startup Quillpay announced it had raised $40 million in new funding."],
            "Quillpay announces it has raised $40 million in new funding",
        ),
    ],
)
def test_generic_news_leads(paragraphs, expected):
    assert derive_headline(paragraphs) == expected


def test_weak_opening_gives_way_to_the_next_sentence():
    paragraphs = [
        "It is the latest in a series of attacks on UK retailers. Marks & Spencer has been hit by a "
        "cyberattack that disrupted online orders for weeks."
    ]
    assert derive_headline(paragraphs) == "Cyberattack on Marks & Spencer disrupts online orders for weeks"
    commentary = [
        "The move comes as Apple faces pressure from regulators.",
        "Apple has opened its NFC chip to third-party payment apps in the EU.",
    ]
    assert derive_headline(commentary) == "Apple opens its NFC chip to third-party payment apps in EU"


def test_connective_is_dropped_when_nothing_better_follows():
    assert (
        derive_headline(["However, regulators remain sceptical about the proposal."])
        == "Regulators remain sceptical about proposal"
    )


def test_long_lead_is_cut_at_a_phrase_not_mid_phrase():
    headline = derive_headline(SAMPLES["kazakhstan"])
    assert headline == "Kazakhstan’s Prime Minister Olzhas Bektenov directs full implementation of AI"
    apple = derive_headline(
        [
            "Apple has agreed to pay $95 million to settle a lawsuit accusing its Siri voice "
            "assistant of recording private conversations."
        ]
    )
    assert apple == "Apple to pay $95 million to settle lawsuit"
    # a cut never parts a number from its modifier ("… details of up")
    telco = derive_headline(
        [
            "Quorvia said a cyberattack on its network had exposed the personal details of up to 9.8 million "
            "current and former customers across Australia and New Zealand."
        ]
    )
    assert not telco.endswith((" up", " of")) and telco.startswith("Quorvia says cyberattack")


def test_headline_respects_a_smaller_limit():
    headline = derive_headline(SAMPLES["kido"], max_chars=40)
    assert_headline_shape(headline, 40)
    assert headline.startswith("Two 17-year-olds arrested")


def test_empty_input_gets_the_fallback():
    assert derive_headline([]) == FALLBACK_HEADLINE
    assert derive_headline(["   ", ""]) == FALLBACK_HEADLINE
    assert derive_headline(["the of and"]) == FALLBACK_HEADLINE
    assert summarize([]) == ""


def test_headline_limit_below_the_fallback_is_refused():
    with pytest.raises(ValueError):
        derive_headline(["Google buys a startup."], max_chars=5)


@pytest.mark.parametrize(
    "text, count",
    [
        ("The U.S. Senate passed the bill. It now goes to the House.", 2),
        ("Big firms, e.g. Google and Meta, object. Others agree.", 2),
        ("Over 4.3 million New Zealand account details have been exposed. The agency responded.", 2),
        ("Users can access Opal at opal.withgoogle.com and join through Discord. New features follow.", 2),
        ("Mr. Altman spoke on Monday. He said growth was strong! Was it? Yes.", 4),
        ("John F. Kennedy Airport reopened.", 1),
    ],
)
def test_split_sentences(text, count):
    assert len(split_sentences(text)) == count


def test_summary_is_one_or_two_whole_sentences():
    assert (
        summarize(SAMPLES["olympics"])
        == "The agreement will combine innovations across Google Search, Gemini, and Google Cloud."
    )
    short = ["Google buys a startup. The deal is worth $1 billion. Regulators will review it."]
    assert summarize(short) == "Google buys a startup. The deal is worth $1 billion."
    assert summarize(["The U.S. fined Meta. More to come."]) == "The U.S. fined Meta. More to come."


def test_long_first_sentence_is_cut_on_a_word_with_an_ellipsis():
    summary = summarize(SAMPLES["openai"])
    assert len(summary) <= 200 and summary.endswith("…")
    assert summary.startswith("The US startup OpenAI has broadened access")
    assert SAMPLES["openai"][0].startswith(summary[:-1])
    assert summary[-2].isalnum()


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_sample_summaries_fit(name):
    summary = summarize(SAMPLES[name])
    assert 0 < len(summary) <= 200
    assert summary.endswith((".", "…"))


text_lists = st.lists(st.text(min_size=1, max_size=400), min_size=1, max_size=5)
wordy = st.lists(
    st.lists(
        st.sampled_from(
            [
                "Google",
                "the",
                "of",
                "and",
                "has",
                "announced",
                "a",
                "€5",
                "billion",
                "investment,",
                "to",
                "U.S.",
                "“AI”",
                "in",
                "Belgium.",
                "which",
                "will",
                "be",
                "—",
                "’s",
                "acquired",
                "by",
                "!",
                "over",
                "4.3",
                "Shares",
                "been",
                "hit",
                "that",
                "told",
                "regulators",
                "whose",
                "software,",
                "said",
                "it",
                "extorting",
                "Agency",
                "Cybersecurity",
                "CISA",
                "after",
                "group",
                "reported",
                "1X",
            ]
        ),
        min_size=1,
        max_size=60,
    ).map(" ".join),
    min_size=1,
    max_size=4,
)


@settings(max_examples=300, deadline=None)
@given(paragraphs=st.one_of(text_lists, wordy), max_chars=st.integers(len(FALLBACK_HEADLINE), 200))
def test_headline_property(paragraphs, max_chars):
    headline = derive_headline(paragraphs, max_chars)
    assert_headline_shape(headline, max_chars)
    assert_whole_words(headline, paragraphs)


@settings(max_examples=300, deadline=None)
@given(paragraphs=st.one_of(text_lists, wordy), max_chars=st.integers(2, 300))
def test_summary_property(paragraphs, max_chars):
    summary = summarize(paragraphs, max_chars)
    assert len(summary) <= max_chars
    assert summary or not "".join(paragraphs).split()


def test_capitalised_letters_are_not_articles():
    headline = derive_headline(["Mistral AI has raised €600 million in a Series A round led by General Catalyst."])
    assert headline == "Mistral AI raises €600 million in Series A round led by General Catalyst"


@pytest.mark.parametrize(
    "paragraphs, expected",
    [
        (
            ["Running from 3 to 7 June, the Cyber Week fair in Tel Aviv has drawn 10,000 security experts."],
            "Cyber Week fair in Tel Aviv draws 10,000 security experts",
        ),
        (
            [
                "From Friday night, check-in systems at Heathrow went down after a ransomware attack on Collins Aerospace."
            ],
            "Check-in systems at Heathrow go down after ransomware attack on Collins Aerospace",
        ),
        (["A September breach at one of the vendors exposed user data."], "Breach at one of vendors exposes user data"),
    ],
)
def test_a_date_or_time_phrase_never_opens_a_headline(paragraphs, expected):
    assert derive_headline(paragraphs) == expected


@pytest.mark.parametrize(
    "paragraphs, expected",
    [
        (
            [
                "In a case brought by the consumer group Which?, a London tribunal has ruled that Acme overcharged users."
            ],
            "London tribunal rules Acme overcharged users",
        ),
        (
            ["Ten years after its first launch, Orbix has released a new satellite for broadband in Africa."],
            "Orbix releases new satellite for broadband in Africa",
        ),
        (
            ["Citing a rise in fraud against older customers, the central bank has banned crypto payments by card."],
            "Central bank bans crypto payments by card",
        ),
        (
            ["Having lost two appeals in the Netherlands, Uber has settled with its drivers."],
            "Uber settles with its drivers",
        ),
    ],
)
def test_a_long_scene_setting_opener_gives_way_to_the_actor(paragraphs, expected):
    headline = derive_headline(paragraphs)
    assert headline == expected
    assert headline_problems(headline) == []


def test_an_aside_on_the_actor_does_not_hide_the_verb():
    lead = ["Humain, the AI company launched by Saudi Arabia's Public Investment Fund, will buy 18,000 Nvidia chips."]
    assert derive_headline(lead) == "Humain to buy 18,000 Nvidia chips"
    lead = ["A US judge ruled that Ross Intelligence, a former legal start-up, was not entitled to a fair use defence."]
    assert derive_headline(lead) == "US judge rules Ross Intelligence was not entitled to fair use defence"


def test_verbs_the_lexicon_lacks_still_take_headline_tense():
    assert (
        derive_headline(["The CMA has designated Google with strategic market status in search."])
        == "CMA designates Google with strategic market status in search"
    )
    assert (
        derive_headline(["KT Corporation has admitted that criminals used fake femtocells."])
        == "KT Corporation admits criminals used fake femtocells"
    )
    assert (
        derive_headline(["A failure in the AWS region knocked out thousands of apps."])
        == "Failure in AWS region knocks out thousands of apps"
    )


def test_when_the_sayer_leaves_no_room_the_headline_is_what_was_said():
    headline = derive_headline(
        [
            "Zentrohealth Group has said the ransomware attack on its Orbix Pharmacy unit in March 2025 exposed the "
            "personal and medical records of about 12 million patients across three countries."
        ]
    )
    assert headline.startswith("Ransomware attack on") and " exposes " in headline
    assert "March" not in headline and headline_problems(headline) == []


def test_an_aside_on_a_listed_subject_is_neither_the_verb_nor_kept():
    headline = derive_headline(
        [
            "Police in Ruritania, Fenland and Borduria, supported by Interpol, have dismantled a fake investment "
            "call centre, arresting nine suspects."
        ]
    )
    assert headline == "Police in Ruritania, Fenland and Borduria dismantle fake investment call centre"


def test_verbs_of_deals_and_courts_are_known():
    assert derive_headline(["Quillpay and Orbix abandoned their planned merger on Friday."]).startswith(
        "Quillpay and Orbix abandon"
    )
    assert headline_problems("Quillpay and Orbix abandon their merger") == []
    assert "what was said is cut before its verb" in headline_problems("Orbix says attack on its payments unit")


@pytest.mark.parametrize(
    ("lead", "expected"),
    [
        (  # the sayer named last: the sayer leads the headline
            "The gang behind the outage that took down Quillpay's card terminals across Portugal in May was "
            "Borealis, the payments firm has said after an inquiry by an outside investigator.",
            "Quillpay says gang behind outage was Borealis",  # "the payments firm" is the one the text names
        ),
        (  # a relative clause on what was said gives way to its verb
            "Zentro Hotels has said the breach that exposed booking records, loyalty numbers and passport scans "
            "of guests at its resorts in June will cost it about €40 million.",
            "Zentro Hotels says breach will cost it about €40 million",
        ),
        (  # never cut inside what someone said: keep the clause before it
            "Shares of Orbix Systems fell by a fifth after the chip designer said its chairman, Ana Lima, had "
            "resigned, saying she disagreed with the board over the accounts.",
            "Orbix Systems shares fall by fifth",
        ),
    ],
)
def test_what_was_said_is_never_cut_before_its_verb(lead, expected):
    headline = derive_headline([lead])
    assert headline == expected
    assert headline_problems(headline) == []


# Each rule of a whole headline, stated with invented news: a derived headline names the actor with
# a finite verb, and a cut leaves no phrase unfinished (the evaluator's checks, with the text).
@pytest.mark.parametrize(
    ("lead", "expected"),
    [
        (  # a participle opener gives way to the subject and its verb
            "Hit by a ransomware attack last week, Zentro Logistics said it had restored most of its shipping systems.",
            "Zentro Logistics says it has restored most of its shipping systems",
        ),
        (  # a passive with its agent turns active
            "Zentro Bank, the Lisbon lender that runs cards for 12 supermarket chains, has been fined by Portugal's "
            "central bank for failing to report suspicious payments.",
            "Portugal's central bank fines Zentro Bank for failing to report suspicious payments",
        ),
        (  # an incident that hit a firm and did something: the incident is the actor
            "Orbix Telecom has been hit by a cyberattack that knocked out broadband for 2 million homes across "
            "Fenland and Borduria, forcing it to send engineers to every exchange.",
            "Cyberattack on Orbix Telecom knocks out broadband for 2 million homes",
        ),
        (  # "Shares of X …": X is the actor, and the verb is found past an aside on X
            "Shares of Kappa Robotics, the maker of warehouse robots for Zentro and Orbix, plunged 35% on Tuesday "
            "after the company cut its annual forecast and its finance chief resigned.",
            "Kappa Robotics shares plunge 35%",
        ),
        (  # an aside whose own list has commas closes where the verb goes on
            "Zentro Motors, whose software runs the navigation, charging and entertainment systems of 3 million "
            "cars in Europe, has recalled 400,000 vehicles over a bug that can disable the brakes.",
            "Zentro Motors recalls 400,000 vehicles over bug that can disable brakes",
        ),
        (  # a list inside an aside is no noun list of the verb ("seize Darkbazaar cookies")
            "Police in Fenland and Borduria have seized Darkbazaar, a forum that traded stolen passwords, cookies "
            "and card numbers of millions of users, in an operation that led to 40 arrests.",
            "Police in Fenland and Borduria seize Darkbazaar",
        ),
        (  # whom something was told is not news: what was told is
            "Quillpay has told customers in a letter that the names, addresses and bank details of 310,000 people "
            "were copied by hackers in August.",
            "Quillpay says names, addresses and bank details of 310,000 people were copied by hackers",
        ),
        (  # told to do something: an "of" phrase on whom it was told gives way, never what was told
            "The Fenland telecoms regulator has told operators of mobile and fixed broadband networks in the "
            "northern provinces to stop selling prepaid SIM cards to unverified buyers.",
            "Fenland telecoms regulator tells operators to stop selling prepaid SIM cards",
        ),
        (  # a long name the article also writes as an acronym, when the name leaves no room
            "The Fenland Data Protection and Information Security Authority has ordered all public hospitals in "
            "the country to delete patient photos stored on messaging apps, the FDPISA said.",
            "FDPISA orders all public hospitals in country to delete patient photos",
        ),
        (  # the acronym of a name with an abbreviated legal form takes the form's full stop with it
            "Fenland Quantum Semiconductor Manufacturing Co. has dismissed several engineers over unauthorised "
            "attempts to obtain trade secrets on its newest two-nanometre chipmaking technology. FQSMC said it had "
            "zero tolerance.",
            "FQSMC dismisses several engineers over unauthorised attempts to obtain trade secrets",
        ),
        (  # "the … company has said": the company the text names
            "The group that stole the source code of Orbix Games' best-selling title was a teenage gang called "
            "Static Fox, the Fenland game maker has said after an inquiry.",
            "Orbix Games says group was teenage gang called Static Fox",
        ),
        (  # an adverb between auxiliary and verb; a second verb after "and" in headline tense too
            "Zentro’s board has approved a $5 billion share buyback and raised its annual dividend by 8%, after "
            "quarterly profit beat analysts’ forecasts.",
            "Zentro’s board approves $5 billion share buyback and raises its annual dividend by 8%",
        ),
        (
            "Orbix Cloud has preliminarily agreed to buy the data centre operator Zentro Hosting for about "
            "€1.2 billion in cash and shares, the companies said.",
            "Orbix Cloud preliminarily agrees to buy data centre operator Zentro Hosting",
        ),
        (  # "The payments company" after a sentence that named one firm is that firm
            "It has been a turbulent year for Quillpay. The payments company has cut 2,000 jobs and replaced its "
            "chief executive after losing two of its largest merchants.",
            "Quillpay cuts 2,000 jobs and replaces its chief executive",
        ),
        (  # "New rules …" is a noun, "came" the verb
            "New rules requiring online platforms to verify the age of their users came into force in Borduria "
            "on 1 July.",
            "New rules requiring online platforms to verify age of their users come into force",
        ),
        (
            "The Borduria parliament voted on Wednesday to ban the sale of smartphones to children under 14, "
            "becoming the first country in the region to do so.",
            "Borduria parliament votes to ban sale of smartphones to children under 14",
        ),
        (
            "Shares in Quillpay jumped 12% after the payments company reported higher-than-expected profit and "
            "raised its forecast.",
            "Quillpay shares jump 12%",
        ),
        (  # a word after a possessive is a noun, not the verb
            "Orbix’s plans to cut 3,000 jobs in Fenland drew protests from unions on Monday.",
            "Orbix’s plans to cut 3,000 jobs in Fenland draw protests from unions",
        ),
        (  # two actors, each with an aside
            "Zentro, the Fenland telecoms group, and Kappa, the Borduria cable operator, have agreed to merge in a "
            "deal worth €9 billion.",
            "Zentro and Kappa to merge in deal worth €9 billion",
        ),
        (  # a participle aside and a relative aside on the subject are no verbs of its own
            "Orbix’s new chatbot, launched in March, has been banned from government devices in three Fenland "
            "ministries.",
            "Orbix’s new chatbot banned from government devices in three Fenland ministries",
        ),
        (
            "Kappa’s new law on platform work, which took effect on Monday, requires delivery apps to treat riders "
            "as employees unless they can prove otherwise.",
            "Kappa’s new law on platform work requires delivery apps to treat riders",
        ),
        (  # a passive agent ends where what it accuses of begins
            "Orbix has been accused by Fenland’s consumer watchdog of misleading customers about how their data is "
            "used to train its AI models.",
            "Fenland’s consumer watchdog accuses Orbix of misleading customers",
        ),
        (  # an "including" aside after a long subject, whose figure has a comma of its own
            "Data of about 400,000 customers of the Fenland insurer Zentro Life, including names, dates of birth "
            "and policy numbers, has been published on a hacking forum.",
            "Data of about 400,000 customers of Fenland insurer Zentro Life published on hacking forum",
        ),
        (  # "the … company said" names no one: what it said stands, without the attribution
            "Handling 1.2 million chats in its first month, a chatbot built by Quillpay with Orbix is doing the work "
            "of 300 full-time agents, the Lisbon payments company said.",
            "Chatbot built by Quillpay with Orbix does work of 300 full-time agents",
        ),
        (  # a second verb after "and" takes headline tense before "more than"
            "Zentro Air suspended ticket sales and delayed more than 40 flights on Monday after a cyberattack "
            "flooded its network.",
            "Zentro Air suspends ticket sales and delays over 40 flights",
        ),
        (  # a finding on a named firm that leaves no room for the finder stands as the headline
            "In an inspection that ran from May to July, Fenland's Financial Supervisory Service found that Quillpay "
            "had handed the personal credit information of about 40 million users to Orbix without their consent.",
            "Quillpay hands personal credit information of about 40 million users to Orbix",
        ),
        (  # the sayer named after what was said: a court's ruling leads with the court
            "Orbix illegally monopolised two markets for online payment terminals, a federal judge in Fenland ruled "
            "on Thursday, handing the competition authority its second victory against the firm.",
            "Federal judge in Fenland rules Orbix illegally monopolised two markets",
        ),
        (  # a quotation lead gives way to the clause it is said with; "the authority" is the one it names
            "“Quillpay's reckless use of customer data left its users exposed to fraud,” said Ana Lima, head of the "
            "Fenland Data Protection Authority's enforcement unit, as the authority fined the payments firm €3 million "
            "for failing to protect card numbers.",
            "Fenland Data Protection Authority fines payments firm €3 million",
        ),
        (  # "called X" gives a name, it is not the verb; a second verb after "and then" takes headline tense
            "Hours after a pop star promoted it online, a token called $ZENT rose to a market value of two billion "
            "dollars and then collapsed.",
            "Token called $ZENT rises to market value of two billion dollars and then collapses",
        ),
        (  # an aside with a comma of its own ("buy now, pay later") closes where the predicate goes on
            "Quillbank is ending Quill Later, the buy now, pay later service it launched in Fenland last year, and "
            "will instead offer loans from partner banks.",
            "Quillbank ends Quill Later and will instead offer loans from partner banks",
        ),
        (  # what a second verb says is in headline tense too
            "Orbix has unveiled Orbix-4, a model that can reason across text, images and audio in real time, and "
            "said it would make it free for all users.",
            "Orbix unveils Orbix-4 and says it will make it free for all users",
        ),
        (  # a long name that leaves no room for the rest is the acronym the article uses; a long
            # appositive at the end is detail, dropped before anything is cut
            "The Fenland Competition and Markets Authority has designated Orbix with strategic market status in "
            "search, the first such decision under the new law. The designation lets the CMA impose conduct "
            "requirements.",
            "Fenland CMA designates Orbix with strategic market status in search",
        ),
        (  # "X shares fell": "shares" is a noun before the verb
            "Nvidia shares fell 17% in a single day after a Chinese start-up released a cheap model.",
            "Nvidia shares fall 17% in single day after Chinese start-up released cheap model",
        ),
        (  # what a firm's chief says "the company" will do is the firm's news
            "In a memo to staff, Orbix chief executive Ana Lima said the company would pause its planned factories "
            "in Fenland and Borduria for about two years.",
            "Orbix to pause its planned factories in Fenland and Borduria for about two years",
        ),
        (  # dates are dropped before anything is cut
            "Orbix bought Zentro in 2008 for $3.1 billion and Kappa in 2011 for $400 million, giving it the largest "
            "share of the market in Fenland at the time.",
            "Orbix buys Zentro for $3.1 billion and Kappa for $400 million",
        ),
        (  # a legal form inside a headline goes; a noun after a participle ("extended trading") stays
            "Shares of Orbix Corp. fell by more than 20% in extended trading after the chipmaker said it would cut "
            "about 15% of its workforce, suspend its dividend and reduce spending by $10 billion next year.",
            "Orbix shares fall by over 20% in extended trading",
        ),
        (  # a legal form that ends the headline stays: the text goes on with it
            "The Fenland Treasury has sanctioned Zentro Technology Inc., a firm that hosts scam sites.",
            "Fenland Treasury sanctions Zentro Technology Inc",
        ),
        (  # a country's unnamed body is the country, as headlines write it
            "Fenland's competition authority has fined Orbix €150 million over the way it ran its app tracking "
            "feature.",
            "Fenland fines Orbix €150 million over way it ran its app tracking feature",
        ),
        (  # a named regulator is its country too, as headlines write it; a court stays
            "Borduria's Personal Data Protection Commission has fined Orbix Mobile for a breach.",
            "Borduria fines Orbix Mobile for breach",
        ),
        (
            "Borduria's Supreme Administrative Court has upheld a fine on Orbix Mobile for a breach.",
            "Borduria's Supreme Administrative Court upholds fine on Orbix Mobile for breach",
        ),
        (  # a place on the actor gives way when it leaves no room for what was done
            "A federal judge in Fenland has upheld a jury verdict that Orbix did not breach its licence with Zentro, "
            "ending a three-year dispute.",
            "Federal judge upholds jury verdict that Orbix did not breach its licence with Zentro",
        ),
        (  # and stays when it costs nothing
            "A federal judge in Fenland has rejected a proposed $30 billion settlement between Orbix, Zentro and the "
            "merchants who sued them over card fees.",
            "Federal judge in Fenland rejects proposed $30 billion settlement",
        ),
        (  # examples ("such as A, B, C and D") give way when they leave no room for the sayer
            "Treating buy now, pay later loans like credit cards, the Fenland Consumer Protection Bureau has said that "
            "lenders such as Quillpay, Orbix, Zentro and Kappa Pay must give shoppers the same protections when they "
            "dispute a charge.",
            "Fenland Consumer Protection Bureau says lenders must give shoppers same protections",
        ),
        (  # a passive with an amount before its agent turns active, the amount after the one fined
            "Zentro Platforms Fenland Limited has been fined €91 million by the Fenland Data Protection Commission for "
            "storing the passwords of millions of users in plain text.",
            "Fenland Data Protection Commission fines Zentro Platforms Fenland €91 million",
        ),
        (  # a participle opener gives way to a subject of up to 14 words
            "Announced during the president's state visit to Borduria, a $1 billion investment by Orbix and the "
            "Lisbon-based AI company Zentro will build a data centre in Fenland powered by geothermal energy.",
            "$1 billion investment by Orbix and Lisbon-based AI company Zentro to build data centre",
        ),
        (  # the clause after a quotation, its role subject named by the firm the sentence names, not the person
            "“We will not pay the hackers,” said Ana Lima, chief executive of Quillbank, after the lender confirmed "
            "that the data of 3 million customers had been stolen.",
            "Quillbank confirms data of 3 million customers had been stolen",
        ),
        (  # a quotation alone is what its named sayer says
            "“We will not pay the hackers,” said Ana Lima, chief executive of Quillbank.",
            "Ana Lima says we will not pay hackers",
        ),
        (  # a participle phrase on the subject ends where the sentence's own verb takes its object
            "According to a report by the security firm Kappa Labs, hackers linked to Borduria's intelligence service "
            "breached the networks of at least 20 Fenland ministries.",
            "Hackers linked to Borduria's intelligence service breach networks",
        ),
        (  # a quotation whose sayer is followed by what the sayer did: that is the news
            "“This is the largest data breach in our country's history,” said Fenland's data protection commissioner "
            "Ana Lima, who has opened an investigation into Zentro Health.",
            "Fenland's data protection commissioner Ana Lima opens investigation into Zentro Health",
        ),
        (  # British spelling doubles a final l: "cancelled" -> "cancels"
            "Kappa Air has cancelled more than 300 flights across Europe after a software failure at its maintenance "
            "contractor grounded a third of its fleet, the airline said on Sunday.",
            "Kappa Air cancels over 300 flights across Europe",
        ),
        (  # whom it was told is not news, also when what was told is about them
            "Zentro Stores has told some 430,000 customers that their names and contact details were stolen from a "
            "third-party provider.",
            "Zentro Stores says names and contact details of some 430,000 customers were stolen",
        ),
        (  # "that will" -> "to"; "rules" after a verb is its object, not a verb of saying
            "Fenland lawmakers have approved rules that will force firms to make their devices easier to repair.",
            "Fenland lawmakers approve rules to force firms to make their devices easier to repair",
        ),
    ],
)
def test_a_lead_becomes_a_whole_headline(lead, expected):
    headline = derive_headline([lead])
    assert headline == expected
    assert headline_problems(headline, text=[lead]) == []


@pytest.mark.parametrize(
    ("lead", "expected"),
    [
        (  # not "… after group of Nordic newspapers": the clause's own verb was cut off
            "Shares of Orbix fell 30% after a group of Nordic newspapers reported that the firm had bribed officials "
            "in three countries to win telecoms licences.",
            "Orbix shares fall 30%",
        ),
        (  # not "… fines Orbix Mobile 95.5 billion": a figure keeps its unit or goes
            "The Fenland Personal Data and Privacy Protection Commission has fined Orbix Mobile 95.5 billion crowns, "
            "the largest fine in the country's history, for a breach that exposed 9 million subscribers.",
            "Fenland Personal Data and Privacy Protection Commission fines Orbix Mobile",
        ),
        (  # not "… from using private": modifiers joined by a comma stay with their noun
            "Quillrent has agreed to stop its software from using the private, non-public rent data of competing "
            "landlords to set prices, under a settlement with Fenland's competition authority.",
            "Quillrent to stop its software from using private, non-public rent data",
        ),
        (  # not "… and extorting": a verb keeps its object, even "it"
            "Ivan Petrov, a 24-year-old programmer from Borduria, has been sentenced to six years in prison for "
            "hacking Quillbank, the country's largest lender, and extorting it.",
            "Ivan Petrov sentenced to six years in prison for hacking Quillbank and extorting it",
        ),
        (  # not "… issues Orbix Social": whom something is given, with what is given
            "The Fenland data watchdog has issued Orbix Social with a formal reprimand over its failure to protect "
            "the messages of teenage users from strangers and advertisers.",
            "Fenland data watchdog issues Orbix Social with formal reprimand over its failure",
        ),
        (  # a list's first item when the whole list leaves no room, never a word of a noun phrase
            "An outage at Kappa Cloud disrupted airline check-in systems, bank apps and food delivery services "
            "across Europe for several hours on Thursday.",
            "Outage at Kappa Cloud disrupts airline check-in systems",
        ),
        (  # not "… charged with stealing chip designs and selling": the second verb goes whole or not at all
            "Two former employees of Orbix Semiconductor have been charged with stealing chip designs and selling "
            "them to a rival in Borduria.",
            "Two former employees of Orbix Semiconductor charged with stealing chip designs",
        ),
        (  # not "… flights and delayed": a second verb goes with its object or not at all
            "Zentro Airways suspended the sales of tickets for all of its same-day flights and delayed more than 40 "
            "domestic flights on Monday after a cyberattack flooded its network, the carrier said.",
            "Zentro Airways suspends sales of tickets for all of its same-day flights",
        ),
        (  # not "… with complicity in distribution": a noun after a preposition keeps the "of" that says what
            "Fenland prosecutors have charged Tom Berg with complicity in the distribution of stolen card data, "
            "illegal weapons and illegal drugs on his messaging platform.",
            "Fenland prosecutors charge Tom Berg with complicity",
        ),
        (  # not "… easier": an adjective keeps its own infinitive ("easier to repair"), or goes with it
            "Fenland lawmakers have approved rules that will force phone makers to make their devices easier to "
            "repair.",
            "Fenland lawmakers approve rules",
        ),
        (  # "as fast" is no clause of its own
            "The chipmaker Zentro Semiconductor has unveiled a new AI accelerator that it says is twice as fast as its "
            "rival's best product.",
            "Zentro Semiconductor unveils new AI accelerator that it says is twice as fast",
        ),
        (  # not "… as it races": a subordinate clause goes whole or not at all
            "Orbix’s cloud unit will invest $9 billion in Fenland over the next four years, the company said, as it "
            "races to meet demand for AI.",
            "Orbix’s cloud unit to invest $9 billion in Fenland over next four years",
        ),
    ],
)
def test_a_cut_falls_only_at_a_phrase_boundary(lead, expected):
    headline = derive_headline([lead])
    assert headline == expected
    assert headline_problems(headline, text=[lead]) == []


def test_a_lead_with_no_whole_headline_gives_way_to_one_that_has():
    paragraphs = [
        "The $2 billion settlement between the Fenland consumer association and the ride-hailing platform Kappa Go "
        "is the largest consumer recovery in the history of the country’s courts. Kappa Go has agreed to repay "
        "drivers for fees it charged between 2019 and 2024."
    ]
    headline = derive_headline(paragraphs, max_chars=60)
    assert headline == "Kappa Go to repay drivers for fees it charged"
    assert headline_problems(headline, text=paragraphs) == []


@pytest.mark.parametrize(
    ("lead", "expected"),
    [
        (  # a participle opener gives way to its clause, even one whose subject opens with an adjective
            "Weighing bids for the port contract in a closed meeting on Tuesday, senior ministers of Fenland chose "
            "Orbix as the operator of the new container terminal.",
            "Senior ministers of Fenland choose Orbix as operator of new container terminal",
        ),
        (  # a second verb after a perfect shares its "has": "taken" takes headline tense too
            "Zentro Semiconductor has fired three engineers and taken legal action after detecting attempts to copy "
            "the designs of its newest chips.",
            "Zentro Semiconductor fires three engineers and takes legal action",
        ),
        (  # "given", a participle only, after a verb the lexicon lacks
            "Quillpay has demoted its chief executive and given regulators access to its books after auditors found "
            "gaps in its accounts.",
            "Quillpay demotes its chief executive and gives regulators access to its books",
        ),
        (  # "other automated tools" is no verb; a relative clause on the subject goes when the headline is long
            "Landlords in Fenland that use credit scores and other automated tools to screen tenants for flats or "
            "houses must now have the tools audited each year for bias and tell tenants they are being used.",
            "Landlords in Fenland must now have tools audited each year for bias",
        ),
        (  # whom a verb allows keeps what it is allowed
            "Reversing a ban it imposed three years ago, the central bank of Ruritania has allowed banks and other "
            "payment institutions to open accounts for crypto exchanges and provide them with custody services.",
            "Central bank of Ruritania allows banks and other payment institutions to open accounts",
        ),
        (  # a plural subject's verb in its base form, after an aside or an adverb
            "Orbix and Kappa, the two largest telecoms operators in Fenland, plan to merge their mobile networks by "
            "next spring.",
            "Orbix and Kappa to merge their mobile networks by next spring",
        ),
        (  # "…, which is preparing rules to …" is nobody ruling; the Authority's name is not cut
            "Zentro and Quillpay also deliver parcels by drone under permits from the Fenland Aviation Authority, "
            "which is preparing rules to let operators fly at night.",
            "Zentro and Quillpay deliver parcels by drone under permits",
        ),
        (  # ", the regulator said on Monday," is who said it, not an aside the clause goes on after
            "Landlords must tell tenants how their rents are set, the Fenland housing regulator said on Monday, "
            "adopting a rule that covers all rented flats.",
            "Landlords must tell tenants how their rents are set",
        ),
        (  # a deal keeps what it is for, a name is not cut after "behind"
            "Orbix has signed its first corporate deal to buy power from small nuclear reactors built by Kappa Energy "
            "in the north of Fenland.",
            "Orbix signs its first corporate deal to buy power from small nuclear reactors",
        ),
        (  # "will have to" is "must"
            "Zentro, Kappa and Quillpay will have to comply with the Fenland Platforms Act by March.",
            "Zentro, Kappa and Quillpay must comply with Fenland Platforms Act by March",
        ),
    ],
)
def test_a_verb_keeps_its_tense_its_subject_and_what_it_governs(lead, expected):
    headline = derive_headline([lead])
    assert headline == expected
    assert headline_problems(headline, text=[lead]) == []


@pytest.mark.parametrize(
    ("paragraphs", "expected"),
    [
        (  # "agrees to V" is "to V"; "agrees to a settlement" stays
            ["Orbix has agreed to buy the payments start-up Quillpay for €400 million in cash."],
            "Orbix to buy payments start-up Quillpay for €400 million in cash",
        ),
        (
            ["Orbix has agreed to a €5 million settlement with Fenland regulators over its data practices."],
            "Orbix agrees to €5 million settlement with Fenland regulators over its data practices",
        ),
        (  # a body is called by the acronym its article uses, without its country before it
            [
                "The US Fenland Trade Commission has sued Orbix over fees it charged to sellers.",
                "The FTC said the fees broke the law.",
            ],
            "FTC sues Orbix over fees it charged to sellers",
        ),
        (  # a head of government by surname; the subject's own figure without "its"
            ["Prime Minister Ana Lima has announced a plan to build three new data centres in Fenland."],
            "Lima announces plan to build three new data centres in Fenland",
        ),
        (
            ["Orbix has completed its €2.1 billion purchase of the Fenland cable operator Kappa Net."],
            "Orbix completes €2.1 billion purchase of Fenland cable operator Kappa Net",
        ),
        (  # a firm's full name as its article also calls it on its own; never a name the article does not shorten
            [
                "Kappa Holdings has agreed to buy the Fenland cable operator Zentro Networks.",
                "Kappa said the deal would close in May. Zentro Networks said it welcomed it.",
            ],
            "Kappa to buy Fenland cable operator Zentro Networks",
        ),
        (
            ["Quillpay Financial has raised €40 million from Orbix Capital.", "Quillpay Financial said it would hire."],
            "Quillpay Financial raises €40 million from Orbix Capital",
        ),
        (  # reported speech in headline tense: "had accessed" -> "accessed", "had stolen" -> "stole"
            ["Orbix said that hackers had accessed a billing system used by its call centres."],
            "Orbix says hackers accessed billing system used by its call centres",
        ),
        (
            ["Zentro has said hackers had stolen the names of 40,000 customers."],
            "Zentro says hackers stole names of 40,000 customers",
        ),
        (  # a relative clause goes even when the whole lead would fit
            ["Kappa Air will close its lounges in all five airports where it flies the route by the end of May."],
            "Kappa Air to close its lounges in all five airports",
        ),
        (  # the Union's governments acting together are the EU
            ["The Council of the European Union has adopted a law on the repair of phones and tablets."],
            "EU adopts law on repair of phones and tablets",
        ),
    ],
)
def test_a_headline_names_and_words_as_headlines_do(paragraphs, expected):
    headline = derive_headline(paragraphs)
    assert headline == expected
    assert headline_problems(headline, text=paragraphs) == []


def test_a_focusing_adverb_is_never_cut_from_its_focus():
    paragraphs = [
        "Citing security concerns, Fenland has ordered that drones, model aircraft and weather balloons may be flown "
        "only with a permit from the aviation authority. The aviation authority said permits would take a week."
    ]
    headline = derive_headline(paragraphs)
    assert headline == "Aviation authority says permits will take week"
    assert headline_problems(headline, text=paragraphs) == []


def test_a_headline_never_ends_on_a_quantifier():
    lead = [
        "The model has about 1.2 trillion parameters, eight times as many as the one it replaces, and will run on "
        "Orbix servers."
    ]
    headline = derive_headline(lead, max_chars=60)
    assert not headline.endswith(("many", "as")), headline
    assert headline_problems(headline, text=lead) == []


def test_a_word_longer_than_the_limit_is_never_cut_in_two():
    assert derive_headline(["Supercalifragilisticexpialidocious."], max_chars=20) == FALLBACK_HEADLINE


@pytest.mark.parametrize(
    "lead, expected",
    [
        ("The Online Safety Act, as it is known, takes effect in March.", "Online Safety Act takes effect"),
        (
            "Zentro, as the start-up is called, raised $5 million from investors.",
            "Zentro raises $5 million from investors",
        ),
    ],
)
def test_how_a_thing_is_named_is_no_part_of_its_headline(lead, expected):
    # ", as it is known," once lost its "is" and became the headline: "Online Safety Act, as it known"
    assert derive_headline([lead]) == expected

"""The evaluation tool (benchmarks/evaluate.py) and its labelled sets: scores are computed right, sets are sound."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

import pytest

import benchmarks.evaluate
from benchmarks.evaluate import (
    DEFAULT_SETS,
    HELD_OUT,
    SETS,
    Score,
    evaluate_headlines,
    evaluate_tags,
    headline_problems,
    load_labelled,
    main,
    seconds_per_10000,
    token_f1,
)
from builder.tagging import Tagger

CLASSES = {"glued", "list", "cue", "acronym", "division", "non_company", "ordinary_word", "topic", "headline"}
END = "Would you like to learn more about AI, tech and digital diplomacy? If so, ask our Diplo chatbot!"


@pytest.fixture
def tiny(tmp_path):
    """Two labelled untitled articles in one dump, with labels an editor might write."""
    (tmp_path / "untitled_01.txt").write_text(
        "Meta has agreed to buy the Belgian start-up Quillpay for $2 billion.\n"
        "Facebook's owner said Quillpay's staff would join Meta in Brussels.\n"
        f"{END}\n"
        "The European Commission has fined Visa €10 million over payment card fees in Italy.\n"
        f"Visa said it would appeal.\n{END}\n",
        encoding="utf-8",
    )
    (tmp_path / "tiny.yaml").write_text(
        """articles:
- dump: untitled_01.txt
  position: 1
  starts: Meta has agreed to buy the Belgian start-up Quillpay
  headline: Meta to buy Belgian start-up Quillpay for $2 billion
  companies: [Facebook, Quillpay, Zentro]
  optional_companies: []
  organisations: []
  threat_actors: []
  countries: [Belgium]
  topics: [Payments and fintech]
  optional_topics: []
  classes: [cue]
- dump: untitled_01.txt
  position: 2
  starts: The European Commission has fined Visa
  headline: EU fines Visa €10 million over card fees
  companies: [Visa Inc.]
  optional_companies: []
  organisations: [European Commission]
  threat_actors: []
  countries: [European Union, Italy]
  topics: [Competition and antitrust, Payments and fintech]
  optional_topics: [Digital policy and regulation]
  classes: [ordinary_word]
""",
        encoding="utf-8",
    )
    return load_labelled(tmp_path / "tiny.yaml", tmp_path)


def test_scores_on_a_tiny_labelled_set(tiny, tagger):
    scores = evaluate_tags(tiny, tagger)
    # Labels may use aliases (Facebook for Meta) and legal forms the tagger drops (Visa Inc. for Visa);
    # Zentro is labelled but not in the text: one miss.
    companies = scores["companies"]
    assert (companies.true_pos, companies.false_pos, companies.false_neg) == (3, 0, 1)
    assert companies.precision == 1.0 and companies.recall == pytest.approx(0.75)
    assert companies.f1 == pytest.approx(2 * 0.75 / 1.75)
    assert scores["companies/cue"].recall == pytest.approx(2 / 3)  # per error class: only article 1
    assert scores["companies/ordinary_word"].f1 == 1.0
    assert scores["countries"].f1 == 1.0 and scores["countries"].true_pos == 3
    assert scores["organisations"].true_pos == 1
    assert "untitled_01.txt#1: missing ['zentro']" in companies.misses


def test_optional_names_count_neither_way():
    score = Score()
    score.add("a#1", expected={"meta"}, got={"meta", "instagram", "acme"}, optional={"instagram", "whatsapp"})
    assert (score.true_pos, score.false_pos, score.false_neg) == (1, 1, 0)
    assert score.misses == ["a#1: extra ['acme']"]
    empty = Score()
    assert (empty.precision, empty.recall) == (1.0, 1.0)


def test_headline_figures_on_the_tiny_set(tiny):
    figures = evaluate_headlines(tiny)
    assert len(figures.lines) == 2 and figures.passed == 2
    assert 0.3 < figures.overlap <= 1.0
    assert all(line.startswith("ok") for line in figures.lines)


def test_speed_is_measured_per_10000_articles(tiny, tagger):
    seconds = seconds_per_10000(tiny, tagger, budget=0.05)
    assert 0 < seconds < 60


def test_rouge_1_f_of_two_headlines():
    assert token_f1(
        "Qantas breach exposes 5.7 million customers", "Qantas data breach exposes 5.7 million customers"
    ) == pytest.approx(2 * 6 / 13)
    assert token_f1("Completely different", "Nothing shared") == 0.0
    assert token_f1("Meta buys Quillpay", "meta BUYS quillpay") == 1.0


def test_headline_rules():
    assert headline_problems("Google announces €5 billion investment in Belgium", "Google") == []
    assert headline_problems("OpenAI, SoftBank and Oracle announce Stargate") == []
    assert headline_problems("Google announces investment in the", "Google") == ["ends on 'the'"]
    assert "does not name Google" in headline_problems("Tech giant invests in Belgium", "Google")
    assert headline_problems("x" * 95)[0] == "longer than 90 characters (95)"
    assert "starts with a date or time phrase" in headline_problems("Running from 3 to 7 June, the fair opens")
    assert "starts with its verb: no actor" in headline_problems("Issued ruling in investigation into cartel")
    assert "starts with its verb: no actor" in headline_problems("Has raised $96 million in round led by Orbix")
    assert "no finite verb" in headline_problems("Coalition of police agencies led by national crime unit")


@pytest.mark.parametrize(
    "headline, problem",
    [
        ("Zentro buys stake in its", "ends on 'its'"),
        ("Regulator fines Orbix over the", "ends on 'the'"),
        ("Quillpay sells most", "ends on 'most'"),
        ("Orbix agrees deal with the company's", 'ends on "company\'s"'),
        ("Ruritanian watchdog has provisionally", "ends on 'has provisionally'"),
        ("Orbix unveils", "ends on 'unveils', a verb without its object"),
        ("Hacker jailed for breaching Zentro and extorting", "ends on 'extorting', a verb without its object"),
        ("Quillpay agrees to pay", "ends on 'pay', a verb without its object"),
        ("Ministry tells operators of payment networks", "says whom 'tells' addresses but not what"),
        ("Watchdog orders telecom operators", "says whom 'orders' addresses but not what"),
        ("President signs law requiring platforms", "says whom 'requiring' addresses but not what"),
        ("Data regulator issues Zentro", "says whom 'issues' addresses but not what"),
        (
            "Orbix Bank, lender behind loans and savings plans",
            "the actor's own verb is cut: only an aside on it is left",
        ),
        ("Zentro Cloud, whose software runs payrolls", "the actor's own verb is cut: only an aside on it is left"),
        ("Company says robot will ship in spring", "names no actor, only 'Company'"),
        ("If ruling stands, Orbix must pay", "starts with a scene-setting phrase, not the actor"),
        ("Court rules government’s plan to store fingerprints", "what was said is cut before its verb"),
        ("Data of 4,000 customers, including names", "no finite verb"),
        ("Fenland orders that drones, model aircraft", "the clause after 'orders that' has no verb"),
        (
            "Orbix fires three engineers and taken legal action",
            "a second verb left a participle after a present one: 'and taken'",
        ),
    ],
)
def test_a_headline_cut_inside_a_phrase_breaks_the_rules(headline, problem):
    assert problem in headline_problems(headline)


@pytest.mark.parametrize(
    "headline",
    [
        "Orbix orders 40 new trains",  # a thing ordered, not someone told
        "Watchdog orders telecom operators to block scam calls",
        "Ministry tells banks that fees must fall",
        "Two teenagers arrested",  # a passive participle needs no object
        "Shares fall sharply",  # an adverb after a verb that needs no object
        "Quillpay buys Zentro for €40 million",
        "Court grants Orbix licence",
        "Police in Fenland, Borduria and Ruritania arrest nine",
        "Fenland police seize forum",  # "police" is plural: a bare verb after it is finite
        "Quillnet compensates 40,000 merchants",  # a verb the lexicon lacks, after a name
        "Zentro unveils phone that it says will sell for $800",  # what was said starts with its verb
        "Orbix has fired three engineers and taken legal action",  # both share the perfect's "has"
    ],
)
def test_whole_phrases_pass(headline):
    assert headline_problems(headline) == []


def test_the_text_says_whether_a_headline_ends_inside_a_phrase():
    text = [
        "Shares of Orbix fell 30% after a group of Nordic newspapers reported that the firm had lost its "
        "licence. Quillpay said it would pay 12.5 billion won, a record, for the largest payments licence "
        "auction in Korea, using the confidential, current bidding data of rivals."
    ]
    assert "cut mid-phrase: the text goes on 'reported'" in headline_problems(
        "Shares of Orbix fall 30% after group of Nordic newspapers", text=text
    )
    assert "cut mid-phrase: the text goes on 'won,'" in headline_problems("Quillpay to pay 12.5 billion", text=text)
    assert "cut mid-phrase: the text goes on 'auction'" in headline_problems(
        "Quillpay to pay for largest payments licence", text=text
    )
    assert "cut mid-phrase: the text goes on 'current'" in headline_problems(
        "Quillpay pays using confidential", text=text
    )
    for whole in ("Shares of Orbix fall 30%", "Quillpay to pay 12.5 billion won", "Orbix has lost its licence"):
        assert headline_problems(whole, text=text) == [], whole
    cloud = ["The outage was caused by a bad update, the cloud company has said."]
    assert "names no actor, only 'Cloud company'" in headline_problems(
        "Cloud company says update caused outage", text=cloud
    )


def test_a_participle_opening_without_a_clause_of_its_own_breaks_the_rules():
    text = [
        "Weighing bids for the port contract in a closed meeting, ministers of Fenland chose Orbix. "
        "Boreling, a ferry operator, said it would appeal. Kelling has confirmed that its bid was late."
    ]
    problem = "opens with a participle phrase ('Weighing' …) and no clause of its own"
    assert problem in headline_problems("Weighing bids for port contract in closed meeting", text=text)
    assert problem in headline_problems("Weighing bids for port contract", text=text)
    # a clause with its own verb after the phrase, and names ending in -ing the text writes as names, pass
    for whole in (
        "Weighing bids, Fenland ministers choose Orbix",
        "Boreling says it will appeal",  # inside a sentence: ", a ferry operator" after it, "said" after it
        "Kelling confirms its bid was late",  # a subject: "Kelling has confirmed"
    ):
        assert headline_problems(whole, text=text) == [], whole


def test_a_verb_or_adverb_cut_off_from_what_it_governs_breaks_the_rules():
    text = [
        "Fenland has ruled that drones may be flown only with a permit. The central bank has allowed "
        "lenders and other payment institutions to serve crypto firms. Ruritania ordered operators and "
        "internet providers from blocking apps. Zentro allowed staff, contractors and interns."
    ]
    assert "ends before what 'only' governs: the text goes on 'with'" in headline_problems(
        "Fenland rules drones may be flown only", text=text
    )
    assert "ends before what 'allows' governs: the text goes on 'to'" in headline_problems(
        "Central bank allows lenders and other payment institutions", text=text
    )
    assert "ends before what 'orders' governs: the text goes on 'from'" in headline_problems(
        "Ruritania orders operators and internet providers", text=text
    )
    deal = [
        "Orbix has signed its first deal to buy power from small reactors. Zentro and Kappa will have to comply "
        "with the new law by March. Quillpay signed a supply deal, its largest."
    ]
    assert "ends before what 'deal' governs: the text goes on 'to'" in headline_problems(
        "Orbix signs its first deal", text=deal
    )
    assert "ends before what 'comply' governs: the text goes on 'with'" in headline_problems(
        "Zentro and Kappa must comply", text=deal
    )
    for whole in ("Orbix signs its first deal to buy power", "Quillpay signs supply deal"):
        assert headline_problems(whole, text=deal) == [], whole
    for whole in (
        "Fenland rules drones may be flown only with permit",
        "Central bank allows lenders and other payment institutions to serve crypto firms",
        "Zentro allows staff, contractors and interns",  # the sentence ends there: nothing is cut
    ):
        assert headline_problems(whole, text=text) == [], whole


def test_fixture_covers_the_twenty_samples():
    articles = load_labelled()
    assert len(articles) == 20
    assert sum(a.headline is None for a in articles) == 10
    assert all("countries" in a.label for a in articles)


def test_evaluation_sets_are_large_split_and_cover_every_class():
    sets = {name: load_labelled(*SETS[name]) for name in ("dev", "dev2", "blind2", "dev3", "blind3")}
    assert sum(len(articles) for articles in sets.values()) >= 200
    assert len(sets["dev3"]) >= 30 and len(sets["blind3"]) >= 15
    for articles in sets.values():
        assert {a.headline is None for a in articles} == {True, False}  # both dump layouts
        assert all(a.label["headline"] and a.label["topics"] for a in articles)
    for name in ("dev3", "blind3"):
        assert set(Counter(c for a in sets[name] for c in a.label["classes"])) == CLASSES, name


def test_labels_use_known_topics_and_countries_and_never_call_a_threat_actor_a_company(tagger):
    topics = {t.name for t in tagger.registry.topics}
    countries = {c.name for c in tagger.registry.countries}
    for article in [a for name in DEFAULT_SETS if name != "samples" for a in load_labelled(*SETS[name])]:
        assert set(article.label["topics"] + article.label["optional_topics"]) <= topics, article.where
        assert set(article.label["countries"]) <= countries, article.where
        assert not set(article.label["threat_actors"]) & set(article.label["companies"]), article.where


def test_company_topic_and_country_targets_are_met_on_the_samples(tagger):
    scores = evaluate_tags(load_labelled(), tagger)
    assert scores["companies"].precision >= 0.95 and scores["companies"].f1 >= 0.93
    assert scores["topics"].precision >= 0.9 and scores["topics"].recall >= 0.9
    assert scores["countries"].f1 >= 0.9


def test_the_script_prints_every_figure_and_keeps_the_held_out_set_out_by_default(capsys):
    assert main(["-v", "--set", "samples"]) == 0
    out = capsys.readouterr().out
    for figure in ("companies", "countries", "topics", "headlines of untitled articles", "ROUGE-1 F", "per 10,000"):
        assert figure in out
    assert HELD_OUT == "blind9" and HELD_OUT not in DEFAULT_SETS
    assert {"blind3", "blind4", "blind5", "blind6", "blind7", "blind8"} <= set(
        DEFAULT_SETS
    )  # scored once in rounds 3-8, development data since


def test_a_missing_set_is_reported_not_a_traceback(capsys, monkeypatch, tmp_path):
    monkeypatch.setitem(SETS, HELD_OUT, (tmp_path / "blind9.yaml", tmp_path / "blind9"))
    assert main(["--set", HELD_OUT]) == 0
    assert capsys.readouterr().out.startswith(f"== {HELD_OUT}: not present")


def _cross_rows(out: str) -> dict[str, list[tuple[int, int, int]]]:
    """Per row of `--cross` output: (right, extra, missing) of the rules alone and of the rules with the model."""
    rows = {}
    for line in out.splitlines()[1:]:
        name, *columns = line.split()[:1] + line.split(" | ")
        counts = [column[column.index("(") + 1 : column.index(")")].split(", ") for column in columns]
        rows[name] = [tuple(int(part.split()[0]) for part in column) for column in counts]
    return rows


def test_leave_one_set_out_scores_each_set_with_a_model_trained_on_the_others(capsys, monkeypatch, tagger):
    monkeypatch.setattr(benchmarks.evaluate, "DEFAULT_SETS", ("samples", "blind3"))
    assert main(["--cross"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("== leave-one-set-out topics")
    rows = _cross_rows(out)
    assert list(rows) == ["samples", "blind3", "pooled"]
    rules = Tagger(replace(tagger.registry, topic_model=None))
    for name in ("samples", "blind3"):  # the rules alone: the normal figure, nothing trained
        score = evaluate_tags(load_labelled(*SETS[name]), rules)["topics"]
        assert rows[name][0] == (score.true_pos, score.false_pos, score.false_neg)
    for column in (0, 1):
        assert rows["pooled"][column] == tuple(map(sum, zip(rows["samples"][column], rows["blind3"][column])))


def test_with_no_other_set_to_learn_from_leave_one_set_out_is_the_rules_alone(capsys, monkeypatch):
    monkeypatch.setattr(benchmarks.evaluate, "DEFAULT_SETS", ("blind3",))
    assert main(["--cross"]) == 0
    rows = _cross_rows(capsys.readouterr().out)
    assert rows["blind3"][0] == rows["blind3"][1] and rows["pooled"] == rows["blind3"]

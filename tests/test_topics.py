"""Topics as an editor sees them: an article about a subject gets its topic, a passing mention does not."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import topics

from builder.errors import ContentError
from builder.registry import load_registry, load_topics
from builder.tagging import Tagger

ROOT = Path(__file__).resolve().parent.parent


def test_a_ruling_by_a_competition_body_the_registry_lacks_is_about_competition(tagger):
    found = topics(
        tagger,
        "Ruritania's Fair Trade Commission has fined Orbix 12 billion won for making game studios "
        "release titles only on its store.",
        "Orbix said it would review the decision.",
    )
    assert found == ("Competition and antitrust",)
    tribunal = "The Competition Tribunal has prohibited Zentro's plan to buy a stake in a fibre group."
    assert "Competition and antitrust" in topics(tagger, tribunal)


def test_a_public_bodys_name_alone_does_not_bring_in_its_sector(tagger):
    privacy = topics(
        tagger,
        "Orbix will pay $20 million to settle Federal Trade Commission charges that it kept players' "
        "personal data without consent.",
        "The FTC said the company also ignored parents' requests to delete recordings.",
    )
    assert "Data protection and privacy" in privacy
    assert "Competition and antitrust" not in privacy
    merger = topics(
        tagger,
        "The Federal Trade Commission has sued to block Orbix's $9 billion takeover of Zentro, saying the "
        "deal would raise prices.",
    )
    assert "Competition and antitrust" in merger


def test_weak_words_alone_make_no_topic(tagger):
    # "regulator", "fined", "law" each support digital policy; together, without a strong word, they do not settle it
    fined = topics(
        tagger,
        "The regulator has fined Orbix after finding that the company broke the law on several occasions.",
        "The regulator said the fine was its largest and the law leaves room for appeal.",
    )
    assert "Digital policy and regulation" not in fined
    law = topics(tagger, "Lawmakers have passed new legislation requiring platforms to publish how they rank posts.")
    assert "Digital policy and regulation" in law


def test_an_ai_feature_in_the_lead_is_an_ai_story(tagger):
    found = topics(tagger, "Orbix will not ship Glimpse, the AI feature that takes snapshots of a user's screen.")
    assert "Artificial intelligence" in found


def test_a_platform_named_in_passing_is_no_social_media_story(tagger):
    passing = topics(
        tagger,
        "Orbix and Zentro have agreed to combine their cloud businesses, creating the third-largest cloud "
        "provider in Europe.",
        "The deal was announced on YouTube, where the two chief executives answered viewers' questions.",
    )
    assert "Cloud and data centres" in passing
    assert "Social media and content moderation" not in passing
    moderators = topics(
        tagger,
        "A court has ruled that content moderators who reviewed violent posts for Orbix's social network "
        "can sue the company.",
    )
    assert "Social media and content moderation" in moderators


def test_a_childrens_data_case_is_about_child_protection_and_privacy(tagger):
    found = topics(
        tagger,
        "Orbix will pay $275 million for collecting children's data from players under 13 without their "
        "parents' consent.",
    )
    assert {"Online safety and child protection", "Data protection and privacy"} <= set(found)


def test_an_ai_firms_news_is_ai_news_but_a_body_or_giant_needs_the_words(tagger):
    assert "Artificial intelligence" in topics(tagger, "OpenAI has closed a $40 billion funding round.")
    assert topics(tagger, "Meta has opened a new office in Dublin.") == ()


@pytest.fixture(scope="module")
def rules_only(tagger):
    """The tagger without its learned topic model: the cue rules alone."""
    return Tagger(replace(tagger.registry, topic_model=None))


SETTLEMENT = [
    "Orbix will pay $95 million to settle a lawsuit saying its voice assistant recorded users' conversations "
    "and biometric voice prints without consent.",
    "Owners of Orbix phones and speakers said the assistant switched itself on without being asked and kept the "
    "recordings for years.",
    "The company denied wrongdoing and said it no longer keeps audio unless customers opt in.",
]


def test_a_lead_that_states_its_topic_in_other_words_gets_it_from_the_model(tagger, rules_only):
    # the cue lists hold only two supporting words of it ("biometric", "consent"): too little for the rules, but
    # the lead names it, and the model weighs the rest (a voice assistant recording conversations, opt in)
    assert topics(rules_only, *SETTLEMENT) == ()
    assert topics(tagger, *SETTLEMENT) == ("Data protection and privacy",)


def test_a_passing_mention_in_the_body_still_makes_no_topic(tagger):
    factory = [
        "Zentro has opened a factory in Ohio that will make electric bicycles and scooters for the US market.",
        "The plant will employ 800 people and start production next year, the company said.",
        "Zentro said last year that a ransomware attack had briefly disrupted its ordering systems.",
    ]
    found = topics(tagger, *factory)
    assert "Cybersecurity" not in found and "Cybercrime and fraud" not in found
    # the same attack told in the lead is the story
    assert "Cybersecurity" in topics(tagger, *factory[::-1])


def test_the_committed_model_is_what_the_training_script_writes_from_the_labels():
    from scripts.train_topics import MODEL, dumps, examples, train

    names = [t.name for t in load_topics(ROOT / "data" / "topics.yaml")]
    assert MODEL.read_text("utf-8") == dumps(train(examples(), names)), "re-run python scripts/train_topics.py"


def test_a_damaged_model_file_is_an_error_naming_it_and_a_missing_one_leaves_the_rules(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    model = data / "topic_model.json"
    model.write_text('{"idf": {"qubit": 2.0}, "bias": {}, "weights": {"Quantum computing": {"qubit": 1.5}}}')
    with pytest.raises(ContentError, match="Quantum computing") as error:
        load_registry(data)
    assert error.value.file == str(model)
    model.write_text('{"idf": {"ai": 2.0}, "bias": {"Artificial')
    with pytest.raises(ContentError, match="scripts/train_topics.py writes") as error:
        load_registry(data)
    assert error.value.file == str(model)
    model.unlink()
    assert load_registry(data).topic_model is None
    assert Tagger(load_registry(data)).tag("", SETTLEMENT).topics == ()

"""Topics as an editor sees them: an article about a subject gets its topic, a passing mention does not."""

from __future__ import annotations


def topics(tagger, *paragraphs, title=""):
    return tagger.tag(title, list(paragraphs)).topics


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

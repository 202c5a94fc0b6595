"""The evaluation script: figures on the labelled samples meet the targets of issue 3."""

from __future__ import annotations

from pathlib import Path

import pytest

from builder.evaluate import evaluate_tags, headline_problems, load_labelled, main
from builder.registry import load_registry
from builder.tagging import Tagger

DATA = Path(__file__).resolve().parent.parent / "data"


@pytest.fixture(scope="module")
def scores():
    return evaluate_tags(load_labelled(), Tagger(load_registry(DATA)))


def test_fixture_covers_the_twenty_samples():
    articles = load_labelled()
    assert len(articles) == 20
    assert sum(a.headline is None for a in articles) == 10


def test_company_and_topic_targets_are_met(scores):
    assert scores["companies"].precision >= 0.95 and scores["companies"].recall >= 0.95
    assert scores["topics"].precision >= 0.8 and scores["topics"].recall >= 0.9


def test_headline_rules():
    assert headline_problems("Google announces €5 billion investment in Belgium", "Google") == []
    assert headline_problems("Google announces investment in the", "Google") == ["ends on 'the'"]
    assert "does not name Google" in headline_problems("Tech giant invests in Belgium", "Google")
    assert headline_problems("x" * 95, None) == ["longer than 90 characters (95)"]


def test_the_script_prints_figures_and_exits_0(capsys):
    assert main(["-v"]) == 0
    out = capsys.readouterr().out
    assert "companies  precision" in out and "topics     precision" in out and "Headlines" in out

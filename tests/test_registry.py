"""The registry files: what editors can write, and the errors they get when it is wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from builder.errors import ContentError
from builder.registry import demonyms, given_names, load_registry

DATA = Path(__file__).resolve().parent.parent / "data"


@pytest.fixture(scope="module")
def registry():
    return load_registry(DATA)


def write(folder: Path, **files: str) -> Path:
    for name, text in files.items():
        (folder / f"{name}.yaml").write_text(text, encoding="utf-8")
    return folder


def test_the_shipped_registry_is_large_and_consistent(registry):
    assert len(registry.companies) >= 400
    assert 15 <= len(registry.topics) <= 25
    assert all(t.description and t.keywords for t in registry.topics)
    names = {c.name for c in registry.companies}
    assert all(c.parent in names for c in registry.companies if c.parent)
    assert {"FBI", "European Commission"} <= {a for o in registry.organisations for a in (o.name, *o.aliases)}
    assert {"Gemini", "ChatGPT", "Opal", "Codex", "Qwen", "Tron"} <= registry.deny


def test_lookup_by_alias_or_name_ignores_case(registry):
    assert registry.company("facebook").name == "Meta"
    assert registry.company("Alphabet").name == "Google"
    assert registry.company("YouTube").parent == "Google"
    assert registry.company("HSBC UK").parent == "HSBC"
    assert registry.company("Quillpay") is None
    assert registry.topic("cybersecurity").slug == "cybersecurity"
    assert registry.topic("Artificial Intelligence").name == "Artificial intelligence"


def test_slug_defaults_to_the_slugified_name(registry):
    assert registry.company("Google DeepMind").slug == "google-deepmind"
    assert registry.company("AT&T").slug == "at-t"


def test_an_alias_used_by_two_companies_names_both_lines(tmp_path):
    write(tmp_path, companies="- name: Meta\n  aliases: [Facebook]\n- name: Facebook Inc\n  aliases: [facebook]\n")
    with pytest.raises(ContentError) as err:
        load_registry(tmp_path)
    assert err.value.file.endswith("companies.yaml") and err.value.line == 3
    assert "Meta" in err.value.message and "line 1" in err.value.hint


def test_an_unknown_parent_is_reported_at_its_entry(tmp_path):
    write(tmp_path, companies="- name: Google\n- name: YouTube\n  parent: Alphabett\n")
    with pytest.raises(ContentError) as err:
        load_registry(tmp_path)
    assert err.value.line == 2 and "Alphabett" in err.value.message


def test_broken_yaml_and_bad_weights_point_at_the_line(tmp_path):
    write(tmp_path, topics="- name: AI\n  description: x\n  keywords: {ai: [\n")
    with pytest.raises(ContentError) as err:
        load_registry(tmp_path)
    assert err.value.file.endswith("topics.yaml") and err.value.line
    write(tmp_path, topics="- name: AI\n  description: Models\n  keywords:\n    ai: lots\n")
    with pytest.raises(ContentError, match="positive number"):
        load_registry(tmp_path)


def test_unknown_fields_and_overlaps_between_files_are_errors(tmp_path):
    write(tmp_path, companies="- name: Visa\n  alias: [Visa Inc]\n")
    with pytest.raises(ContentError, match="unknown field") as err:
        load_registry(tmp_path)
    assert "aliases" in err.value.hint
    write(tmp_path, companies="- name: Opal\n", deny="deny: [Opal]\n")
    with pytest.raises(ContentError, match="deny"):
        load_registry(tmp_path)


def test_missing_files_give_an_empty_registry(tmp_path):
    registry = load_registry(tmp_path)
    assert registry.companies == () and registry.topics == () and registry.deny == frozenset()


def test_sector_topics_must_name_a_topic(tmp_path):
    topics = "- {name: Payments and fintech, description: d, keywords: {payments: 2}}\n"
    write(tmp_path, topics=topics, companies="- {name: Quillpay, topics: [Payments and fintech]}\n")
    assert load_registry(tmp_path).company("Quillpay").topics == ("Payments and fintech",)
    write(tmp_path, companies="- {name: Quillpay, topics: [Payment]}\n")
    with pytest.raises(ContentError, match="'Payment', which topics.yaml does not have"):
        load_registry(tmp_path)


def test_countries_come_from_iso_3166_with_the_data_file_s_demonyms(registry):
    by_code = {c.code: c for c in registry.countries}
    assert len(by_code) >= 250  # every ISO 3166-1 country, and the EU
    assert by_code["BE"].name == "Belgium" and "Belgian" in by_code["BE"].demonyms
    assert by_code["KR"].name == "South Korea" and "Korea, Republic of" not in by_code["KR"].names
    assert {"United States of America", "US", "America"} <= set(by_code["US"].names)
    assert by_code["EU"].name == "European Union"


def test_a_bad_country_code_or_field_points_at_its_line(tmp_path):
    write(tmp_path, countries="countries:\n  BE: {demonyms: [Belgian]}\n  XQ: {demonyms: [Nowhere]}\n")
    with pytest.raises(ContentError, match="'XQ' is not an ISO 3166-1 alpha-2 country code") as err:
        load_registry(tmp_path)
    assert err.value.line == 3
    write(tmp_path, countries="countries:\n  BE: {adjectives: [Belgian]}\n")
    with pytest.raises(ContentError, match=r"unknown field\(s\): adjectives"):
        load_registry(tmp_path)
    write(tmp_path, countries="regions:\n  EU: {names: [EU]}\n")
    with pytest.raises(ContentError, match="region 'EU' needs a name"):
        load_registry(tmp_path)


def test_a_registry_with_yaml_anchors_is_refused_at_the_line_like_front_matter(tmp_path):
    write(tmp_path, companies="- &big {name: Bigbank, aliases: [BB]}\n- *big\n")
    with pytest.raises(ContentError) as caught:
        load_registry(tmp_path)
    assert caught.value.line == 1 and "anchors and aliases" in str(caught.value)


def test_common_given_names_come_from_the_shipped_name_dictionary():
    names = given_names()
    assert {"Paul", "Jack", "Nadeem", "Priya", "Hiroshi"} <= names
    assert not {"Sky", "Core", "General", "Apple", "Tesla"} & names  # rare as names, or never


def test_demonyms_include_the_regular_forms_of_country_names(registry):
    found = demonyms(registry.countries)
    assert {"Peruvian", "Korean", "Kenyan", "Nepalese", "British", "Swiss"} <= found
    assert not {"Zentro", "Google", "Bank"} & found


def test_listed_companies_join_the_registry_and_an_editors_entry_wins_over_theirs(registry, tmp_path):
    assert registry.company("Aixtron") and registry.company("Synchrony Financial")
    assert registry.company("Admiral Group").ambiguous is False and registry.company("Orion").ambiguous
    write(
        tmp_path,
        companies="- {name: Zentro, aliases: [Zentro Labs]}\n",
        listed_companies="- {name: Zentro Labs}\n- {name: Orbixa}\n",
    )
    edited = load_registry(tmp_path)
    assert edited.company("Zentro Labs").name == "Zentro" and edited.company("Orbixa").name == "Orbixa"
    assert [c.name for c in edited.companies].count("Zentro") == 1 and "Zentro Labs" not in [
        c.name for c in edited.companies
    ]

"""The dump parser: markers in all their variants, both dump formats, no paragraph lost."""

import codecs

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builder.dumps import decode_dump, is_marker, split_dump
from builder.errors import ContentError

MARKERS = [
    "Would you like to learn more about AI, tech and digital diplomacy? If so, ask our Diplo chatbot!",
    "Would you like to learn more aboutAI, tech and digital diplomacy? If so, ask our Diplo chatbot!",
    "Would you like to learn more about AI, tech, and digital diplomacy? If so, ask our Diplo chatbot!",
    "Would you like to learn more about AI, tech and digital diplomacyIf so,\u00a0ask our Diplo chatbot!",
    "Would you like to learn more about AI, tech and digital diplomacy? If so,\u00a0ask our Diplo chatbot",
    # Variants not seen in the samples.
    "WOULD YOU LIKE TO LEARN MORE ABOUT AI, TECH AND DIGITAL DIPLOMACY? IF SO, ASK OUR DIPLO CHATBOT.",
    "Would you like to learn more about AI, tech & digital diplomacy?If so,ask our Diplo chat bot!",
    "Would you like to learn more about digital diplomacy? If so, ask our Diplo chatbot!",
    "  Would you like to learn more about AI, tech and digital diplomacy ? If so , ask our Diplo chatbot ! ",
    "If so, ask our Diplo chatbot!",
]


@pytest.mark.parametrize("marker", MARKERS)
def test_every_marker_variant_ends_an_article(marker):
    text = f"First article starts here.\nIt goes on.\n{marker}\nSecond article text.\n"
    articles = split_dump(text, "d.txt")
    assert [a.paragraphs for a in articles] == [
        ("First article starts here.", "It goes on."), ("Second article text.",)]


def test_sentences_about_learning_are_not_markers():
    assert not is_marker("Would you like to learn more about AI? Regulators say yes.")
    assert not is_marker("Users can learn more about the Diplo Foundation on its website.")


def test_line_format_has_one_paragraph_per_line_and_no_headline():
    text = ("The US tech giant, Google, has announced a €5 billion investment in Belgium.\n"
            "A plan that includes major expansions of its data centre campuses.\n" + MARKERS[1] + "\n"
            "Alibaba Group has established a robotics AI team.\n" + MARKERS[0])
    first, second = split_dump(text, "d.txt")
    assert first.headline is None and len(first.paragraphs) == 2
    assert first.paragraphs[0].startswith("The US tech giant, Google")
    assert (second.position, second.line, second.paragraphs) == (
        2, 4, ("Alibaba Group has established a robotics AI team.",))


def test_headline_format_takes_the_headline_line():
    text = ("OpenAI acquires Astral to expand Codex developer tools\n\nAstral is being acquired.\n\n"
            "The deal is subject to approval.\n\n" + MARKERS[0] + "\n\nFirefox adds VPN and AI tools\n\n"
            "Mozilla is preparing a major update.\n")
    first, second = split_dump(text, "d.txt")
    assert first.headline == "OpenAI acquires Astral to expand Codex developer tools"
    assert first.paragraphs == ("Astral is being acquired.", "The deal is subject to approval.")
    assert second.headline == "Firefox adds VPN and AI tools"
    assert second.paragraphs == ("Mozilla is preparing a major update.",)


def test_a_short_line_inside_an_article_does_not_start_a_new_one():
    text = "Headline here\n\nBody one.\n\nThe survey has not been without controversy.\n\nBody two.\n"
    [article] = split_dump(text, "d.txt")
    assert article.paragraphs == ("Body one.", "The survey has not been without controversy.", "Body two.")


def test_blocks_keep_their_lines_together():
    text = "Headline here\n\nLine one of a block\nline two of it.\n\nNext block.\n"
    [article] = split_dump(text, "d.txt")
    assert article.paragraphs == ("Line one of a block\nline two of it.", "Next block.")


def test_final_article_without_marker_and_empty_chunks():
    text = f"{MARKERS[0]}\n{MARKERS[0]}\n\n{MARKERS[2]}\nOnly text.\n"
    [article] = split_dump(text, "d.txt")
    assert article.paragraphs == ("Only text.",) and article.position == 1


def test_marker_in_the_middle_of_a_line_splits_there():
    text = f"End of the first story. {MARKERS[0]} Start of the second story.\nMore of it.\n"
    first, second = split_dump(text, "d.txt")
    assert first.paragraphs == ("End of the first story.",)
    assert second.paragraphs == ("Start of the second story.", "More of it.")


def test_only_markers_and_empty_dump_give_no_articles():
    assert split_dump("", "d.txt") == []
    assert split_dump("\n".join(MARKERS * 5), "d.txt") == []


@pytest.mark.parametrize("data", [
    codecs.BOM_UTF8 + "Café “quoted”\r\nNext\r\n".encode(),
    "Café “quoted”\nNext\n".encode("utf-16"),
    "Café “quoted”\rNext\r".encode(),
])
def test_decoding_bom_utf16_and_line_endings(data):
    assert decode_dump(data, "d.txt").text.split("\n")[:2] == ["Café “quoted”", "Next"]


def test_windows_1252_is_read_with_a_warning():
    decoded = decode_dump("Caf\u00e9 \u201cquoted\u201d\n".encode("cp1252"), "d.txt")
    assert decoded.text == "Café “quoted”\n"
    assert "Windows-1252" in decoded.warnings[0]


def test_binary_files_are_refused_with_the_file_named():
    with pytest.raises(ContentError) as err:
        decode_dump(b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "image.txt")
    assert err.value.file == "image.txt" and "binary" in str(err.value)


def test_stray_nul_bytes_are_removed_with_a_warning():
    decoded = decode_dump(b"Some text that goes on for a while\x00 here\n" * 50, "d.txt")
    assert "\x00" not in decoded.text and decoded.warnings


# --- property: no paragraph is ever lost or duplicated -----------------------------------

_WORD = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp", "Zs")),
                min_size=1, max_size=12)
_PARAGRAPH = st.lists(_WORD, min_size=1, max_size=12).map(" ".join)
_ARTICLE = st.lists(_PARAGRAPH, min_size=1, max_size=6)


def _expected(articles):
    return [p for article in articles for p in article]


def _found(raw_articles):
    return [p for a in raw_articles for p in ((a.headline,) if a.headline else ()) + a.paragraphs]


@settings(max_examples=150, deadline=None)
@given(st.lists(_ARTICLE, max_size=8), st.sampled_from(MARKERS), st.sampled_from(["\n", "\r\n", "\r"]),
       st.booleans(), st.booleans())
def test_every_paragraph_appears_exactly_once_in_order(articles, marker, newline, blocks, final_marker):
    separator = newline * 2 if blocks else newline
    chunks = [separator.join(article) for article in articles]
    text = (separator + marker + separator).join(chunks)
    if final_marker and articles:
        text += separator + marker
    decoded = decode_dump(text.encode("utf-8"), "d.txt")
    found = split_dump(decoded.text, "d.txt")
    assert _found(found) == _expected(articles)
    assert len(found) == len(articles)
    assert [a.position for a in found] == list(range(1, len(found) + 1))

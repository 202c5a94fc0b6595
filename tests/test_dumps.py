"""The dump parser: markers in all their variants, both dump formats, no paragraph lost."""

import codecs

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from builder.dumps import decode_dump, is_blank, split_dump
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
        ("First article starts here.", "It goes on."),
        ("Second article text.",),
    ]


def test_sentences_about_learning_are_not_markers():
    learning = (
        "Would you like to learn more about AI? Regulators say yes.",
        "Users can learn more about the Diplo Foundation on its website.",
    )
    text = (
        "Start of the story.\n"
        + "\n".join(learning)
        + "\nWould you like to learn more about AI, tech and digital diplomacy? If so, ask our Diplo chatbot!\n"
    )
    [article] = split_dump(text, "d.txt")
    assert article.paragraphs == ("Start of the story.", *learning)


def test_line_format_has_one_paragraph_per_line_and_no_headline():
    text = (
        "The US tech giant, Google, has announced a €5 billion investment in Belgium.\n"
        "A plan that includes major expansions of its data centre campuses.\n" + MARKERS[1] + "\n"
        "Alibaba Group has established a robotics AI team.\n" + MARKERS[0]
    )
    first, second = split_dump(text, "d.txt")
    assert first.headline is None and len(first.paragraphs) == 2
    assert first.paragraphs[0].startswith("The US tech giant, Google")
    assert (second.position, second.line, second.paragraphs) == (
        2,
        4,
        ("Alibaba Group has established a robotics AI team.",),
    )


def test_headline_format_takes_the_headline_line():
    text = (
        "OpenAI acquires Astral to expand Codex developer tools\n\nAstral is being acquired.\n\n"
        "The deal is subject to approval.\n\n" + MARKERS[0] + "\n\nFirefox adds VPN and AI tools\n\n"
        "Mozilla is preparing a major update.\n"
    )
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


@pytest.mark.parametrize(
    "data",
    [
        codecs.BOM_UTF8 + "Café “quoted”\r\nNext\r\n".encode(),
        "Café “quoted”\nNext\n".encode("utf-16"),
        "Café “quoted”\rNext\r".encode(),
    ],
)
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

# Control characters and the noncharacters U+FFFE/U+FFFF are removed on reading (docs/errors.md).
_WORD = st.text(
    alphabet=st.characters(
        codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp", "Zs"), exclude_characters="\ufffe\uffff"
    ),
    min_size=1,
    max_size=12,
)
# A line of only zero-width characters shows nothing and counts as blank (docs/errors.md).
_PARAGRAPH = st.lists(_WORD, min_size=1, max_size=12).map(" ".join).filter(lambda p: not is_blank(p))
_ARTICLE = st.lists(_PARAGRAPH, min_size=1, max_size=6)


def _expected(articles):
    return [p for article in articles for p in article]


def _found(raw_articles):
    return [p for a in raw_articles for p in ((a.headline,) if a.headline else ()) + a.paragraphs]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(_ARTICLE, max_size=8),
    st.sampled_from(MARKERS),
    st.sampled_from(["\n", "\r\n", "\r"]),
    st.booleans(),
    st.booleans(),
)
def test_every_paragraph_appears_exactly_once_in_order(articles, marker, newline, blocks, final_marker):
    separator = newline * 2 if blocks else newline
    chunks = [separator.join(article) for article in articles]
    text = (separator + marker + separator).join(chunks)
    if final_marker and articles:
        text += separator + marker
    assume(not text.startswith("\ufeff"))  # a text's first U+FEFF is its byte-order mark, dropped on reading
    decoded = decode_dump(text.encode("utf-8"), "d.txt")
    found = split_dump(decoded.text, "d.txt")
    assert _found(found) == _expected(articles)
    assert len(found) == len(articles)
    assert [a.position for a in found] == list(range(1, len(found) + 1))


# --- hostile and broken dumps: read correctly, or refused naming the file and problem ---

MARKER = MARKERS[0]


def _split(data: bytes):
    decoded = decode_dump(data, "d.txt")
    return decoded, split_dump(decoded.text, "d.txt")


def test_empty_and_bom_only_dumps_have_no_articles():
    for data in (b"", codecs.BOM_UTF8, b"\n\n\r\n", "\u00a0\t\u200b\n".encode()):
        assert _split(data)[1] == []


def test_five_markers_in_a_row_make_no_empty_articles():
    text = f"First story.\n{MARKER}\n{MARKER}{MARKER}\n{MARKER}\n\n{MARKER}\nSecond story.\n"
    assert [a.paragraphs for a in _split(text.encode())[1]] == [("First story.",), ("Second story.",)]


def test_a_dump_without_any_marker_is_one_article():
    [article] = _split(b"Only line one.\nOnly line two.\n")[1]
    assert article.paragraphs == ("Only line one.", "Only line two.")


def test_a_50_mb_dump_is_split_in_reasonable_time():
    import time

    paragraph = "Regulators in Brussels examined the proposal for a long time. " * 6
    article = "\n".join(f"{paragraph}{i}" for i in range(40)) + "\n" + MARKER + "\n"
    copies = 50_000_000 // len(article.encode()) + 1
    data = (article * copies).encode()
    assert len(data) >= 50_000_000
    start = time.perf_counter()
    decoded, articles = _split(data)
    assert time.perf_counter() - start < 20  # ~1 s on a laptop; generous for CI
    assert len(articles) == copies and all(len(a.paragraphs) == 40 for a in articles)


def test_a_single_2_mb_line_is_one_paragraph():
    line = ("word " * 400_000).strip()
    [article] = _split(line.encode() + b"\n")[1]
    assert article.paragraphs == (line,)


def test_nul_bytes_in_text_are_removed_with_a_warning_or_the_file_is_refused():
    decoded, [article] = _split(b"A long enough line of text with a stray NUL\x00 in it.\n" * 20)
    assert article.paragraphs[0] == "A long enough line of text with a stray NUL in it."
    assert any("NUL" in w for w in decoded.warnings)
    with pytest.raises(ContentError) as err:  # mostly NULs but not UTF-16: binary
        decode_dump(b"\x00\x00\x00a\x00\x00\x00b" * 100, "nul.txt")
    assert err.value.file == "nul.txt" and "NUL" in err.value.message and err.value.hint


@pytest.mark.parametrize(
    "data, what",
    [
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "PNG image"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "PDF document"),
        (b"PK\x03\x04" + bytes(200), "ZIP archive"),
        (b"\x1f\x8b\x08\x00" + bytes(range(256)), "gzip"),
        (b"\x7fELF\x02\x01\x01" + bytes(300), "program"),
        (bytes(range(256)) * 20, "control characters"),
    ],
)
def test_binary_files_named_txt_are_refused_with_the_problem(data, what):
    with pytest.raises(ContentError) as err:
        decode_dump(data, "seeds/fake.txt")
    assert err.value.file == "seeds/fake.txt"
    assert "binary" in err.value.message and what in err.value.message
    assert "hint: " in str(err.value)


@pytest.mark.parametrize("codec", ["latin-1", "cp1252"])
def test_latin1_and_windows_1252_are_read_with_a_warning_naming_the_lines(codec):
    text = "Caf\u00e9 na\u00efve \u00e0 la carte.\nPlain ASCII line.\nS\u00e3o Paulo \u00a9 2026.\n"
    if codec == "cp1252":
        text += "\u201cQuoted\u201d \u2013 \u20ac5 \u2026\n"
    decoded, [article] = _split(text.encode(codec))
    assert decoded.text == text
    assert len(decoded.warnings) == 1
    assert decoded.warnings[0].startswith("line 1, 3") and "Windows-1252" in decoded.warnings[0]


def test_one_bad_byte_does_not_turn_the_rest_of_a_utf8_file_into_mojibake():
    data = "\u201cQuoted\u201d in UTF-8.\n".encode() + b"Bad byte \xff here.\n" + "Caf\u00e9.\n".encode()
    decoded, _ = _split(data)
    assert decoded.text == "\u201cQuoted\u201d in UTF-8.\nBad byte \u00ff here.\nCaf\u00e9.\n"
    assert decoded.warnings[0].startswith("line 2:")


def test_bytes_undefined_in_windows_1252_are_not_lost_as_replacement_characters():
    decoded, _ = _split(b"Caf\xe9 \x81 end.\n")
    assert "\ufffd" not in decoded.text and decoded.text.startswith("Caf\u00e9")


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_with_and_without_bom(codec):
    text = "Caf\u00e9 \u201cquoted\u201d \u05e9\u05dc\u05d5\u05dd \U0001f389.\r\nSecond line.\r\n"
    decoded, [article] = _split(text.encode(codec))
    assert article.paragraphs == ("Caf\u00e9 \u201cquoted\u201d \u05e9\u05dc\u05d5\u05dd \U0001f389.", "Second line.")
    assert bool(decoded.warnings) == (codec != "utf-16")  # no BOM: read, but say so


def test_broken_utf16_and_utf32_are_refused_naming_the_encoding():
    with pytest.raises(ContentError, match="UTF-16"):
        decode_dump(codecs.BOM_UTF16_LE + b"\x00\xd8", "d.txt")
    with pytest.raises(ContentError, match="UTF-32"):
        decode_dump("text".encode("utf-32"), "d.txt")


def test_mixed_line_endings_are_all_line_breaks():
    data = b"Line one.\r\nLine two.\rLine three.\nLine four.\r\n" + MARKER.encode() + b"\r\rNext.\r"
    first, second = _split(data)[1]
    assert first.paragraphs == ("Line one.", "Line two.", "Line three.", "Line four.")
    assert second.paragraphs == ("Next.",)


def test_tabs_nbsp_and_zero_width_lines_are_blank_but_kept_inside_text():
    text = "Headline\u00a0here\n\t\n\u00a0\u200b\nTab\there and\u00a0NBSP and zero\u200bwidth.\n\ufeff\nNext one.\n"
    [article] = _split(text.encode())[1]
    assert article.headline == "Headline\u00a0here"
    assert article.paragraphs == ("Tab\there and\u00a0NBSP and zero\u200bwidth.", "Next one.")


def test_right_to_left_text_and_emoji_are_kept_exactly():
    rtl = "\u0645\u0631\u062d\u0628\u0627 \u0628\u0627\u0644\u0639\u0627\u0644\u0645 \u2014 \u05e9\u05dc\u05d5\u05dd \u05e2\u05d5\u05dc\u05dd."
    emoji = "Launch day \U0001f680\U0001f469\u200d\U0001f4bb with flags \U0001f1fa\U0001f1e6 and \u2764\ufe0f."
    override = "Trojan \u202eesrever\u202c text."
    [article] = _split(f"{rtl}\n{emoji}\n{override}\n".encode())[1]
    assert article.paragraphs == (rtl, emoji, override)


def test_markers_are_found_whatever_the_line_ending_or_text_around():
    data = f"Story one. {MARKER}Story two.\r\n{MARKER.upper()}\rStory three.".encode()
    assert [a.paragraphs for a in _split(data)[1]] == [("Story one.",), ("Story two.",), ("Story three.",)]


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2000))
def test_any_bytes_are_read_or_refused_never_crash(data):
    try:
        decoded = decode_dump(data, "d.txt")
    except ContentError as err:
        assert err.file == "d.txt" and err.message and err.hint
        return
    for article in split_dump(decoded.text, "d.txt"):
        assert all(p and p == p.strip() for p in article.paragraphs)
        assert "\x00" not in "".join(article.paragraphs)

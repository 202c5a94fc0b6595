"""Raw dump bytes -> RawArticle records: decoding, end-marker splitting, headline detection.

This is the only module that knows what a raw dump looks like.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from builder.errors import ContentError

# The end-of-article boilerplate, matched tolerantly: any run of non-letters may stand
# between its words ("aboutAI", "tech, and", "diplomacyIf so,\xa0ask", no final "!").
_GAP = r"[\W_]*"
_CHATBOT = "diplo" + _GAP + "chat" + _GAP + "bot" + r"[\s!.?]*"
MARKER = re.compile(
    "(?:(?:would" + _GAP + "you" + _GAP + "like" + _GAP + "to" + _GAP + ")?"
    "learn"
    + _GAP
    + "more"
    + r"[^\n]{0,160}?"
    + _CHATBOT
    + "|(?:if"
    + _GAP
    + "so"
    + _GAP
    + ")?ask"
    + _GAP
    + "our"
    + _GAP
    + _CHATBOT
    + ")",
    re.IGNORECASE,
)

# Characters that carry no visible text: a line made only of these (and spaces) is blank.
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"
# Control characters (C0 and C1) that are invalid or invisible in XML, YAML and HTML; tab and
# newline are kept. Unpaired surrogates cannot be written as UTF-8 at all.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")
_SENTENCE_END = tuple(".!?:;,…")
_CLOSERS = "\"'”’)]»"


@dataclass(frozen=True)
class RawArticle:
    """One article as found in a dump: optional headline, paragraphs, where it came from."""

    file: str
    position: int  # 1-based position in the dump
    line: int  # 1-based line of its first text
    headline: str | None
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class Decoded:
    text: str
    warnings: tuple[str, ...] = ()


def decode_dump(data: bytes, file_name: str) -> Decoded:
    """Bytes -> text with LF line ends; refuse binary files with a ContentError.

    UTF-8 (with or without BOM) and UTF-16 with a BOM are read as they are; UTF-16 without a
    BOM is recognised by its zero bytes. Lines that are not valid UTF-8 are read as
    Windows-1252 (Latin-1 where 1252 has no character), each such line named in a warning.
    """
    warnings: list[str] = []
    if data.startswith(codecs.BOM_UTF8):
        text = _decode(data[3:], "utf-8", file_name)
    elif data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        raise ContentError(
            "the file is in UTF-32, which dumps cannot use; it was not ingested",
            file=file_name,
            hint="re-save the file as UTF-8",
        )
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = _decode(data, "utf-16", file_name)
    elif (utf16 := _utf16_without_bom(data)) is not None:
        text = _decode(data, utf16, file_name)
        warnings.append(f"read as {utf16.upper()} (no byte-order mark); save the file as UTF-8 to silence this")
    else:
        problem = _binary_problem(data)
        if problem:
            raise ContentError(
                f"this is a binary file ({problem}), not a text dump; it was not ingested",
                file=file_name,
                hint="remove it from the seeds folder, or export it as plain text (UTF-8)",
            )
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text, lines = _decode_mixed(data)
            shown = ", ".join(map(str, lines[:5])) + (f" and {len(lines) - 5} more" if len(lines) > 5 else "")
            warnings.append(
                f"line {shown}: not valid UTF-8; read as Windows-1252/Latin-1 "
                "(check the accented letters there; save the file as UTF-8 to silence this)"
            )
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    cleaned, removed = _CONTROL.subn("", text)
    if removed:
        warnings.append(f"removed {removed} invisible control character(s) such as NUL")
    return Decoded(cleaned, tuple(warnings))


def _cp1252_or_latin1(err: UnicodeError) -> tuple[str, int]:
    """Codec error handler: the 5 bytes Windows-1252 leaves undefined are read as Latin-1."""
    if not isinstance(err, UnicodeDecodeError):  # registered for decoding only
        raise err
    return err.object[err.start : err.end].decode("latin-1"), err.end


codecs.register_error("newsarchive-latin1", _cp1252_or_latin1)


def _decode_mixed(data: bytes) -> tuple[str, list[int]]:
    """Decode line by line: UTF-8 where valid, Windows-1252 elsewhere; (text, fallback lines)."""
    parts, fallback = [], []
    for number, line in enumerate(data.split(b"\n"), start=1):
        try:
            parts.append(line.decode("utf-8"))
        except UnicodeDecodeError:
            parts.append(line.decode("cp1252", errors="newsarchive-latin1"))
            fallback.append(number)
    return "\n".join(parts), fallback


def _utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' if the bytes look like mostly-ASCII UTF-16 text, else None."""
    head = data[:8192]
    if len(head) < 4 or len(data) % 2:
        return None
    even, odd = head[0::2], head[1::2]
    for codec, zeros, other in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if zeros.count(0) >= 0.7 * len(zeros) and other.count(0) <= 0.05 * len(other):
            try:
                data.decode(codec)
            except UnicodeDecodeError:
                return None
            return codec
    return None


def _decode(data: bytes, encoding: str, file_name: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as err:
        raise ContentError(
            f"the file starts with a {encoding.upper()} byte-order mark but byte "
            f"{err.start} is not valid {encoding.upper()}",
            file=file_name,
            hint="re-save the file as UTF-8",
        ) from None


# Formats an editor may drop into seeds/ by mistake, by their first bytes: named in the error.
_FORMATS = {
    b"\x89PNG": "a PNG image",
    b"%PDF": "a PDF document",
    b"PK\x03\x04": "a ZIP archive (or Word/Excel file)",
    b"\x1f\x8b": "a gzip archive",
    b"\x7fELF": "a program",
    b"GIF8": "a GIF image",
    b"\xff\xd8\xff": "a JPEG image",
}


def _binary_problem(data: bytes) -> str | None:
    """Why `data` is not text, or None: a known file format, or too many control bytes."""
    head = data[:8192]
    for magic, name in _FORMATS.items():
        if head.startswith(magic):
            return f"{name}"
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    if head and controls / len(head) > 0.10:
        nul = head.count(0)
        return (
            f"{controls} of its first {len(head)} bytes are control characters"
            f"{f', {nul} of them NUL bytes' if nul else ''}"
        )
    return None


def is_blank(line: str) -> bool:
    """True if a line shows nothing: whitespace and zero-width characters only."""
    return not line.strip().strip(_INVISIBLE).strip()


def looks_like_headline(text: str) -> bool:
    """A single short line with no sentence-ending punctuation (a '?' is allowed)."""
    text = text.rstrip(_CLOSERS)
    return "\n" not in text and 3 <= len(text) <= 160 and (not text.endswith(_SENTENCE_END) or text.endswith("?"))


def is_subheading(text: str) -> bool:
    """A short line inside an article that reads as a heading, not a sentence."""
    return (
        "\n" not in text
        and len(text) <= 80
        and not text.rstrip(_CLOSERS).endswith(_SENTENCE_END)
        and text[:1].isupper()
    )


def _lines_with_markers(text: str):
    """Yield (line_no, text, ends_article): markers split a line where they stand."""
    for number, line in enumerate(text.split("\n"), start=1):
        # Every marker variant contains "chat": a cheap test spares the regex most lines.
        if "chat" not in line.lower():
            yield number, ("" if is_blank(line) else line.strip()), False
            continue
        start = 0
        for match in MARKER.finditer(line):
            before = line[start : match.start()]
            if not is_blank(before):
                yield number, before.strip(), False
            yield number, "", True
            start = match.end()
        rest = line[start:]
        yield number, ("" if is_blank(rest) else rest.strip()), False


def split_dump(text: str, file_name: str) -> list[RawArticle]:
    """Split a decoded dump into articles; only a marker or the end of the dump ends one."""
    chunks: list[list[tuple[int, str]]] = [[]]
    for number, line, ends in _lines_with_markers(text):
        if ends:
            chunks.append([])
        else:
            chunks[-1].append((number, line))
    blocks_format = _blank_separated(chunks)
    articles: list[RawArticle] = []
    for chunk in chunks:
        paragraphs = _paragraphs(chunk, blocks_format)
        if not paragraphs:
            continue
        first_line, texts = paragraphs[0][0], [p for _, p in paragraphs]
        headline = None
        if len(texts) >= 2 and looks_like_headline(texts[0]):
            headline, texts = texts[0], texts[1:]
        articles.append(RawArticle(file_name, len(articles) + 1, first_line, headline, tuple(texts)))
    return articles


def _blank_separated(chunks: list[list[tuple[int, str]]]) -> bool:
    """True if most paragraphs are separated by blank lines rather than by a line break."""
    adjacent = separated = 0
    for chunk in chunks:
        seen_text = blank_since = False
        for _, line in chunk:
            if not line:
                blank_since = seen_text
                continue
            if seen_text:
                separated += blank_since
                adjacent += not blank_since
            seen_text, blank_since = True, False
    return separated > 0 and separated >= adjacent


def _paragraphs(chunk: list[tuple[int, str]], blocks_format: bool) -> list[tuple[int, str]]:
    """(first line, text) per paragraph: blank-separated blocks, or one per line."""
    paragraphs: list[tuple[int, list[str]]] = []
    previous_blank = True
    for number, line in chunk:
        if not line:
            previous_blank = True
            continue
        if blocks_format and not previous_blank:
            paragraphs[-1][1].append(line)
        else:
            paragraphs.append((number, [line]))
        previous_blank = False
    return [(number, "\n".join(lines)) for number, lines in paragraphs]

"""Helpers shared by the readers: error construction, binary/empty checks, decoding, dates.

Nothing here reads files; the readers hand in bytes or text they already hold.
"""

from __future__ import annotations

import codecs
import datetime as dt
import re
from typing import Any

from ..errors import InvalidDocumentError

#: Bytes that do not occur in text (everything below 0x20 except tab, LF, FF, CR; plus DEL).
_CONTROL_BYTES = bytes(sorted(set(range(0x20)) - {0x09, 0x0A, 0x0C, 0x0D})) + b"\x7f"
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
#: A sample with more than this share of control characters is treated as binary.
CONTROL_SHARE = 0.05
_SAMPLE = 65_536
#: A UTF-16 surrogate on its own: JSON (``"\ud800"``) can spell it, UTF-8 cannot encode it.
LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")
#: How compressed files and archives begin. evpace never decompresses its input, so a decompression
#: bomb (a small .gz or .zip that expands to gigabytes) cannot expand: it is refused as not text.
COMPRESSED_MAGIC = (
    (b"\x1f\x8b", "gzip"), (b"PK\x03\x04", "zip"), (b"PK\x05\x06", "zip (empty)"), (b"BZh", "bzip2"),
    (b"\xfd7zXZ\x00", "xz"), (b"(\xb5/\xfd", "zstd"), (b"7z\xbc\xaf'\x1c", "7-zip"), (b"\x04\"M\x18", "lz4"),
    (b"Rar!\x1a\x07", "rar"),
)  # fmt: skip
#: Codecs Python knows that are not charsets a document can be written in (escape codecs, ``undefined``).
_NOT_CHARSETS = frozenset({"undefined", "unicode_escape", "raw_unicode_escape", "idna", "punycode", "mbcs", "oem"})


def invalid(path: str, reason: str, **fields: Any) -> InvalidDocumentError:
    """The error yielded for an input (file, line or feed item) that cannot become a Document."""
    return InvalidDocumentError(path=path, reason=reason, **fields)


def clean_field(value: str) -> str:
    """A metadata field (title, URL, id) fit to store: lone surrogates → U+FFFD, control characters dropped,
    trimmed (JSON can spell ``"\ud800"`` and ``"\u0000"``; UTF-8 and PostgreSQL text cannot hold them)."""
    return _CONTROL_CHARS.sub("", LONE_SURROGATE.sub("\ufffd", value)).strip()


def compressed_reason(data: bytes) -> str | None:
    """Why ``data`` is refused as compressed (gzip, zip, bzip2, xz, zstd...), or None."""
    for magic, name in COMPRESSED_MAGIC:
        if data.startswith(magic) and (name != "bzip2" or data[3:4].isdigit()):
            return (f"{name}-compressed data, not text: evpace does not decompress its input (so a decompression "
                    "bomb cannot expand); decompress it and read the result")
    return None


def binary_reason(data: bytes) -> str | None:
    """Why ``data`` looks binary (compressed, NUL bytes, many control bytes), or None if it looks like text."""
    compressed = compressed_reason(data)
    if compressed:
        return compressed
    if b"\x00" in data:
        return "binary content (NUL bytes), not text"
    sample = data[:_SAMPLE]
    if sample:
        n = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
        if n / len(sample) > CONTROL_SHARE:
            return f"binary content ({n / len(sample):.0%} control characters), not text"
    return None


def text_binary_reason(text: str) -> str | None:
    """Like :func:`binary_reason` for text that is already decoded (JSONL fields, text stdin)."""
    sample = text[:_SAMPLE]
    if "\x00" in text:
        return "binary content (NUL characters), not text"
    if sample:
        n = len(_CONTROL_CHARS.findall(sample))
        if n / len(sample) > CONTROL_SHARE:
            return f"binary content ({n / len(sample):.0%} control characters), not text"
    return None


def decode(
    data: bytes, path: str, charset: str | None = None, *, may_declare: bool = False
) -> str | InvalidDocumentError:
    """Decode ``data`` as UTF-8 (a BOM may select UTF-8/16), else as ``charset`` when one is declared.

    Returns the text or an error naming the first undecodable byte; binary content is an error too.
    ``may_declare`` says the format can declare a charset (HTML, XML), for a more helpful message.
    """
    for bom, codec in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(codec)
            except UnicodeError as e:
                return invalid(path, f"starts with a {codec} byte-order mark but is not valid {codec} ({e.reason})")
    reason = binary_reason(data)
    if reason:
        return invalid(path, reason)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        utf8_error = f"not UTF-8 (byte 0x{data[e.start]:02x} at offset {e.start})"
    if charset and codec_name(charset) not in (None, "utf-8"):
        try:
            return data.decode(charset)
        except UnicodeDecodeError as e:
            return invalid(path, f"{utf8_error} and not valid {charset} either (offset {e.start})")
        except (UnicodeError, LookupError) as e:  # a codec that is not a charset after all
            return invalid(path, f"{utf8_error} and cannot be read as {charset} ({e})")
    if charset and codec_name(charset) is None:
        return invalid(path, f"{utf8_error}, and its declared charset {charset!r} is unknown")
    hint = " and declares no charset" if may_declare and not charset else ""
    return invalid(path, f"{utf8_error}{hint}; save it as UTF-8")


def codec_name(charset: str) -> str | None:
    """Python's canonical name for a charset label, or None if Python does not know it as a text encoding
    (``zlib``, ``base64``, ``rot13``, ``undefined`` and the escape codecs are not charsets)."""
    try:
        info = codecs.lookup(charset.strip().strip("\"'"))
    except LookupError:
        return None
    if not getattr(info, "_is_text_encoding", True) or info.name.replace("-", "_") in _NOT_CHARSETS:
        return None
    return info.name


def normalise_newlines(text: str) -> str:
    """``\\r\\n`` and lone ``\\r`` become ``\\n``."""
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


# --- dates ------------------------------------------------------------------------------------

_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december")  # fmt: skip
_ISO = re.compile(r"^\s*(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?![\d])")
_COMPACT = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})(?:T|$)")
_YMD = re.compile(r"\b(\d{4}),?\s+([A-Za-z]{3,9})\.?\s+(\d{1,2})\b")
_MDY = re.compile(r"\b([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b")
_DMY = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]{3,9})\.?,?\s+(\d{4})\b")


def _month(name: str) -> int | None:
    low = name.lower()
    if low == "sept":
        return 9
    for i, full in enumerate(_MONTHS, 1):
        if len(low) >= 3 and full.startswith(low):
            return i
    return None


def _ymd(y: str | int, m: str | int | None, d: str | int) -> str | None:
    if m is None:
        return None
    try:
        return dt.date(int(y), int(m), int(d)).isoformat()
    except ValueError:
        return None


def normalise_date(value: object) -> str | None:
    """``YYYY-MM-DD`` for a date written in a common way, else None.

    Accepts ISO dates and datetimes (the date as written, not converted to UTC), ``2026/01/06``,
    ``20260106``, RFC 822 (``Tue, 06 Jan 2026 06:10:00 GMT``), ``Jan 6, 2026``, ``6 January 2026``
    and ``2026, Jan 06 06:10``; ``datetime.date`` values too.
    """
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if not isinstance(value, str) or not value.strip():
        return None
    s = value.strip()[:200]
    for rx in (_ISO, _COMPACT):
        m = rx.match(s)
        if m:
            return _ymd(m[1], m[2], m[3])
    m = _YMD.search(s)
    if m and _month(m[2]):
        return _ymd(m[1], _month(m[2]), m[3])
    m = _MDY.search(s)
    if m and _month(m[1]):
        return _ymd(m[3], _month(m[1]), m[2])
    m = _DMY.search(s)
    if m and _month(m[2]):
        return _ymd(m[3], _month(m[2]), m[1])
    return None

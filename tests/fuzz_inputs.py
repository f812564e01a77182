"""Seeded generators of random and hostile inputs for the readers and the extractor.

Shared by ``tests/test_fuzz.py`` (driven by hypothesis, which hands in its own ``random.Random``) and
``benchmarks/bench_fuzz.py`` (a plain seeded loop). Everything takes a ``random.Random`` so a failing
case is reproduced from its seed. Article text is built from a small grammar of our own (makers, number
forms, dates, cue words); nothing is copied from real articles.

* :func:`article_text`: sentences from the grammar, sometimes with random Unicode mixed in;
* :func:`valid_document`: a well-formed document of one format (``FORMATS``) around such text;
* :func:`mutate`: byte-level mutations (flips, hostile tokens, truncation, repeats, BOMs, NULs, re-encoding);
* :func:`hostile`: the catalogue of known-bad shapes (unclosed constructs, deep nesting, tag floods,
  entity bombs, compressed payloads, huge lines and numbers), sized by ``size``;
* :func:`reader_case`: one of the above, as ``(format, family, bytes)``;
* :func:`result_problems` / :func:`extraction_problems`: the properties both check, as a list of what is
  wrong (empty when all hold).
"""

from __future__ import annotations

import codecs
import gzip
import io
import json
import random
import re
import zipfile
from collections.abc import Callable
from typing import Any

from evpace.errors import InvalidDocumentError
from evpace.model import Document

#: Formats generated, and the reader kind (``evpace.sources.dispatch.read_data``) that reads each.
FORMATS = {"text": "text", "markdown": "markdown", "html": "html", "jsonl": "jsonl", "json": "json",
           "rss": "feed", "atom": "feed"}
#: File extensions for :func:`evpace.sources.dispatch.read_file`.
EXTENSIONS = {"text": ".txt", "markdown": ".md", "html": ".html", "jsonl": ".jsonl", "json": ".json",
              "rss": ".rss", "atom": ".atom"}

MAKERS = ("NIO", "NIO Inc.", "ONVO", "Firefly", "Li Auto", "XPeng", "Leapmotor", "BYD", "Tesla", "Tesla China",
          "Zeekr", "Xiaomi", "Xiaomi Auto", "AITO", "Luxeed", "HIMA", "Harmony Intelligent Mobility", "SU7", "YU7",
          "Li L6", "XPeng MONA M03", "Maextro S800", "Seres", "it", "the company", "the group", "its brand",
          "the automaker", "Volta Motors", "Quark EV", "Ampere Works", "rival makers")
VERBS = ("delivered", "sold", "produced", "built", "handed over", "shipped", "registered", "rolled out",
         "aims to deliver", "targets", "expects to sell", "plans to build", "reached", "crossed", "passed",
         "recorded", "posted", "reported", "delivers", "has delivered", "had produced", "will hand over")
BOUNDS = ("", "", "", "more than ", "over ", "nearly ", "almost ", "about ", "roughly ", "at least ", "up to ",
          "some ", "close to ", "fewer than ", "under ")
NUMBERS = ("1,234", "35,020", "410,000", "1,000,000", "1 million", "1.2 million", "2.5m", "300k", "300K", "12.5",
           "0", "00000", "-5", "1e6", "10万", "1.2亿", "三十万", "50,000+", "1,00,000", "1 000 000", "1_000",
           "½", "١٢٣", "１２３", "³", "one million", "three hundred thousand", "a dozen", "two", "half a million",
           "100,000th", "1st", "34%", "34 percent", "-12.5%", "2.3 times", "doubled", "tripled", "$1.5 billion",
           "¥20,000", "€3bn", "1,234.567.89", "9" * 40, "1." + "0" * 30, "0.0001", "7,", ",7", "1,2,3,4",
           "4.300", "1'000'000", "10^6", "2**20")
UNITS = ("", "vehicles", "cars", "units", "EVs", "SUVs", "deliveries", "orders", "chargers", "yuan", "km",
         "vehicles a month", "per cent", "times")
DATES = ("", "in May 2024", "in December 2025", "in Q3 2025", "in the third quarter", "in H1 2026",
         "on 2025-12-31", "on Dec. 31", "last month", "this year", "in 2026年1月", "in the first half",
         "year-to-date", "from January to September", "in FY2025", "in week 3", "yesterday", "on 30 February 2025",
         "on 2025-13-45", "in year 0", "in 9999", "since launch", "so far this year", "in the month",
         "between March and May 2025", "by the end of 2026", "within 2026", "on 6 January 2026", "in Jan–Sep")
TAILS = ("", "", "year-on-year", "up 34% year on year", "down 12% from a year earlier", "a record",
         "the company said", "in total", "cumulatively", "since its first delivery in 2018",
         "its millionth vehicle", "compared with 20,000 a year ago", "according to its filing", "its target")
PUNCT = (".", ".", ".", "!", "?", ";", ",", " —", "…", ".\n", ".\n\n", "", " (", ")")
UNICODE_RANGES = ((0x20, 0x7E), (0xA0, 0x24F), (0x300, 0x36F), (0x590, 0x6FF), (0x2000, 0x206F), (0x3000, 0x30FF),
                  (0x4E00, 0x4FFF), (0xFF00, 0xFFEF), (0x1F300, 0x1F6FF), (0xE000, 0xE0FF))
# Tokens that mean something to one of the readers.
HOSTILE_TOKENS = (b"<", b">", b"<!--", b"-->", b"<![CDATA[", b"]]>", b"<?", b"</", b"<!", b"<a ", b'"', b"'", b"&",
                  b"&#", b"&#x", b"&amp;", b"&#0;", b"&#xD800;", b"&lt;", b"<script>", b"</script>", b"<div>",
                  b"</div>", b"<p>", b"<br>", b"<!DOCTYPE", b"<!ENTITY", b"[", b"]", b"(", b")", b"**", b"__", b"#",
                  b"---\n", b"\n", b"\r", b"\r\n", b"\x00", b"\xff", b"\xfe", b"\xef\xbb\xbf", b"\xc3", b"\xe2\x80",
                  b"{", b"}", b"\\", b"\\u0000", b"\\ud800", b":", b"title: ", b"\t", b"\x0b", b"\x1b", b"9" * 50)


def article_text(rng: random.Random, sentences: int | None = None, noise: float = 0.1) -> str:
    """Sentences from the grammar; with probability ``noise`` a sentence gets random Unicode mixed in."""
    out = []
    for _ in range(sentences if sentences is not None else rng.randint(1, 12)):
        parts = [rng.choice(MAKERS), rng.choice(VERBS), rng.choice(BOUNDS) + rng.choice(NUMBERS), rng.choice(UNITS),
                 rng.choice(DATES), rng.choice(TAILS)]
        if rng.random() < 0.2:
            rng.shuffle(parts)
        if rng.random() < 0.2:  # a second figure in the same sentence
            parts += ["and", rng.choice(BOUNDS) + rng.choice(NUMBERS), rng.choice(UNITS), rng.choice(DATES)]
        sentence = " ".join(p for p in parts if p) + rng.choice(PUNCT)
        if rng.random() < noise:
            i = rng.randint(0, len(sentence))
            sentence = sentence[:i] + random_unicode(rng, rng.randint(1, 20)) + sentence[i:]
        out.append(sentence[:1].upper() + sentence[1:])
    return " ".join(out)


def random_unicode(rng: random.Random, n: int) -> str:
    """``n`` characters from mixed scripts, symbols, combining marks, private use and emoji (no surrogates)."""
    chars = []
    for _ in range(n):
        lo, hi = rng.choice(UNICODE_RANGES)
        chars.append(chr(rng.randint(lo, hi)))
    return "".join(chars)


def random_bytes(rng: random.Random, n: int) -> bytes:
    return rng.randbytes(n)


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def valid_document(rng: random.Random, fmt: str, text: str | None = None) -> bytes:
    """A well-formed document of format ``fmt`` (see ``FORMATS``) carrying grammar text."""
    text = text if text is not None else article_text(rng)
    title = article_text(rng, 1, noise=0.3)[:80]
    date = rng.choice(("2026-01-06", "Tue, 06 Jan 2026 06:10:00 GMT", "Jan 6, 2026", "someday", ""))
    if fmt in ("text", "markdown"):
        front = f"---\ntitle: {title}\nurl: https://news.example.test/{rng.randint(1, 999)}\npublished: {date}\n---\n"
        body = text if fmt == "text" else f"# {title}\n\n**{text}** see [the release](https://x.test/r).\n"
        return ((front if rng.random() < 0.7 else "") + body).encode("utf-8")
    if fmt == "html":
        paras = "".join(f"<p>{_esc(s)}</p>" for s in text.split(". "))
        return (f'<!doctype html><html><head><meta charset="utf-8"><title>{_esc(title)}</title>'
                f'<meta property="article:published_time" content="{date}"></head><body><nav>Menu</nav>'
                f"<article><h1>{_esc(title)}</h1>{paras}</article><footer>Footer</footer></body></html>").encode()
    if fmt in ("jsonl", "json"):
        recs = [{"id": f"r{i}", "title": title, "published": date, "url": "https://x.test/a", "text": text}
                for i in range(rng.randint(1, 3))]
        if fmt == "json":
            return json.dumps(recs if len(recs) > 1 else recs[0], ensure_ascii=rng.random() < 0.5).encode()
        return "\n".join(json.dumps(r, ensure_ascii=rng.random() < 0.5) for r in recs).encode() + b"\n"
    items = rng.randint(1, 3)
    if fmt == "rss":
        body = "".join(f"<item><title>{_esc(title)}</title><link>https://x.test/{i}</link><pubDate>{date}</pubDate>"
                       f"<description>{_esc('<p>' + _esc(text) + '</p>')}</description></item>" for i in range(items))
        return f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>{body}</channel></rss>'.encode()
    if fmt == "atom":
        body = "".join(f'<entry><title>{_esc(title)}</title><link href="https://x.test/{i}"/><updated>{date}</updated>'
                       f'<content type="html">{_esc(_esc(text))}</content></entry>' for i in range(items))
        return f'<feed xmlns="http://www.w3.org/2005/Atom">{body}</feed>'.encode()
    raise ValueError(f"unknown format {fmt!r}")


def _reencode(rng: random.Random, data: bytes) -> bytes:
    codec = rng.choice(("utf-16", "utf-16-le", "utf-16-be", "utf-32", "latin-1", "cp1252", "shift_jis", "gb18030",
                        "utf-7"))
    try:
        return data.decode("utf-8", "replace").encode(codec, "replace")
    except (UnicodeError, LookupError):
        return data


def mutate(rng: random.Random, data: bytes, rounds: int | None = None) -> bytes:
    """``data`` after a few random mutations (the result stays under ~4x the input plus 64 KB)."""
    buf = bytearray(data)
    for _ in range(rounds if rounds is not None else rng.randint(1, 8)):
        op = rng.randrange(10)
        i = rng.randint(0, len(buf))
        if op == 0 and buf:  # flip bits
            for _ in range(rng.randint(1, 8)):
                buf[rng.randrange(len(buf))] ^= 1 << rng.randrange(8)
        elif op == 1:  # insert hostile tokens
            buf[i:i] = b"".join(rng.choice(HOSTILE_TOKENS) for _ in range(rng.randint(1, 6)))
        elif op == 2:  # truncate
            del buf[i:]
        elif op == 3 and buf:  # repeat a slice
            j = rng.randint(i, min(len(buf), i + 64))
            buf[j:j] = bytes(buf[i:j]) * rng.randint(2, 200)
        elif op == 4:  # delete a slice
            del buf[i:i + rng.randint(1, 64)]
        elif op == 5:  # a BOM, maybe the wrong one
            buf[0:0] = rng.choice((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE))
        elif op == 6:  # NUL or control bytes
            buf[i:i] = bytes(rng.choice((0, 1, 7, 8, 11, 27, 127)) for _ in range(rng.randint(1, 4)))
        elif op == 7:  # random bytes
            buf[i:i] = rng.randbytes(rng.randint(1, 32))
        elif op == 8:  # random unicode
            buf[i:i] = random_unicode(rng, rng.randint(1, 32)).encode("utf-8")
        else:  # another encoding for the whole thing
            buf = bytearray(_reencode(rng, bytes(buf)))
        if len(buf) > 4 * len(data) + 65_536:
            del buf[4 * len(data) + 65_536:]
    return bytes(buf)


def _compressed(rng: random.Random, payload: bytes) -> bytes:
    kind = rng.randrange(3)
    if kind == 0:
        return gzip.compress(payload)
    if kind == 1:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr("article.html", payload)
        return out.getvalue()
    import bz2

    return bz2.compress(payload)


def billion_laughs(levels: int = 9) -> bytes:
    """The classic entity-expansion bomb: 10**levels copies of "lol" from a few hundred bytes."""
    decls = ['<!ENTITY lol0 "lol">'] + [f'<!ENTITY lol{k} "{f"&lol{k - 1};" * 10}">' for k in range(1, levels + 1)]
    return (f'<?xml version="1.0"?>\n<!DOCTYPE rss [{"".join(decls)}]>\n<rss><channel><item>'
            f"<description>&lol{levels};</description></item></channel></rss>").encode()


def _rep(unit: str | bytes, size: int) -> bytes:
    b = unit.encode() if isinstance(unit, str) else unit
    return b * max(1, size // max(1, len(b)))


#: Known-bad shapes, each ``(name, formats it is aimed at, make(rng, size) -> bytes)``.
HOSTILE: list[tuple[str, tuple[str, ...], Callable[[random.Random, int], bytes]]] = [
    ("unclosed comments", ("html", "markdown"), lambda r, n: _rep("<!--", n)),
    ("unclosed comments with >", ("html",), lambda r, n: _rep("<!--x>", n)),
    ("unclosed start tags", ("html",), lambda r, n: _rep("<a ", n)),
    ("unclosed end tags", ("html",), lambda r, n: _rep("</", n)),
    ("processing instructions", ("html",), lambda r, n: _rep("<?", n)),
    ("declarations", ("html",), lambda r, n: _rep("<!", n)),
    ("marked sections", ("html",), lambda r, n: _rep("<![CDATA[>", n)),
    ("unknown marked sections", ("html",), lambda r, n: _rep("<![foo[ x ]]>", n)),
    ("unclosed quotes", ("html",), lambda r, n: _rep('<a b="<c d=\'', n)),
    ("tag flood", ("html",), lambda r, n: _rep("<p>1", n)),
    ("table flood", ("html",), lambda r, n: _rep("<tr><td>2,000", n)),
    ("deep nesting", ("html",), lambda r, n: _rep("<div>", n // 2) + b"Deep: 5 plants." + _rep("</div>", n // 2)),
    ("deep unclosed nesting", ("html",), lambda r, n: _rep("<b><i>", n) + b"x"),
    ("deep hidden nesting", ("html",), lambda r, n: _rep('<div hidden><span aria-hidden="true">', n) + b"x"),
    ("blank runs", ("html",), lambda r, n: b"<p>" + _rep("<meta name=date content=x>", n) + b"2,000 cars</p>"),
    ("json-ld deep", ("html",), lambda r, n: b'<script type="application/ld+json">' + _rep("[", n) + b"</script><p>a"),
    ("many attributes", ("html",), lambda r, n: b"<div " + _rep("a=1 ", n) + b">x</div>"),
    ("entity soup", ("html",), lambda r, n: b"<p>" + _rep("&#&#x&amp&lt;&#99999999;&nbsp", n)),
    ("unclosed brackets", ("markdown",), lambda r, n: _rep("[", n)),
    ("unclosed images", ("markdown",), lambda r, n: _rep("![", n)),
    ("unclosed links", ("markdown",), lambda r, n: _rep("[a](", n)),
    ("strong runs", ("markdown",), lambda r, n: _rep("**a ", n)),
    ("strong stars", ("markdown",), lambda r, n: _rep("**a*", n)),
    ("underscores", ("markdown",), lambda r, n: _rep("__a ", n)),
    ("heading blanks", ("markdown",), lambda r, n: b"# " + _rep(" ", n) + b"x"),
    ("autolinks", ("markdown",), lambda r, n: _rep("<http://", n)),
    ("front matter blanks", ("text", "markdown"), lambda r, n: b"---\ntitle: a" + _rep(" \t", n) + b"b\n---\nx"),
    ("header blanks", ("text",), lambda r, n: b"Title: a" + _rep(" ", n) + b"b\n\nbody 1,000 cars"),
    ("endless front matter", ("text", "markdown"), lambda r, n: b"---\n" + _rep("key: value\n", n)),
    ("one huge line", ("text", "jsonl"), lambda r, n: b'{"text": "' + _rep("1,000 cars ", n) + b'"}'),
    ("deep json", ("jsonl", "json"), lambda r, n: b'{"text": ' + _rep("[", n) + b"}"),
    ("huge json number", ("jsonl", "json"), lambda r, n: b'{"text": "a", "id": ' + _rep("7", max(5000, n)) + b"}"),
    ("json surrogates", ("jsonl", "json"), lambda r, n: b'{"text": "a \\ud800 1,000 cars", "title": "\\udfff\\u0000"}'),
    ("billion laughs", ("rss", "atom"), lambda r, n: billion_laughs()),
    ("external entity", ("rss",), lambda r, n: b'<!DOCTYPE rss SYSTEM "file:///etc/passwd"><rss><channel><item>'
     b"<description>x</description></item></channel></rss>"),
    ("spaced doctype", ("rss",), lambda r, n: b"<?xml version='1.0'?>\n<!\n DOCTYPE x [ <!ENTITY y 'z'> ]><rss/>"),
    ("utf-7 doctype", ("rss",), lambda r, n: b'<?xml version="1.0" encoding="utf-7"?>+ADw-!DOCTYPE x+AD4-<rss/>'),
    ("feed item flood", ("rss",), lambda r, n: b"<rss><channel>" + _rep("<item><description>3 cars</description>"
                                                                       "</item>", n) + b"</channel></rss>"),
    ("feed markup flood", ("rss",), lambda r, n: b"<rss><channel>" + _rep("<item><description><![CDATA[" + "<p>a" * 50
                                                                         + "]]></description></item>", n)
     + b"</channel></rss>"),
    ("deep feed", ("atom",), lambda r, n: b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><content type="xhtml">'
     + _rep("<div>", n // 2) + b"x" + _rep("</div>", n // 2) + b"</content></entry></feed>"),
    ("feed non-text codec", ("rss",), lambda r, n: b'<?xml version="1.0" encoding="zlib"?><rss>\xff</rss>'),
    ("html non-text codec", ("html",), lambda r, n: b'<meta charset="' + r.choice((b"zlib", b"base64", b"rot13",
                                                   b"undefined", b"hex", b"bz2", b"uu")) + b'"><p>caf\xe9 1,000</p>'),
    ("compressed", tuple(FORMATS), lambda r, n: _compressed(r, b"<html><body><p>" + _rep("1,000 cars ", n) + b"</p>")),
    ("random bytes", tuple(FORMATS), lambda r, n: r.randbytes(min(n, 65_536))),
    ("wrong BOM", tuple(FORMATS), lambda r, n: codecs.BOM_UTF16_LE + b"<p>\xd8\x00 1,000 cars</p>"),
    ("NULs", tuple(FORMATS), lambda r, n: b"Xiaomi delivered 1,000\x00 cars"),
    ("latin-1", tuple(FORMATS), lambda r, n: "Citroën livré 1 000 voitures en décembre".encode("latin-1")),
]


def hostile(rng: random.Random, fmt: str, size: int) -> tuple[str, bytes]:
    """A known-bad input aimed at format ``fmt``: ``(shape name, bytes)``, roughly ``size`` bytes."""
    name, _, make = rng.choice([h for h in HOSTILE if fmt in h[1]])
    return name, make(rng, size)


def reader_case(rng: random.Random, size: int = 4096) -> tuple[str, str, bytes]:
    """One input for the readers: ``(format, family, bytes)``; family says how it was made."""
    fmt = rng.choice(tuple(FORMATS))
    family = rng.choice(("valid", "mutated", "mutated", "hostile", "random bytes", "random unicode"))
    if family == "valid":
        data = valid_document(rng, fmt)
    elif family == "mutated":
        data = mutate(rng, valid_document(rng, fmt))
    elif family == "hostile":
        name, data = hostile(rng, fmt, rng.randint(16, size))
        family = f"hostile: {name}"
    elif family == "random bytes":
        data = rng.randbytes(rng.randint(0, size))
    else:
        data = random_unicode(rng, rng.randint(0, size // 2)).encode("utf-8")
    return fmt, family, data


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def result_problems(results: list[Any], data: bytes) -> list[str]:
    """What is wrong with a reader's results for ``data``: each must be an InvalidDocumentError naming a
    path and a reason, or a Document with text (not made out of nothing), a ``YYYY-MM-DD`` date or None,
    and fields that can be stored (UTF-8, no lone surrogates)."""
    problems = []
    for r in results:
        if isinstance(r, InvalidDocumentError):
            if not (r.fields.get("path") and r.fields.get("reason")):
                problems.append(f"error without path or reason: {r.fields}")
        elif not isinstance(r, Document):
            problems.append(f"not a Document or InvalidDocumentError: {type(r).__name__}")
        elif not (isinstance(r.text, str) and r.text.strip()):
            problems.append("empty Document")
        elif len(r.text) > 4 * len(data) + 16:
            problems.append(f"{len(r.text):,} characters of text from {len(data):,} bytes")
        elif r.published is not None and not _ISO_DATE.fullmatch(r.published):
            problems.append(f"published {r.published!r}")
        else:
            try:
                r.text.encode("utf-8"), r.title.encode("utf-8"), r.url.encode("utf-8"), r.name.encode("utf-8")
            except UnicodeEncodeError as e:
                problems.append(f"not storable: {e}")
    return problems


def extraction_problems(doc: Document, extracted: list[Any]) -> list[str]:
    """What is wrong with the figures extracted from ``doc``: each span must lie in the text, ``text[start:end]``
    be the figure's text and ``quote`` the sentence holding it (at ``sentence_start``)."""
    problems = []
    text = doc.text
    for x in extracted:
        if not 0 <= x.start < x.end <= len(text):
            problems.append(f"span {x.start}-{x.end} outside the text ({len(text)} characters)")
        elif text[x.start:x.end] != x.number_text:
            problems.append(f"text[{x.start}:{x.end}] is {text[x.start:x.end]!r}, not {x.number_text!r}")
        elif text[x.sentence_start:x.sentence_start + len(x.quote)] != x.quote:
            problems.append(f"quote is not the text at {x.sentence_start}")
        elif not x.sentence_start <= x.start < x.end <= x.sentence_start + len(x.quote):
            problems.append(f"figure {x.start}-{x.end} outside its sentence")
    return problems

"""Tests for evpace.sources: every input format, and every kind of bad input yielding an error."""

from __future__ import annotations

import io
import itertools
import json
import time
from pathlib import Path

import pytest

from evpace.errors import InvalidArgumentError, InvalidDocumentError
from evpace.model import Document
from evpace.sources import read_documents
from evpace.sources.common import normalise_date
from evpace.sources.html import html_to_text, parse_html


def read(*inputs, **kwargs) -> list[Document | InvalidDocumentError]:
    return list(read_documents([str(i) for i in inputs], **kwargs))


def docs(results) -> list[Document]:
    return [r for r in results if isinstance(r, Document)]


def errors(results) -> list[InvalidDocumentError]:
    return [r for r in results if isinstance(r, InvalidDocumentError)]


def only(results) -> Document:
    assert len(results) == 1 and isinstance(results[0], Document), results
    return results[0]


def only_error(results) -> InvalidDocumentError:
    assert len(results) == 1 and isinstance(results[0], InvalidDocumentError), results
    return results[0]


# --- dates -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("2026-01-06", "2026-01-06"),
        ("2026-01-06T23:30:00-08:00", "2026-01-06"),
        ("2026-01-06 06:10:00Z", "2026-01-06"),
        ("2026/1/6", "2026-01-06"),
        ("20260106", "2026-01-06"),
        ("Tue, 06 Jan 2026 06:10:00 GMT", "2026-01-06"),
        ("6 Jan 2026 06:10 +0000", "2026-01-06"),
        ("Jan 6, 2026", "2026-01-06"),
        ("January 6th, 2026", "2026-01-06"),
        ("Sept. 30, 2025", "2025-09-30"),
        ("2026, Jan 06 06:10", "2026-01-06"),
        ("2026-02-30", None),
        ("Tue 6", None),
        ("soon", None),
        ("", None),
        (20260106, None),
    ],
)
def test_normalise_date(raw, expected):
    assert normalise_date(raw) == expected


# --- text and markdown -------------------------------------------------------------------------


def test_plain_text_document(tmp_path):
    p = tmp_path / "ridge-motors.txt"
    p.write_text("Ridge Motors built 12,000 vans in March.\r\nThe plant runs two shifts.\n", encoding="utf-8")
    d = only(read(p))
    assert d.text == "Ridge Motors built 12,000 vans in March.\nThe plant runs two shifts."
    assert (d.name, d.path, d.title, d.url, d.published) == ("ridge-motors", str(p), "", "", None)
    assert len(d.id) == 40


def test_front_matter_is_read_and_stripped(tmp_path):
    p = tmp_path / "note.md"
    p.write_text(
        '---\ntitle: "Ridge opens a second line"\nurl: https://example.test/ridge\ndate: Jan 6, 2026\n'
        "tags:\n  - vans\n---\n\nRidge Motors opened a second line with 40 GWh of capacity.\n",
        encoding="utf-8",
    )
    d = only(read(p))
    assert d.text == "Ridge Motors opened a second line with 40 GWh of capacity."
    assert (d.title, d.url, d.published) == ("Ridge opens a second line", "https://example.test/ridge", "2026-01-06")


def test_leading_rule_without_key_values_is_not_front_matter(tmp_path):
    p = tmp_path / "rule.txt"
    p.write_text("---\nSales rose by a third this year.\n---\nMore text.\n", encoding="utf-8")
    assert only(read(p)).text.startswith("---\nSales rose")


def test_header_block(tmp_path):
    p = tmp_path / "header.txt"
    p.write_text(
        "Title: Lumen sells its millionth car\nURL: https://example.test/lumen\nPublished: 2025-11-03\n\n"
        "Lumen said it had sold one million cars since 2019.\n",
        encoding="utf-8",
    )
    d = only(read(p))
    assert (d.title, d.url, d.published) == (
        "Lumen sells its millionth car",
        "https://example.test/lumen",
        "2025-11-03",
    )
    assert d.text == "Lumen said it had sold one million cars since 2019."


def test_markdown_cleanup(tmp_path):
    p = tmp_path / "post.markdown"
    p.write_text(
        "# Quarterly update #\n\n![chart](img/chart.png)\nVolta delivered **48,100** cars, see [the release](https://x.test/r).\n"
        "> Output doubled.\n\n[ref]: https://x.test/ref\n",
        encoding="utf-8",
    )
    d = only(read(p))
    assert d.title == "Quarterly update"
    assert d.text == "Quarterly update\n\nVolta delivered 48,100 cars, see the release.\nOutput doubled."


def test_default_published_applies_only_to_undated(tmp_path):
    (tmp_path / "a.txt").write_text("Undated note about 300 chargers.", encoding="utf-8")
    (tmp_path / "b.txt").write_text("---\npublished: 2024-05-01\n---\nDated note.", encoding="utf-8")
    a, b = read(tmp_path, published="March 2, 2026")
    assert (a.published, b.published) == ("2026-03-02", "2024-05-01")


def test_bad_arguments_raise_at_call_time(tmp_path):
    with pytest.raises(InvalidArgumentError):
        read_documents([str(tmp_path)], published="someday")
    with pytest.raises(InvalidArgumentError):
        read_documents([str(tmp_path)], max_bytes=0)


# --- HTML ----------------------------------------------------------------------------------------

PAGE = """<!DOCTYPE html><html><head>
<title>Ampere Works hits a record | Example News</title>
<meta property="og:title" content="Ampere Works hits a record">
<meta property="article:published_time" content="2026-01-06T06:10:00+08:00">
<link rel="canonical" href="https://news.example.test/ampere-record">
<style>.x { color: red }</style><script>var tracking = "SCRIPT TEXT";</script>
</head><body>
<header><a href="/">HEADER TEXT</a></header>
<nav><ul><li>NAV TEXT</li></ul></nav>
<div class="cookie-banner">COOKIE TEXT</div>
<main><article>
  <h1>Ampere Works hits a record</h1>
  <p>Ampere Works delivered 51,200 cars in December &amp; 410,000 in the year.</p>
  <div class="share-buttons">SHARE TEXT</div>
  <p>The firm expects  output to rise&nbsp;again<br>in 2026.</p>
  <!-- COMMENT TEXT -->
  <aside>ASIDE TEXT</aside>
</article></main>
<div id="related-stories"><p>RELATED TEXT one.</p><p>RELATED TEXT two.</p></div>
<footer>FOOTER TEXT</footer>
</body></html>"""


def test_html_main_text_without_boilerplate(tmp_path):
    p = tmp_path / "ampere.html"
    p.write_text(PAGE, encoding="utf-8")
    d = only(read(p))
    for junk in ("SCRIPT", "HEADER", "NAV", "COOKIE", "SHARE", "COMMENT", "ASIDE", "RELATED", "FOOTER", "color"):
        assert junk not in d.text
    assert d.text == (
        "Ampere Works hits a record\n\n"
        "Ampere Works delivered 51,200 cars in December & 410,000 in the year.\n\n"
        "The firm expects output to rise again\nin 2026."
    )
    assert d.title == "Ampere Works hits a record"
    assert d.url == "https://news.example.test/ampere-record"
    assert d.published == "2026-01-06"
    assert d.name == "ampere"


def test_html_without_article_picks_block_with_most_paragraph_text():
    markup = """<html><body>
    <div class="links"><a href="/a">Home</a> <a href="/b">Markets</a></div>
    <div id="story"><p>Brightline Trucks said orders reached 7,300 units.</p>
    <p>It plans a third plant by 2028.</p><p>Deliveries start in spring.</p></div>
    <div><p>Short teaser.</p></div></body></html>"""
    page = parse_html(markup)
    assert page.text.startswith("Brightline Trucks said orders reached 7,300 units.")
    assert "Home" not in page.text and "teaser" not in page.text


@pytest.mark.parametrize(
    "head, expected",
    [
        ('<meta name="date" content="2025-12-01">', "2025-12-01"),
        ('<meta name="pubdate" content="Dec 2, 2025">', "2025-12-02"),
        ('<meta name="publish-date" content="2025/12/03">', "2025-12-03"),
        (
            '<script type="application/ld+json">{"@graph": [{"@type": "NewsArticle", "headline": "H",'
            ' "datePublished": "2025-12-04T10:00:00Z"}]}</script>',
            "2025-12-04",
        ),
        ("", "2025-12-05"),  # falls back to <time datetime>
    ],
)
def test_html_published_sources(head, expected):
    markup = f"<html><head>{head}</head><body><article><time datetime='2025-12-05'>5 Dec</time>"
    markup += "<p>Some text about 20 buses.</p></article></body></html>"
    page = parse_html(markup)
    assert normalise_date(page.published) == expected


def test_html_title_and_url_fallbacks():
    page = parse_html(
        '<html><head><title> Plain   title </title><meta property="og:url" content="https://e.test/u">'
        "</head><body><p>Text.</p></body></html>"
    )
    assert (page.title, page.url) == ("Plain title", "https://e.test/u")


def test_html_declared_charset(tmp_path):
    body = '<html><head><meta charset="iso-8859-1"></head><body><p>Citroën sold 900 cars.</p></body></html>'
    p = tmp_path / "latin.htm"
    p.write_bytes(body.encode("latin-1"))
    assert only(read(p)).text == "Citroën sold 900 cars."
    q = tmp_path / "undeclared.html"
    q.write_bytes(body.replace(' charset="iso-8859-1"', "").encode("latin-1"))
    err = only_error(read(q))
    assert str(q) in str(err) and "UTF-8" in str(err) and "charset" in str(err)


def test_html_all_boilerplate_class_falls_back_rather_than_empty():
    page = parse_html('<html><body class="has-sidebar"><div class="layout-sidebar"><p>Only text here.</p></div></body>')
    assert page.text == "Only text here."


def test_html_deeply_nested_does_not_crash(tmp_path):
    n = 100_000
    p = tmp_path / "deep.html"
    p.write_text("<html><body>" + "<div>" * n + "<p>Deep fact: 5 plants.</p>" + "</div>" * n + "</body></html>")
    start = time.perf_counter()
    d = only(read(p))
    assert time.perf_counter() - start < 20
    assert d.text == "Deep fact: 5 plants."


def test_html_deeply_nested_script_is_still_dropped():
    n = 2_000
    page = parse_html("<div>" * n + "<script>HIDDEN()</script><p>Visible.</p>" + "</div>" * n)
    assert page.text == "Visible."


def test_html_that_is_only_markup_is_an_error(tmp_path):
    p = tmp_path / "blank.html"
    p.write_text("<html><body><nav>menu</nav><script>x()</script></body></html>", encoding="utf-8")
    assert "empty" in str(only_error(read(p)))


def test_html_to_text_for_fragments():
    assert html_to_text("<p>One &lt;two&gt;</p><ul><li>a</li><li>b</li></ul>") == "One <two>\n\na\n\nb"


# --- JSONL ---------------------------------------------------------------------------------------


def test_jsonl_good_and_bad_lines(tmp_path):
    p = tmp_path / "batch.jsonl"
    lines = [
        json.dumps({"id": "n1", "url": "https://e.test/1", "title": "T1", "published": "Jan 6, 2026", "text": "A."}),
        "{not json",
        "",
        json.dumps({"title": "no text here"}),
        json.dumps({"text": 42}),
        json.dumps(["a", "list"]),
        json.dumps({"text": "   "}),
        json.dumps({"text": "Second good record."}),
    ]
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    results = read(p, published="2020-01-01")
    good, bad = docs(results), errors(results)
    assert [(d.name, d.path, d.published) for d in good] == [
        ("n1", f"{p}:1", "2026-01-06"),
        ("batch:8", f"{p}:8", "2020-01-01"),
    ]
    assert (good[0].url, good[0].title, good[0].text) == ("https://e.test/1", "T1", "A.")
    messages = [str(e) for e in bad]
    assert messages[0].startswith(f"{p}:2: bad JSON")
    assert messages[1].startswith(f"{p}:4: ") and "no 'text'" in messages[1]
    assert messages[2].startswith(f"{p}:5: ") and "must be a string" in messages[2]
    assert messages[3].startswith(f"{p}:6: ") and "JSON object" in messages[3]
    assert messages[4].startswith(f"{p}:7: ") and "empty" in messages[4]
    assert bad[0].to_dict()["code"] == "invalid-document"


def test_jsonl_undecodable_and_overlong_lines(tmp_path):
    p = tmp_path / "mixed.jsonl"
    p.write_bytes(b'{"text": "caf\xe9"}\n' + b'{"text": "' + b"x" * 5000 + b'"}\n' + b'{"text": "fine"}\n')
    results = read(p, max_bytes=1000)
    assert [str(r)[: len(str(p)) + 2] for r in errors(results)] == [f"{p}:1", f"{p}:2"]
    assert "UTF-8" in str(results[0]) and "limit" in str(results[1])
    assert only(docs(results)).path == f"{p}:3"


def test_json_file_with_list_of_records(tmp_path):
    p = tmp_path / "records.json"
    p.write_text(json.dumps([{"text": "one"}, {"id": 7, "text": "two"}], indent=2), encoding="utf-8")
    assert [(d.name, d.path) for d in docs(read(p))] == [("records[0]", f"{p}[0]"), ("7", f"{p}[1]")]
    q = tmp_path / "lines.json"
    q.write_text('{"text": "a"}\n{"text": "b"}\n', encoding="utf-8")
    assert [d.path for d in docs(read(q))] == [f"{q}:1", f"{q}:2"]


def test_jsonl_is_read_lazily(tmp_path):
    p = tmp_path / "big.jsonl"
    with p.open("w", encoding="utf-8") as f:
        for i in range(20_000):
            f.write(json.dumps({"id": f"d{i}", "text": f"Record {i} says {i * 3} units were built."}) + "\n")
    start = time.perf_counter()
    first = list(itertools.islice(read_documents([str(p)]), 3))
    assert time.perf_counter() - start < 0.5
    assert [d.name for d in first] == ["d0", "d1", "d2"]
    assert sum(1 for _ in read_documents([str(p)])) == 20_000


class CountingStream(io.BytesIO):
    """A stdin stand-in that counts the bytes handed out."""

    consumed = 0

    def read(self, size=-1):
        data = super().read(size)
        self.consumed += len(data)
        return data

    def readline(self, size=-1):
        data = super().readline(size)
        self.consumed += len(data)
        return data


def test_large_jsonl_on_stdin_is_streamed():
    payload = b"".join(json.dumps({"text": f"Line {i} of the stream."}).encode() + b"\n" for i in range(20_000))
    stream = CountingStream(payload)
    first = list(itertools.islice(read_documents(["-"], stdin=stream, max_bytes=10_000), 3))
    assert [d.path for d in first] == ["<stdin>:1", "<stdin>:2", "<stdin>:3"]
    assert stream.consumed < 20_000 < len(payload)
    rest = list(read_documents(["-"], stdin=CountingStream(payload), max_bytes=10_000))
    assert len(docs(rest)) == 20_000 and rest[-1].text == "Line 19999 of the stream."


# --- feeds ---------------------------------------------------------------------------------------

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:media="http://search.yahoo.com/mrss/">
<channel><title>Example EV feed</title><link>https://feed.example.test/</link>
<item><title>Kestrel adds 2,000 chargers</title><link>https://feed.example.test/kestrel</link>
  <pubDate>Tue, 06 Jan 2026 06:10:00 GMT</pubDate>
  <description>Short summary.</description>
  <media:content url="https://feed.example.test/img.jpg"/>
  <content:encoded><![CDATA[<p>Kestrel added 2,000 chargers in 2025.</p><p>It now runs 9,500.</p>
    <script>bad()</script>]]></content:encoded></item>
<item><title>Orbit &amp; Co. results</title><guid>https://feed.example.test/orbit</guid>
  <description>&lt;p&gt;Orbit sold &lt;b&gt;3,100&lt;/b&gt; buses.&lt;/p&gt;</description></item>
<item><title>Headline only</title></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom EV feed</title>
<entry><title type="html">Nova &lt;em&gt;ships&lt;/em&gt; 800 trucks</title>
  <link rel="self" href="https://atom.example.test/self/1"/>
  <link rel="alternate" href="https://atom.example.test/nova"/>
  <updated>2026-01-09T00:00:00Z</updated><published>2026-01-07T08:00:00Z</published>
  <content type="html">&lt;p&gt;Nova shipped 800 trucks.&lt;/p&gt;&lt;p&gt;More next year.&lt;/p&gt;</content></entry>
<entry><title>Plain entry</title><link href="https://atom.example.test/plain"/>
  <updated>2026-01-08</updated><summary>Plain summary with 12 sites.</summary></entry>
<entry><title>XHTML entry</title><id>urn:uuid:1</id>
  <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>First para.</p><p>Second para.</p></div></content>
</entry>
</feed>"""


def test_rss_feed(tmp_path):
    p = tmp_path / "ev.rss"
    p.write_text(RSS, encoding="utf-8")
    results = read(p, published="2026-02-01")
    a, b = docs(results)
    assert (a.title, a.url, a.published, a.path, a.name) == (
        "Kestrel adds 2,000 chargers", "https://feed.example.test/kestrel", "2026-01-06", f"{p}#1", "ev#1"
    )  # fmt: skip
    assert a.text == "Kestrel added 2,000 chargers in 2025.\n\nIt now runs 9,500."
    assert (b.title, b.url, b.text, b.published) == (
        "Orbit & Co. results", "https://feed.example.test/orbit", "Orbit sold 3,100 buses.", "2026-02-01"
    )  # fmt: skip
    err = only_error(errors(results))
    assert str(err).startswith(f"{p}#3: ") and "no text" in str(err)


def test_atom_feed(tmp_path):
    p = tmp_path / "ev.atom"
    p.write_text(ATOM, encoding="utf-8")
    a, b, c = read(p)
    assert (a.title, a.url, a.published) == ("Nova ships 800 trucks", "https://atom.example.test/nova", "2026-01-07")
    assert a.text == "Nova shipped 800 trucks.\n\nMore next year."
    assert (b.url, b.published, b.text) == (
        "https://atom.example.test/plain",
        "2026-01-08",
        "Plain summary with 12 sites.",
    )
    assert c.text == "First para.\n\nSecond para." and c.url == ""


def test_broken_xml_feed(tmp_path):
    p = tmp_path / "broken.xml"
    p.write_text("<rss><channel><item><title>x</title></channel>", encoding="utf-8")
    err = only_error(read(p))
    assert str(err).startswith(f"{p}: broken XML") and "line" in str(err)


def test_xml_that_is_not_a_feed(tmp_path):
    p = tmp_path / "other.xml"
    p.write_text("<catalog><book>x</book></catalog>", encoding="utf-8")
    assert "not an RSS or Atom feed" in str(only_error(read(p)))


@pytest.mark.parametrize(
    "prolog",
    [
        '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>',
        '<!DOCTYPE rss SYSTEM "file:///etc/passwd">',
        '<!ENTITY x "y">',
    ],
)
def test_entity_declarations_are_refused(tmp_path, prolog):
    p = tmp_path / "bomb.xml"
    body = "<rss><channel><item><description>&lol2;</description></item></channel></rss>"
    p.write_text(f'<?xml version="1.0"?>\n{prolog}\n{body}', encoding="utf-8")
    start = time.perf_counter()
    err = only_error(read(p))
    assert time.perf_counter() - start < 1
    assert str(p) in str(err) and "DOCTYPE" in str(err)


# --- directories, globs, stdin -------------------------------------------------------------------


@pytest.fixture
def corpus(tmp_path) -> Path:
    root = tmp_path / "news"
    (root / "2026" / "jan").mkdir(parents=True)
    (root / ".hidden").mkdir()
    (root / "b.txt").write_text("Text b.", encoding="utf-8")
    (root / "a.md").write_text("Text a.", encoding="utf-8")
    (root / "2026" / "c.html").write_text("<p>Text c.</p>", encoding="utf-8")
    (root / "2026" / "jan" / "d.jsonl").write_text('{"text": "Text d."}\n', encoding="utf-8")
    (root / "2026" / "jan" / "e.rss").write_text(
        "<rss><channel><item><description>Text e.</description></item></channel></rss>", encoding="utf-8"
    )
    (root / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (root / "data.json").write_text('{"text": "not picked up from directories"}', encoding="utf-8")
    (root / "notes.csv").write_text("a,b\n", encoding="utf-8")
    (root / ".hidden" / "x.txt").write_text("hidden", encoding="utf-8")
    (root / ".secret.txt").write_text("hidden", encoding="utf-8")
    return root


def test_directory_is_recursed_sorted_known_extensions_only(corpus):
    results = read(corpus)
    assert [r.text for r in results] == ["Text c.", "Text d.", "Text e.", "Text a.", "Text b."]
    assert all(isinstance(r, Document) for r in results)


def test_glob_patterns(corpus):
    assert [d.text for d in read(corpus / "*.txt")] == ["Text b."]
    assert [d.text for d in read(corpus / "**")] == [r.text for r in read(corpus)]
    assert "no files match" in str(only_error(read(corpus / "*.nothing")))


def test_same_file_twice_is_read_once(corpus):
    assert [d.text for d in read(corpus / "b.txt", corpus / "*.txt")] == ["Text b."]


def test_empty_directory_is_reported(tmp_path):
    assert "no readable files" in str(only_error(read(tmp_path)))


def test_stdin_text_and_jsonl():
    d = only(read("-", stdin=io.StringIO("Title: Piped\n\nPiped text with 4 sites.\n")))
    assert (d.text, d.title, d.name, d.path) == ("Piped text with 4 sites.", "Piped", "stdin", "<stdin>")
    lines = '{"text": "one"}\n\n  {"id": "x", "text": "two"}\n'
    assert [(d.name, d.path) for d in read("-", stdin=io.StringIO(lines))] == [
        ("stdin:1", "<stdin>:1"),
        ("x", "<stdin>:3"),
    ]
    mixed = '{"text": "one"}\nnot json at all\n'
    assert only(read("-", stdin=io.StringIO(mixed))).text == mixed.strip()


def test_stdin_bytes_html_and_errors():
    page = io.BytesIO(b"<!doctype html><html><body><article><p>Piped page.</p></article></body></html>")
    assert only(read("-", stdin=page)).text == "Piped page."
    assert "<stdin>: empty" in str(only_error(read("-", stdin=io.BytesIO(b"  \n"))))
    assert "limit" in str(only_error(read("-", stdin=io.BytesIO(b"x" * 100), max_bytes=10)))


# --- bad inputs ----------------------------------------------------------------------------------


def test_bad_inputs_are_yielded_and_the_batch_goes_on(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("A good document.", encoding="utf-8")
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"GIF89a\x00\x01\x02\x03" * 10)
    control = tmp_path / "control.txt"
    control.write_bytes(b"\x01\x02\x03\x04\x05\x06abc" * 10)
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Renault Zoé".encode("latin-1"))
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    blank = tmp_path / "blank.md"
    blank.write_text(" \n\t\n", encoding="utf-8")
    fm_only = tmp_path / "frontmatter-only.md"
    fm_only.write_text("---\ntitle: x\n---\n", encoding="utf-8")
    big = tmp_path / "big.txt"
    big.write_text("x" * 2_000, encoding="utf-8")
    missing = tmp_path / "missing.txt"
    inputs = [good, binary, control, latin, empty, blank, fm_only, big, missing, good.with_name("good2.txt")]
    (tmp_path / "good2.txt").write_text("Another good one.", encoding="utf-8")
    results = read(*inputs, max_bytes=1_000)
    assert [r.text for r in docs(results)] == ["A good document.", "Another good one."]
    expected = {
        binary: "binary",
        control: "control characters",
        latin: "not UTF-8 (byte 0xe9 at offset 10)",
        empty: "empty",
        blank: "empty",
        fm_only: "empty",
        big: "over the limit of 1,000 bytes",
        missing: "no such file",
    }
    errs = errors(results)
    assert len(errs) == len(expected)
    for err, (path, reason) in zip(errs, expected.items(), strict=True):
        assert str(err).startswith(f"{path}: "), err
        assert reason in str(err), err
        assert err.fields["path"] == str(path)


def test_oversized_file_is_not_read(tmp_path, monkeypatch):
    big = tmp_path / "big.html"
    big.write_text("<p>" + "y" * 5_000 + "</p>", encoding="utf-8")
    opened = []
    real_open = open

    def spy(file, *args, **kwargs):
        opened.append(str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr("builtins.open", spy)
    assert "limit" in str(only_error(read(big, max_bytes=1_000)))
    assert str(big) not in opened


def test_binary_feed_and_html_are_errors(tmp_path):
    (tmp_path / "x.rss").write_bytes(b"\x00\x01binary")
    (tmp_path / "y.html").write_bytes(b"<p>\x00\x00</p>")
    assert [("binary" in str(e)) for e in read(tmp_path)] == [True, True]


# --- more edges ----------------------------------------------------------------------------------


def test_pretty_printed_json_object_and_bad_json_file(tmp_path):
    p = tmp_path / "one.json"
    p.write_text(json.dumps({"id": "solo", "title": "Solo", "text": "A single record."}, indent=2), encoding="utf-8")
    d = only(read(p))
    assert (d.name, d.title, d.path) == ("solo", "Solo", str(p))
    q = tmp_path / "bad.json"
    q.write_text('{\n  "text": "unterminated\n', encoding="utf-8")
    err = only_error(read(q))
    assert str(err).startswith(f"{q}: bad JSON") and "line" in str(err)


def test_jsonl_errors_carry_the_line_number(tmp_path):
    p = tmp_path / "f.jsonl"
    p.write_text('{"text": "ok"}\n{"title": "x"}\n', encoding="utf-8")
    err = errors(read(p))[0]
    assert err.fields["line"] == 2 and err.to_dict()["line"] == "2"


def test_paths_and_repeated_stdin(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text("Path object input.", encoding="utf-8")
    assert [d.text for d in read_documents([p])] == ["Path object input."]
    assert len(read("-", "-", stdin=io.StringIO("Read once."))) == 1


def test_byte_order_marks(tmp_path):
    (tmp_path / "bom8.txt").write_bytes("\ufeffUTF-8 with a BOM, 7 kWh.".encode("utf-8"))
    (tmp_path / "bom16.txt").write_bytes("\ufeffUTF-16 text, 8 kWh.".encode("utf-16"))
    assert [d.text for d in read(tmp_path)] == ["UTF-16 text, 8 kWh.", "UTF-8 with a BOM, 7 kWh."]


def test_feed_with_declared_single_byte_encoding_and_plain_text(tmp_path):
    p = tmp_path / "legacy.xml"
    xml = (
        '<?xml version="1.0" encoding="windows-1252"?><rss><channel><item><title>Zoé</title>'
        "<description>Margins &lt; 10% &amp; R&amp;D up.\n\n\n  Second   line.</description>"
        "<dc:date xmlns:dc='http://purl.org/dc/elements/1.1/'>2025-10-02T09:00:00+02:00</dc:date>"
        "</item></channel></rss>"
    )
    p.write_bytes(xml.encode("cp1252"))
    d = only(read(p))
    assert (d.title, d.text, d.published) == ("Zoé", "Margins < 10% & R&D up.\n\nSecond line.", "2025-10-02")


def test_text_stdin_stream_large_jsonl_is_streamed():
    payload = "".join(json.dumps({"text": f"Doc {i}."}) + "\n" for i in range(5_000))
    results = list(read_documents(["-"], stdin=io.StringIO(payload), max_bytes=2_000))
    assert len(docs(results)) == 5_000 and results[-1].path == "<stdin>:5000"


def test_unknown_extension_named_explicitly_is_sniffed(tmp_path):
    page = tmp_path / "saved.page"
    page.write_text("<!DOCTYPE html><html><body><p>Sniffed as HTML.</p></body></html>", encoding="utf-8")
    notes = tmp_path / "notes.log"
    notes.write_text("Plain log text.", encoding="utf-8")
    assert [d.text for d in read(page, notes)] == ["Sniffed as HTML.", "Plain log text."]
    assert [d.text for d in read(tmp_path / "*.log")] == ["Plain log text."]

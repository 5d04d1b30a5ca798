"""The timeline renderers: text, Markdown, the self-contained HTML page and TimelineJS3 JSON."""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
import warnings
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings

import sinotajik
from sinotajik import (
    Citation,
    Confidence,
    Dataset,
    Event,
    EventKind,
    Reliability,
    Source,
    SourceKind,
    parse_when,
    timeline,
    to_html,
    to_markdown,
    to_svg,
    to_text,
    to_timelinejs,
)
from sinotajik._render import FORMATS, render_timeline
from strategies import datasets

RELEASE = "2026.11.1"  # releases never change, so the hand-checked facts below hold for good
DRILL = "evt-2021-08-18-dushanbe-joint-ct-drill"
OUTPOST = "fac-murghob-shaymak-outpost"


def _real() -> Dataset:
    return sinotajik.load(RELEASE)


class _Page(HTMLParser):
    """The parts of a rendered page the tests look at."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: list[str] = []
        self.articles: dict[str, dict[str, str | None]] = {}
        self.loads: list[tuple[str, str, str | None]] = []
        self.links: list[str] = []
        self.scripts: list[str] = []
        self.styles: list[str] = []
        self.csp = ""
        self._in: str | None = None
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.append(str(a["id"]))
        if tag == "article":
            self.articles[str(a["id"])] = a
        if tag == "a" and a.get("href"):
            self.links.append(str(a["href"]))
        for name in ("src", "srcset", "data", "poster", "background"):
            if name in a:
                self.loads.append((tag, name, a[name]))
        if tag in ("link", "iframe", "img", "object", "embed", "base"):
            self.loads.append((tag, "", None))
        if tag == "meta" and a.get("http-equiv") == "Content-Security-Policy":
            self.csp = str(a["content"])
        if tag in ("script", "style"):
            self._in = tag
            (self.scripts if tag == "script" else self.styles).append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == self._in:
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "script":
            self.scripts[-1] += data
        elif self._in == "style":
            self.styles[-1] += data


def _sha(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def _article(page: str, anchor: str) -> str:
    start = page.index(f'<article id="{anchor}"')
    return page[start : page.index("</article>", start)]


# --------------------------------------------------------------------------- text and markdown


def test_to_text_is_the_terminal_timeline() -> None:
    """to_text renders the records' timeline as render_text does, the drill as '18–19 Aug 2021'."""
    ds = _real()
    text = to_text(ds)
    assert text == render_timeline("text", timeline(ds), ds)
    line = next(line for line in text.splitlines() if line.endswith(f"[{DRILL}]"))
    assert line.split("  ")[2].strip() == "18–19 Aug 2021"


def test_markdown_groups_by_year_then_month() -> None:
    """2016 opens with its year-only entry, then a heading per month; each entry lists its sources."""
    md = to_markdown(_real())
    lines = md.splitlines()
    assert lines[0] == "# China–Tajikistan security cooperation: a timeline"
    assert f"Dataset version {RELEASE}." in lines[2]
    y = lines.index("## 2016")
    body = [line for line in lines[y + 1 :] if line][:4]
    assert body[0].startswith(r"- **\~2016** — operational: Chinese-manned outpost near Shaymak")
    assert body[0].endswith(f"`{OUTPOST}`")
    assert body[1].startswith("  Note: Approximate start")
    assert body[2].startswith("  Sources: [")
    assert body[3] == "### Feb 2016"
    headings = [line for line in lines if line.startswith("#")]
    assert headings.index("## 2021") < headings.index("### Aug 2021") < headings.index("### Sep 2021")
    drill = next(line for line in lines if line.endswith(f"`{DRILL}`"))
    assert drill.startswith("- **18–19 Aug 2021** — Anti-Terrorist Coordination-2021")


def test_markdown_links_sources_with_publisher_and_date() -> None:
    """A cited source with a URL becomes a Markdown link labelled with its publisher and date."""
    ds = _real()
    md = to_markdown(ds)
    [entry] = [e for e in timeline(ds) if e.record == DRILL]
    src = ds.get(entry.sources[0])
    assert src.url and src.published
    label = f"{src.publisher}, {sinotajik.format_when(src.published)}"
    assert f"[{label}]({src.url})" in md


def test_markdown_escapes_what_markdown_would_read() -> None:
    """Emphasis, link and HTML characters in titles come out literally, and the title is taken."""
    ev = _event(title="A *bold* [claim] <b>here</b> ~2016", date="2016")
    with pytest.warns(UserWarning, match="pass context=ds"):  # src-q is not among the records
        md = to_markdown([ev], title="My [timeline]")
    assert md.startswith(r"# My \[timeline\]")
    assert r"A \*bold\* \[claim\] \<b\>here\</b\> \~2016" in md
    assert "`src-q`" in md  # a source not among the records is named by id


# --------------------------------------------------------------------------- TimelineJS3


def test_timelinejs_dates_are_never_made_more_precise() -> None:
    """Each event's start_date/end_date holds only the year, month and day the sources give."""
    ds = _real()
    tl = to_timelinejs(ds)
    entries = timeline(ds)
    assert len(tl["events"]) == len(entries)
    for ev, e in zip(tl["events"], entries, strict=True):
        first = e.date.start if isinstance(e.date, sinotajik.DateSpan) else e.date
        assert first is not None
        assert ev["start_date"]["year"] == first.year
        assert ("month" in ev["start_date"]) == (first.month is not None)
        assert ("day" in ev["start_date"]) == (first.day is not None)
        assert ("display_date" in ev) == (not e.exact)
    json.dumps(tl)  # plain JSON


def test_timelinejs_hand_checked_events() -> None:
    """The drill spans two days; ~2016 and Oct 2016 have no invented month or day; uncertain ones say so."""
    ds = _real()
    events = {ev["unique_id"]: ev for ev in to_timelinejs(ds)["events"]}
    drill = events[DRILL]
    assert drill["start_date"] == {"year": 2021, "month": 8, "day": 18}
    assert drill["end_date"] == {"year": 2021, "month": 8, "day": 19}
    assert "display_date" not in drill
    assert drill["group"] == "Drills"
    assert drill["text"]["headline"].startswith("Anti-Terrorist Coordination-2021")
    outpost = events[f"{OUTPOST}--operational"]
    assert outpost["start_date"] == {"year": 2016, "display_date": "~2016"}
    assert outpost["display_date"] == "~2016"
    assert outpost["group"] == "Facility milestones"
    signed = events["agr-2016-10-chn-tjk-border-posts-construction--signed"]
    assert signed["start_date"] == {"year": 2016, "month": 10}
    assert "end_date" not in signed and "display_date" not in signed
    posts = events["fac-tjk-afghan-border-posts-2016-programme--operational"]
    assert (posts["start_date"], posts["end_date"]) == ({"year": 2017}, {"year": 2018})
    yearly = events["evt-2018-china-qccm-joint-working-group-annual-conference"]
    assert yearly["start_date"] == {"year": 2018, "display_date": "2018?"}
    assert events["agr-2021-chn-mps-tjk-mvd-vakhon-base--agreed"]["display_date"] == "~Oct 2021"
    # two denials of the same outpost get distinct ids
    assert {f"{OUTPOST}--officially_denied", f"{OUTPOST}--officially_denied-2"} <= set(events)


def test_timelinejs_text_links_sources() -> None:
    """The slide text carries the summary, the actors by name and links to the sources."""
    ds = _real()
    drill = next(ev for ev in to_timelinejs(ds)["events"] if ev["unique_id"] == DRILL)
    text = drill["text"]["text"]
    event = ds.get(DRILL)
    assert text.startswith("<p>" + event.summary.replace("&", "&amp;")[:40])
    urls = [ds.get(c.source).url for c in event.citations if ds.get(c.source).url]
    assert urls and all(f'href="{u}"' in text for u in urls)
    assert "Actors: " in text and ds.get("act-chn-mps").name in text


def test_timelinejs_open_spans() -> None:
    """A span open at the end starts at its start; one open at the start is placed at its end."""
    tl = to_timelinejs([_event(id="evt-a", date="2016-10/.."), _event(id="evt-b", date="../2017"), _SOURCE_Q])
    by_id = {ev["unique_id"]: ev for ev in tl["events"]}
    assert by_id["evt-a"]["start_date"] == {"year": 2016, "month": 10}
    assert "end_date" not in by_id["evt-a"]
    assert by_id["evt-a"]["display_date"] == "from Oct 2016"
    assert by_id["evt-b"]["start_date"] == {"year": 2017}
    assert by_id["evt-b"]["display_date"] == "until 2017"
    assert tl["title"]["text"]["headline"] == "China–Tajikistan security cooperation: a timeline"


# --------------------------------------------------------------------------- HTML


def test_html_is_self_contained() -> None:
    """The page loads nothing: no src attributes, no external styles, a CSP of 'none' plus hashes."""
    page = to_html(_real())
    parsed = _Page(page)
    assert parsed.loads == []
    assert "@import" not in page and "url(http" not in page
    assert parsed.csp.startswith("default-src 'none';")
    assert len(parsed.scripts) == 1 and len(parsed.styles) == 1
    assert f"script-src {_sha(parsed.scripts[0])}" in parsed.csp
    assert f"style-src {_sha(parsed.styles[0])}" in parsed.csp
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page


def test_html_has_an_anchor_and_sources_per_entry() -> None:
    """Every entry is an article with a unique id; the drill shows its sources' publishers, dates, URLs and quotes."""
    ds = _real()
    page = to_html(ds)
    parsed = _Page(page)
    entries = timeline(ds)
    assert len(parsed.articles) == len(entries)
    assert len(parsed.ids) == len(set(parsed.ids))
    drill = _article(page, DRILL)
    assert '<span class="when">18–19 Aug 2021</span>' in drill
    assert parsed.articles[DRILL]["data-sub"] == "event/drill"
    assert parsed.articles[DRILL]["data-years"] == "2021"
    event = ds.get(DRILL)
    for cite in event.citations:
        src = ds.get(cite.source)
        assert html.escape(src.publisher) in drill
        assert f'href="#{src.id}"' in drill
        if src.url:
            assert f'href="{src.url}"' in drill
        if src.published:
            assert sinotajik.format_when(src.published) in drill
        if cite.quote:
            assert f"“{html.escape(cite.quote)}”" in drill
    # each cited source has its own item at the foot of the page, linking back to the entry
    assert f'<li id="{event.citations[0].source}">' in page
    assert f'href="#{DRILL}"' in page[page.index('<section id="sources">') :]


def test_html_shows_precision_honestly() -> None:
    """Year-only and approximate dates say so and are drawn as a dashed band over the whole year."""
    page = to_html(_real())
    outpost = _article(page, f"{OUTPOST}--operational")
    assert '<span class="when">~2016</span>' in outpost
    assert "known to the year, approximate" in outpost
    assert 'title="EDTF 2016~"' in outpost
    i = next(i for i, e in enumerate(timeline(_real())) if e.record == OUTPOST and e.milestone == "operational")
    mark = re.search(rf'<a href="#{OUTPOST}--operational" data-mark="{i}"[^>]*>.*?</a>', page)
    assert mark is not None
    rect = re.search(r'<rect class="mk c\d+ fz band" x="([\d.]+)" y="[\d.]+" width="([\d.]+)"', mark.group(0))
    assert rect is not None and float(rect.group(2)) == pytest.approx(120, abs=0.2)  # a whole year column
    drill = re.search(rf'<a href="#{DRILL}" data-mark="\d+"[^>]*>.*?</a>', page)
    assert drill is not None and '<rect class="mk c1 bar"' in drill.group(0)
    meeting = re.search(
        r'<a href="#evt-2016-02-29-dushanbe-rahmon-meets-fang-fenghui" data-mark="\d+"[^>]*>.*?</a>', page
    )
    assert meeting is not None and "<circle" in meeting.group(0)


def test_html_lanes_and_filters() -> None:
    """The overview has a lane per kind and per frequent actor; the filters list kinds, actors and years."""
    ds = _real()
    page = to_html(ds)
    kind_view = page[page.index('<svg id="ov-kind"') : page.index("</svg>", page.index('<svg id="ov-kind"'))]
    lanes = re.findall(r'<text class="lanelabel"[^>]*>([^<]*)</text>', kind_view)
    assert lanes[:2] == ["Exercises (6)", "Drills (2)"]
    assert lanes[-2:] == ["Agreement milestones (12)", "Facility milestones (11)"]
    assert sum(int(re.search(r"\((\d+)\)$", lane).group(1)) for lane in lanes) == len(timeline(ds))  # type: ignore[union-attr]
    assert '<option value="event/drill">' in page
    assert '<option value="act-chn-mps">' in page
    assert '<option value="2021">2021 (' in page
    # empty years between 2006 and 2011 shrink to one gap, labelled for what it is
    assert "<title>2007–2010: no entries (not to scale)</title>" in page


def test_html_escapes_record_text_and_refuses_script_urls() -> None:
    """Markup in titles is shown as text, and a javascript: URL in a source is never a link."""
    src = Source(
        id="src-q",
        publisher="P <i>",
        title="</script><script>alert(1)</script>",
        kind=SourceKind.WIRE,
        reliability=Reliability.HIGH,
        reliability_note="n",
        language="en",
        url="javascript:alert(1)",
    )
    page = to_html([_event(title='<img src=x onerror="alert(1)">'), src], title="<b>T</b>")
    parsed = _Page(page)
    assert parsed.loads == []
    assert len(parsed.scripts) == 1
    assert "javascript:" not in " ".join(parsed.links)
    assert "<title>&lt;b&gt;T&lt;/b&gt;</title>" in page
    assert "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_html_marks_low_confidence() -> None:
    """A record of low confidence carries a visible 'low confidence' chip."""
    page = to_html([_event(confidence=Confidence.LOW), _SOURCE_Q])
    assert '<span class="chip low">low confidence</span>' in _article(page, "evt-q")


@settings(max_examples=40, deadline=None)
@given(datasets())
def test_renderers_cover_every_entry(ds: Dataset) -> None:
    """For any dataset, every renderer shows every entry once, with unique anchors in the page."""
    entries = timeline(ds)
    page = _Page(to_html(ds))
    assert len(page.articles) == len(entries)
    assert len(page.ids) == len(set(page.ids))
    assert page.loads == []
    tl = to_timelinejs(ds)
    assert len(tl["events"]) == len(entries)
    assert len({ev["unique_id"] for ev in tl["events"]}) == len(entries)
    for ev, e in zip(tl["events"], entries, strict=True):
        shown = e.date.start if isinstance(e.date, sinotajik.DateSpan) and e.date.start else e.date
        if isinstance(shown, sinotajik.DateSpan):
            shown = shown.end
        assert shown is not None
        assert ev["start_date"].get("month") == shown.month and ev["start_date"].get("day") == shown.day
    md = to_markdown(ds)
    assert md.count("\n- **") == len(entries)
    text = to_text(ds)
    assert all(f"[{e.record}]" in text for e in entries)


def test_render_timeline_formats() -> None:
    """render_timeline writes each format from a selection of entries, and refuses others."""
    ds = _real()
    drills = [e for e in timeline(ds) if e.subkind == "drill"]
    rows = json.loads(render_timeline("json", drills, ds))
    assert [r["record"] for r in rows] == [e.record for e in drills]
    assert rows[-1]["label"] == "18–19 Aug 2021" and rows[-1]["date"] == "2021-08-18/2021-08-19"
    assert rows[-1]["sources"] == list(drills[-1].sources) and "act-chn-mps" in rows[-1]["actors"]
    assert len(json.loads(render_timeline("timelinejs", drills, ds))["events"]) == 2
    assert render_timeline("html", drills, ds).count("<article ") == 2
    assert render_timeline("markdown", drills, ds).count("\n- **") == 2
    assert render_timeline("svg", drills, ds).count("<g data-mark=") == 2
    assert FORMATS == ("text", "json", "markdown", "html", "timelinejs", "svg")
    with pytest.raises(ValueError, match="unknown timeline format 'pdf'"):
        render_timeline("pdf", drills, ds)


def test_empty_records_render_empty_timelines() -> None:
    """No records give an empty timeline in every format, never an error."""
    assert to_text([]) == ""
    md = to_markdown([]).splitlines()
    assert md[2].startswith("0 entries. Dates are shown as precisely as the sources give them")
    assert not any(line.startswith("## ") for line in md)
    assert to_timelinejs([])["events"] == []
    page = to_html([])
    assert "<article" not in page and "No dated entries." in page
    assert json.loads(render_timeline("json", [], [])) == []


# --------------------------------------------------------------------------- SVG picture


def test_svg_picture_stands_alone() -> None:
    """to_svg is well-formed SVG with its own style, a mark per entry, and lanes by kind or actor."""
    ds = _real()
    entries = timeline(ds)
    svg = to_svg(ds)
    assert svg.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<svg ')
    root = ET.fromstring(svg.split("\n", 1)[1])
    ns = "{http://www.w3.org/2000/svg}"
    assert root.tag == f"{ns}svg"
    assert root.find(f"{ns}style") is not None
    assert "href" not in svg and "url(" not in svg
    marks = [g for g in root.iter(f"{ns}g") if "data-mark" in g.attrib]
    assert sorted(int(g.attrib["data-mark"]) for g in marks) == list(range(len(entries)))
    tips = {g.findtext(f"{ns}title") for g in marks}
    assert (
        "18–19 Aug 2021 — event (drill): Anti-Terrorist Coordination-2021: China–Tajikistan police counter-terrorism drill"
        in tips
    )
    labels = [t.text for t in root.iter(f"{ns}text") if t.attrib.get("class") == "lanelabel"]
    assert labels[0] == "Exercises (6)"
    by_actor = to_svg(ds, lanes="actor", title="Who")
    assert ">Who</text>" in by_actor
    assert f">{html.escape(ds.get('act-chn').name)} (" in by_actor
    with pytest.raises(ValueError, match="lanes must be 'kind' or 'actor'"):
        to_svg(ds, lanes="year")
    assert "No dated entries." in to_svg([])


# --------------------------------------------------------------------------- command line


def test_cli_timeline_formats_match_the_library(cli: Any, tmp_path: Path) -> None:
    """timeline --format html|markdown|timelinejs prints what the library renders for the same release."""
    ds = _real()
    proc = cli("timeline", "--release", RELEASE, "--format", "markdown")
    assert proc.returncode == 0 and proc.stdout == to_markdown(ds)
    proc = cli("timeline", "--release", RELEASE, "--format", "timelinejs")
    assert proc.returncode == 0 and json.loads(proc.stdout) == to_timelinejs(ds)
    out = tmp_path / "timeline.html"
    proc = cli("timeline", "--release", RELEASE, "--format", "html", "--output", str(out))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == f"wrote {len(timeline(ds))} entries to {out}\n"
    assert out.read_text(encoding="utf-8") == to_html(ds)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["timeline.html"]  # no temporary file left


def test_cli_timeline_output_replaces_a_file_and_refuses_a_missing_folder(cli: Any, tmp_path: Path) -> None:
    """--output overwrites an existing file; a missing folder is one line on stderr and exit 2."""
    out = tmp_path / "t.json"
    out.write_text("old")
    assert cli("timeline", "--format", "json", "-o", str(out)).returncode == 0
    assert json.loads(out.read_text())[0]["record"] == timeline(sinotajik.load())[0].record
    proc = cli("timeline", "--output", str(tmp_path / "nope" / "t.txt"))
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.strip().splitlines() == [
        f"--output {tmp_path / 'nope' / 't.txt'}: the folder {tmp_path / 'nope'} does not exist"
    ]
    proc = cli("timeline", "--format", "pdf")
    assert proc.returncode == 2 and len(proc.stderr.strip().splitlines()) == 1


# --------------------------------------------------------------------------- helpers


_SOURCE_Q = Source(
    id="src-q",
    publisher="P",
    title="The source the test events cite",
    kind=SourceKind.WIRE,
    reliability=Reliability.HIGH,
    reliability_note="n",
    language="en",
)


def _event(
    *,
    id: str = "evt-q",
    title: str = "T",
    date: str = "2016-10",
    confidence: Confidence = Confidence.MEDIUM,
) -> Event:
    return Event(
        id=id,
        kind=EventKind.MEETING,
        title=title,
        summary="S & <s>",
        date=parse_when(date),
        citations=(Citation(source="src-q", quote="q"),),
        confidence=confidence,
    )


def test_source_links_show_the_real_host_not_the_userinfo() -> None:
    """A URL's userinfo (``legit.gov.tj@``) is never shown as the host a link goes to."""
    from sinotajik._render.html import _host

    assert _host("https://legit.gov.tj@evil.example/page") == "evil.example"
    assert _host("https://user:pw@www.example.org:8080/x") == "example.org:8080"
    assert _host("https://www.khovar.tj/2021/08/") == "khovar.tj"


def test_svg_stays_well_formed_with_control_characters_in_a_title() -> None:
    """A record built in code with C0 controls in its title still gives well-formed SVG XML."""
    ds = sinotajik.load()
    ev = ds.events[0]
    bad = attrs.evolve(ev, title="Drill\x01\x1b[2J\x0b\ufffe")
    svg = sinotajik.to_svg([bad if r is ev else r for r in ds])
    root = ET.fromstring(svg.encode("utf-8"))
    assert root.tag.endswith("svg")
    assert "Drill\ufffd\ufffd[2J\ufffd\ufffd" in svg


def test_a_span_over_every_year_keeps_the_page_and_picture_small() -> None:
    """One event dated 0001/9999 no longer gives a 2.9 MB page or a 1.2 M px wide picture."""
    doc = json.loads((Path(__file__).parent / "corpus" / "valid.json").read_text())
    doc["events"][0]["date"] = "0001/9999"
    ds = sinotajik.parse(json.dumps(doc))
    page = render_timeline("html", timeline(ds), ds)
    svg = sinotajik.to_svg(ds)
    assert len(page) < 60_000
    width = float(ET.fromstring(svg.encode("utf-8")).attrib["width"])
    assert width < 2_000
    # The year filter still finds the long span under the years it offers.
    assert 'data-years="1 9999"' in page and '<option value="9999">9999 (1)</option>' in page


def test_rendering_a_selection_without_context_warns() -> None:
    """Records naming sources and actors that are not among them warn and point to context=."""
    with pytest.warns(UserWarning, match=r"pass context=ds .* 'src-q'|'src-q'.*pass context=ds"):
        to_html([_event()])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        to_html([_event(), _SOURCE_Q])  # nothing missing
        to_html([_event()], context=[_SOURCE_Q])  # found in the context

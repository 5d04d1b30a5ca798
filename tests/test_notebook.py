"""Rich notebook display: _repr_html_ of a Dataset and of every kind of record."""

from __future__ import annotations

from html.parser import HTMLParser

from hypothesis import given, settings

import sinotajik
from sinotajik import Citation, Event, EventKind, parse_when
from strategies import datasets

RELEASE = "2026.11.2"
OUTPOST = "fac-murghob-shaymak-outpost"
VOID = {"br", "img", "meta", "input", "hr"}


class _Balanced(HTMLParser):
    """Checks that every element opened is closed in order, and collects the text."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.text = ""
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack.pop() == tag, f"</{tag}> closes nothing open"

    def handle_data(self, data: str) -> None:
        self.text += data


def test_dataset_shows_version_checksum_and_counts() -> None:
    """A Dataset's HTML names its version and full SHA-256 and counts each kind of record."""
    ds = sinotajik.load(RELEASE)
    page = _Balanced(ds._repr_html_())
    assert page.stack == []
    assert RELEASE in page.text and ds.sha256 in page.text
    for kind, n in ds.counts().items():
        assert f"{kind}{n}" in page.text
    assert len(ds._repr_html_()) < 4000, "a summary, not the data"


def test_every_record_has_a_card() -> None:
    """Each record of the release renders a balanced card holding its id and title or name."""
    ds = sinotajik.load(RELEASE)
    for rec in ds:
        card = _Balanced(rec._repr_html_())  # type: ignore[union-attr]
        assert card.stack == []
        assert rec.id in card.text
        assert (getattr(rec, "title", None) or getattr(rec, "name", None)) in card.text


def test_facility_card_shows_history_claims_and_quotes() -> None:
    """The outpost's card lists its history, its contested claims and its citations' quotes."""
    ds = sinotajik.load(RELEASE)
    rec = ds.get(OUTPOST)
    text = _Balanced(rec._repr_html_()).text  # type: ignore[union-attr]
    assert "officially_denied 2024-07-12" in text
    assert rec.claims[0].statement in text
    quote = next(c.quote for c in rec.citations if c.quote)
    assert quote in text


def test_event_card_shows_the_honest_date_and_escapes_markup() -> None:
    """An event shows its date label and EDTF string; markup in its text is shown as text."""
    ev = Event(
        id="evt-x",
        kind=EventKind.DRILL,
        title="<script>alert(1)</script>",
        summary="a & b",
        date=parse_when("2016~"),
        citations=(Citation(source="src-x", quote="<b>q</b>"),),
    )
    html = ev._repr_html_()  # type: ignore[attr-defined]
    assert "<script>" not in html and "&lt;script&gt;" in html
    text = _Balanced(html).text
    assert "~2016" in text and "EDTF 2016~" in text and "<b>q</b>" in text


@settings(max_examples=25, deadline=None)
@given(datasets())
def test_cards_of_generated_records_are_balanced(ds: sinotajik.Dataset) -> None:
    """Any record's card is balanced HTML, whatever its text holds."""
    for rec in ds:
        assert _Balanced(rec._repr_html_()).stack == []  # type: ignore[union-attr]
    assert _Balanced(ds._repr_html_()).stack == []

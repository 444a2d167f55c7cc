"""Printable PDFs (reportlab): a session card, a season overview and a test-day sheet."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, A5, landscape
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

_STYLES = getSampleStyleSheet()
TITLE = ParagraphStyle("title", parent=_STYLES["Title"], fontSize=17, leading=20, spaceAfter=2)
BIG = ParagraphStyle("big", parent=_STYLES["Normal"], fontSize=13, leading=16)
SMALL = ParagraphStyle("small", parent=_STYLES["Normal"], fontSize=9, leading=11)
GRID = TableStyle(
    [
        ("GRID", (0, 0), (-1, -1), 0.6, colors.grey),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef1f4")),
    ]
)


class _CellParagraph(Paragraph):
    """A paragraph in a table cell, its lines broken once per width: a table measures each cell
    again for every page it splits across and once more to draw it, and line breaking is most
    of a long PDF's time."""

    _wrapped: tuple[float, tuple[float, float]] | None = None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        if self._wrapped is None or self._wrapped[0] != availWidth:
            self._wrapped = (availWidth, super().wrap(availWidth, availHeight))
        return self._wrapped[1]


@dataclass(frozen=True)
class CardItem:
    slot: str
    name: str
    dose: str
    sets: int
    per_side: bool
    rest_s: int
    cues: tuple[str, ...]
    footwear: str = ""


def _render(pagesize: tuple[float, float], story: list[Flowable], title: str) -> bytes:
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=pagesize,
        leftMargin=10 * mm,
        rightMargin=10 * mm,
        topMargin=10 * mm,
        bottomMargin=10 * mm,
        title=title,
        author="runstrong",
    )
    document.build(story)
    return buffer.getvalue()


def session_card(athlete: str, when: str, context: str, items: Sequence[CardItem]) -> bytes:
    """One A5 page: each exercise with its dose, what to wear on the feet, its first cue and a
    box per set to write in. Texts are escaped: reportlab reads `<` and `&` as markup."""
    story: list[Flowable] = [
        Paragraph(escape(f"{athlete}: {when}"), TITLE),
        Paragraph(escape(context), SMALL),
        Spacer(1, 4 * mm),
    ]
    for item in items:
        rest = f"rest {item.rest_s} s" if item.rest_s else "no rest: straight on to the next"
        dose = f"<b>{escape(f'{item.slot} {item.name}')}</b>: {escape(item.dose)}, {rest}"
        story.append(Paragraph(dose, BIG))
        how = [f"<b>Footwear: {escape(item.footwear)}.</b>"] if item.footwear else []
        how += [escape(item.cues[0])] if item.cues else []
        if how:
            story.append(Paragraph(" ".join(how), SMALL))
        sides = ["Left", "Right"] if item.per_side else ["Done"]
        header = ["", *[f"Set {n}" for n in range(1, item.sets + 1)]]
        rows = [header, *[[side, *[""] * item.sets] for side in sides]]
        widths = [18 * mm, *[((A5[0] - 40 * mm) / max(item.sets, 1))] * item.sets]
        table = Table(rows, colWidths=widths, rowHeights=[5 * mm] + [8 * mm] * len(sides))
        table.setStyle(GRID)
        story += [Spacer(1, 1 * mm), table, Spacer(1, 2.5 * mm)]
    story.append(
        Paragraph("Effort (reps in reserve): ____   Pain 0–10: ____   Where: __________", BIG)
    )
    return _render(A5, story, f"{athlete} {when}")


def season_overview(athlete: str, subtitle: str, weeks: Sequence[tuple[str, str, str]]) -> bytes:
    """A4: one row per week with its phase and the sessions' doses (reportlab markup, escaped
    by the caller)."""
    rows: list[list[str | Paragraph]] = [["Week of", "Phase", "Sessions"]]
    rows += [[start, phase, _CellParagraph(sessions, SMALL)] for start, phase, sessions in weeks]
    table = Table(rows, colWidths=[25 * mm, 28 * mm, A4[0] - 73 * mm], repeatRows=1)
    table.setStyle(GRID)
    story: list[Flowable] = [
        Paragraph(escape(f"{athlete}: season"), TITLE),
        Paragraph(escape(subtitle), SMALL),
        Spacer(1, 4 * mm),
        table,
    ]
    return _render(A4, story, f"{athlete} season")


# A table cell's own font (reportlab's default) and padding, for names that fit as plain text.
_CELL_FONT, _CELL_SIZE, _CELL_PADDING = "Helvetica", 10, (6, 3)
# Smaller and smaller, for a name too long for its cell: each size with its line spacing.
_NAME_STYLES = [
    ParagraphStyle(f"name{size}", parent=_STYLES["Normal"], fontSize=size, leading=size + 1)
    for size in (9, 8, 7, 6, 5)
]


def _fitted(text: str, width: float, height: float) -> str | Paragraph:
    """The text on one line in the table's font when it fits the cell; else wrapped, in the
    largest smaller font whose lines fit the cell's height."""
    room_w, room_h = width - 2 * _CELL_PADDING[0], height - 2 * _CELL_PADDING[1]
    if stringWidth(text, _CELL_FONT, _CELL_SIZE) <= room_w:
        return text
    for style in _NAME_STYLES:
        paragraph = _CellParagraph(escape(text), style)
        if paragraph.wrap(room_w, room_h)[1] <= room_h:
            break
    return paragraph


def test_day_sheet(
    when: str, movements: Sequence[tuple[str, bool]], athletes: Sequence[str]
) -> bytes:
    """A4 landscape: athletes × movements with boxes (left/right where the test is per leg).
    A long name is wrapped and set smaller within its cell."""
    header = ["Athlete"]
    for name, per_side in movements:
        header += [f"{name} L", f"{name} R"] if per_side else [name]
    name_w, row_h = 40 * mm, 9 * mm
    # The boxes are empty tuples, not "": the table then draws nothing in them instead of an
    # empty string each, most of a long sheet's time.
    boxes = [()] * (len(header) - 1)
    rows: list[list[str | Paragraph | tuple[()]]] = [
        [_CellParagraph(escape(cell), SMALL) for cell in header]
    ]
    rows += [[_fitted(athlete, name_w, row_h), *boxes] for athlete in athletes]
    width = (landscape(A4)[0] - 20 * mm - name_w) / max(len(header) - 1, 1)
    table = Table(
        rows,
        colWidths=[name_w, *[width] * (len(header) - 1)],
        rowHeights=[None] + [row_h] * len(athletes),  # the header grows with the protocol
        repeatRows=1,
    )
    table.setStyle(GRID)
    story: list[Flowable] = [
        Paragraph(escape(f"Test day: {when}"), TITLE),
        Spacer(1, 3 * mm),
        table,
    ]
    return _render(landscape(A4), story, f"Test day {when}")

"""The campaign's review report (báo cáo sơ kết / tổng kết) as DOCX, with its XLSX annex.

The administrative format of Decree 30/2020: the issuing body and number on the left, the
national name and motto with the place and date on the right, Times New Roman. Charts are
drawn server-side with matplotlib (the Agg backend: no display) and embedded as images.
"""

from __future__ import annotations

import datetime
import io

import matplotlib

matplotlib.use("Agg")

from django.utils import translation
from django.utils.translation import gettext as _
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm
from matplotlib.figure import Figure
from openpyxl import Workbook
from openpyxl.styles import Font

from awards.documents.blocks import (
    FONT,
    add_paragraph,
    grid,
    masthead,
    new_document,
    signatures,
    to_bytes,
)
from awards.resources import neutralise
from awards.selectors.campaign_review import ReviewFigures, YearFigures


def percent(ratio: float | None) -> str:
    """A ratio as the review writes it: 87.5 % → "87,5%"; "—" when there is nothing."""
    if ratio is None:
        return "—"
    return f"{ratio * 100:.1f}%".replace(".", ",")


def _chart(title: str, labels: list[str], series: dict[str, list[float | None]]) -> bytes:
    figure = Figure(figsize=(7, 3.2), dpi=120)
    axes = figure.subplots()
    width = 0.8 / max(len(series), 1)
    positions = range(len(labels))
    for index, (name, values) in enumerate(series.items()):
        axes.bar(
            [x + index * width for x in positions],
            [0 if value is None else value * 100 for value in values],
            width=width,
            label=name,
        )
    axes.set_xticks([x + width * (len(series) - 1) / 2 for x in positions], labels)
    axes.set_ylim(0, 110)
    axes.set_ylabel("%")
    axes.set_title(title, fontsize=10)
    axes.legend(fontsize=8, loc="lower right")
    axes.grid(axis="y", alpha=0.3)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def _columns(review: ReviewFigures) -> list[YearFigures]:
    return [*review.years, review.whole]


def table_reporting(review: ReviewFigures) -> tuple[list[str], list[list[str]]]:
    headers = [_("Year"), _("Reports expected"), _("Received"), _("Reporting rate"), _("On time")]
    rows = [
        [
            column.label,
            str(column.expected),
            str(column.reported),
            percent(column.reporting_rate),
            percent(column.on_time_rate),
        ]
        for column in _columns(review)
    ]
    return headers, rows


def table_objectives(review: ReviewFigures) -> tuple[list[str], list[list[str]]]:
    columns = _columns(review)
    headers = [_("Objective"), *(column.label for column in columns)]
    rows = [
        [f"{o.number}. {o.title}", *(percent(c.objectives.get(o.pk)) for c in columns)]
        for o in review.objectives
    ]
    rows.append([_("Overall"), *(percent(column.overall) for column in columns)])
    return headers, rows


def table_kinds(review: ReviewFigures) -> tuple[list[str], list[list[str]]]:
    columns = _columns(review)
    headers = [_("Kind of unit"), *(column.label for column in columns)]
    rows = [
        [str(label), *(percent(column.by_kind.get(kind)) for column in columns)]
        for kind, label in review.kinds
    ]
    return headers, rows


def table_blocs(review: ReviewFigures) -> tuple[list[str], list[list[str]]]:
    columns = _columns(review)
    headers = [_("Bloc"), *(column.label for column in columns)]
    rows = [
        [bloc.name, *(percent(column.by_bloc.get(bloc.code)) for column in columns)]
        for bloc in review.blocs
    ]
    return headers, rows


def table_leaders(review: ReviewFigures) -> tuple[list[str], list[list[str]]]:
    headers = [_("Year"), _("Leading units"), _("Lagging units")]
    rows = [
        [
            column.label,
            "; ".join(f"{row.unit.name} ({percent(row.overall)})" for row in column.leading) or "—",
            "; ".join(f"{row.unit.name} ({percent(row.overall)})" for row in column.lagging) or "—",
        ]
        for column in review.years
    ]
    return headers, rows


def table_awards(review: ReviewFigures) -> tuple[list[str], list[list[str]]]:
    years = review.award_years
    headers = [_("Award"), *(str(year) for year in years), _("Total")]
    rows = [
        [name, *(str(counts.get(year, 0)) for year in years), str(sum(counts.values()))]
        for name, counts in review.awards
    ]
    rows.append(
        [
            _("Initiatives recognised"),
            *(str(review.initiatives.get(year, 0)) for year in years),
            str(sum(review.initiatives.values())),
        ]
    )
    return headers, rows


TABLES = (
    ("reporting", table_reporting),
    ("objectives", table_objectives),
    ("kinds", table_kinds),
    ("blocs", table_blocs),
    ("leaders", table_leaders),
    ("awards", table_awards),
)


def _table(document, headers, rows) -> None:
    width = 24.0 / len(headers) if len(headers) > 4 else 16.0 / len(headers)
    first = min(6.0, width * 2)
    grid(document, headers, rows, [first] + [width] * (len(headers) - 1))


def review_document(
    review: ReviewFigures, *, number: str, day: datetime.date, signer: str, final: bool
) -> bytes:
    campaign = review.campaign
    with translation.override("vi"):
        document = new_document()
        centre = WD_ALIGN_PARAGRAPH.CENTER
        masthead(
            document,
            issuer_lines=[_("MINISTRY OF INDUSTRY AND TRADE")],
            number=_("No.: %(number)s") % {"number": number},
            day=day,
        )
        add_paragraph(document, _("REPORT"), bold=True, align=centre, size=14)
        add_paragraph(
            document,
            (
                _("Final review of the emulation campaign")
                if final
                else _("Mid-term review of the emulation campaign")
            )
            + f" “{campaign.title}”",
            bold=True,
            align=centre,
        )
        add_paragraph(
            document,
            _(
                "Launched by %(notice)s; running from %(start)s to %(end)s with %(units)s "
                "participating units. Figures as of %(day)s, equal to the campaign dashboard's."
            )
            % {
                "notice": campaign.document_ref or campaign.launched_by.name,
                "start": f"{campaign.starts_on:%d/%m/%Y}",
                "end": f"{campaign.ends_on:%d/%m/%Y}",
                "units": campaign.participations.count(),
                "day": f"{day:%d/%m/%Y}",
            },
        )
        sections = [
            (_("I. Reporting rate and punctuality"), table_reporting),
            (_("II. Attainment per objective"), table_objectives),
            (_("III. Attainment per kind of unit"), table_kinds),
            (_("IV. Attainment per bloc"), table_blocs),
            (_("V. Leading and lagging units"), table_leaders),
            (_("VI. Awards granted and initiatives recognised"), table_awards),
        ]
        labels = [column.label for column in review.years]
        charts = {
            table_reporting: _chart(
                _("Reporting rate and punctuality per year"),
                labels,
                {
                    _("Reporting rate"): [c.reporting_rate for c in review.years],
                    _("On time"): [c.on_time_rate for c in review.years],
                },
            ),
            table_objectives: _chart(
                _("Attainment per objective"),
                [str(o.number) for o in review.objectives],
                {
                    column.label: [column.objectives.get(o.pk) for o in review.objectives]
                    for column in review.years[-3:]
                },
            ),
        }
        for title, build in sections:
            add_paragraph(document, title, bold=True)
            headers, rows = build(review)
            _table(document, headers, rows)
            if build in charts:
                document.add_picture(io.BytesIO(charts[build]), width=Cm(15))
                document.paragraphs[-1].alignment = centre
        add_paragraph(
            document,
            _("The tables are also in the annexed spreadsheet."),
            italic=True,
        )
        signatures(document, [(_("ON BEHALF OF THE COUNCIL").upper(), signer)])
        for style in ("Normal", "Table Grid"):
            document.styles[style].font.name = FONT
        return to_bytes(document)


def review_workbook(review: ReviewFigures) -> bytes:
    """The annex: one sheet per table of the report (no cell can run as a formula)."""
    with translation.override("vi"):
        workbook = Workbook()
        workbook.remove(workbook.active)
        for name, build in TABLES:
            sheet = workbook.create_sheet(name)
            headers, rows = build(review)
            sheet.append([neutralise(value) for value in headers])
            for cell in sheet[1]:
                cell.font = Font(bold=True)
            for row in rows:
                sheet.append([neutralise(value) for value in row])
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()

"""The annual statistics report (seed 000 §8.1, seed 004): figures and bar charts on A4, for
the clinic manager to send to the region with the annual report."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from datetime import date

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.units import mm

from clinic_desk.documents.pdf_base import (
    BOLD,
    FONT,
    LEFT,
    PAGE_HEIGHT,
    RIGHT,
    TextFlow,
    draw_letterhead,
    new_canvas,
)
from clinic_desk.domain.clinics import Clinic
from clinic_desk.domain.region_stats import (
    AGES,
    PAYER_LABELS,
    AnnualStatistics,
    format_mean,
    format_percent,
)

BAR = colors.HexColor("#1f6f8b")
SECOND = colors.HexColor("#d98c2b")


def _decimal(value: float) -> str:
    """A bar's label: one decimal with a comma; nothing for an empty bar."""
    return "" if value == 0 else f"{value:.1f}".replace(".", ",")


def _whole(value: float) -> str:
    return "" if value == 0 else f"{value:.0f}"


def _chart(
    title: str,
    labels: Sequence[str],
    series: Sequence[Sequence[float]],
    value_format: Callable[[float], str],
    height: float = 52 * mm,
    legend: Sequence[str] = (),
) -> Drawing:
    """A titled vertical bar chart with the values above the bars."""
    width = RIGHT - LEFT
    drawing = Drawing(width, height)
    drawing.add(String(0, height - 10, title, fontName=BOLD, fontSize=10))
    chart = VerticalBarChart()
    chart.x, chart.y = 24, 18
    chart.width, chart.height = width - 34, height - 42
    chart.data = [list(s) for s in series]
    chart.categoryAxis.categoryNames = list(labels)
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labelTextFormat = lambda v: f"{v:g}".replace(".", ",")
    top = max((v for s in series for v in s), default=0)
    chart.valueAxis.valueMax = top * 1.18 if top > 0 else 1
    chart.barLabelFormat = value_format
    chart.barLabels.fontName = FONT
    chart.barLabels.fontSize = 6
    chart.barLabels.nudge = 6
    chart.groupSpacing = 4
    for index, colour in enumerate((BAR, SECOND)[: len(series)]):
        chart.bars[index].fillColor = colour
        chart.bars[index].strokeColor = colour
    drawing.add(chart)
    for index, name in enumerate(legend):
        x = width - 150 + index * 75
        colour = (BAR, SECOND)[index]
        drawing.add(String(x + 10, height - 10, name, fontName=FONT, fontSize=8, fillColor=colour))
    return drawing


def annual_report_pdf(clinic: Clinic, stats: AnnualStatistics, made_on: date) -> bytes:
    """Figures first (the text a reader or a program can quote), then the charts."""
    buffer = io.BytesIO()
    title = f"Årsstatistik {stats.year}"
    canvas = new_canvas(buffer, title, clinic.name)
    draw_letterhead(canvas, clinic, title, made_on)
    flow = TextFlow(canvas, clinic, top=PAGE_HEIGHT - 50 * mm)
    flow.heading(f"Barn- och ungdomstandvård {stats.year} – nyckeltal")
    flow.rows(
        [0, 260],
        [
            ("Listade patienter 3–19 år", str(stats.listed_total)),
            ("Revisionsundersökningar gjorda (patienter)", str(stats.exams_done)),
            ("Revisionsundersökning planerad under året", str(stats.exams_due)),
            ("  varav undersökta under året", str(stats.due_and_done)),
            ("  varav inom planerat intervall", format_percent(stats.in_time_percent)),
            ("Akutbesök, andra klinikers patienter", str(stats.emergency_given)),
            *(
                (f"  betalas av {PAYER_LABELS.get(kind, kind)}", str(n))
                for kind, n in stats.emergency_given_by_payer
            ),
            ("Akutbesök, egna listade patienter", str(stats.emergency_own_patients)),
            (
                "Uteblivna besök",
                f"{format_percent(stats.no_show_percent)} ({stats.no_shows} av "
                f"{stats.appointments} tider)",
            ),
        ],
        size=10,
    )
    flow.heading("Kariesfria", 11)
    flow.rows(
        [0, 90, 190],
        [
            (f"{age} år", format_percent(share), f"{stats.age(age).examined} undersökta")
            for age, share in stats.caries_free_shares()
        ],
        size=10,
        header=("Ålder", "Kariesfria", "Underlag"),
    )
    flow.heading("Per ålder", 11)
    flow.rows(
        [0, 60, 130, 210, 290, 360],
        [
            (
                str(a.age),
                str(a.listed),
                str(a.examined),
                format_percent(a.caries_free_percent),
                format_mean(a.mean_dft),
                format_mean(a.mean_perm_dft),
            )
            for a in stats.ages
        ],
        size=9,
        header=("Ålder", "Listade", "Undersökta", "Kariesfria", "dft", "DFT"),
    )
    flow.paragraph(
        "Ålder = den ålder patienten fyller under året. Kariesfria, dft och DFT från varje "
        "patients senaste revisionsundersökning under året. Patienter med skyddade "
        "personuppgifter ingår inte, precis som i filerna till regionen.",
        size=8,
    )
    flow.new_page()
    labels = [str(a) for a in AGES]
    charts = [
        _chart("Listade patienter per ålder", labels, [[a.listed for a in stats.ages]], _whole),
        _chart(
            "Kariesfria (%) vid 3, 6, 12 och 19 år",
            [f"{age} år" for age, _s in stats.caries_free_shares()],
            [[share or 0.0 for _a, share in stats.caries_free_shares()]],
            _decimal,
        ),
        _chart(
            "Medelvärde dft och DFT per ålder",
            labels,
            [
                [a.mean_dft or 0.0 for a in stats.ages],
                [a.mean_perm_dft or 0.0 for a in stats.ages],
            ],
            _decimal,
            legend=("dft", "DFT"),
        ),
        _chart(
            "Revisionsundersökningar",
            ["Planerade", "Undersökta av dem", "Inom intervall", "Alla gjorda"],
            [[stats.exams_due, stats.due_and_done, stats.in_time, stats.exams_done]],
            _whole,
        ),
    ]
    y = PAGE_HEIGHT - 25 * mm
    for drawing in charts:
        y -= drawing.height
        drawing.drawOn(canvas, LEFT, y)
        y -= 8 * mm
    flow.finish()
    canvas.save()
    return buffer.getvalue()

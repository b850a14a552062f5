"""Chart geometry: ratios map onto the plot, gaps break the line, labels stay legible."""

from campaigns.charts import BOTTOM, HEIGHT, LEFT, RIGHT, TOP, WIDTH, Series, line_chart
from campaigns.templatetags.thidua import heat, percent
from config.xlsx import neutralise


def test_ratios_map_onto_the_plot_area_and_gaps_break_the_line():
    labels = ["Q1", "Q2", "Q3", "Q4", "Q5"]
    chart = line_chart(
        title="t",
        description="d",
        labels=labels,
        series=[Series("reporting", "Rate", [0.0, 1.0, None, 0.5, 1.4])],
    )
    series = chart.series[0]
    assert [(p.x, p.y) for p in series.points] == [
        (LEFT, HEIGHT - BOTTOM),
        (LEFT + (WIDTH - LEFT - RIGHT) / 4, TOP),
        (LEFT + 3 * (WIDTH - LEFT - RIGHT) / 4, TOP + (HEIGHT - TOP - BOTTOM) / 2),
        (WIDTH - RIGHT, TOP),  # above 100 % is drawn at the top
    ]
    assert len(series.paths) == 2  # Q3 has no figure
    assert [tick.text for tick in chart.y_ticks] == ["0 %", "25 %", "50 %", "75 %", "100 %"]
    assert not chart.empty


def test_long_series_show_a_few_labels_including_the_latest():
    labels = [f"Q{i % 4 + 1}/{2021 + i // 4}" for i in range(24)]
    chart = line_chart(
        title="t", description="d", labels=labels, series=[Series("a", "A", [0.5] * 24)]
    )
    shown = [tick.text for tick in chart.x_ticks]
    assert len(shown) <= 9 and shown[0] == labels[0] and shown[-1] == labels[-1]
    assert chart.x_ticks[0].anchor == "start" and chart.x_ticks[-1].anchor == "end"


def test_a_chart_without_figures_is_empty():
    chart = line_chart(title="t", description="d", labels=["Q1"], series=[Series("a", "A", [None])])
    assert chart.empty


def test_percent_and_heat_classes():
    assert (percent(None), percent(0.7249), percent(1)) == ("—", "72 %", "100 %")
    assert [heat(r) for r in (None, 0.2, 0.5, 0.8, 0.9, 0.95, 1.0)] == [
        "heat-none",
        "heat-1",
        "heat-2",
        "heat-3",
        "heat-4",
        "heat-5",
        "heat-5",
    ]


def test_spreadsheet_cells_that_look_like_formulas_stay_text():
    assert neutralise("=1+1") == "'=1+1"
    assert neutralise("+84 912") == "'+84 912"
    assert neutralise("-x") == "'-x"
    assert neutralise("@SUM(A1)") == "'@SUM(A1)"
    assert neutralise("\t=1") == "'\t=1"
    assert neutralise("Sở Công Thương") == "Sở Công Thương"
    assert neutralise(-5) == -5 and neutralise(None) is None


def test_bars_are_drawn_in_proportion_each_under_its_label():
    from campaigns.charts import BAR_LEFT, BAR_ROW, BAR_VALUE_SPACE, BAR_WIDTH, Bar, bar_chart

    chart = bar_chart(
        title="t", description="d", bars=[Bar("a", "A", 3), Bar("b", "B", 6), Bar("c", "C", 0)]
    )
    span = BAR_WIDTH - BAR_LEFT - BAR_VALUE_SPACE
    assert [bar.width for bar in chart.bars] == [span / 2, span, 0]
    assert [bar.label_y for bar in chart.bars] == [20, 20 + BAR_ROW, 20 + 2 * BAR_ROW]
    assert all(bar.label_y < bar.bar_y < bar.label_y + BAR_ROW for bar in chart.bars)
    assert chart.bars[1].value_x == BAR_LEFT + span + 8  # the count after the bar, inside
    assert chart.height == 3 * BAR_ROW and not chart.empty
    assert bar_chart(title="t", description="d", bars=[Bar("a", "A", 0)]).empty


def _drawn_x_labels(chart) -> list[tuple[float, str, str]]:
    """(x, anchor, text) of the x-axis labels as the SVG draws them."""
    import re

    from django.template.loader import render_to_string

    svg = render_to_string(
        "campaigns/includes/line_chart.html", {"chart": chart, "chart_id": "trend"}
    )
    axis = svg[svg.index('class="chart-x"') :]
    axis = axis[: axis.index("</g>")]
    return [
        (float(x), anchor, text)
        for x, anchor, text in re.findall(
            r'<text x="([\d.]+)" y="[\d.]+" text-anchor="(\w+)">([^<]+)</text>', axis
        )
    ]


import itertools  # noqa: E402

import pytest  # noqa: E402


@pytest.mark.parametrize("count", [*range(1, 31), 48])
@pytest.mark.parametrize("style", ["quarter", "month", "year"])
def test_x_labels_never_overlap_at_the_phone_size_and_keep_the_latest(count, style):
    """Issue 14 §4: the trend's labels overlapped (the latest was added next to its neighbour).
    Laid out with the phone's 22-unit font, each label's text box, from its anchor, stays clear
    of the next one and inside the drawing."""
    from campaigns.charts import LABEL_FONT

    make = {
        "quarter": lambda i: f"Q{i % 4 + 1}/{2021 + i // 4}",
        "month": lambda i: f"T{i % 12 + 1:02d}/{2021 + i // 12}",
        "year": lambda i: str(2021 + i),
    }[style]
    labels = [make(i) for i in range(count)]
    chart = line_chart(
        title="t", description="d", labels=labels, series=[Series("a", "A", [0.5] * count)]
    )
    drawn = _drawn_x_labels(chart)
    assert drawn and drawn[-1][2] == labels[-1]
    if count > 1:
        assert drawn[0][2] == labels[0] or len(drawn) == 1
    extents = []
    for x, anchor, text in drawn:
        width = len(text) * LABEL_FONT * 0.6  # an honest estimate, below the layout's own
        start = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
        extents.append((start, start + width))
    for (_, right), (left, _) in itertools.pairwise(extents):
        assert right < left, (labels, drawn)
    assert extents[0][0] >= 0 and extents[-1][1] <= WIDTH

"""Server-drawn SVG charts: the geometry is computed here, the markup is a template include.

No script and no style attribute (the Content Security Policy forbids both): colours come from
CSS classes on the series, sizes are SVG presentation attributes in viewBox units, and the
`<svg>` scales to its container. Every chart carries a title and a description for screen
readers; pages show the same figures in a table next to it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

WIDTH = 640
HEIGHT = 300
LEFT, RIGHT, TOP, BOTTOM = 84, 24, 16, 44
MAX_LABELS = 8  # x-axis labels shown at most, so they stay legible on a phone
# The x-axis labels are laid out for the largest size the CSS gives them (22 viewBox units on a
# phone, where the drawing is scaled down), with an estimate of a character's width: no two
# labels may overlap at that size, so none do at the smaller desktop size either.
LABEL_FONT = 22
CHAR_WIDTH = 0.62  # of the font size, a generous average for digits, capitals and "/"
LABEL_GAP = 12


@dataclass
class Point:
    x: float
    y: float
    label: str
    value: float


@dataclass
class Series:
    key: str  # CSS class suffix: .series-<key>
    label: str
    values: list[float | None]  # ratios 0–1, None where there is no figure
    points: list[Point] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)  # "x,y x,y …" runs between gaps


@dataclass
class Tick:
    position: float
    text: str
    anchor: str = "middle"  # the first and last labels are kept inside the drawing


@dataclass
class LineChart:
    title: str
    description: str
    series: list[Series]
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: int = WIDTH - RIGHT
    top: int = TOP
    bottom: int = HEIGHT - BOTTOM

    @property
    def empty(self) -> bool:
        return not any(series.points for series in self.series)


def line_chart(
    *, title: str, description: str, labels: list[str], series: list[Series]
) -> LineChart:
    """Lay out series of ratios (0–1, drawn as 0–100 %) over the labelled periods."""
    plot_width = WIDTH - LEFT - RIGHT
    plot_height = HEIGHT - TOP - BOTTOM
    count = len(labels)
    step = plot_width / (count - 1) if count > 1 else 0

    def x_of(index: int) -> float:
        return round(LEFT + (index * step if count > 1 else plot_width / 2), 1)

    def y_of(ratio: float) -> float:
        ratio = min(max(ratio, 0.0), 1.0)
        return round(TOP + plot_height * (1 - ratio), 1)

    for item in series:
        run: list[str] = []
        for index, value in enumerate(item.values):
            if value is None:
                if run:
                    item.paths.append(" ".join(run))
                run = []
                continue
            point = Point(x_of(index), y_of(value), labels[index], value)
            item.points.append(point)
            run.append(f"{point.x},{point.y}")
        if run:
            item.paths.append(" ".join(run))
    return LineChart(
        title=title,
        description=description,
        series=series,
        x_ticks=x_ticks(labels, x_of),
        y_ticks=[Tick(y_of(ratio / 100), f"{ratio} %") for ratio in (0, 25, 50, 75, 100)],
    )


def label_width(text: str) -> float:
    return len(text) * LABEL_FONT * CHAR_WIDTH


def tick_extent(tick: Tick) -> tuple[float, float]:
    """Where a label's text runs on the x axis, given its anchor."""
    width = label_width(tick.text)
    if tick.anchor == "start":
        return tick.position, tick.position + width
    if tick.anchor == "end":
        return tick.position - width, tick.position
    return tick.position - width / 2, tick.position + width / 2


def x_ticks(labels: list[str], x_of) -> list[Tick]:
    """The labels of the x axis that fit without overlapping: the first and the latest always
    (the latest period is the one readers look for), and between them every n-th label, n the
    smallest step at which neighbours keep LABEL_GAP between them; a label too close to the
    latest gives way to it."""
    count = len(labels)
    if not count:
        return []

    def tick(index: int) -> Tick:
        anchor = "middle"
        if count > 1 and index == 0:
            anchor = "start"
        elif count > 1 and index == count - 1:
            anchor = "end"
        return Tick(x_of(index), labels[index], anchor)

    def clear(left: Tick, right: Tick) -> bool:
        return tick_extent(left)[1] + LABEL_GAP <= tick_extent(right)[0]

    if count == 1:
        return [tick(0)]
    widest = max(label_width(label) for label in labels)
    step = abs(x_of(1) - x_of(0)) or 1
    every = max(1, -(-count // MAX_LABELS), int(-(-(widest + LABEL_GAP) // step)))
    last = tick(count - 1)
    shown = [tick(0)]
    for index in range(every, count - 1, every):
        candidate = tick(index)
        if clear(shown[-1], candidate) and clear(candidate, last):
            shown.append(candidate)
    if clear(shown[-1], last):
        shown.append(last)
    elif len(shown) > 1:
        shown[-1] = last
    else:  # two labels only and they do not fit side by side: the latest
        shown = [last]
    return shown


# --- horizontal bars -------------------------------------------------------------------------

BAR_WIDTH = 400  # narrower than the line chart: its labels stay legible on a phone
BAR_ROW = 52  # each bar sits under its label, so long labels stay whole on a phone
BAR_THICKNESS = 18
BAR_LEFT = 8
BAR_VALUE_SPACE = 56  # room for the count written after the longest bar


@dataclass
class Bar:
    key: str  # CSS class suffix: .bar-<key>
    label: str
    value: int
    label_y: float = 0
    bar_y: float = 0
    width: float = 0
    value_x: float = 0
    value_y: float = 0


@dataclass
class BarChart:
    title: str
    description: str
    bars: list[Bar]
    width: int = BAR_WIDTH
    height: int = 0
    left: int = BAR_LEFT
    thickness: int = BAR_THICKNESS

    @property
    def empty(self) -> bool:
        return not any(bar.value for bar in self.bars)


def bar_chart(*, title: str, description: str, bars: list[Bar]) -> BarChart:
    """Lay out counts as horizontal bars, the longest filling the width."""
    top = max((bar.value for bar in bars), default=0)
    span = BAR_WIDTH - BAR_LEFT - BAR_VALUE_SPACE
    for index, bar in enumerate(bars):
        row = index * BAR_ROW
        bar.label_y = row + 20
        bar.bar_y = row + 28
        bar.width = round(span * bar.value / top, 1) if top else 0
        bar.value_x = round(BAR_LEFT + bar.width + 8, 1)
        bar.value_y = row + 28 + BAR_THICKNESS / 2
    return BarChart(title=title, description=description, bars=bars, height=len(bars) * BAR_ROW)

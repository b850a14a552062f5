"""Dashboard figures on the small sector of conftest.py, with the right answers worked by hand."""

from decimal import Decimal

import pytest
from django.db.models import Q

from campaigns.selectors import dashboard as figures
from campaigns.selectors.attainment import indicator_rollups
from units.roles import roles_of

pytestmark = pytest.mark.django_db


def _periods(sector, *labels):
    return [sector.periods[label] for label in labels]


def test_expected_reported_on_time_late_per_period(sector):
    counts = figures.reporting_by_period(
        campaign=sector.campaign,
        periods=_periods(sector, "Q1/2025", "Q2/2025", "Q3/2025", "Q4/2025"),
        units=Q(),
    )
    by_label = {
        c.period.label: (c.expected, c.reported, c.on_time, c.late, c.not_yet)
        for c in counts.values()
    }
    assert by_label == {
        # Alpha, Bravo, Delta, Echo (Charlie opens 01/07): Alpha on time, Bravo late; Delta's
        # draft does not count.
        "Q1/2025": (4, 2, 1, 1, 2),
        # Bravo closes 30/06, the last day of Q2, so it still counts. Delta submitted late and
        # was returned since: it reported (late).
        "Q2/2025": (4, 3, 2, 1, 1),
        # Alpha, Charlie, Delta, Echo: Charlie late. Bravo (closed) reported, but is not
        # expected, so neither its report nor its unit count.
        "Q3/2025": (4, 2, 1, 1, 2),
        "Q4/2025": (4, 0, 0, 0, 4),
    }
    q3 = next(c for c in counts.values() if c.period.label == "Q3/2025")
    assert q3.reporting_rate == pytest.approx(0.5)
    assert q3.on_time_rate == pytest.approx(0.25)


def test_filters_narrow_the_counts(sector):
    q3 = _periods(sector, "Q3/2025")

    def count(**filters):
        result = figures.reporting_by_period(
            campaign=sector.campaign, periods=q3, units=figures.Filters(**filters).q()
        )
        item = result[q3[0].pk]
        return item.expected, item.reported, item.late

    assert count(kind="provincial") == (1, 1, 1)  # Charlie only (Bravo has closed)
    assert count(province="Hà Nội") == (3, 1, 0)  # Alpha, Delta, Echo
    assert count(bloc="cum-b") == (1, 1, 1)
    assert count(bloc="khoi-a", kind="enterprise") == (1, 0, 0)  # Delta


def test_a_unit_head_sees_the_units_they_head_and_everything_under_them(sector, sector_cast):
    scope = figures.dashboard_scope(roles_of(sector_cast["head"]))
    assert scope.paths == (sector.units["alpha"].path,)
    q3 = _periods(sector, "Q3/2025")
    item = figures.reporting_by_period(campaign=sector.campaign, periods=q3, units=scope.q())[
        q3[0].pk
    ]
    assert (item.expected, item.reported) == (2, 1)  # Alpha and Delta; Alpha reported
    assert figures.dashboard_scope(roles_of(sector_cast["officer"])) is None
    assert figures.dashboard_scope(roles_of(sector_cast["board"])).paths is None


def test_attainment_per_indicator_objective_and_overall_as_of_each_period(sector):
    result = figures.sector_figures(
        campaign=sector.campaign,
        periods=_periods(sector, "Q1/2025", "Q2/2025", "Q3/2025"),
        units=Q(),
    )
    ind, obj = sector.indicators, sector.objectives

    def check(label, indicators, objectives, overall):
        got = result[sector.periods[label].pk]
        for key, (ratio, units) in indicators.items():
            assert got.indicators[ind[key].pk][0] == pytest.approx(ratio), (label, key)
            assert got.indicators[ind[key].pk][1] == units, (label, key)
        for number, ratio in objectives.items():
            assert got.objectives[obj[number].pk] == pytest.approx(ratio), (label, number)
        assert got.overall == pytest.approx(overall), label

    # Q1: Alpha and Bravo. Alpha i1a 30/200, i1b 60/100, i2a 80/100, i2b (lower) 5/12;
    # Bravo i1a 10/50, i1b 40/50, i2a 50/50, i2b 5/10.
    check(
        "Q1/2025",
        {"i1a": (0.175, 2), "i1b": (0.7, 2), "i2a": (0.9, 2), "i2b": ((5 / 12 + 0.5) / 2, 2)},
        {1: (0.175 + 0.7) / 2, 2: (0.9 * 3 + (5 / 12 + 0.5) / 2) / 4},
        ((0.175 + 0.7) / 2 + 2 * (0.9 * 3 + (5 / 12 + 0.5) / 2) / 4) / 3,
    )
    # Q2: Alpha sums 60/200, keeps Q1's 60 for the latest i1b (Q2 left empty), averages
    # (80+100)/2, best i2b 8 against 5; Bravo 30/50, 45/50, 45/50, best 4 ≤ 5.
    check(
        "Q2/2025",
        {"i1a": (0.45, 2), "i1b": (0.75, 2), "i2a": (0.9, 2), "i2b": (0.8125, 2)},
        {1: 0.6, 2: 0.878125},
        (0.6 + 2 * 0.878125) / 3,
    )
    # Q3: Alpha 110/200, 90/100, 90/100, best i2b still 8 (Q3 empty); Charlie 60/40 capped,
    # 50/100, 40/80, no i2b target. Bravo's Q3 report does not count: Bravo has closed.
    check(
        "Q3/2025",
        {"i1a": (0.775, 2), "i1b": (0.7, 2), "i2a": (0.7, 2), "i2b": (0.625, 1)},
        {1: 0.7375, 2: 0.68125},
        0.7,
    )


def test_heat_map_sorted_by_overall_with_links_to_reports(sector):
    objectives = list(sector.campaign.objectives.order_by("number"))
    rows, page = figures.heat_map(
        campaign=sector.campaign,
        period=sector.periods["Q3/2025"],
        units=Q(),
        objectives=objectives,
        sort="overall",
        descending=True,
    )
    table = [
        (row.unit.code, [cell.ratio for cell in row.cells], row.overall, row.unit.report_id)
        for row in rows
    ]
    alpha = ([0.725, 0.83125], (0.725 + 2 * 0.83125) / 3)
    charlie = ([0.75, 0.5], (0.75 + 2 * 0.5) / 3)
    assert [code for code, *_ in table] == ["alpha", "charlie", "delta", "echo"]
    assert table[0][1] == pytest.approx(alpha[0]) and table[0][2] == pytest.approx(alpha[1])
    assert table[1][1] == pytest.approx(charlie[0]) and table[1][2] == pytest.approx(charlie[1])
    assert table[2][1:3] == ([None, None], None) and table[3][1:3] == ([None, None], None)
    assert table[0][3] == sector.reports[("alpha", "Q3/2025")].pk
    assert table[2][3] is None  # Delta has no Q3 report: the cell links to report_for_period
    assert page.paginator.count == 4


def test_heat_map_sorts_by_one_objective_and_by_name(sector):
    objectives = list(sector.campaign.objectives.order_by("number"))
    q3 = sector.periods["Q3/2025"]

    def order(**kwargs):
        rows, _page = figures.heat_map(
            campaign=sector.campaign, period=q3, units=Q(), objectives=objectives, **kwargs
        )
        return [row.unit.code for row in rows]

    assert order(sort="o1", descending=True) == ["charlie", "alpha", "delta", "echo"]
    assert order(sort="o2", descending=False) == ["charlie", "alpha", "delta", "echo"]
    assert order(sort="o2", descending=True) == ["alpha", "charlie", "delta", "echo"]
    assert order(sort="unit") == ["alpha", "charlie", "delta", "echo"]
    assert order(sort="unit", descending=True) == ["echo", "delta", "charlie", "alpha"]
    rows, _page = figures.heat_map(
        campaign=sector.campaign, period=q3, units=Q(), objectives=objectives, sort="unit"
    )
    assert [cell.ratio for cell in rows[0].cells] == pytest.approx([0.725, 0.83125])


def test_heat_map_pages_cut_in_the_database(sector, settings, monkeypatch):
    monkeypatch.setattr(figures, "PAGE_SIZE", 3)
    objectives = list(sector.campaign.objectives.order_by("number"))
    q3 = sector.periods["Q3/2025"]
    for sort in ("unit", "overall"):
        first, page = figures.heat_map(
            campaign=sector.campaign, period=q3, units=Q(), objectives=objectives, sort=sort
        )
        second, page2 = figures.heat_map(
            campaign=sector.campaign,
            period=q3,
            units=Q(),
            objectives=objectives,
            sort=sort,
            page=2,
        )
        assert (len(first), len(second)) == (3, 1)
        assert page.has_next() and not page2.has_next()


def test_units_that_have_not_reported(sector, october):
    not_reported = figures.units_not_reported(period=sector.periods["Q3/2025"], units=Q())
    assert sorted((unit.code, unit.report_status) for unit in not_reported) == [
        ("delta", None),
        ("echo", None),
    ]
    q2 = figures.units_not_reported(period=sector.periods["Q2/2025"], units=Q())
    assert [unit.code for unit in q2] == ["echo"]  # Delta's returned report was submitted once
    q1 = figures.units_not_reported(period=sector.periods["Q1/2025"], units=Q())
    assert sorted((unit.code, unit.report_status) for unit in q1) == [
        ("delta", "draft"),
        ("echo", None),
    ]
    assert [unit.last_reminded_at for unit in not_reported] == [None, None]  # never reminded


def test_unit_timeline_per_objective(sector):
    timeline = figures.unit_timeline(
        campaign=sector.campaign,
        unit=sector.units["alpha"],
        periods=_periods(sector, "Q1/2025", "Q2/2025", "Q3/2025"),
    )
    o1, o2 = sector.objectives[1].pk, sector.objectives[2].pk
    q1, q2, q3 = (timeline[sector.periods[label].pk] for label in ("Q1/2025", "Q2/2025", "Q3/2025"))
    assert q1.objectives[o1] == pytest.approx((0.15 + 0.6) / 2)
    assert q1.objectives[o2] == pytest.approx((0.8 * 3 + 5 / 12) / 4)
    assert q2.objectives[o1] == pytest.approx(0.45)
    assert q3.objectives[o1] == pytest.approx(0.725)
    assert q3.objectives[o2] == pytest.approx(0.83125)
    assert q3.overall == pytest.approx((0.725 + 2 * 0.83125) / 3)


def test_a_closed_unit_has_no_figures_after_its_closure_but_keeps_its_year(sector):
    bravo = sector.units["bravo"]
    timeline = figures.unit_timeline(
        campaign=sector.campaign, unit=bravo, periods=_periods(sector, "Q2/2025", "Q3/2025")
    )
    assert timeline[sector.periods["Q2/2025"].pk].overall == pytest.approx(2.6 / 3)
    assert timeline[sector.periods["Q3/2025"].pk].overall is None
    # The unit page's yearly figures are read whether or not the unit was still expected.
    rows = {
        row["indicator_id"]: row
        for row in indicator_rollups(campaign=sector.campaign, year=2025, unit_ids=[bravo.pk])
    }
    assert float(rows[sector.indicators["i1a"].pk]["actual"]) == 1029  # 10 + 20 + 999


def test_default_period_is_the_last_one_that_ended(sector, october):
    assert figures.default_period(sector.campaign, october).label == "Q3/2025"
    assert [p.label for p in figures.periods_ended(sector.campaign, october)] == [
        "Q1/2025",
        "Q2/2025",
        "Q3/2025",
    ]
    assert [p.label for p in figures.periods_started(sector.campaign, october)] == [
        "Q4/2025",
        "Q3/2025",
        "Q2/2025",
        "Q1/2025",
    ]


def test_provinces_offered_are_those_of_the_readers_units(sector, sector_cast):
    everything = figures.Scope()
    assert figures.provinces_in(campaign=sector.campaign, scope=everything) == [
        "Hà Giang",
        "Hà Nội",
        "Tuyên Quang",
    ]
    head = figures.dashboard_scope(roles_of(sector_cast["head"]))
    assert figures.provinces_in(campaign=sector.campaign, scope=head) == ["Hà Nội"]


# --- maintained figures ---------------------------------------------------------------------------


def _overall(sector, label, **kwargs):
    periods = _periods(sector, "Q1/2025", "Q2/2025", "Q3/2025")
    result = figures.sector_figures(campaign=sector.campaign, periods=periods, units=Q(), **kwargs)
    return result[sector.periods[label].pk].overall


def test_figures_are_read_in_one_query_without_a_cache(sector, django_assert_num_queries):
    from django.core.cache import cache

    cache.clear()
    with django_assert_num_queries(1):  # the maintained figures of the three periods
        assert _overall(sector, "Q3/2025") == pytest.approx(0.7)


def test_a_submitted_report_refreshes_the_figures_of_its_year(sector, sector_cast, october):
    from campaigns.services.reports import report_start, report_submit

    assert _overall(sector, "Q3/2025") == pytest.approx(0.7)
    report = report_start(unit=sector.units["delta"], period=sector.periods["Q3/2025"], actor=None)
    report.values.filter(indicator=sector.indicators["i1a"]).update(value=20)  # 20/20
    report_submit(report=report, actor=sector_cast["officer"])
    # i1a: (0.55 + 1.0 + 1.0) / 3 = 0.85; O1 = (0.85 + 0.7) / 2; O2 unchanged.
    assert _overall(sector, "Q3/2025") == pytest.approx(((0.85 + 0.7) / 2 + 2 * 0.68125) / 3)


def test_a_changed_target_refreshes_the_figures(sector, sector_cast):
    from campaigns.services.registrations import registration_save

    assert _overall(sector, "Q3/2025") == pytest.approx(0.7)
    registration_save(
        campaign=sector.campaign,
        unit=sector.units["alpha"],
        year=2025,
        commitments="",
        target_title="",
        targets={sector.indicators["i1a"].pk: Decimal(110)},  # Alpha's 110 now meets it
        actor=sector_cast["head"],
    )
    # i1a: (1.0 + 1.0) / 2 = 1.0; O1 = (1.0 + 0.7) / 2 = 0.85; O2 unchanged.
    assert _overall(sector, "Q3/2025") == pytest.approx((0.85 + 2 * 0.68125) / 3)


def test_the_heat_map_shows_one_page_unless_every_unit_is_asked_for(sector, monkeypatch):
    monkeypatch.setattr(figures, "PAGE_SIZE", 2)
    objectives = list(sector.campaign.objectives.order_by("number"))
    q3 = sector.periods["Q3/2025"]
    for sort in ("unit", "overall"):
        for page in (None, "", "x", 1):
            rows, _page = figures.heat_map(
                campaign=sector.campaign,
                period=q3,
                units=Q(),
                objectives=objectives,
                sort=sort,
                page=page,
            )
            assert len(rows) == 2, (sort, page)
        rows, page = figures.heat_map(
            campaign=sector.campaign,
            period=q3,
            units=Q(),
            objectives=objectives,
            sort=sort,
            every_unit=True,
        )
        assert len(rows) == 4 and page is None

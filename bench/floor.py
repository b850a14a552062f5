"""The floor: hand-written PostgreSQL computing the same figures as the dashboard page.

What the board's default dashboard shows for the selected period, with no filter: the
reporting counts of every period of the trend (the selected one included), attainment per
indicator, objective and overall as of every period, the first page of the heat map (50 units
by name, with their report and attainment per objective) and the first page of the units that
have not reported, with their count. The figures are checked against the app's in run.py.

Written for PostgreSQL only (FILTER, DISTINCT ON, LATERAL, arrays), without the ORM, as one
would by hand; every statement runs through psycopg directly.
"""

from __future__ import annotations

REPORTING = """
SELECT p.id AS period_id,
       count(*) AS expected,
       count(r.id) AS reported,
       count(r.id) FILTER (WHERE r.late) AS late
FROM campaigns_reportingperiod p
JOIN campaigns_participation pa ON pa.campaign_id = p.campaign_id
JOIN units_unit u ON u.id = pa.unit_id
     AND (u.opened_on IS NULL OR u.opened_on <= p.ends_on)
     AND (u.closed_on IS NULL OR u.closed_on >= p.ends_on)
LEFT JOIN campaigns_progressreport r
     ON r.unit_id = u.id AND r.period_id = p.id AND r.first_submitted_at IS NOT NULL
WHERE p.id = ANY(%(periods)s)
GROUP BY p.id
"""

# Running roll-ups per unit × indicator × year by window functions; each value row stands for
# its period and the following ones of the year until the unit's next value.
_ROLLUP = """
WITH v AS (  -- received values with their unit's target of the year; units expected then
    SELECT r.unit_id, iv.indicator_id, r.period_id, p.starts_on,
           extract(year FROM p.starts_on)::int AS yr, iv.value::float8 AS x,
           i.direction = 'higher' AS higher, t.value::float8 AS target
    FROM campaigns_indicatorvalue iv
    JOIN campaigns_progressreport r ON r.id = iv.report_id
    JOIN campaigns_reportingperiod p ON p.id = r.period_id
    JOIN campaigns_indicator i ON i.id = iv.indicator_id
    JOIN units_unit u ON u.id = r.unit_id
         AND (u.opened_on IS NULL OR u.opened_on <= p.ends_on)
         AND (u.closed_on IS NULL OR u.closed_on >= p.ends_on)
    JOIN campaigns_participation pa ON pa.unit_id = u.id AND pa.campaign_id = p.campaign_id
    LEFT JOIN campaigns_registration g ON g.campaign_id = p.campaign_id AND g.unit_id = u.id
         AND g.year = extract(year FROM p.starts_on)::int
    LEFT JOIN campaigns_target t ON t.registration_id = g.id AND t.indicator_id = iv.indicator_id
    WHERE p.campaign_id = %(campaign)s AND p.starts_on <= %(until)s AND p.starts_on >= %(since)s
      AND r.status IN ('submitted', 'accepted') AND iv.value IS NOT NULL {units}
),
w AS (  -- running figures of the year up to each value
    SELECT v.*,
           sum(x) OVER win AS s, count(*) OVER win AS n,
           max(CASE WHEN higher THEN x ELSE -x END) OVER win AS best,
           lead(starts_on) OVER win AS nxt
    FROM v
    WINDOW win AS (PARTITION BY unit_id, indicator_id, yr ORDER BY starts_on)
),
ap AS (
    SELECT id, starts_on, ends_on, extract(year FROM starts_on)::int AS yr
    FROM campaigns_reportingperiod WHERE id = ANY(%(periods)s)
),
pn AS (  -- the next period of the same year
    SELECT id, lead(starts_on) OVER (PARTITION BY extract(year FROM starts_on)
                                     ORDER BY starts_on) AS following
    FROM campaigns_reportingperiod WHERE campaign_id = %(campaign)s
),
asof AS (  -- most rows stand for their own period; a few also for the gap after them
    SELECT w.period_id AS as_of, w.*
    FROM w WHERE w.period_id = ANY(%(periods)s)
    UNION ALL
    SELECT ap.id, w.*
    FROM w
    JOIN pn ON pn.id = w.period_id AND pn.following IS NOT NULL
           AND (w.nxt IS NULL OR w.nxt > pn.following)
    JOIN ap ON ap.yr = w.yr AND ap.starts_on >= pn.following
           AND (w.nxt IS NULL OR ap.starts_on < w.nxt)
    JOIN units_unit u ON u.id = w.unit_id
         AND (u.opened_on IS NULL OR u.opened_on <= ap.ends_on)
         AND (u.closed_on IS NULL OR u.closed_on >= ap.ends_on)
),
rated AS (
    SELECT w.as_of AS period_id, w.unit_id, w.indicator_id, i.objective_id,
           i.weight::float8 AS w,
           CASE WHEN w.target IS NULL THEN NULL
                WHEN w.higher THEN
                     CASE WHEN w.target <= 0 OR a.actual >= w.target THEN 1.0
                          ELSE a.actual / w.target END
                WHEN a.actual <= w.target THEN 1.0
                ELSE w.target / a.actual END AS ratio
    FROM asof w
    JOIN campaigns_indicator i ON i.id = w.indicator_id
    CROSS JOIN LATERAL (
        SELECT CASE i.rollup WHEN 'sum' THEN w.s WHEN 'average' THEN w.s / w.n
                    WHEN 'max' THEN CASE WHEN w.higher THEN w.best ELSE -w.best END
                    ELSE w.x END AS actual
    ) a
)
"""

# An `ind` CTE (period_id, indicator_id, objective_id, w, ratio, units) → objectives, overall.
_OBJECTIVES_AND_OVERALL = """
obj AS (
    SELECT period_id, objective_id,
           sum(w * ratio) FILTER (WHERE ratio IS NOT NULL)
           / nullif(sum(w) FILTER (WHERE ratio IS NOT NULL), 0) AS ratio
    FROM ind GROUP BY period_id, objective_id
)
SELECT 'indicator' AS kind, period_id, indicator_id AS item_id, ratio, units FROM ind
UNION ALL
SELECT 'objective', period_id, objective_id, ratio, NULL FROM obj
UNION ALL
SELECT 'overall', o.period_id, 0,
       sum(ob.weight::float8 * o.ratio) FILTER (WHERE o.ratio IS NOT NULL)
       / nullif(sum(ob.weight::float8) FILTER (WHERE o.ratio IS NOT NULL), 0), NULL
FROM obj o JOIN campaigns_objective ob ON ob.id = o.objective_id
GROUP BY o.period_id
"""

SECTOR = (
    _ROLLUP.format(units="")
    + """,
ind AS (
    SELECT period_id, indicator_id, objective_id, max(w) AS w,
           avg(ratio) AS ratio, count(ratio) AS units
    FROM rated GROUP BY period_id, indicator_id, objective_id
),
"""
    + _OBJECTIVES_AND_OVERALL
)

_EXPECTED_UNITS = """
    SELECT u.id, u.code, u.name, u.kind, u.province, u.path, b.name AS bloc,
           r.id AS report_id, r.status, r.late, r.first_submitted_at
    FROM units_unit u
    JOIN campaigns_participation pa ON pa.unit_id = u.id AND pa.campaign_id = %(campaign)s
    LEFT JOIN units_emulationbloc b ON b.id = u.bloc_id
    LEFT JOIN campaigns_progressreport r ON r.unit_id = u.id AND r.period_id = %(period)s
    WHERE (u.opened_on IS NULL OR u.opened_on <= %(ends_on)s)
      AND (u.closed_on IS NULL OR u.closed_on >= %(ends_on)s)
"""

HEAT_MAP_BY_NAME = (
    """
WITH page AS ("""
    + _EXPECTED_UNITS
    + """
    ORDER BY u.name, u.id LIMIT 50
)"""
    + _ROLLUP.format(units="AND r.unit_id = ANY(ARRAY(SELECT id FROM page))").replace(
        "WITH v AS", ", v AS"
    )
    + """,
cells AS (
    SELECT unit_id, objective_id,
           sum(w * ratio) FILTER (WHERE ratio IS NOT NULL)
           / nullif(sum(w) FILTER (WHERE ratio IS NOT NULL), 0) AS ratio
    FROM rated GROUP BY unit_id, objective_id
)
SELECT page.*, (
    SELECT jsonb_object_agg(objective_id, ratio) FROM cells WHERE cells.unit_id = page.id
) AS cells
FROM page ORDER BY page.name, page.id
"""
)

HEAT_MAP_COUNT = "SELECT count(*) FROM (" + _EXPECTED_UNITS + ") expected"

NOT_REPORTED = (
    "SELECT *, count(*) OVER () AS total FROM ("
    + _EXPECTED_UNITS
    + ") expected WHERE first_submitted_at IS NULL ORDER BY path LIMIT 50"
)


def statements(
    *, campaign: int, period, trend_periods: list, periods_for_figures: list
) -> list[tuple[str, str, dict]]:
    """The statements of the floor with their parameters, in the order the page needs them."""
    ids = [p.pk for p in periods_for_figures]
    common = {
        "campaign": campaign,
        "period": period.pk,
        "ends_on": period.ends_on,
    }
    first = min(p.starts_on for p in periods_for_figures)
    return [
        ("reporting per period", REPORTING, {"periods": ids}),
        (
            "attainment as of every period",
            SECTOR,
            {
                **common,
                "periods": ids,
                "since": first.replace(month=1, day=1),
                "until": max(p.starts_on for p in periods_for_figures),
            },
        ),
        (
            "heat map, first page by name",
            HEAT_MAP_BY_NAME,
            {
                **common,
                "periods": [period.pk],
                "since": period.starts_on.replace(month=1, day=1),
                "until": period.starts_on,
            },
        ),
        ("heat map, count", HEAT_MAP_COUNT, common),
        ("not reported, first page", NOT_REPORTED, common),
    ]


# --- the new floor: the same figures read from the maintained tables ---------------------------

MAINTAINED_REPORTING = """
SELECT period_id, count(*) AS expected,
       count(*) FILTER (WHERE reported) AS reported,
       count(*) FILTER (WHERE reported AND late) AS late
FROM campaigns_unitfigure
WHERE period_id = ANY(%(periods)s)
GROUP BY period_id
"""

MAINTAINED_SECTOR = (
    """
WITH ind AS (
    SELECT f.period_id, f.indicator_id, f.objective_id, max(i.weight::float8) AS w,
           avg(f.ratio) AS ratio, count(f.ratio) AS units
    FROM campaigns_indicatorfigure f JOIN campaigns_indicator i ON i.id = f.indicator_id
    WHERE f.period_id = ANY(%(periods)s)
    GROUP BY f.period_id, f.indicator_id, f.objective_id
),
"""
    + _OBJECTIVES_AND_OVERALL
)

MAINTAINED_HEAT_MAP_BY_NAME = (
    "WITH page AS ("
    + _EXPECTED_UNITS
    + """
    ORDER BY u.name, u.id LIMIT 50
)
SELECT page.*,
       (SELECT jsonb_object_agg(o.objective_id, o.ratio) FROM campaigns_objectivefigure o
        WHERE o.unit_id = page.id AND o.period_id = %(period)s) AS cells,
       (SELECT f.overall FROM campaigns_unitfigure f
        WHERE f.unit_id = page.id AND f.period_id = %(period)s) AS overall
FROM page ORDER BY page.name, page.id
"""
)


SUMS_REPORTING = """
SELECT period_id, expected, reported, late
FROM campaigns_periodfigure
WHERE period_id = ANY(%(periods)s)
"""

SUMS_SECTOR = (
    """
WITH ind AS (
    SELECT s.period_id, s.indicator_id, s.objective_id, i.weight::float8 AS w,
           CASE WHEN s.rated > 0 THEN s.ratio_sum / s.rated END AS ratio, s.rated AS units
    FROM campaigns_sectorfigure s JOIN campaigns_indicator i ON i.id = s.indicator_id
    WHERE s.period_id = ANY(%(periods)s) AND s.units > 0
),
"""
    + _OBJECTIVES_AND_OVERALL
)


def sums_statements(
    *, campaign: int, period, trend_periods: list, periods_for_figures: list
) -> list[tuple[str, str, dict]]:
    """The same figures as `maintained_statements`, the whole sector's read from its sums kept
    per period (SectorFigure, PeriodFigure): what the dashboard itself reads."""
    ids = [p.pk for p in periods_for_figures]
    common = {"campaign": campaign, "period": period.pk, "ends_on": period.ends_on}
    return [
        ("reporting per period", SUMS_REPORTING, {"periods": ids}),
        ("attainment as of every period", SUMS_SECTOR, {"periods": ids}),
        ("heat map, first page by name", MAINTAINED_HEAT_MAP_BY_NAME, common),
        ("heat map, count", HEAT_MAP_COUNT, common),
        ("not reported, first page", NOT_REPORTED, common),
    ]


def maintained_statements(
    *, campaign: int, period, trend_periods: list, periods_for_figures: list
) -> list[tuple[str, str, dict]]:
    """The same figures as `statements`, read from the maintained unit rows (UnitFigure,
    IndicatorFigure, ObjectiveFigure): the floor of the issue's summary tables."""
    ids = [p.pk for p in periods_for_figures]
    common = {"campaign": campaign, "period": period.pk, "ends_on": period.ends_on}
    return [
        ("reporting per period", MAINTAINED_REPORTING, {"periods": ids}),
        ("attainment as of every period", MAINTAINED_SECTOR, {"periods": ids}),
        ("heat map, first page by name", MAINTAINED_HEAT_MAP_BY_NAME, common),
        ("heat map, count", HEAT_MAP_COUNT, common),
        ("not reported, first page", NOT_REPORTED, common),
    ]


# --- the awards overview -----------------------------------------------------------------------
# What the board's default overview shows: the years with nominations, the selected year's
# nominations by status × award type with the totals of both (CUBE), the first page of the
# meetings ahead and of the publicity windows open today, each with its count.

OVERVIEW_YEARS = "SELECT DISTINCT year FROM awards_nomination ORDER BY year DESC"

OVERVIEW_TABLE = """
SELECT n.status, n.award_type_id, count(*) AS count
FROM awards_nomination n
WHERE n.year = %(year)s
GROUP BY CUBE (n.status, n.award_type_id)
"""

MEETINGS_AHEAD = """
SELECT m.id, m.held_on, m.title, m.status, m.council_size,
       (SELECT count(*) FROM awards_votetally t WHERE t.meeting_id = m.id) AS agenda,
       (SELECT count(*) FROM awards_ballotreceipt b WHERE b.meeting_id = m.id) AS ballots,
       count(*) OVER () AS total
FROM awards_meeting m
WHERE m.status = 'ballot_open' OR (m.status = 'scheduled' AND m.held_on >= %(today)s)
ORDER BY m.held_on, m.id
LIMIT 50
"""

PUBLICITY_OPEN = """
SELECT p.id, p.nomination_id, p.nominee_name, p.unit_name, p.award_name, p.year, p.closes_on,
       count(c.id) AS comments, count(c.id) FILTER (WHERE c.status = 'pending') AS pending,
       count(*) OVER () AS total
FROM awards_publication p
LEFT JOIN awards_publiccomment c ON c.publication_id = p.id
WHERE p.status = 'open' AND p.opens_on <= %(today)s AND p.closes_on >= %(today)s
GROUP BY p.id
ORDER BY p.closes_on, p.award_name, p.nominee_name, p.id
LIMIT 50
"""


def overview_statements(*, year: int, today) -> list[tuple[str, str, dict]]:
    return [
        ("years with nominations", OVERVIEW_YEARS, {}),
        ("nominations by status and award", OVERVIEW_TABLE, {"year": year}),
        ("meetings ahead, first page", MEETINGS_AHEAD, {"today": today}),
        ("publicity open, first page", PUBLICITY_OPEN, {"today": today}),
    ]

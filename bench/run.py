"""Measure the budgets of DESIGN.md on the ministry-scale data set, side by side in one run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/thidua_bench uv run python bench/run.py

Prints one table:
- the dashboard page (board member, whole sector, default period): median time and queries,
  cold (nothing cached), right after a report came in (submitted through the service, its
  figures maintained, rolled back after the view), and sorted by overall attainment;
- the floor: hand-written SQL reading the same figures from the summary tables
  (bench/floor.py `maintained_statements`), median time; the budget is dashboard ≤ 3 × floor
  and ≤ 250 ms; beside it, the recomputation from the raw values it replaced (the app's old
  code, selectors/figures_oracle.py, and the old hand-written floor);
- one report submission through the service, its figures maintained (≤ 50 ms), and the
  rebuild of every figure with its rows per second;
- the awards overview (board member, whole sector, latest year; a corporation's head, their
  subtree; its XLSX export): median time and queries, and its own floor;
- requests per second of the officer's report page and of a bare Django view, both served by
  the same gunicorn (same settings, DEBUG off) and loaded by the same client (wrk when it is
  installed, else a small threaded Python client); the budget is report page ≥ 50 % of bare.

Needs the data of bench/build_data.py. Runs the pages in-process with the production settings
(DEBUG off) and gunicorn on a free local port.
"""

from __future__ import annotations

import argparse
import http.client
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, database_name

PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "bench-" + "k" * 60,
    "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    "SECURE_SSL_REDIRECT": "false",
    "SESSION_COOKIE_SECURE": "false",
    "CSRF_COOKIE_SECURE": "false",
    "SECURE_HSTS_SECONDS": "0",
    "LOG_LEVEL": "WARNING",
}


def machine() -> str:
    cpu = platform.processor() or "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem_kb = next(
            int(line.split()[1])
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        )
        ram = f"{mem_kb / 1024 / 1024:.0f} GB"
    except (OSError, StopIteration):
        ram = "?"
    return f"nproc {os.cpu_count()}, {cpu}, RAM {ram}, Python {platform.python_version()}"


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


# --- in-process: dashboard and floor ----------------------------------------------------------


def time_page(
    client, url: str, runs: int, *, clear_cache: bool = False, before=None
) -> tuple[float, int, int]:
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    samples, counts = [], []
    status = 0
    for _ in range(runs):
        if clear_cache:
            cache.clear()
        if before is not None:
            before()
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            samples.append(time.perf_counter() - started)
        status = response.status_code
        counts.append(len(queries))
    return median_ms(samples), max(counts), status


def time_call(function, runs: int) -> tuple[float, int]:
    """Median time and query count of a function called in-process (no request, no page)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    samples, counts = [], []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            function()
            samples.append(time.perf_counter() - started)
        counts.append(len(queries))
    return median_ms(samples), max(counts)


def time_floor(statements, runs: int) -> tuple[float, int, dict]:
    import psycopg

    url = os.environ["DATABASE_URL"].replace("postgres://", "postgresql://", 1)
    samples = []
    results: dict = {}
    with psycopg.connect(url) as conn:
        for _ in range(runs):
            started = time.perf_counter()
            for name, sql, params in statements:
                results[name] = conn.execute(sql, params).fetchall()
            samples.append(time.perf_counter() - started)
    return median_ms(samples), len(statements), results


def check_overview_matches(results: dict, table, meetings: int, windows: int) -> str:
    """The overview's floor must count what the page counts: every cell, row and total of the
    table, the meetings ahead and the windows open."""
    for name, count in (
        ("meetings ahead, first page", meetings),
        ("publicity open, first page", windows),
    ):
        if (results[name][0][-1] if results[name] else 0) != count:
            return f"NO ({name})"
    floor = {(row[0], row[1]): row[2] for row in results["nominations by status and award"]}
    if floor.get((None, None), 0) != table.total:
        return "NO (total)"
    for row in table.rows:
        if floor.get((row.status, None), 0) != row.total:
            return f"NO ({row.status})"
        for award, count in row.cells:
            if floor.get((row.status, award.pk), 0) != count:
                return f"NO ({row.status}, {award.code})"
    return "yes"


def check_floor_matches(results: dict, campaign, period, periods) -> str:
    """The floor must compute the same figures as the app: compare the headline ones."""
    from django.db.models import Q

    from campaigns.selectors import dashboard as figures

    app_reporting = figures.reporting_by_period(campaign=campaign, periods=periods, units=Q())
    app_figures = figures.sector_figures(campaign=campaign, periods=periods, units=Q())
    floor_reporting = {row[0]: row[1:] for row in results["reporting per period"]}
    floor_overall = {
        row[1]: row[3] for row in results["attainment as of every period"] if row[0] == "overall"
    }
    for p in periods:
        counts = app_reporting[p.pk]
        if floor_reporting[p.pk] != (counts.expected, counts.reported, counts.late):
            return f"NO (reporting of {p.label})"
        if abs((app_figures[p.pk].overall or 0) - (floor_overall.get(p.pk) or 0)) > 1e-9:
            return f"NO (attainment of {p.label})"
    return "yes"


# --- gunicorn: report page against a bare view ------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(port: int, workers: int, timeout: float = 120) -> None:
    """Wait until gunicorn answers `/healthz`, then until as many answers in a row as there
    are workers come back quickly: the master accepts connections long before its workers
    have loaded Django, and a load started then measures the workers' start-up."""
    deadline = time.time() + timeout
    quick = 0
    while time.time() < deadline and quick < workers * 2:
        started = time.perf_counter()
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            conn.request("GET", "/healthz")
            status = conn.getresponse().status
            conn.close()
        except OSError:
            status = 0
        if status == 200 and time.perf_counter() - started < 0.1:
            quick += 1
        else:
            quick = 0
            time.sleep(0.2)
    if quick < workers * 2:
        raise SystemExit("gunicorn did not start")


def load_wrk(url: str, cookie: str, seconds: int, connections: int) -> tuple[float, str]:
    output = subprocess.run(
        [
            "wrk",
            f"-t{min(connections, os.cpu_count() or 1)}",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "30s",
            "-H",
            f"Cookie: {cookie}",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    if os.environ.get("BENCH_VERBOSE"):
        print(output, file=sys.stderr)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    failed = re.search(r"Socket errors: (.*)", output)
    if errors or failed:
        return rps, ", ".join(
            note
            for note in (errors and f"{errors.group(1)} non-2xx", failed and failed.group(1))
            if note
        )
    return rps, "all 2xx"


def load_python(url: str, cookie: str, seconds: int, connections: int) -> tuple[float, str]:
    host, port_path = url.split("//", 1)[1].split(":", 1)
    port, path = port_path.split("/", 1)
    done, bad = [0] * connections, [0] * connections
    stop = time.perf_counter() + seconds

    def worker(index: int) -> None:
        conn = http.client.HTTPConnection(host, int(port), timeout=30)
        while time.perf_counter() < stop:
            conn.request("GET", "/" + path, headers={"Cookie": cookie})
            response = conn.getresponse()
            response.read()
            done[index] += 1
            bad[index] += response.status >= 300

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(done) / seconds, f"{sum(bad)} non-2xx" if sum(bad) else "all 2xx"


def serve_and_load(
    paths: dict[str, str], cookie: str, seconds: int, connections: int, workers: int
) -> tuple[dict[str, tuple[float, str]], str]:
    """Start gunicorn on the bench settings (static files collected by the caller) and load
    each path in turn with the same client."""
    port = free_port()
    env = {**os.environ, **PRODUCTION_ENV, "DJANGO_SETTINGS_MODULE": "bench.settings"}
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    tool = "wrk" if shutil.which("wrk") else "python threads"
    load = load_wrk if tool == "wrk" else load_python
    results = {}
    try:
        wait_for(port, workers)
        for name, path in paths.items():
            url = f"http://127.0.0.1:{port}{path}"
            load(url, cookie, 3, connections)  # each worker's first request draws the page
            results[name] = load(url, cookie, seconds, connections)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    return results, f"{tool}, {connections} connections, {seconds} s; gunicorn {workers} workers"


# --- the run ---------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description="Measure the budgets on the bench data.")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per page (median)")
    parser.add_argument("--seconds", type=int, default=10, help="load duration per URL")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) * 2 + 1)
    args = parser.parse_args()

    os.environ.update(PRODUCTION_ENV)
    os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/thidua_bench")
    os.environ["STATIC_ROOT"] = tempfile.mkdtemp(prefix="thidua-bench-static-")
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.db.models import Q
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import timezone

    from awards.models import Nomination
    from awards.selectors import overview
    from bench import floor
    from bench.build_data import BENCH_CAMPAIGN, BOARD, HEAD, OFFICER
    from campaigns.models import Campaign, IndicatorValue, ProgressReport
    from campaigns.selectors import dashboard as figures
    from campaigns.selectors import figures_oracle
    from campaigns.services.figures import figures_rebuild
    from campaigns.services.reports import report_submit
    from units.models import Person, Unit, User

    load_before = " ".join(f"{value:.2f}" for value in os.getloadavg())
    call_command("collectstatic", "--noinput", "-v0")
    campaign = Campaign.objects.get(code=BENCH_CAMPAIGN)
    today = timezone.localdate()
    period = figures.default_period(campaign, today)
    ended = figures.periods_ended(campaign, today)
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg_version = cursor.fetchone()[0]
    data = (
        f"units {Unit.objects.count():,}, periods {campaign.periods.count()}, "
        f"indicators {campaign.objectives.values('indicators').count()}, "
        f"people {Person.objects.count():,}, reports {ProgressReport.objects.count():,}, "
        f"indicator values {IndicatorValue.objects.count():,}, "
        f"nominations {Nomination.objects.count():,}"
    )

    board = Client()
    board.force_login(User.objects.get(username=BOARD))
    dashboard = reverse("campaigns:dashboard", args=[campaign.code])
    board.get(dashboard)  # connection, templates and translations loaded once
    cold = time_page(board, dashboard, args.runs, clear_cache=True)
    officer = User.objects.get(username=OFFICER)
    drafts = (
        ProgressReport.objects.filter(period__campaign=campaign, status="draft")
        .exclude(unit__memberships__user=officer)
        .filter(period__ends_on__gte=today)
        .order_by("pk")
    )

    def submission(runs: int) -> tuple[float, int]:
        """One report submitted through the service, its figures maintained, rolled back: one
        first to load what a worker loads once (as the pages' first visit does), then `runs`
        others, each a different unit's report."""
        samples, counts = [], []
        first, *others = drafts[: runs + 1]
        with transaction.atomic():
            report_submit(report=first, actor=officer)
            transaction.set_rollback(True)
        for report in others:
            with transaction.atomic():
                with CaptureQueriesContext(connection) as queries:
                    started = time.perf_counter()
                    report_submit(report=report, actor=officer)
                    samples.append(time.perf_counter() - started)
                counts.append(len(queries))
                transaction.set_rollback(True)
        return median_ms(samples), max(counts)

    def after_a_submission(runs: int) -> tuple[float, int, int]:
        """The dashboard right after a report of the year came in (then rolled back)."""
        samples, counts, status = [], [], 0
        for report in drafts[:runs]:
            with transaction.atomic():
                report_submit(report=report, actor=officer)
                with CaptureQueriesContext(connection) as queries:
                    started = time.perf_counter()
                    response = board.get(dashboard)
                    samples.append(time.perf_counter() - started)
                counts.append(len(queries))
                status = response.status_code
                transaction.set_rollback(True)
        return median_ms(samples), max(counts), status

    submit = submission(max(args.runs, 15))
    after_change = after_a_submission(args.runs)
    by_overall = time_page(board, dashboard + "?sort=overall&dir=desc", args.runs)
    floor_args = {
        "campaign": campaign.pk,
        "period": period,
        "trend_periods": ended,
        "periods_for_figures": ended,
    }
    floor_ms, floor_queries, floor_results = time_floor(
        floor.maintained_statements(**floor_args), args.runs
    )
    matches = check_floor_matches(floor_results, campaign, period, ended)
    sums_ms, sums_queries, sums_results = time_floor(floor.sums_statements(**floor_args), args.runs)
    sums_matches = check_floor_matches(sums_results, campaign, period, ended)
    layout = time_page(board, "/bench/layout/", args.runs)
    # The reference it replaced: the figures recomputed from the raw values, by the app's old
    # code (selectors/figures_oracle.py) and by the old hand-written floor.
    oracle_ms, oracle_queries = time_call(
        lambda: (
            figures_oracle.reporting_by_period(campaign=campaign, periods=ended, units=Q()),
            figures_oracle.sector_figures(campaign=campaign, periods=ended, units=Q()),
        ),
        max(1, args.runs // 2),
    )
    old_floor_ms, old_floor_queries, old_floor_results = time_floor(
        floor.statements(**floor_args), max(1, args.runs // 2)
    )
    old_matches = check_floor_matches(old_floor_results, campaign, period, ended)
    rebuild_started = time.perf_counter()
    rebuilt = figures_rebuild(campaign=campaign)
    rebuild_s = time.perf_counter() - rebuild_started

    # The awards overview: the board's (whole sector) and a corporation head's (their subtree),
    # the board's export, and the hand-written SQL of the board's figures.
    overview_url = reverse("awards:overview")
    board.get(overview_url)
    head = Client()
    head.force_login(User.objects.get(username=HEAD))
    head.get(overview_url)
    overview_board = time_page(board, overview_url, args.runs)
    overview_head = time_page(head, overview_url, args.runs)
    overview_export = time_page(board, reverse("awards:overview_export"), args.runs)
    overview_year = overview.nomination_years(scope=figures.Scope())[0]
    overview_floor_ms, overview_floor_queries, overview_results = time_floor(
        floor.overview_statements(year=overview_year, today=today), args.runs
    )
    sector = figures.Scope()
    overview_filters = overview.NominationFilters(year=overview_year)
    overview_table = overview.nomination_table(scope=sector, filters=overview_filters)

    def overview_figures() -> None:
        # What the page reads, without the request, the form and the template.
        overview.nomination_years(scope=sector)
        overview.nomination_table(scope=sector, filters=overview_filters)
        for rows in (
            overview.meetings_ahead(scope=sector, today=today),
            overview.publicity_open(scope=sector, today=today),
        ):
            rows.count()
            list(rows[: overview.PAGE_SIZE])

    overview_orm = time_call(overview_figures, args.runs)
    overview_matches = check_overview_matches(
        overview_results,
        overview_table,
        overview.meetings_ahead(scope=sector, today=today).count(),
        overview.publicity_open(scope=sector, today=today).count(),
    )

    report = (
        ProgressReport.objects.filter(unit__memberships__user=officer, status="draft")
        .order_by("-period__starts_on")
        .first()
    )
    officer_client = Client()
    officer_client.force_login(officer)
    # One visit first, as a browser makes: it sets the CSRF cookie that later requests carry
    # (the report page's cached content is per reader and CSRF secret).
    officer_client.get(reverse("reports:report", args=[report.pk]))
    cookie = "; ".join(f"{name}={morsel.value}" for name, morsel in officer_client.cookies.items())
    try:
        rps, load_note = serve_and_load(
            {"report": reverse("reports:report", args=[report.pk]), "bare": "/bench/bare/"},
            cookie,
            args.seconds,
            args.connections,
            args.workers,
        )
    finally:
        shutil.rmtree(os.environ["STATIC_ROOT"], ignore_errors=True)

    dashboard_states = [
        ("cold", cold[0]),
        ("after a report", after_change[0]),
        ("sorted", by_overall[0]),
    ]
    ratio_overview = overview_board[0] / overview_floor_ms
    share = rps["report"][0] / rps["bare"][0]
    ok = {True: "within budget", False: "OVER BUDGET"}

    def timed_row(label: str, ms: float, queries: int) -> str:
        return f"{label:<52}{ms:>9.0f} ms{queries:>9}"

    def rate_row(label: str, value: float, note: str) -> str:
        return f"{label:<52}{value:>12.1f}   {note}"

    lines = [
        f"thidua bench — {timezone.localtime():%d/%m/%Y %H:%M} — database {database_name()}",
        f"machine: {machine()}, PostgreSQL {pg_version}",
        f"load average before the run: {load_before}",
        f"data: {data}",
        f"page: board member, whole sector, period {period.label}, "
        f"trend over {len(ended)} periods; {args.runs} runs each, median",
        "",
        f"{'':<52}{'time':>12}{'queries':>9}",
        timed_row("dashboard, cold (nothing cached)", *cold[:2]),
        timed_row("dashboard right after a report came in", *after_change[:2]),
        timed_row("dashboard sorted by overall attainment", *by_overall[:2]),
        timed_row("floor A: hand-written SQL on the unit rows", floor_ms, floor_queries),
        f"{'  floor A figures equal to the dashboard':<52}{matches:>12}",
        timed_row("floor B: the same, the sector from its sums", sums_ms, sums_queries),
        f"{'  floor B figures equal to the dashboard':<52}{sums_matches:>12}",
        timed_row("the page layout alone, nothing in it", *layout[:2]),
        *(
            f"{'dashboard ' + state + ' (≤ 250 ms)':<52}{ms:>9.0f} ms   {ok[ms <= 250]}"
            for state, ms in dashboard_states
        ),
        *(
            f"{'dashboard ' + state + ' / floor ' + name + ' (≤ 3×)':<52}"
            f"{ms / floor_time:>11.2f}×   {ok[ms / floor_time <= 3]}"
            for name, floor_time in (("A", floor_ms), ("B", sums_ms))
            for state, ms in dashboard_states
        ),
        "reference replaced (figures recomputed from the raw values on every view):",
        timed_row("  old recomputation, trend figures only (ORM)", oracle_ms, oracle_queries),
        timed_row("  old floor: hand-written recomputation", old_floor_ms, old_floor_queries),
        f"{'  old floor figures equal to the dashboard':<52}{old_matches:>12}",
        "",
        timed_row("one report submitted, figures maintained", *submit),
        f"{'  budget ≤ 50 ms':<52}{ok[submit[0] <= 50]:>16}",
        f"{'rebuild of every figure':<52}{rebuild_s:>10.1f} s   "
        f"{rebuilt:,} rows, {rebuilt / rebuild_s:,.0f} rows/s",
        "",
        f"awards overview: year {overview_year}, {overview_table.total:,} nominations; "
        f"{args.runs} runs each, median",
        timed_row("awards overview, board member (whole sector)", *overview_board[:2]),
        timed_row("awards overview, head of a corporation (subtree)", *overview_head[:2]),
        timed_row("awards overview export (XLSX), board member", *overview_export[:2]),
        timed_row("  the same figures through the ORM, no page", *overview_orm),
        timed_row(
            "hand-written SQL, same figures (floor)", overview_floor_ms, overview_floor_queries
        ),
        f"{'  floor figures equal to the overview':<52}{overview_matches:>12}",
        f"{'overview / floor (budget ≤ 3×)':<52}{ratio_overview:>11.2f}×   "
        f"{ok[ratio_overview <= 3]}",
        f"{'  the page layout alone / floor':<52}{layout[0] / overview_floor_ms:>11.2f}×",
        "",
        f"{'':<52}{'req/s':>12}",
        rate_row("officer report page (gunicorn)", *rps["report"]),
        rate_row("bare Django view (same gunicorn)", *rps["bare"]),
        f"{'report page / bare view (budget ≥ 50 %)':<52}{share * 100:>10.0f} %   "
        f"{ok[share >= 0.5]}",
        f"load: {load_note}",
    ]
    print("\n".join(lines))
    if {cold[2], after_change[2], by_overall[2], layout[2]} != {200}:
        raise SystemExit("the dashboard did not answer 200")
    if {overview_board[2], overview_head[2], overview_export[2]} != {200}:
        raise SystemExit("the awards overview did not answer 200")


if __name__ == "__main__":
    main()

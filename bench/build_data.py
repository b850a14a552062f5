"""Build the ministry-scale data set of DESIGN.md ("Budgets") in PostgreSQL, in minutes.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/thidua_bench \\
        uv run python bench/build_data.py            # drop, create, migrate, load
    uv run python bench/build_data.py --keep        # load into the existing database

2,000 units (the real sector tree, with the 2025 provincial merger, grown with agency
sub-units, corporations, enterprises and branches; some open or close mid-campaign), 20,000
people, one officer per unit, a campaign of 24 quarterly periods ending with the current
quarter, 6 objectives × 2 indicators, yearly registrations with targets, and the reports of
every ended period (about 9 units in 10 report, some late, some returned or left in draft),
each with its lines and indicator values; 5,000 nominations over five years with the council,
its meetings, decisions, award history, ratings, initiatives and publications.

The large tables are written with COPY, the small ones with bulk_create; history tables are
not filled (bench data has no audit trail). Each step is a function in STEPS taking the shared
`Build` state.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import sys
import time
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import copy_rows, database_name, next_id, reset_sequence, setup_django, timed

UNITS = 2_000
PEOPLE = 20_000
PERIODS = 24
BENCH_CAMPAIGN = "bench-campaign"
BENCH_PASSWORD = "bench-password-2026"
OFFICER = "bench-officer"
HEAD = "bench-head"
BOARD = "bench-board"


@dataclass
class Build:
    """State passed from step to step."""

    rng: random.Random
    today: datetime.date
    counts: dict[str, int] = field(default_factory=dict)
    campaign: object = None
    password_hash: str = ""


# --- database --------------------------------------------------------------------------------


def recreate_database() -> None:
    import psycopg

    name = database_name()
    admin_url = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def migrate(build: Build) -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


# --- units -----------------------------------------------------------------------------------


def units(build: Build) -> None:
    """The real sector (109 units, with the merger), grown to 2,000 units by COPY."""
    from units.models import EmulationBloc, Unit
    from units.services import sector_load, unit_ensure_ministry

    rng = build.rng
    sector = json.loads(
        (Path(__file__).resolve().parent.parent / "units/data/sector-units.json").read_text(
            encoding="utf-8"
        )
    )
    unit_ensure_ministry()
    sector_load(data=sector)
    provinces = sorted(
        u["province"] for u in sector["units"] if u["kind"] == "provincial" and not u["closed_on"]
    )
    blocs = {bloc.code: bloc.pk for bloc in EmulationBloc.objects.all()}
    existing = {unit.code: unit for unit in Unit.objects.all()}
    ministry = existing["bct"]
    agencies = [unit for unit in existing.values() if unit.kind == Unit.Kind.AGENCY]

    rows: list[tuple] = []
    next_pk = next_id(Unit)

    def add(code, name, kind, parent_pk, parent_path, bloc, province, opened=None, closed=None):
        nonlocal next_pk
        pk = next_pk
        next_pk += 1
        path = f"{parent_path}{pk}/"
        rows.append(
            (
                pk,
                code,
                name,
                "",
                "",
                kind,
                parent_pk,
                blocs[bloc],
                province,
                opened,
                closed,
                "",
                path,
                kind in Unit.AUTHORITY_KINDS,
            )
        )
        return pk, path

    def quarter_start(year: int, quarter: int) -> datetime.date:
        return datetime.date(year, 3 * quarter - 2, 1)

    def quarter_end(year: int, quarter: int) -> datetime.date:
        return quarter_start(year + quarter // 4, quarter % 4 + 1) - datetime.timedelta(days=1)

    for agency in agencies:
        for n in range(1, 21):
            add(
                f"{agency.code}-cc{n:02d}",
                f"Chi cục {agency.short_name or agency.name} số {n}",
                Unit.Kind.AGENCY,
                agency.pk,
                agency.path,
                "khoi-cuc",
                rng.choice(provinces),
            )
    corporations = []
    for c in range(1, 13):
        pk, path = add(
            f"tct-{c:02d}",
            f"Tổng công ty Công nghiệp số {c}",
            Unit.Kind.CORPORATION,
            ministry.pk,
            ministry.path,
            "khoi-doanh-nghiep",
            rng.choice(provinces),
        )
        corporations.append((pk, path, c))
    enterprises = []
    for corp_pk, corp_path, c in corporations:
        for e in range(1, 31):
            code = f"tct-{c:02d}-ct{e:02d}"
            pk, path = add(
                code,
                f"Công ty Cổ phần số {e} (TCT {c})",
                Unit.Kind.ENTERPRISE,
                corp_pk,
                corp_path,
                "khoi-doanh-nghiep",
                rng.choice(provinces),
            )
            enterprises.append((pk, path, code))
    branch = 0
    while len(existing) + len(rows) < UNITS:
        ent_pk, ent_path, ent_code = enterprises[branch % len(enterprises)]
        branch += 1
        province = rng.choice(provinces)
        opened = closed = None
        draw = rng.random()
        if draw < 0.03:  # opened during the campaign
            opened = quarter_start(rng.randint(2022, 2025), rng.randint(1, 4))
        elif draw < 0.06:  # closed during the campaign
            closed = quarter_end(rng.randint(2022, 2025), rng.randint(1, 4))
        add(
            f"{ent_code}-cn{branch:04d}",
            f"Chi nhánh {province} số {branch}",
            Unit.Kind.ENTERPRISE,
            ent_pk,
            ent_path,
            "khoi-doanh-nghiep",
            province,
            opened,
            closed,
        )
    copy_rows(
        Unit,
        [
            "id",
            "code",
            "name",
            "name_en",
            "short_name",
            "kind",
            "parent",
            "bloc",
            "province",
            "opened_on",
            "closed_on",
            "email",
            "path",
            "commendation_authority",
        ],
        rows,
    )
    reset_sequence(Unit)
    build.counts["units"] = Unit.objects.count()


# --- people and users ------------------------------------------------------------------------


def people(build: Build) -> None:
    """20,000 people on the roster, one officer account per unit and the bench cast."""
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from units.demo import POSITIONS, _person_name
    from units.models import Membership, Person, Unit, User
    from units.roles import BOARD_GROUP, SECRETARY_GROUP
    from units.services import board_groups

    rng = build.rng
    unit_rows = list(Unit.objects.exclude(kind=Unit.Kind.MINISTRY).values_list("pk", "code"))
    person_rows = []
    for n in range(PEOPLE):
        unit_pk, _code = unit_rows[n % len(unit_rows)]
        name, sex = _person_name(rng)
        born = datetime.date(rng.randint(1965, 2000), rng.randint(1, 12), rng.randint(1, 28))
        person_rows.append(
            (f"p-{n:05d}", name, unit_pk, rng.choice(POSITIONS), born, sex, "", "", "", None, True)
        )
    copy_rows(
        Person,
        [
            "code",
            "full_name",
            "unit",
            "position",
            "date_of_birth",
            "sex",
            "hometown",
            "qualifications",
            "email",
            "user",
            "active",
        ],
        person_rows,
    )
    reset_sequence(Person)

    build.password_hash = make_password(BENCH_PASSWORD)
    now = timezone.now()
    first_user = next_id(User)
    user_rows, membership_rows = [], []
    for offset, (unit_pk, code) in enumerate(unit_rows):
        user_pk = first_user + offset
        user_rows.append(
            (
                user_pk,
                build.password_hash,
                None,
                False,
                f"cb-{code}"[:150],
                "",
                "",
                f"cb-{code}@bench.local",
                False,
                True,
                now,
                f"Cán bộ {code}",
                "vi",
                True,
            )
        )
        membership_rows.append((user_pk, unit_pk, Membership.Role.OFFICER))
    copy_rows(
        User,
        [
            "id",
            "password",
            "last_login",
            "is_superuser",
            "username",
            "first_name",
            "last_name",
            "email",
            "is_staff",
            "is_active",
            "date_joined",
            "full_name",
            "language",
            "email_notifications",
        ],
        user_rows,
    )
    copy_rows(Membership, ["user", "unit", "role"], membership_rows)
    reset_sequence(User)
    reset_sequence(Membership)

    board_groups()
    cast = {
        OFFICER: ("cuc-xnk", Membership.Role.OFFICER, {}),
        HEAD: ("tct-01", Membership.Role.HEAD, {}),
        BOARD: (None, None, {"groups": [BOARD_GROUP]}),
        "bench-secretary": (None, None, {"groups": [SECRETARY_GROUP], "is_staff": True}),
        "bench-admin": (None, None, {"is_staff": True, "is_superuser": True}),
    }
    for username, (unit_code, role, options) in cast.items():
        user = User.objects.create(
            username=username,
            password=build.password_hash,
            full_name=username,
            is_staff=options.get("is_staff", False),
            is_superuser=options.get("is_superuser", False),
        )
        for group in options.get("groups", []):
            user.groups.add(Group.objects.get(name=group))
        if unit_code:
            Membership.objects.create(user=user, unit=Unit.objects.get(code=unit_code), role=role)
    build.counts["people"] = Person.objects.count()
    build.counts["users"] = User.objects.count()


# --- campaign --------------------------------------------------------------------------------


def campaign(build: Build) -> None:
    """24 quarterly periods ending with the current quarter, 6 objectives × 2 indicators."""
    from campaigns.models import Participation
    from campaigns.services.campaigns import campaign_load
    from units.models import Unit

    shipped = json.loads(
        (
            Path(__file__).resolve().parent.parent / "campaigns/data/campaign-2021-2026.json"
        ).read_text(encoding="utf-8")
    )
    today = build.today
    quarter = (today.month - 1) // 3  # 0-based index of the current quarter
    first = today.year * 4 + quarter - (PERIODS - 1)
    starts_on = datetime.date(first // 4, (first % 4) * 3 + 1, 1)
    last_month = quarter * 3 + 3
    ends_on = datetime.date(today.year + last_month // 12, last_month % 12 + 1, 1) - (
        datetime.timedelta(days=1)
    )
    objectives = []
    for objective in shipped["objectives"]:
        indicators = [dict(ind, code=f"bench-{ind['code']}") for ind in objective["indicators"][:2]]
        objectives.append(dict(objective, indicators=indicators))
    objectives[5]["indicators"][0]["rollup"] = "max"  # every roll-up kind is exercised
    data = dict(
        shipped,
        code=BENCH_CAMPAIGN,
        title=f"Phong trào thi đua (dữ liệu đo hiệu năng) {starts_on.year}–{ends_on.year}",
        starts_on=starts_on.isoformat(),
        ends_on=ends_on.isoformat(),
        launched_on=starts_on.isoformat(),
        objectives=objectives,
    )
    build.campaign = campaign_load(data=data)
    assert build.campaign.periods.count() == PERIODS, build.campaign.periods.count()
    copy_rows(
        Participation,
        ["campaign", "unit", "joined_on"],
        (
            (build.campaign.pk, pk, opened)
            for pk, opened in Unit.objects.exclude(kind=Unit.Kind.MINISTRY).values_list(
                "pk", "opened_on"
            )
        ),
    )
    build.counts["periods"] = build.campaign.periods.count()
    build.counts["indicators"] = sum(len(o["indicators"]) for o in objectives)


# --- registrations and reports ---------------------------------------------------------------


def _targets(build: Build):
    """A target per unit × indicator × year, and the unit's performance (for the values)."""
    from campaigns.models import Indicator
    from units.models import Unit

    rng = random.Random(7)
    indicators = list(Indicator.objects.filter(objective__campaign=build.campaign))
    performance = {
        pk: rng.uniform(0.55, 1.15)
        for pk in Unit.objects.exclude(kind=Unit.Kind.MINISTRY).values_list("pk", flat=True)
    }
    return indicators, performance


def _target_value(indicator, rng: random.Random) -> Decimal:
    if indicator.kind == "percent":
        if indicator.direction == "lower":
            return Decimal(rng.randint(2, 10))
        return Decimal(rng.randint(70, 95))
    return Decimal(rng.randint(8, 40))


def registrations(build: Build) -> None:
    """Each unit registers targets every campaign year it exists in."""
    from campaigns.models import Registration, Target
    from units.models import Unit

    indicators, _ = _targets(build)
    rng = random.Random(11)
    campaign = build.campaign
    first_reg = next_id(Registration)
    reg_rows, target_rows = [], []
    units = list(
        Unit.objects.exclude(kind=Unit.Kind.MINISTRY).values_list("pk", "opened_on", "closed_on")
    )
    for year in range(campaign.starts_on.year, campaign.ends_on.year + 1):
        for pk, opened, closed in units:
            if (opened and opened.year > year) or (closed and closed.year < year):
                continue
            reg_pk = first_reg + len(reg_rows)
            reg_rows.append(
                (
                    reg_pk,
                    campaign.pk,
                    pk,
                    year,
                    "Hoàn thành xuất sắc nhiệm vụ.",
                    "TTLDXS",
                    "confirmed",
                    None,
                )
            )
            for indicator in indicators:
                target_rows.append((reg_pk, indicator.pk, _target_value(indicator, rng)))
    copy_rows(
        Registration,
        ["id", "campaign", "unit", "year", "commitments", "target_title", "status", "confirmed_at"],
        reg_rows,
    )
    copy_rows(Target, ["registration", "indicator", "value"], target_rows)
    reset_sequence(Registration)
    reset_sequence(Target)
    build.counts["registrations"] = len(reg_rows)
    build.counts["targets"] = len(target_rows)


def reports(build: Build) -> None:
    """Reports of every ended period (and drafts of the current one), with lines and values."""
    from django.utils import timezone

    from campaigns.models import (
        IndicatorValue,
        ProgressReport,
        Registration,
        ReportLine,
        Target,
    )
    from campaigns.selectors.expected import units_expected
    from units.models import Unit

    campaign = build.campaign
    indicators, performance = _targets(build)
    objectives = list(campaign.objectives.order_by("number").values_list("pk", flat=True))
    targets = {
        (unit, indicator, year): value
        for unit, indicator, year, value in Target.objects.filter(
            registration__campaign=campaign
        ).values_list("registration__unit_id", "indicator_id", "registration__year", "value")
    }
    officer_unit = Unit.objects.get(code="cuc-xnk").pk
    tz = timezone.get_current_timezone()
    first_report = next_id(ProgressReport)
    report_rows, line_rows, value_rows = [], [], []
    now = timezone.now()

    def value_for(indicator, unit_pk, year, rng) -> Decimal | None:
        target = targets.get((unit_pk, indicator.pk, year))
        if target is None:
            return None
        perf = performance[unit_pk] * rng.uniform(0.85, 1.15)
        if indicator.kind == "percent":
            number = (
                float(target) / perf if indicator.direction == "lower" else float(target) * perf
            )
            return Decimal(min(100.0, max(0.0, number))).quantize(Decimal("0.01"))
        if indicator.rollup == "sum":
            return Decimal(max(0, round(float(target) / 4 * perf)))
        return Decimal(max(0, round(float(target) * perf)))

    for period in campaign.periods.order_by("starts_on"):
        ended = period.ends_on < build.today
        year = period.starts_on.year
        for unit_pk in units_expected(period=period).values_list("pk", flat=True):
            rng = random.Random(f"{unit_pk}:{period.label}")
            if ended:
                if rng.random() < 0.10 and unit_pk != officer_unit:
                    continue  # about one unit in ten never reports for the period
                draw = rng.random()
                status = (
                    "draft"
                    if draw < 0.04
                    else "returned"
                    if draw < 0.06
                    else "submitted"
                    if draw < 0.14
                    else "accepted"
                )
            else:
                if rng.random() > 0.35 and unit_pk != officer_unit:
                    continue  # a third of the units have started the current period
                status = "draft"
            submitted = reviewed = None
            late = False
            if status != "draft":
                late = rng.random() < 0.15
                day = period.due_on + datetime.timedelta(
                    days=rng.randint(1, 20) if late else -rng.randint(0, 14)
                )
                submitted = datetime.datetime.combine(day, datetime.time(9, 30), tzinfo=tz)
                if status in ("accepted", "returned"):
                    reviewed = submitted + datetime.timedelta(days=2)
            report_pk = first_report + len(report_rows)
            report_rows.append(
                (
                    report_pk,
                    unit_pk,
                    period.pk,
                    status,
                    submitted,
                    submitted,
                    late,
                    "Bổ sung số liệu." if status == "returned" else "",
                    reviewed,
                    now,
                    now,
                    0,
                )
            )
            for objective_pk in objectives:
                line_rows.append(
                    (
                        report_pk,
                        objective_pk,
                        rng.randint(50, 100),
                        "Đơn vị đã triển khai các nội dung của nhiệm vụ trong kỳ.",
                        1,
                        now,
                    )
                )
            for indicator in indicators:
                value_rows.append(
                    (report_pk, indicator.pk, value_for(indicator, unit_pk, year, rng), 1, now)
                )
    copy_rows(
        ProgressReport,
        [
            "id",
            "unit",
            "period",
            "status",
            "first_submitted_at",
            "submitted_at",
            "late",
            "return_reason",
            "reviewed_at",
            "created_at",
            "updated_at",
            "content_version",
        ],
        report_rows,
    )
    copy_rows(
        ReportLine,
        ["report", "objective", "percent_complete", "narrative", "version", "updated_at"],
        line_rows,
    )
    copy_rows(IndicatorValue, ["report", "indicator", "value", "version", "updated_at"], value_rows)
    for model in (ProgressReport, ReportLine, IndicatorValue, Registration):
        reset_sequence(model)
    build.counts["reports"] = len(report_rows)
    build.counts["report lines"] = len(line_rows)
    build.counts["indicator values"] = len(value_rows)


# --- commendations ---------------------------------------------------------------------------

NOMINATIONS = 5_000
NOMINATION_YEARS = 5  # the years of achievement before the current one, 1,000 nominations each
COUNCIL_MEMBERS = 9
# Award mix (relative weights) for people and for units.
PERSON_AWARDS = {
    "CSTDCS": 30,
    "BK_BO": 30,
    "CSTD_BO": 15,
    "LDTT": 10,
    "BK_TTG": 8,
    "HCLD_3": 3,
    "CSTDTQ": 2,
    "GIAY_KHEN": 2,
}
UNIT_AWARDS = {
    "BK_BO": 30,
    "TTLDTT": 20,
    "TTLDXS": 20,
    "CO_BO": 15,
    "BK_TTG": 8,
    "CO_CP": 4,
    "HCLD_3": 3,
}
# The year being evaluated: (status, share); "in_review" becomes "published" (in review with its
# window open, before any meeting: NĐ 152/2025 Art 44.2) for three in four awards that need
# publicity, "decided" becomes "forwarded" for the awards the
# Ministry sends up. Earlier years are settled.
OPEN_YEAR_STATUSES = [
    ("draft", 0.08),
    ("returned", 0.05),
    ("submitted", 0.09),
    ("screening", 0.05),
    ("in_review", 0.18),
    ("on_agenda", 0.10),
    ("approved", 0.12),
    ("decided", 0.22),
    ("rejected", 0.06),
    ("withdrawn", 0.05),
]
SETTLED_STATUSES = [("decided", 0.82), ("rejected", 0.09), ("withdrawn", 0.07), ("revoked", 0.02)]
# Statuses that went through a council ballot.
BALLOTED = {"approved", "decided", "forwarded", "rejected", "revoked"}


def _draw(rng: random.Random, table: list[tuple[str, float]]) -> str:
    point = rng.random()
    for value, share in table:
        point -= share
        if point < 0:
            return value
    return table[-1][0]


def _weighted(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def nominations(build: Build) -> None:
    """5,000 nominations over the five years before this one, with what they stand on.

    1,000 a year (82 % people, 18 % units), proposed by the nominee's unit. Earlier years are
    settled (decided or forwarded, some rejected, withdrawn or revoked); the year being
    evaluated is spread over every step. Around them: the council in office (bench-board
    chairs it, 9 seats), a closed ballot meeting per year with the counts of what it voted on,
    this year's decisions and forwardings with the award history they created, task ratings
    (every unit every year, every nominated person for the year and the two before),
    initiatives relied on by about 40 % of the individual titles, publications (closed for
    those past their window, open today for three in four of those in review this year) with
    a few public comments, and ahead: a meeting with its ballot open today, one scheduled in
    two weeks with the rest of the agenda, one in six weeks not yet filled.
    """
    import secrets

    from django.utils import timezone

    from awards.models import (
        Attendance,
        AwardGrant,
        AwardType,
        BallotReceipt,
        Council,
        CouncilMember,
        Decision,
        Initiative,
        Meeting,
        Nomination,
        Publication,
        PublicComment,
        TaskRating,
        VoteTally,
    )
    from config.workdays import add_working_days
    from units.models import Person, Unit, User

    rng = random.Random(5000)
    today = build.today
    now = timezone.now()
    tz = timezone.get_current_timezone()
    open_year = today.year - 1
    years = range(open_year - NOMINATION_YEARS + 1, open_year + 1)
    awards = {award.code: award for award in AwardType.objects.prefetch_related("terms")}

    def terms(award: AwardType, day: datetime.date):
        """The award's terms on `day`; the earliest for a day before the catalogue's."""
        periods = sorted(award.terms.all(), key=lambda t: t.valid_from)
        return next((t for t in periods if t.covers(day)), periods[0])

    def moment(day: datetime.date, hour: int = 9) -> datetime.datetime:
        return datetime.datetime.combine(day, datetime.time(hour), tzinfo=tz)

    # The council: bench-board chairs it; seven more members and the secretary.
    start = datetime.date(years[0], 1, 1)
    council = Council.objects.create(
        established_by=f"Quyết định số 1/QĐ-BCT ngày 04/01/{years[0]}", term_start=start
    )
    extra = User.objects.bulk_create(
        User(
            username=f"bench-member-{n}",
            password=build.password_hash,
            full_name=f"Ủy viên Hội đồng {n}",
            date_joined=now,
        )
        for n in range(1, COUNCIL_MEMBERS - 1)
    )
    seated = [
        User.objects.get(username=BOARD),
        *extra,
        User.objects.get(username="bench-secretary"),
    ]
    roles = ["chair", "vice_chair", "standing", *["member"] * (COUNCIL_MEMBERS - 4), "secretary"]
    CouncilMember.objects.bulk_create(
        CouncilMember(council=council, user=user, role=role, term_start=start)
        for user, role in zip(seated, roles, strict=True)
    )

    # Nominees: people sampled without repeat within a year, units likewise.
    people = list(Person.objects.values_list("pk", "unit_id", "full_name", "position"))
    units = list(Unit.objects.exclude(kind=Unit.Kind.MINISTRY).values_list("pk", "name", "name_en"))
    unit_names = {pk: (name, name_en) for pk, name, name_en in units}
    rows = []  # [pk, person, unit, award code, year, proposing unit, nominee name, position]
    next_pk = next_id(Nomination)
    per_year = NOMINATIONS // NOMINATION_YEARS
    for year in years:
        individuals = round(per_year * 0.82)
        for person_pk, unit_pk, name, position in rng.sample(people, individuals):
            rows.append(
                [
                    next_pk,
                    person_pk,
                    None,
                    _weighted(rng, PERSON_AWARDS),
                    year,
                    unit_pk,
                    name,
                    position,
                ]
            )
            next_pk += 1
        for unit_pk, name, _name_en in rng.sample(units, per_year - individuals):
            rows.append(
                [next_pk, None, unit_pk, _weighted(rng, UNIT_AWARDS), year, unit_pk, name, ""]
            )
            next_pk += 1

    # Statuses, decisions and what each status leaves behind.
    decisions: dict[tuple[int, str], Decision] = {}
    for year in years:
        signed = (
            today - datetime.timedelta(days=10)
            if year == open_year
            else datetime.date(year + 1, 4, 20)
        )
        for kind, number in (
            ("decision", f"{year % 100 * 10 + 1}/QĐ-BCT"),
            ("forwarding", f"{year % 100 * 10 + 2}/TTr-BCT"),
        ):
            decisions[(year, kind)] = Decision(
                kind=kind,
                number=number,
                signed_on=signed,
                signer="Bộ trưởng Bộ Công Thương",
                signer_title="Bộ trưởng",
                issuer="Bộ trưởng Bộ Công Thương",
            )
    Decision.objects.bulk_create(decisions.values())

    nomination_rows, grant_rows, initiative_rows, publication_rows = [], [], [], []
    decided_here: set[tuple[int | None, str, int]] = set()
    balloted: dict[int, list[tuple[int, str]]] = {year: [] for year in years}
    on_agenda: list[int] = []
    open_windows: list[int] = []
    for pk, person_pk, unit_pk, code, year, proposer, name, position in rows:
        award = awards[code]
        settled = year < open_year
        status = _draw(rng, SETTLED_STATUSES if settled else OPEN_YEAR_STATUSES)
        publicity = terms(award, today)
        if status == "in_review" and publicity.needs_publicity and rng.random() < 0.75:
            status = "published"
        if status == "decided" and award.is_forwarded:
            status = "forwarded"
        created = datetime.date(year + 1, 1, 5) + datetime.timedelta(days=rng.randint(0, 40))
        if not settled:
            created = min(created, today - datetime.timedelta(days=60))
        submitted = None if status == "draft" else moment(created + datetime.timedelta(days=7))
        decision = None
        if status in ("decided", "forwarded"):
            decision = decisions[(year, "decision" if status == "decided" else "forwarding")]
        nomination_rows.append(
            (
                pk,
                person_pk,
                unit_pk,
                award.pk,
                year,
                proposer,
                status,
                "Sơ lược lý lịch.",
                "Thành tích đạt được trong năm.",
                "",
                "",
                "{}",
                "met" if rng.random() < 0.8 else "unknown" if rng.random() < 0.75 else "not_met",
                1,
                None,
                moment(created),
                submitted,
                decision.pk if decision else None,
            )
        )
        if status in BALLOTED:
            balloted[year].append((pk, status, award))
        elif status == "on_agenda":
            on_agenda.append(pk)
        owner = (person_pk, unit_pk)
        if status == "decided":
            decided_here.add((person_pk, code, year))
            grant_rows.append(
                (
                    *owner,
                    year,
                    award.pk,
                    decision.number,
                    decision.signed_on,
                    decision.issuer,
                    decision.pk,
                    pk,
                )
            )
        if person_pk and code in ("CSTDCS", "CSTD_BO", "CSTDTQ") and rng.random() < 0.4:
            scope = {"CSTDCS": "base", "CSTD_BO": "ministry", "CSTDTQ": "national"}[code]
            initiative_rows.append(
                (
                    f"Sáng kiến cải tiến số {pk}",
                    scope,
                    datetime.date(year, rng.randint(3, 11), 15),
                    "Hội đồng sáng kiến cơ sở",
                    person_pk,
                    None,
                    pk if status not in ("withdrawn", "rejected") else None,
                    decision.signed_on if status == "decided" else None,
                )
            )
        # Published before the council: every nomination past screening has its publication.
        if publicity.needs_publicity and status in (
            "published",
            "in_review",
            "on_agenda",
            "approved",
            "decided",
            "forwarded",
        ):
            window = status == "published"
            if window:
                opens = today - datetime.timedelta(days=rng.randint(0, 6))
            else:
                opens = (decision.signed_on if decision else today) - datetime.timedelta(days=30)
            closes = add_working_days(opens, publicity.publicity_working_days - 1)
            if window and closes < today:
                closes = today
            unit_name, unit_name_en = unit_names.get(proposer, ("", ""))
            publication_rows.append(
                (
                    pk,
                    secrets.token_urlsafe(9),
                    "open" if window else "closed",
                    opens,
                    closes,
                    publicity.publicity_working_days,
                    publicity.publicity_source,
                    moment(opens, 7),
                    None if window else moment(closes + datetime.timedelta(days=1), 7),
                    name,
                    person_pk is not None,
                    position,
                    unit_name,
                    unit_name_en,
                    award.name,
                    award.name_en,
                    year,
                    "Tóm tắt thành tích của đối tượng đề nghị.",
                )
            )
            if window:
                open_windows.append(pk)
    copy_rows(
        Nomination,
        [
            "id",
            "person",
            "unit",
            "award_type",
            "year",
            "proposing_unit",
            "status",
            "report_background",
            "report_achievements",
            "report_awards",
            "justification",
            "eligibility",
            "eligibility_outcome",
            "version",
            "created_by",
            "created_at",
            "submitted_at",
            "decision",
        ],
        nomination_rows,
    )

    # Award history: the grants of the decisions above, and the paper record behind the titles
    # (grassroots emulation fighter the two years before a ministry title, labour titles);
    # a person nominated in several years has each paper grant once.
    paper = set()
    for _pk, person_pk, _unit_pk, code, year, _proposer, _name, _position in rows:
        if person_pk and code in ("CSTD_BO", "CSTDTQ"):
            paper |= {(person_pk, "CSTDCS", earlier) for earlier in (year - 2, year - 1)}
        if person_pk and code == "CSTDCS":
            paper.add((person_pk, "LDTT", year))
    grant_rows += [
        (
            person_pk,
            None,
            year,
            awards[code].pk,
            f"{year % 100}/QĐ-ĐV-{code}",
            datetime.date(year + 1, 1, 15),
            "Thủ trưởng đơn vị",
            None,
            None,
        )
        for person_pk, code, year in sorted(paper - decided_here)
    ]
    copy_rows(
        AwardGrant,
        [
            "person",
            "unit",
            "year",
            "award_type",
            "decision_number",
            "decided_on",
            "issuer",
            "decision",
            "nomination",
        ],
        grant_rows,
    )
    copy_rows(
        Initiative,
        [
            "title",
            "scope",
            "recognised_on",
            "recognised_by",
            "person",
            "unit",
            "used_by",
            "used_on",
        ],
        initiative_rows,
    )

    # Task ratings: every unit every year; every nominated person that year and the two before.
    ratings = ["HTXS", "HTT", "HT", "KHT"]
    shares = [30, 55, 12, 3]
    rating_rows = [
        (None, unit_pk, year, rng.choices(ratings, shares)[0], False, "", "")
        for year in years
        for unit_pk, _name, _name_en in units
    ]
    rated = {
        (person_pk, earlier)
        for _pk, person_pk, _u, _c, year, _p, _n, _pos in rows
        if person_pk
        for earlier in (year - 2, year - 1, year)
    }
    rating_rows += [
        (person_pk, None, year, rng.choices(ratings[:3], [45, 50, 5])[0], False, "", "")
        for person_pk, year in sorted(rated)
    ]
    copy_rows(
        TaskRating,
        ["person", "unit", "year", "rating", "disciplined", "discipline_level", "note"],
        rating_rows,
    )

    # Meetings: a closed ballot per year; ahead, one open today, one scheduled, one empty.
    secretary = seated[-1]
    meetings: dict[str, Meeting] = {}
    for year in years:
        held = (
            today - datetime.timedelta(days=45)
            if year == open_year
            else datetime.date(year + 1, 3, 15)
        )
        meetings[f"closed-{year}"] = Meeting(
            council=council,
            title=f"Phiên họp xét khen thưởng năm {year}",
            held_on=held,
            location="Phòng họp tầng 3",
            status="closed",
            council_size=COUNCIL_MEMBERS,
            ballot_opened_at=moment(held, 9),
            ballot_closed_at=moment(held, 11),
            created_by=secretary,
        )
    meetings["open"] = Meeting(
        council=council,
        title="Phiên họp đang bỏ phiếu",
        held_on=today,
        location="Trực tuyến",
        status="ballot_open",
        council_size=COUNCIL_MEMBERS,
        ballot_opened_at=now,
        created_by=secretary,
    )
    meetings["soon"] = Meeting(
        council=council,
        title="Phiên họp tiếp theo",
        held_on=today + datetime.timedelta(days=14),
        location="Phòng họp tầng 3",
        created_by=secretary,
    )
    meetings["later"] = Meeting(
        council=council, held_on=today + datetime.timedelta(days=42), created_by=secretary
    )
    Meeting.objects.bulk_create(meetings.values())
    tally_rows = []
    for year in years:
        for pk, status, award in balloted[year]:
            yes = rng.randint(7, 9) if status != "rejected" else rng.randint(2, 5)
            applied = terms(award, meetings[f"closed-{year}"].held_on)
            rule, percent = applied.required_share()
            tally_rows.append(
                (
                    meetings[f"closed-{year}"].pk,
                    pk,
                    yes,
                    COUNCIL_MEMBERS - yes,
                    "rejected" if status == "rejected" else "approved",
                    rule,
                    percent,
                    applied.ballot_source,
                )
            )
    half = len(on_agenda) // 2
    for pk in on_agenda[:half]:
        tally_rows.append((meetings["open"].pk, pk, 0, 0, "", "", None, ""))
    for pk in on_agenda[half:]:
        tally_rows.append((meetings["soon"].pk, pk, 0, 0, "", "", None, ""))
    copy_rows(
        VoteTally,
        [
            "meeting",
            "nomination",
            "approvals",
            "disapprovals",
            "outcome",
            "threshold_rule",
            "threshold_percent",
            "threshold_source",
        ],
        tally_rows,
    )
    balloting = [m for key, m in meetings.items() if key.startswith("closed") or key == "open"]
    Attendance.objects.bulk_create(
        Attendance(meeting=m, member=user, role=role, present=True)
        for m in balloting
        for user, role in zip(seated, roles, strict=True)
    )
    BallotReceipt.objects.bulk_create(
        BallotReceipt(meeting=m, member=user, cast_at=moment(m.held_on, 10))
        for m in balloting
        for user in (seated if m.status == "closed" else seated[:5])
    )

    copy_rows(
        Publication,
        [
            "nomination",
            "token",
            "status",
            "opens_on",
            "closes_on",
            "working_days",
            "working_days_source",
            "opened_at",
            "closed_at",
            "nominee_name",
            "nominee_is_person",
            "nominee_position",
            "unit_name",
            "unit_name_en",
            "award_name",
            "award_name_en",
            "year",
            "summary",
        ],
        publication_rows,
    )
    windows = list(
        Publication.objects.filter(nomination_id__in=open_windows).values_list("pk", flat=True)
    )
    comments = [
        PublicComment(
            publication_id=publication,
            name="Người dân",
            contact="nguoidan@example.vn",
            text="Tôi đồng ý với đề nghị khen thưởng.",
            status=rng.choice(["pending", "approved", "approved", "hidden"]),
        )
        for publication in windows
        for _ in range(rng.randint(0, 4))
    ]
    PublicComment.objects.bulk_create(comments)
    for model in (Nomination, AwardGrant, Initiative, TaskRating, VoteTally, Publication):
        reset_sequence(model)
    build.counts["users"] = User.objects.count()
    build.counts["nominations"] = len(nomination_rows)
    build.counts["task ratings"] = len(rating_rows)
    build.counts["initiatives"] = len(initiative_rows)
    build.counts["award history"] = len(grant_rows)
    build.counts["meetings"] = len(meetings)
    build.counts["agenda items (tallies)"] = len(tally_rows)
    build.counts["publications"] = len(publication_rows)
    build.counts["open windows"] = len(windows)
    build.counts["public comments"] = len(comments)


def analyze(build: Build) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def figures(build: Build) -> None:
    """The dashboards' maintained figures: COPY sends no signal, so they are rebuilt once."""
    from campaigns.models import Campaign
    from campaigns.services.figures import figures_rebuild

    campaign = Campaign.objects.get(code=BENCH_CAMPAIGN)
    build.counts["figure rows"] = figures_rebuild(campaign=campaign)


STEPS = [
    migrate,
    units,
    people,
    campaign,
    registrations,
    reports,
    nominations,
    figures,
    analyze,
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", action="store_true", help="do not drop and recreate the database")
    args = parser.parse_args()
    setup_django()
    if not args.keep:
        recreate_database()
    from django.utils import timezone

    build = Build(rng=random.Random(2026), today=timezone.localdate())
    started = time.perf_counter()
    print(f"Building the ministry-scale data set in {database_name()}:")
    for step in STEPS:
        with timed(step.__name__):
            step(build)
    print(f"  {'total':<40} {time.perf_counter() - started:7.1f} s")
    for name, count in build.counts.items():
        print(f"  {name:<24} {count:>9,}")


if __name__ == "__main__":
    main()

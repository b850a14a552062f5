"""Demo data of the blocs: Khối các Cục with a complete 2026 — members, leading unit and deputy,
a signed covenant, the scoring table (one criterion computed from the reports), every member's
scoring cross-checked (one score changed with a reason), the published ranking and the
year-end vote proposing the first unit for Cờ thi đua Bộ, as a draft nomination.

Seeded last (after the campaign's reports and the awards' catalogue); skipped when the year
already exists, so seeding twice changes nothing.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from units.demo import DEMO_PASSWORD, DemoLogin, DemoRun
from units.models import EmulationBloc, Membership, User

BLOC = "khoi-cuc"
YEAR = 2026


def seed(*, run: DemoRun) -> None:
    from awards.models import AwardType, Nomination
    from blocs.models import (
        BlocBallotItem,
        BlocMeeting,
        BlocYear,
        Criterion,
        Score,
        Scoring,
        Signature,
    )
    from blocs.services import ballot
    from blocs.services.scoring import ranking_publish, refresh_computed
    from blocs.services.table import criterion_add, group_add
    from blocs.services.years import bloc_year_save, commitment_add, member_candidates
    from campaigns.models import Campaign
    from units.services import user_upsert

    bloc = EmulationBloc.objects.filter(code=BLOC).first()
    if bloc is None or BlocYear.objects.filter(bloc=bloc, year=YEAR).exists():
        return
    members = list(member_candidates(bloc, YEAR))
    if len(members) < 3:
        return
    rng = random.Random(16)  # its own stream: the other apps' demo data stays the same
    secretary = User.objects.filter(username="thuky").first()
    leading = next(unit for unit in members if unit.code != "cuc-xnk")
    deputy = next((unit for unit in members if unit.code == "cuc-xnk"), members[1])
    campaign = Campaign.objects.order_by("-starts_on").first()

    # A head for each member unit without one (the demo's "truongdonvi" heads Cục XNK).
    password_hash = make_password(DEMO_PASSWORD)
    heads = {}
    for unit in members:
        head = User.objects.filter(memberships__unit=unit, memberships__role="head").first()
        if head is None:
            username = f"tk.{unit.code}"
            head = user_upsert(
                username=username,
                password_hash=password_hash,
                full_name=f"Thủ trưởng {unit.short_name or unit.name}",
                email=f"{username}@thidua.local",
                units=[(unit, Membership.Role.HEAD)],
            )
        heads[unit.pk] = head
    run.logins.append(
        DemoLogin(
            _("Head of the bloc's leading unit"),
            heads[leading.pk].username,
            DEMO_PASSWORD,
            heads[leading.pk].get_full_name(),
            leading.name,
        )
    )

    bloc_year = bloc_year_save(
        bloc=bloc,
        year=YEAR,
        leading_unit=leading,
        deputy_unit=deputy,
        members=members,
        campaign=campaign,
        scoring_deadline=datetime.date(YEAR, 12, 15),
        actor=secretary,
    )
    objectives = list(campaign.objectives.order_by("number")[:2]) if campaign else []
    for index, text in enumerate(
        [
            "Hoàn thành vượt mức các chỉ tiêu, nhiệm vụ được giao trong năm.",
            "Báo cáo tiến độ phong trào thi đua đầy đủ, đúng hạn.",
            "Đẩy mạnh phong trào sáng kiến, cải tiến, chuyển đổi số.",
        ]
    ):
        commitment_add(
            bloc_year=bloc_year,
            text=text,
            objective=objectives[index] if index < len(objectives) else None,
            actor=heads[leading.pk],
        )
    now = timezone.now()
    Signature.objects.bulk_create(
        Signature(bloc_year=bloc_year, unit=unit, signed_by=heads[unit.pk], signed_at=now)
        for unit in members
    )

    tasks = group_add(
        bloc_year=bloc_year,
        title="Thực hiện nhiệm vụ chuyên môn",
        max_points=Decimal(70),
        actor=None,
    )
    others = group_add(
        bloc_year=bloc_year,
        title="Công tác thi đua, khen thưởng",
        max_points=Decimal(30),
        actor=None,
    )
    table = [
        (tasks, "chi-tieu", "Hoàn thành các chỉ tiêu, nhiệm vụ được giao", "manual", 50, ""),
        (tasks, "dung-han", "Báo cáo tiến độ đúng hạn", "computed", 20, "20 * on_time_rate"),
        (others, "phong-trao", "Tổ chức phong trào thi đua, giao ước", "manual", 25, ""),
        (others, "sang-kien", "Sáng kiến được công nhận", "computed", 5, "min(5, initiatives)"),
        (others, "thuong", "Điểm thưởng: thành tích đột xuất", "bonus", 5, ""),
        (others, "tru", "Điểm trừ: vi phạm, chậm trễ", "penalty", 5, ""),
    ]
    criteria = {
        code: criterion_add(
            group=group,
            code=code,
            title=title,
            kind=kind,
            max_points=Decimal(points),
            formula=formula,
            actor=None,
        )
        for group, code, title, kind, points, formula in table
    }
    for position, unit in enumerate(members):
        scoring = Scoring.objects.create(
            bloc_year=bloc_year,
            unit=unit,
            status=Scoring.Status.CHECKED,
            submitted_at=now,
            checked_at=now,
            checked_by=heads[leading.pk] if unit != leading else secretary,
        )
        # The demo's persona (cuc-xnk) leads its bloc on the scores by hand, so that its
        # officer finds the bloc's proposal among its unit's nominations.
        lead = unit.code == "cuc-xnk"
        values = {
            "chi-tieu": Decimal(50 if lead else rng.randint(36, 46)),
            "phong-trao": Decimal(25 if lead else rng.randint(15, 23)),
            "thuong": Decimal(3 if lead else rng.choice([0, 0, 2])),
            "tru": Decimal(0 if lead else rng.choice([0, 0, 0, 1])),
        }
        Score.objects.bulk_create(
            Score(
                scoring=scoring,
                criterion=criterion,
                points=values.get(code),
                evidence="Báo cáo tổng kết năm 2026"
                if criterion.kind != Criterion.Kind.COMPUTED
                else "",
            )
            for code, criterion in criteria.items()
        )
        refresh_computed(scoring)
        if position == 1:
            Score.objects.filter(scoring=scoring, criterion=criteria["chi-tieu"]).update(
                checked_points=values["chi-tieu"] - 4,
                check_reason="Hai chỉ tiêu xuất khẩu chưa có số liệu quyết toán.",
                checked_by=heads[leading.pk],
            )
    ranking_publish(bloc_year=bloc_year, actor=secretary)

    meeting = BlocMeeting.objects.create(
        bloc_year=bloc_year,
        held_on=datetime.date(YEAR, 12, 20),
        location="Hội trường Bộ Công Thương, 54 Hai Bà Trưng",
        status=BlocMeeting.Status.CLOSED,
        voters=len(members),
        ballot_opened_at=now,
        ballot_closed_at=now,
    )
    first = bloc_year.ranking.order_by("rank").first()
    award = AwardType.objects.filter(code="CO_BO").first()
    if (
        award is None
        or Nomination.objects.filter(unit=first.unit, award_type=award, year=YEAR).exists()
    ):
        return
    item = BlocBallotItem.objects.create(
        meeting=meeting,
        unit=first.unit,
        award_type=award,
        approvals=len(members),
        disapprovals=0,
        outcome=BlocBallotItem.Outcome.APPROVED,
        threshold_rule="at_least",
        threshold_percent=80,
    )
    ballot._propose(item, meeting, secretary)

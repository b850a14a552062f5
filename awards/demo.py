"""Demo commendation data: the council, the record of Cục Xuất nhập khẩu and its people, and
nominations at several steps, so that every role finds something to do.

Everything is matched by natural keys, so seeding twice changes nothing. Nominations are
moved along by the same services the pages use.
"""

from __future__ import annotations

import datetime

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from awards.models import (
    AwardGrant,
    AwardType,
    Council,
    CouncilMember,
    Initiative,
    Nomination,
    OpenMatter,
    Publication,
    PublicComment,
    TaskRating,
)
from awards.services.nominations import (
    attachment_add,
    nomination_attach_initiative,
    nomination_draft,
    nomination_screening_accept,
    nomination_screening_start,
    nomination_submit,
)
from awards.services.publicity import (
    public_comment_moderate,
    publication_close,
    publication_open,
    publicity_window,
)
from units.demo import DemoRun
from units.models import Person, Unit, User

DEMO_UNIT = "cuc-xnk"
ISSUER_UNIT = "Cục trưởng Cục Xuất nhập khẩu"
ISSUER_MINISTER = "Bộ trưởng Bộ Công Thương"

# The smallest file that passes the content check as a PDF.
DEMO_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _rating(owner: dict, year: int, rating: str) -> None:
    TaskRating.objects.update_or_create(**owner, year=year, defaults={"rating": rating})


def _grant(owner: dict, year: int, award: AwardType, issuer: str, number: int) -> None:
    AwardGrant.objects.update_or_create(
        **owner,
        award_type=award,
        year=year,
        decision_number=f"{number}/QĐ-{'BCT' if issuer == ISSUER_MINISTER else 'XNK'}",
        defaults={"decided_on": datetime.date(year + 1, 1, 20), "issuer": issuer},
    )


def _initiative(owner: dict, title: str, scope: str, day: datetime.date) -> Initiative:
    initiative, _ = Initiative.objects.update_or_create(
        **owner,
        title=title,
        defaults={"scope": scope, "recognised_on": day, "recognised_by": "Hội đồng sáng kiến"},
    )
    return initiative


def _nomination(owner: dict, award: AwardType, year: int) -> Nomination | None:
    return (
        Nomination.objects.filter(**owner, award_type=award, year=year)
        .exclude(status__in=Nomination.CLOSED_WITHOUT_AWARD)
        .first()
    )


def _attach(nomination: Nomination, kind: str, name: str, actor: User) -> None:
    attachment_add(
        nomination=nomination, kind=kind, upload=ContentFile(DEMO_PDF, name=name), actor=actor
    )


def _accepted(nomination: Nomination, head: User, secretary: User, **submit) -> Nomination:
    _attach(nomination, "cover_letter", "to-trinh.pdf", head)
    _attach(nomination, "minutes", "bien-ban.pdf", head)
    nomination = nomination_submit(nomination=nomination, actor=head, **submit)
    nomination = nomination_screening_start(nomination=nomination, actor=secretary)
    return nomination_screening_accept(nomination=nomination, actor=secretary)


def _published_since(
    nomination: Nomination, after: datetime.date, comments: list[tuple[str, str, str]], actor
) -> None:
    """Move the demo's publication as if the dossier had been accepted on `after`, with public
    comments (name, text, status), then let the window open and close as the beat would."""
    today = timezone.localdate()
    publication = Publication.objects.get(nomination=nomination)
    publication.opens_on, publication.closes_on = publicity_window(
        after=after, working_days=publication.working_days
    )
    publication.save()
    publication_open(publication=publication, today=today)
    for name, text, status in comments:
        comment = PublicComment.objects.create(
            publication=publication, name=name, contact="demo@example.vn", text=text
        )
        if status != PublicComment.Status.PENDING:
            public_comment_moderate(comment=comment, status=status, actor=actor)
    publication_close(publication=publication, today=today)


COUNCIL_START = datetime.date(2021, 1, 1)
# The demo board: hoidong1 chairs it, hoidong2 is a standing member, the secretary thuky is its
# secretary member. Once a council is recorded it, not the `board` group, says who the board is.
COUNCIL_SEATS = (
    ("hoidong1", CouncilMember.Role.CHAIR, "Vụ trưởng Vụ Tổ chức cán bộ"),
    ("hoidong2", CouncilMember.Role.STANDING, "Vụ trưởng Vụ Pháp chế"),
    ("thuky", CouncilMember.Role.SECRETARY, "Chánh Văn phòng Bộ"),
)


def _council() -> None:
    users = {u.username: u for u in User.objects.filter(username__in=[s[0] for s in COUNCIL_SEATS])}
    if len(users) != len(COUNCIL_SEATS):
        return
    council, _ = Council.objects.get_or_create(
        unit=None,
        term_start=COUNCIL_START,
        defaults={"established_by": "Quyết định số 1234/QĐ-BCT ngày 04/01/2021"},
    )
    for username, role, position in COUNCIL_SEATS:
        CouncilMember.objects.get_or_create(
            council=council,
            user=users[username],
            defaults={"role": role, "position": position, "term_start": COUNCIL_START},
        )


# The council of Cục Xuất nhập khẩu, which holds commendation authority (Law 2022 Art 80): its
# head chairs it; it reviews and votes on the CSTĐCS and LĐTT its head decides.
UNIT_COUNCIL_SEATS = (
    ("truongdonvi", CouncilMember.Role.CHAIR, "Cục trưởng Cục Xuất nhập khẩu"),
    ("hoidong.xnk", CouncilMember.Role.MEMBER, "Trưởng phòng Tổng hợp"),
    ("thuky.xnk", CouncilMember.Role.SECRETARY, "Chánh Văn phòng Cục"),
)


def _unit_council() -> None:
    unit = Unit.objects.filter(code=DEMO_UNIT, commendation_authority=True).first()
    names = [seat[0] for seat in UNIT_COUNCIL_SEATS]
    users = {u.username: u for u in User.objects.filter(username__in=names)}
    if unit is None or len(users) != len(UNIT_COUNCIL_SEATS):
        return
    council, _ = Council.objects.get_or_create(
        unit=unit,
        term_start=COUNCIL_START,
        defaults={
            "name": f"Hội đồng Thi đua - Khen thưởng {unit.name}",
            "established_by": "Quyết định số 15/QĐ-XNK ngày 08/01/2021",
        },
    )
    for username, role, position in UNIT_COUNCIL_SEATS:
        CouncilMember.objects.get_or_create(
            council=council,
            user=users[username],
            defaults={"role": role, "position": position, "term_start": COUNCIL_START},
        )


@transaction.atomic
def seed(*, run: DemoRun) -> None:
    _council()
    _unit_council()
    unit = Unit.objects.filter(code=DEMO_UNIT).first()
    users = {user.username: user for user in User.objects.filter(username__in=_USERNAMES)}
    if unit is None or set(users) != set(_USERNAMES):
        return  # the sector and the demo users come first (units.demo)
    officer, head, secretary = users["canbo"], users["truongdonvi"], users["thuky"]
    awards = {award.code: award for award in AwardType.objects.all()}
    year = timezone.localdate().year - 1  # the year being evaluated
    first = year - 4
    people = {
        person.code: person
        for person in Person.objects.filter(code__in=[f"{DEMO_UNIT}-0{n}" for n in (1, 2, 3)])
    }
    if len(people) != 3:
        return
    p1, p2, p3 = (people[f"{DEMO_UNIT}-0{n}"] for n in (1, 2, 3))
    collective = {"unit": unit}

    # The unit: good years, TTLĐTT then TTLĐXS.
    for offset, rating in enumerate(["HTT", "HTT", "HTXS", "HTXS", "HTXS"]):
        _rating(collective, first + offset, rating)
    _grant(collective, year - 2, awards["TTLDTT"], ISSUER_UNIT, 5)
    _grant(collective, year - 1, awards["TTLDXS"], ISSUER_MINISTER, 120)

    # Person 1: CSTĐCS only in the last two years — not yet CSTĐ Bộ.
    for offset, rating in enumerate(["HTT", "HTXS", "HTT", "HTXS", "HTXS"]):
        _rating({"person": p1}, first + offset, rating)
    for grant_year in (year - 1, year):
        _grant({"person": p1}, grant_year, awards["CSTDCS"], ISSUER_UNIT, 10 + grant_year % 100)
    # Person 1's record also shows a matter: a complaint resolved (it no longer blocks).
    OpenMatter.objects.update_or_create(
        person=p1,
        kind=OpenMatter.Kind.COMPLAINT,
        opened_on=datetime.date(year - 1, 3, 2),
        defaults={
            "summary": "Đơn phản ánh về việc chấm công (đã xác minh)",
            "closed_on": datetime.date(year - 1, 5, 20),
            "resolution": "Đã xác minh: nội dung phản ánh không đúng.",
        },
    )
    # The inspection still open concerns another person of the unit, so that person 1's
    # nomination can go on to the council while the record page shows what blocks an award.
    inspected = (
        Person.objects.filter(unit=unit).exclude(pk__in=[p1.pk, p2.pk, p3.pk]).order_by("code")
    ).first()
    if inspected is not None:
        OpenMatter.objects.update_or_create(
            person=inspected,
            kind=OpenMatter.Kind.INSPECTION,
            opened_on=datetime.date(year, 10, 1),
            defaults={"summary": "Thanh tra việc quản lý hồ sơ cấp phép năm " + str(year)},
        )
    # Person 2: three CSTĐCS in a row and a ministry-wide initiative — in review for CSTĐ Bộ.
    for offset in range(5):
        _rating({"person": p2}, first + offset, "HTXS")
    for grant_year in (year - 2, year - 1, year):
        _grant({"person": p2}, grant_year, awards["CSTDCS"], ISSUER_UNIT, 30 + grant_year % 100)
    ministry_initiative = _initiative(
        {"person": p2},
        "Số hóa thủ tục cấp chứng nhận xuất xứ hàng hóa",
        Initiative.Scope.MINISTRY,
        datetime.date(year - 1, 6, 15),
    )
    # Person 3: rated HTT, with an unused initiative that would make them CSTĐCS.
    for offset, rating in enumerate(["HT", "HTT", "HTT", "HTT", "HTT"]):
        _rating({"person": p3}, first + offset, rating)
    _initiative(
        {"person": p3},
        "Mẫu báo cáo thống kê xuất nhập khẩu tự động",
        Initiative.Scope.BASE,
        datetime.date(year, 9, 1),
    )

    # A draft that fails a rule until the officer relies on the initiative.
    if _nomination({"person": p3}, awards["CSTDCS"], year) is None:
        nomination_draft(
            proposing_unit=unit, award_type=awards["CSTDCS"], year=year, person=p3, actor=officer
        )
    # A nomination in the board's review.
    if _nomination({"person": p2}, awards["CSTD_BO"], year) is None:
        nomination = nomination_draft(
            proposing_unit=unit, award_type=awards["CSTD_BO"], year=year, person=p2, actor=officer
        )
        nomination = nomination_attach_initiative(
            nomination=nomination, initiative=ministry_initiative, actor=officer
        )
        _attach(nomination, "cover_letter", "to-trinh.pdf", officer)
        _attach(nomination, "minutes", "bien-ban.pdf", officer)
        _attach(nomination, "initiative_proof", "sang-kien.pdf", officer)
        nomination = _accepted(nomination, head, secretary)
        # Published for comment before the council (NĐ 152/2025 Art 44.2): its window is
        # open on /public/ while the board reviews it; the agenda waits for its end.
        _published_since(
            nomination,
            timezone.localdate() - datetime.timedelta(days=4),
            [
                (
                    "Nguyễn Văn An",
                    "Đồng chí có nhiều đóng góp trong số hóa thủ tục chứng nhận xuất xứ.",
                    PublicComment.Status.APPROVED,
                ),
                ("Người dân", "Đề nghị làm rõ thời gian áp dụng sáng kiến.", "pending"),
            ],
            secretary,
        )
    # Published and its window over: ready for a meeting's agenda.
    if _nomination({"person": p1}, awards["BK_BO"], year) is None:
        nomination = nomination_draft(
            proposing_unit=unit, award_type=awards["BK_BO"], year=year, person=p1, actor=officer
        )
        nomination = _accepted(
            nomination,
            head,
            secretary,
            justification="Hai năm liền Chiến sĩ thi đua cơ sở, hoàn thành xuất sắc nhiệm vụ.",
        )
        _published_since(
            nomination,
            timezone.localdate() - datetime.timedelta(days=30),
            [
                (
                    "Trần Thị Bình",
                    "Đồng chí gương mẫu, được đồng nghiệp tín nhiệm.",
                    PublicComment.Status.APPROVED,
                ),
            ],
            secretary,
        )
    # The unit itself, submitted and waiting for the secretary.
    if _nomination(collective, awards["TTLDXS"], year) is None:
        nomination = nomination_draft(
            proposing_unit=unit, award_type=awards["TTLDXS"], year=year, unit=unit, actor=officer
        )
        nomination_submit(
            nomination=nomination,
            actor=head,
            justification="Đơn vị dẫn đầu khối; các thành viên chưa được xếp loại đầy đủ.",
        )

    demo_meetings(year=year, awards=awards, secretary=secretary)


_USERNAMES = ("canbo", "truongdonvi", "thuky")

# The counting board's passphrases of the demo's open ballot (README, "The demo"): the chair
# (hoidong1) and the secretary (thuky) type them to count it.
DEMO_CHAIR_PASSPHRASE = "hoa sen nở giữa hồ thu"
DEMO_SECRETARY_PASSPHRASE = "trống đồng Ngọc Lũ xưa"
PASSPHRASES = {
    "chair_passphrase": DEMO_CHAIR_PASSPHRASE,
    "secretary_passphrase": DEMO_SECRETARY_PASSPHRASE,
}
# One meeting of the Ministry's council in each state, by title (what makes them found again).
MEETING_TITLES = {
    "closed": "Phiên họp xét Bằng khen của Bộ trưởng (đợt 1)",
    "ballot_open": "Phiên họp xét Bằng khen của Bộ trưởng (đợt 2)",
    "scheduled": "Phiên họp xét Bằng khen của Bộ trưởng (đợt 3)",
    "cancelled": "Phiên họp bổ sung (đã hủy)",
}
DEMO_DECISION = "250/QĐ-BCT"


def _reviewed_nominee(unit: Unit, award: AwardType, year: int, secretary: User, head: User | None):
    """A nomination of the unit's first person for `award`, accepted by the secretary with its
    publicity long over (in review, ready for an agenda); None if the person is missing or
    already nominated."""
    person = Person.objects.filter(code=f"{unit.code}-01").first()
    if person is None or _nomination({"person": person}, award, year) is not None:
        return None
    nomination = nomination_draft(
        proposing_unit=unit, award_type=award, year=year, person=person, actor=head
    )
    nomination = _accepted(
        nomination, head, secretary, justification="Hoàn thành xuất sắc nhiệm vụ nhiều năm liền."
    )
    if Publication.objects.filter(nomination=nomination).exists():
        _published_since(
            nomination, timezone.localdate() - datetime.timedelta(days=75), [], secretary
        )
    nomination.refresh_from_db()
    return nomination


def demo_meetings(*, year: int, awards: dict, secretary: User) -> None:
    """The Ministry's council in every state of a meeting: one closed whose approval is decided
    (250/QĐ-BCT), one whose secret ballot is open (hoidong2 has voted, hoidong1 not yet), one
    scheduled with its agenda, one cancelled. The nominees are the first person of three units
    of the sector (not Cục Xuất nhập khẩu's, which keep their own steps). Found again by title:
    a second run adds nothing."""
    from awards.models import Meeting
    from awards.services.council import (
        ballot_cast,
        meeting_agenda_add,
        meeting_attendance_record,
        meeting_ballot_close,
        meeting_ballot_open,
        meeting_cancel,
        meeting_schedule,
    )
    from awards.services.decisions import decision_record

    if Meeting.objects.filter(title__in=MEETING_TITLES.values()).exists():
        return
    members = {
        user.username: user for user in User.objects.filter(username__in=["hoidong1", "hoidong2"])
    }
    if len(members) != 2:
        return
    units = list(
        Unit.objects.exclude(kind=Unit.Kind.MINISTRY)
        .exclude(code=DEMO_UNIT)
        .filter(closed_on__isnull=True, people__code__endswith="-01")
        .order_by("code")[:3]
    )
    award = awards["BK_BO"]
    nominees = [_reviewed_nominee(unit, award, year, secretary, None) for unit in units]
    if len(nominees) != 3 or None in nominees:
        return
    today = timezone.localdate()
    present = [members["hoidong1"], members["hoidong2"], secretary]

    def held(status: str, day: datetime.date, nomination: Nomination | None):
        meeting = meeting_schedule(
            held_on=day, title=MEETING_TITLES[status], location="Phòng họp tầng 3", actor=secretary
        )
        if nomination is not None:
            meeting_agenda_add(meeting=meeting, nominations=[nomination], actor=secretary)
        return meeting

    # Closed, its approval decided.
    meeting = held("closed", today - datetime.timedelta(days=14), nominees[0])
    meeting_attendance_record(meeting=meeting, present=present, actor=secretary)
    meeting = meeting_ballot_open(meeting=meeting, actor=secretary, **PASSPHRASES)
    for voter in (members["hoidong1"], members["hoidong2"], secretary):
        ballot_cast(meeting=meeting, member=voter, choices={nominees[0]: True}, actor=voter)
    meeting_ballot_close(meeting=meeting, actor=secretary, **PASSPHRASES)
    decision_record(
        kind="decision",
        number=DEMO_DECISION,
        signed_on=today - datetime.timedelta(days=7),
        signer="Nguyễn Hồng Diên",
        signer_title="Bộ trưởng",
        issuer=ISSUER_MINISTER,
        nominations=[Nomination.objects.get(pk=nominees[0].pk)],
        actor=secretary,
    )
    # Its ballot open today: one member has voted.
    meeting = held("ballot_open", today, nominees[1])
    meeting_attendance_record(meeting=meeting, present=present, actor=secretary)
    meeting = meeting_ballot_open(meeting=meeting, actor=secretary, **PASSPHRASES)
    voter = members["hoidong2"]
    ballot_cast(meeting=meeting, member=voter, choices={nominees[1]: True}, actor=voter)
    # Scheduled, its agenda set; and one cancelled.
    held("scheduled", today + datetime.timedelta(days=10), nominees[2])
    meeting_cancel(
        meeting=held("cancelled", today + datetime.timedelta(days=3), None), actor=secretary
    )

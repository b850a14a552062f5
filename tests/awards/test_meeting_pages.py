"""The pages of the council, meetings, publicity and decisions: who may do what (every URL,
every role, anonymous included), what each sees, and constant query counts."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import reverse

from awards.models import (
    BallotKey,
    BallotReceipt,
    CouncilMember,
    Meeting,
    Nomination,
    Publication,
    PublicComment,
    SealedVote,
)
from awards.services.council import (
    ballot_cast,
    meeting_agenda_add,
    meeting_attendance_record,
    meeting_schedule,
)
from awards.services.decisions import decision_record
from tests.awards.conftest import PASSPHRASES, approve_all, open_publication_now, run_meeting
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "officer", "head", "outsider", "board", "secretary", "admin"]
LOGIN = "login"


def _status(response) -> int | str:
    if response.status_code == 302 and response["Location"].startswith(reverse("login")):
        return LOGIN
    return response.status_code


@pytest.fixture
def world(cast, council, members, in_review, today):
    """One of everything, built with the services:
    - `scheduled`: a meeting with one nomination on its agenda and attendance recorded (the
      board member present, members[4] absent), another nomination waiting in review;
    - `open`: a meeting whose ballot is open (same attendance);
    - `closed`: a closed meeting; its CSTĐ Bộ nominee published today with a comment, its
      CSTĐCS nominee decided by `decision`;
    - `ready`: an approved nomination no decision settles yet."""
    secretary = cast["secretary"]
    present = [0, 1, 2, 3]
    published = in_review("Người công khai", award="CSTD_BO")
    decided = in_review("Người được khen")
    ready = in_review("Người chờ quyết định")
    closed = approve_all(cast, members, [published, decided, ready])
    publication = open_publication_now(published)
    comment = PublicComment.objects.create(
        publication=publication, name="Dân", contact="0912345678", text="Ý kiến của người dân."
    )
    decision = decision_record(
        kind="decision",
        number="77/QĐ-BCT",
        signed_on=today,
        signer="Nguyễn Hồng Diên",
        signer_title="Bộ trưởng",
        issuer="Bộ trưởng Bộ Công Thương",
        nominations=[Nomination.objects.get(pk=decided.pk)],
        actor=secretary,
    )
    open_meeting = run_meeting(cast, members, [in_review("Đang bỏ phiếu")], {}, present=present)
    on_agenda = in_review("Trong chương trình")
    scheduled = meeting_schedule(held_on=today, title="", location="", actor=secretary)
    meeting_agenda_add(meeting=scheduled, nominations=[on_agenda], actor=secretary)
    meeting_attendance_record(
        meeting=scheduled, present=[members[i] for i in present], actor=secretary
    )
    return {
        "council": council,
        "seat": council.members.get(user=members[1]),
        "members": members,
        "scheduled": scheduled,
        "on_agenda": on_agenda,
        "waiting": in_review("Chờ họp"),
        "open": open_meeting,
        "closed": closed,
        "publication": publication,
        "comment": comment,
        "decision": decision,
        "ready": Nomination.objects.get(pk=ready.pk),
        "decided": Nomination.objects.get(pk=decided.pk),
    }


def _ballot(world):
    tally = world["open"].tallies.get()
    return {f"nomination_{tally.nomination_id}": "approve"}


def _written_ballot(world):
    return {"member": world["members"][4].pk, **_ballot(world)}


def _seat_data(world):
    return {
        "user": UserFactory(username="ung-vien").pk,
        "role": "member",
        "position": "Vụ trưởng",
        "term_start": "2025-01-01",
        "term_end": "",
    }


def _decision_data(world):
    return {
        "kind": "decision",
        "number": "78/QĐ-BCT",
        "signed_on": "2025-05-10",
        "signer": "Nguyễn Hồng Diên",
        "signer_title": "Bộ trưởng",
        "issuer": "Bộ trưởng Bộ Công Thương",
        "nominations": [world["ready"].pk],
    }


def _open_data(world):
    return {
        **PASSPHRASES,
        "chair_passphrase_again": PASSPHRASES["chair_passphrase"],
        "secretary_passphrase_again": PASSPHRASES["secretary_passphrase"],
    }


def _comment_data(world):
    return {"name": "Người dân", "contact": "dan@example.vn", "text": "Tôi đồng ý với đề nghị."}


READ_BOARD = (LOGIN, 403, 403, 403, 200, 200, 200)
READ_BOARD_OBJECT = (LOGIN, 404, 404, 404, 200, 200, 200)
SECRETARY_PAGE = (LOGIN, 403, 403, 403, 403, 200, 403)
SECRETARY_POST = (LOGIN, 403, 403, 403, 403, 302, 403)
SECRETARY_STEP = (LOGIN, 404, 404, 404, 403, 302, 403)
SECRETARY_OBJECT_PAGE = (LOGIN, 404, 404, 404, 403, 200, 403)
EVERYONE = (200, 200, 200, 200, 200, 200, 200)

# (name, method, url builder, data builder, expected codes for ROLES in order)
CASES = [
    # The council
    ("councils", "get", lambda w: reverse("awards:councils"), None, READ_BOARD),
    ("council", "get", lambda w: reverse("awards:council", args=[w["council"].pk]), None,
     READ_BOARD_OBJECT),
    ("council-new", "get", lambda w: reverse("awards:council_create"), None, SECRETARY_PAGE),
    ("council-new-post", "post", lambda w: reverse("awards:council_create"),
     lambda w: {"name": "Hội đồng mới", "established_by": "", "term_start": "2029-01-01",
                "term_end": "2033-12-31"}, SECRETARY_POST),
    ("council-edit", "get", lambda w: reverse("awards:council_edit", args=[w["council"].pk]),
     None, SECRETARY_OBJECT_PAGE),
    ("seat-new", "get", lambda w: reverse("awards:seat_create", args=[w["council"].pk]), None,
     SECRETARY_OBJECT_PAGE),
    ("seat-new-post", "post", lambda w: reverse("awards:seat_create", args=[w["council"].pk]),
     _seat_data, SECRETARY_STEP),
    ("seat-edit", "get", lambda w: reverse("awards:seat_edit", args=[w["seat"].pk]), None,
     SECRETARY_OBJECT_PAGE),
    # Meetings
    ("meetings", "get", lambda w: reverse("awards:meetings"), None, READ_BOARD),
    ("meeting-new", "get", lambda w: reverse("awards:meeting_create"), None, SECRETARY_PAGE),
    ("meeting-new-post", "post", lambda w: reverse("awards:meeting_create"),
     lambda w: {"held_on": "2025-05-20", "title": "", "location": "Hà Nội"}, SECRETARY_POST),
    ("meeting-scheduled", "get", lambda w: reverse("awards:meeting", args=[w["scheduled"].pk]),
     None, READ_BOARD_OBJECT),
    ("meeting-open", "get", lambda w: reverse("awards:meeting", args=[w["open"].pk]), None,
     READ_BOARD_OBJECT),
    ("meeting-closed", "get", lambda w: reverse("awards:meeting", args=[w["closed"].pk]), None,
     READ_BOARD_OBJECT),
    ("meeting-edit", "get", lambda w: reverse("awards:meeting_edit", args=[w["scheduled"].pk]),
     None, SECRETARY_OBJECT_PAGE),
    ("agenda-add", "post", lambda w: reverse("awards:agenda_add", args=[w["scheduled"].pk]),
     lambda w: {"nominations": [w["waiting"].pk]}, SECRETARY_STEP),
    ("agenda-remove", "post",
     lambda w: reverse("awards:agenda_remove", args=[w["scheduled"].pk, w["on_agenda"].pk]),
     lambda w: {}, SECRETARY_STEP),
    ("attendance", "post", lambda w: reverse("awards:attendance", args=[w["scheduled"].pk]),
     lambda w: {"present": [m.pk for m in w["members"]]}, SECRETARY_STEP),
    ("ballot-open", "post", lambda w: reverse("awards:ballot_open", args=[w["scheduled"].pk]),
     _open_data, SECRETARY_STEP),
    ("meeting-cancel", "post",
     lambda w: reverse("awards:meeting_cancel", args=[w["scheduled"].pk]), lambda w: {},
     SECRETARY_STEP),
    ("ballot-close", "post", lambda w: reverse("awards:ballot_close", args=[w["open"].pk]),
     lambda w: PASSPHRASES, SECRETARY_STEP),
    ("ballot-void", "post", lambda w: reverse("awards:ballot_void", args=[w["open"].pk]),
     lambda w: {}, SECRETARY_STEP),
    ("ballot", "get", lambda w: reverse("awards:ballot", args=[w["open"].pk]), None,
     (LOGIN, 404, 404, 404, 200, 403, 403)),
    ("ballot-post", "post", lambda w: reverse("awards:ballot", args=[w["open"].pk]), _ballot,
     (LOGIN, 404, 404, 404, 302, 403, 403)),
    ("written-ballot", "get", lambda w: reverse("awards:written_ballot", args=[w["open"].pk]),
     None, SECRETARY_OBJECT_PAGE),
    ("written-ballot-post", "post",
     lambda w: reverse("awards:written_ballot", args=[w["open"].pk]), _written_ballot,
     SECRETARY_STEP),
    ("minutes", "get", lambda w: reverse("awards:minutes", args=[w["closed"].pk]), None,
     READ_BOARD_OBJECT),
    ("cover-letter", "get", lambda w: reverse("awards:cover_letter", args=[w["scheduled"].pk]),
     None, READ_BOARD_OBJECT),
    # Publicity
    ("publicity", "get", lambda w: reverse("awards:publicity"), None,
     (LOGIN, 403, 403, 403, 403, 200, 200)),
    ("moderate", "post", lambda w: reverse("awards:moderate", args=[w["comment"].pk]),
     lambda w: {"status": "approved"}, (LOGIN, 404, 404, 404, 404, 302, 403)),
    ("public-list", "get", lambda w: reverse("public:list"), None, EVERYONE),
    ("public-detail", "get", lambda w: reverse("public:detail", args=[w["publication"].token]),
     None, EVERYONE),
    ("public-comment", "post",
     lambda w: reverse("public:detail", args=[w["publication"].token]), _comment_data,
     (302,) * 7),
    # Decisions
    ("decisions", "get", lambda w: reverse("awards:decisions"), None, READ_BOARD),
    ("decision-new", "get", lambda w: reverse("awards:decision_create"), None, SECRETARY_PAGE),
    ("decision-new-post", "post", lambda w: reverse("awards:decision_create"), _decision_data,
     SECRETARY_POST),
    ("decision", "get", lambda w: reverse("awards:decision", args=[w["decision"].pk]), None,
     READ_BOARD_OBJECT),
    ("decision-revoke", "post",
     lambda w: reverse("awards:decision_revoke", args=[w["decision"].pk]),
     lambda w: {"reason": "Sai sót"}, SECRETARY_STEP),
    ("decision-docx", "get",
     lambda w: reverse("awards:decision_document", args=[w["decision"].pk]), None,
     READ_BOARD_OBJECT),
    ("decision-xlsx", "get",
     lambda w: reverse("awards:decision_awardees", args=[w["decision"].pk]), None,
     READ_BOARD_OBJECT),
    # The nomination's achievement report: whoever reads the nomination.
    ("report-docx", "get", lambda w: reverse("awards:report", args=[w["decided"].pk]), None,
     (LOGIN, 200, 200, 404, 200, 200, 200)),
]  # fmt: skip


@pytest.mark.parametrize(
    ("method", "url", "data", "expected"),
    [pytest.param(*case[1:], id=case[0]) for case in CASES],
)
def test_every_url_answers_every_role_as_the_permission_table_says(
    cast, world, method, url, data, expected
):
    """Each role in turn from the same state: what one role's request changes is rolled back
    before the next (the world is costly to build, once per URL is enough)."""
    answers = {}
    for role in ROLES:
        savepoint = transaction.savepoint_create()
        cache.clear()  # the public comment throttle counts per address
        client = Client()
        if role != "anonymous":
            client.force_login(cast[role])
        target = url(world)
        response = client.get(target) if method == "get" else client.post(target, data(world))
        answers[role] = _status(response)
        transaction.savepoint_rollback(savepoint)
    assert answers == dict(zip(ROLES, expected, strict=True))


@pytest.mark.parametrize(
    "name",
    ["ballot-open", "ballot-close", "ballot-void", "agenda-remove", "decision-revoke", "moderate"],
)
def test_workflow_urls_refuse_get(client, cast, world, name):
    client.force_login(cast["secretary"])
    case = next(case for case in CASES if case[0] == name)
    assert client.get(case[2](world)).status_code == 405


def test_a_meeting_that_does_not_exist_answers_404(client, cast, world):
    client.force_login(cast["secretary"])
    assert client.get(reverse("awards:meeting", args=[999999])).status_code == 404
    assert client.get(reverse("awards:decision", args=[999999])).status_code == 404
    assert client.get(reverse("awards:council", args=[999999])).status_code == 404


# --- What each sees ----------------------------------------------------------------------------


def test_the_counts_stay_sealed_while_the_ballot_is_open(client, cast, world):
    members = world["members"]
    nomination = world["open"].tallies.get().nomination
    for member in members[:3]:
        ballot_cast(meeting=world["open"], member=member, choices={nomination: True}, actor=member)
    client.force_login(cast["secretary"])
    page = client.get(reverse("awards:meeting", args=[world["open"].pk])).content.decode()
    assert "Đã bỏ 3/5 phiếu" in page
    assert "results" not in page and "Tán thành" not in page
    nomination_page = client.get(reverse("awards:detail", args=[nomination.pk])).content.decode()
    assert "thành viên tán thành" not in nomination_page
    # The polling partial says who voted, never how.
    fragment = client.get(
        reverse("awards:meeting", args=[world["open"].pk]),
        headers={"HX-Request": "true", "HX-Target": "ballot-progress"},
    ).content.decode()
    assert "<html" not in fragment and 'id="ballot-progress"' in fragment
    assert fragment.count('<li class="done">') == 3


def test_the_results_show_once_the_ballot_is_closed(client, cast, world):
    client.force_login(cast["board"])
    page = client.get(reverse("awards:meeting", args=[world["closed"].pk])).content.decode()
    assert "5 / 5" in page and "Đạt" in page and "từ 90% tổng số thành viên trở lên" in page
    nomination = world["ready"]
    page = client.get(reverse("awards:detail", args=[nomination.pk])).content.decode()
    assert "5/5 thành viên tán thành" in page


def test_a_member_casts_a_ballot_from_the_page_and_only_once(client, cast, world):
    client.force_login(cast["board"])
    url = reverse("awards:ballot", args=[world["open"].pk])
    incomplete = client.post(url, {})
    assert (
        incomplete.status_code == 422
        and not BallotReceipt.objects.filter(meeting=world["open"]).exists()
    )
    assert client.post(url, _ballot(world)).status_code == 302
    again = client.get(url)
    assert again.status_code == 302  # back to the meeting: "you have voted"
    assert client.post(url, _ballot(world)).status_code == 302
    assert BallotReceipt.objects.filter(meeting=world["open"]).count() == 1
    assert SealedVote.objects.filter(tally__meeting=world["open"]).count() == 1


def test_the_secretary_enters_a_written_ballot_member_first(client, cast, world):
    client.force_login(cast["secretary"])
    url = reverse("awards:written_ballot", args=[world["open"].pk])
    chooser = client.get(url).content.decode()
    assert world["members"][4].get_full_name() in chooser
    assert world["members"][1].get_full_name() not in chooser  # present: votes themselves
    form = client.get(url, {"member": world["members"][4].pk}).content.decode()
    assert "Đang bỏ phiếu" in form
    assert client.post(url, _written_ballot(world)).status_code == 302
    receipt = BallotReceipt.objects.get(meeting=world["open"])
    assert receipt.in_writing and receipt.recorded_by == cast["secretary"]


def test_the_counting_board_opens_the_ballot_from_the_page(client, cast, world):
    client.force_login(cast["secretary"])
    meeting = world["scheduled"]
    url = reverse("awards:meeting", args=[meeting.pk])
    page = client.get(url).content.decode()
    assert 'id="ballot-open"' in page and 'type="password"' in page
    assert "Mật khẩu kiểm phiếu của Chủ tịch" in page and "không ai khôi phục được" in page
    # A repeat that differs, or a passphrase too short: the page again, nothing opened, and
    # no passphrase sent back in it.
    mistyped = {**_open_data(world), "chair_passphrase_again": "hoa sen nở giữa hồ?"}
    refused = client.post(reverse("awards:ballot_open", args=[meeting.pk]), mistyped)
    body = refused.content.decode()
    assert refused.status_code == 422 and "Hai lần nhập không khớp nhau" in body
    short = {key: "ngắn" if "chair" in key else value for key, value in _open_data(world).items()}
    refused = client.post(reverse("awards:ballot_open", args=[meeting.pk]), short)
    body += refused.content.decode()
    assert refused.status_code == 422 and "ít nhất 12 ký tự" in refused.content.decode()
    assert all(value not in body for value in PASSPHRASES.values())
    meeting.refresh_from_db()
    assert meeting.status == "scheduled" and not BallotKey.objects.filter(meeting=meeting).exists()
    opened = client.post(reverse("awards:ballot_open", args=[meeting.pk]), _open_data(world))
    assert opened.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == "ballot_open" and BallotKey.objects.filter(meeting=meeting).exists()


def test_a_wrong_passphrase_at_closing_is_refused_on_the_page(client, cast, world):
    client.force_login(cast["secretary"])
    meeting = world["open"]
    page = client.get(reverse("awards:meeting", args=[meeting.pk])).content.decode()
    # The close form sits outside the progress partial that htmx replaces every 15 seconds.
    progress = page.split('id="ballot-progress"')[1].split("</section>")[0]
    assert 'id="ballot-close"' in page and "password" not in progress
    wrong = {**PASSPHRASES, "secretary_passphrase": "không phải mật khẩu"}
    refused = client.post(reverse("awards:ballot_close", args=[meeting.pk]), wrong)
    body = refused.content.decode()
    assert refused.status_code == 422 and "một trong hai mật khẩu sai" in body
    assert "Chưa có gì bị thay đổi" in body and PASSPHRASES["chair_passphrase"] not in body
    meeting.refresh_from_db()
    assert meeting.status == "ballot_open"
    closed = client.post(reverse("awards:ballot_close", args=[meeting.pk]), PASSPHRASES)
    assert closed.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == "closed" and not BallotKey.objects.filter(meeting=meeting).exists()


def test_the_secretary_voids_a_ballot_that_cannot_be_counted(client, cast, world):
    members = world["members"]
    nomination = world["open"].tallies.get().nomination
    ballot_cast(
        meeting=world["open"], member=members[0], choices={nomination: True}, actor=members[0]
    )
    client.force_login(cast["secretary"])
    page = client.get(reverse("awards:meeting", args=[world["open"].pk])).content.decode()
    assert "Hủy cuộc bỏ phiếu" in page
    response = client.post(reverse("awards:ballot_void", args=[world["open"].pk]))
    assert response.status_code == 302
    meeting = Meeting.objects.get(pk=world["open"].pk)
    assert meeting.status == "scheduled" and not meeting.receipts.exists()
    page = client.get(reverse("awards:meeting", args=[meeting.pk])).content.decode()
    assert 'id="ballot-open"' in page and "Đã hủy cuộc bỏ phiếu" in page


def test_a_ballot_counted_the_old_way_says_so_and_closes_without_passphrases(client, cast, world):
    meeting = world["open"]
    Meeting.objects.filter(pk=meeting.pk).update(plain_counts=True)
    BallotKey.objects.filter(meeting=meeting).delete()
    client.force_login(cast["secretary"])
    page = client.get(reverse("awards:meeting", args=[meeting.pk])).content.decode()
    assert "trước khi phiếu được mã hóa" in page and 'type="password"' not in page
    assert client.post(reverse("awards:ballot_close", args=[meeting.pk])).status_code == 302
    assert Meeting.objects.get(pk=meeting.pk).status == "closed"


def test_the_secretary_keeps_the_council_from_its_pages(client, cast, world, today):
    client.force_login(cast["secretary"])
    url = reverse("awards:seat_create", args=[world["council"].pk])
    data = {
        "user": cast["head"].pk,
        "role": "chair",
        "position": "",
        "term_start": "2025-01-01",
        "term_end": "",
    }
    refused = client.post(url, data)
    assert refused.status_code == 422 and "đã có Chủ tịch" in refused.content.decode()
    assert client.post(url, {**data, "role": "member"}).status_code == 302
    assert CouncilMember.objects.filter(user=cast["head"], role="member").exists()
    page = client.get(reverse("awards:council", args=[world["council"].pk])).content.decode()
    assert cast["head"].get_full_name() in page and "Chủ tịch Hội đồng" in page
    overlapping = client.post(
        reverse("awards:council_create"),
        {"name": "Trùng", "established_by": "", "term_start": "2026-01-01", "term_end": ""},
    )
    assert overlapping.status_code == 422


def test_navigation_leads_the_secretary_and_members_to_the_council_pages(client, cast, world):
    client.force_login(cast["secretary"])
    home = client.get("/").content.decode()
    for name in ["awards:meetings", "awards:publicity", "awards:decisions", "awards:councils"]:
        assert f'href="{reverse(name)}"' in home, name
    client.force_login(cast["board"])
    page = client.get(reverse("awards:meetings")).content.decode()
    assert reverse("awards:ballot", args=[world["open"].pk]) in page
    assert f'href="{reverse("public:list")}"' in page


# --- Query counts ---------------------------------------------------------------------------------


def _more_meetings(cast, members, in_review, count: int) -> None:
    for index in range(count):
        approve_all(cast, members, [in_review(f"Thêm {index}-{n}") for n in range(2)])


def _measure(client, url, budget, django_assert_max_num_queries, grow):
    client.get(url)
    with django_assert_max_num_queries(budget) as small:
        assert client.get(url).status_code == 200
    grow()
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("role", ["secretary", "board"])
def test_the_meeting_list_runs_a_constant_number_of_queries(
    client, cast, world, in_review, role, django_assert_max_num_queries
):
    client.force_login(cast[role])
    _measure(
        client,
        reverse("awards:meetings"),
        12,
        django_assert_max_num_queries,
        lambda: _more_meetings(cast, world["members"], in_review, 4),
    )


def test_a_closed_meeting_page_runs_a_constant_number_of_queries(
    client, cast, council, members, in_review, today, django_assert_max_num_queries
):
    meeting = approve_all(cast, members, [in_review("Một")])
    client.force_login(cast["secretary"])
    url = reverse("awards:meeting", args=[meeting.pk])
    client.get(url)
    with django_assert_max_num_queries(16) as small:
        assert client.get(url).status_code == 200
    extra = [UserFactory() for _ in range(6)]
    for user in extra:
        CouncilMember.objects.create(
            council=council, user=user, role="member", term_start=datetime.date(2024, 1, 1)
        )
    bigger = approve_all(cast, [*members, *extra], [in_review(f"Hồ sơ {n}") for n in range(6)])
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(reverse("awards:meeting", args=[bigger.pk])).status_code == 200


def test_a_scheduled_meeting_page_runs_a_constant_number_of_queries(
    client, cast, world, in_review, django_assert_max_num_queries
):
    client.force_login(cast["secretary"])
    meeting = world["scheduled"]

    def grow():
        meeting_agenda_add(
            meeting=meeting,
            nominations=[in_review(f"Thêm {n}") for n in range(4)],
            actor=cast["secretary"],
        )
        for n in range(4):
            in_review(f"Chờ {n}")

    _measure(
        client,
        reverse("awards:meeting", args=[meeting.pk]),
        18,
        django_assert_max_num_queries,
        grow,
    )


def test_the_council_page_runs_a_constant_number_of_queries(
    client, cast, world, django_assert_max_num_queries
):
    client.force_login(cast["board"])

    def grow():
        for user in UserFactory.create_batch(8):
            CouncilMember.objects.create(
                council=world["council"],
                user=user,
                role="member",
                term_start=datetime.date(2024, 1, 1),
            )

    _measure(
        client,
        reverse("awards:council", args=[world["council"].pk]),
        10,
        django_assert_max_num_queries,
        grow,
    )


def test_decision_pages_run_a_constant_number_of_queries(
    client, cast, world, members, in_review, today, django_assert_max_num_queries
):
    client.force_login(cast["secretary"])
    decision = world["decision"]

    def grow():
        nominations = [in_review(f"Quyết định {n}") for n in range(5)]
        approve_all(cast, members, nominations)
        decision_record(
            kind="decision",
            number="90/QĐ-BCT",
            signed_on=today,
            signer="Nguyễn Hồng Diên",
            signer_title="",
            issuer="Bộ trưởng Bộ Công Thương",
            nominations=nominations[:3],
            actor=cast["secretary"],
        )
        # The decision shown grows too: a second set in the same decision is not possible,
        # so its page is measured on the bigger decision below.

    _measure(client, reverse("awards:decisions"), 12, django_assert_max_num_queries, grow)
    small_url = reverse("awards:decision", args=[decision.pk])
    client.get(small_url)
    with django_assert_max_num_queries(12) as small:
        client.get(small_url)
    from awards.models import Decision

    bigger = Decision.objects.get(number="90/QĐ-BCT")
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(reverse("awards:decision", args=[bigger.pk])).status_code == 200


def test_publicity_pages_run_a_constant_number_of_queries(
    client, cast, world, members, in_review, django_assert_max_num_queries
):
    publication = world["publication"]

    def grow():
        nominations = [in_review(f"Công khai {n}", award="CSTD_BO") for n in range(4)]
        approve_all(cast, members, nominations)
        for nomination in nominations:
            open_publication_now(nomination)
        for n in range(8):
            PublicComment.objects.create(
                publication=publication,
                name=f"Người {n}",
                contact="0912345678",
                text="Một ý kiến đủ dài.",
                status="approved",
            )

    client.force_login(cast["secretary"])
    _measure(client, reverse("awards:publicity"), 12, django_assert_max_num_queries, grow)
    client.logout()
    for url in [reverse("public:list"), reverse("public:detail", args=[publication.token])]:
        client.get(url)
        with django_assert_max_num_queries(6):
            assert client.get(url).status_code == 200
    assert Publication.objects.filter(status="open").count() == 5


def test_the_nomination_page_with_its_vote_and_comments_runs_a_constant_number_of_queries(
    client, cast, world, django_assert_max_num_queries
):
    nomination = world["publication"].nomination
    client.force_login(cast["secretary"])

    def grow():
        for n in range(10):
            PublicComment.objects.create(
                publication=world["publication"],
                name=f"Người {n}",
                contact="0912345678",
                text="Ý kiến thêm của người dân.",
            )

    _measure(
        client,
        reverse("awards:detail", args=[nomination.pk]),
        30,
        django_assert_max_num_queries,
        grow,
    )
    assert Meeting.objects.filter(status="closed").exists()


@pytest.mark.parametrize("role", ["admin", "secretary"])
def test_the_admin_reads_councils_meetings_publicity_and_decisions(client, cast, world, role):
    client.force_login(cast[role])
    for model in ["council", "meeting", "publication", "publiccomment", "decision"]:
        assert client.get(reverse(f"admin:awards_{model}_changelist")).status_code == 200, model
    page = client.get(reverse("admin:awards_meeting_change", args=[world["closed"].pk]))
    assert page.status_code == 200
    assert "votetally" not in page.content.decode().lower()  # no counts, no receipts here
    assert (
        client.get(reverse("admin:awards_council_change", args=[world["council"].pk])).status_code
        == 200
    )

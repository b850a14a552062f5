"""The pages: who may do what (every URL, every role), what each sees, and query counts."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from awards.models import Nomination, NominationAttachment, NominationStep, OpenMatter, Review
from awards.services.nominations import (
    attachment_add,
    nomination_attach_initiative,
    nomination_draft,
    nomination_screening_start,
    nomination_submit,
    review_declare_conflict,
    review_submit,
)
from tests.awards.conftest import YEAR, advance, complete_dossier, office_file, pdf
from tests.factories import (
    AwardGrantFactory,
    InitiativeFactory,
    PersonFactory,
    TaskRatingFactory,
    UserFactory,
)
from tests.helpers import client_as
from units.roles import BOARD_GROUP

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "officer", "head", "outsider", "board", "secretary", "admin"]
LOGIN = "login"


def _status(response) -> int | str:
    if response.status_code == 302 and response["Location"].startswith(reverse("login")):
        return LOGIN
    return response.status_code


# Each case: (name, method, state of the nomination, url builder, data builder, expected codes
# for ROLES in order). 302 is a step done (redirect to the nomination's page).
def _edit_data(nomination):
    return {
        "award_type": nomination.award_type.code,
        "year": nomination.year,
        "report_background": "Sơ lược",
        "report_achievements": "Thành tích",
        "report_awards": "",
        "justification": "",
        "version": nomination.version,
    }


CASES = [
    ("list", "get", None, lambda n: reverse("awards:list"), None,
     (LOGIN, 200, 200, 200, 200, 200, 200)),
    ("create", "get", None, lambda n: reverse("awards:create"), None,
     (LOGIN, 200, 200, 200, 403, 403, 403)),
    ("detail-draft", "get", "draft", lambda n: reverse("awards:detail", args=[n.pk]), None,
     (LOGIN, 200, 200, 404, 404, 200, 200)),
    ("detail-in-review", "get", "in_review", lambda n: reverse("awards:detail", args=[n.pk]),
     None, (LOGIN, 200, 200, 404, 200, 200, 200)),
    ("edit-draft", "get", "draft", lambda n: reverse("awards:edit", args=[n.pk]), None,
     (LOGIN, 200, 200, 404, 404, 403, 403)),
    ("edit-in-review", "get", "in_review", lambda n: reverse("awards:edit", args=[n.pk]), None,
     (LOGIN, 403, 403, 404, 403, 403, 403)),
    ("edit-draft-post", "post", "draft", lambda n: reverse("awards:edit", args=[n.pk]),
     _edit_data, (LOGIN, 302, 302, 404, 404, 403, 403)),
    ("download-draft", "get", "draft",
     lambda n: reverse("awards:attachment", args=[n.attachments.first().pk]), None,
     (LOGIN, 200, 200, 404, 404, 200, 200)),
    ("download-in-review", "get", "in_review",
     lambda n: reverse("awards:attachment", args=[n.attachments.first().pk]), None,
     (LOGIN, 200, 200, 404, 200, 200, 200)),
    ("person-record", "get", "draft", lambda n: reverse("awards:person", args=[n.person.code]),
     None, (LOGIN, 200, 200, 404, 200, 200, 200)),
    ("unit-record", "get", "draft",
     lambda n: reverse("awards:unit", args=[n.proposing_unit.code]), None,
     (LOGIN, 200, 200, 404, 200, 200, 200)),
    ("rely-on-initiative", "post", "draft",
     lambda n: reverse("awards:initiatives", args=[n.pk]),
     lambda n: {"initiative": InitiativeFactory(person=n.person).pk, "action": "attach"},
     (LOGIN, 302, 302, 404, 404, 403, 403)),
    ("upload", "post", "draft", lambda n: reverse("awards:attachment_upload", args=[n.pk]),
     lambda n: {"kind": "other", "file": pdf()}, (LOGIN, 302, 302, 404, 404, 403, 403)),
    ("remove-file", "post", "draft",
     lambda n: reverse("awards:attachment_delete", args=[n.attachments.first().pk]),
     lambda n: {}, (LOGIN, 302, 302, 404, 404, 403, 403)),
    ("submit", "post", "draft", lambda n: reverse("awards:submit", args=[n.pk]),
     lambda n: {"justification": ""}, (LOGIN, 403, 302, 404, 404, 403, 403)),
    ("withdraw", "post", "draft", lambda n: reverse("awards:withdraw", args=[n.pk]),
     lambda n: {"reason": ""}, (LOGIN, 403, 302, 404, 404, 403, 403)),
    ("start-screening", "post", "submitted",
     lambda n: reverse("awards:screening_start", args=[n.pk]), lambda n: {},
     (LOGIN, 403, 403, 404, 404, 302, 403)),
    ("accept", "post", "screening", lambda n: reverse("awards:accept", args=[n.pk]),
     lambda n: {}, (LOGIN, 403, 403, 404, 404, 302, 403)),
    ("return", "post", "screening", lambda n: reverse("awards:return", args=[n.pk]),
     lambda n: {"reason": "Thiếu tờ trình"}, (LOGIN, 403, 403, 404, 404, 302, 403)),
    ("review", "post", "in_review", lambda n: reverse("awards:review", args=[n.pk]),
     lambda n: {"recommendation": "support", "score": "8", "comment": "Xứng đáng"},
     (LOGIN, 403, 403, 404, 302, 403, 403)),
    ("conflict", "post", "in_review", lambda n: reverse("awards:conflict", args=[n.pk]),
     lambda n: {"conflict_reason": "Người thân"}, (LOGIN, 403, 403, 404, 302, 403, 403)),
]  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("method", "state", "url", "data", "expected"),
    [pytest.param(*case[1:], id=case[0]) for case in CASES],
)
def test_every_url_answers_every_role_as_the_permission_table_says(
    client, cast, nomination, method, state, url, data, expected, role
):
    if state is not None:
        complete_dossier(nomination, cast["officer"])
        if state != "draft":
            nomination = advance(nomination, state, cast)
    target = url(nomination)
    payload = data(nomination) if data else None
    client = client_as(client, cast, role)
    response = client.post(target, payload) if method == "post" else client.get(target)
    response.close()  # a download streams its file until closed
    assert _status(response) == expected[ROLES.index(role)], (role, target)


@pytest.mark.parametrize(
    "name",
    [
        "initiatives",
        "attachment_upload",
        "submit",
        "withdraw",
        "screening_start",
        "accept",
        "return",
        "review",
        "conflict",
    ],
)
def test_workflow_steps_refuse_get(client, cast, nomination, name):
    client.force_login(cast["head"])
    assert client.get(reverse(f"awards:{name}", args=[nomination.pk])).status_code == 405


def test_an_unknown_nomination_answers_404(client, cast):
    client.force_login(cast["secretary"])
    assert client.get(reverse("awards:detail", args=[999])).status_code == 404
    assert client.get(reverse("awards:attachment", args=[999])).status_code == 404
    assert client.get(reverse("awards:person", args=["khong-co"])).status_code == 404


def test_head_of_a_parent_unit_reads_the_sub_units_nominations(client, cast, sub_unit, catalogue):
    nominee = PersonFactory(unit=sub_unit)
    nomination = nomination_draft(
        proposing_unit=sub_unit,
        award_type=catalogue["LDTT"],
        year=YEAR,
        person=nominee,
        actor=None,
    )
    client.force_login(cast["head"])
    assert client.get(reverse("awards:detail", args=[nomination.pk])).status_code == 200
    assert client.get(reverse("awards:edit", args=[nomination.pk])).status_code == 403
    client.force_login(cast["officer"])
    assert client.get(reverse("awards:detail", args=[nomination.pk])).status_code == 404


# --- Drafting through the pages ----------------------------------------------------------


def test_officer_drafts_and_sees_why_the_nomination_fails(client, cast, unit, catalogue, person):
    TaskRatingFactory(person=person, year=YEAR, rating="HTT")
    client.force_login(cast["officer"])
    page = client.get(reverse("awards:create")).content.decode()
    assert person.full_name in page and unit.name in page
    response = client.post(
        reverse("awards:create"),
        {"unit": unit.code, "nominee": f"person-{person.pk}", "award_type": "CSTDCS", "year": YEAR},
    )
    nomination = Nomination.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{nomination.pk}/")
    page = client.get(response["Location"]).content.decode()
    assert "Không đạt 1 tiêu chí" in page
    assert "Xếp loại HTT năm 2025" in page


def test_the_create_form_refuses_a_duplicate_with_a_message(client, cast, nomination):
    client.force_login(cast["officer"])
    response = client.post(
        reverse("awards:create"),
        {
            "unit": nomination.proposing_unit.code,
            "nominee": f"person-{nomination.person_id}",
            "award_type": "CSTDCS",
            "year": YEAR,
        },
    )
    assert response.status_code == 200
    assert "Đã có một hồ sơ đề nghị" in response.content.decode()
    assert Nomination.objects.count() == 1


def test_a_unit_of_someone_else_cannot_be_chosen_to_draft(client, cast, other_unit):
    client.force_login(cast["officer"])
    assert client.get(reverse("awards:create"), {"unit": other_unit.code}).status_code == 404


def test_a_stale_edit_form_shows_the_conflict(client, cast, nomination):
    client.force_login(cast["officer"])
    url = reverse("awards:edit", args=[nomination.pk])
    stale = _edit_data(nomination)
    client.post(url, {**stale, "report_background": "Bản của cán bộ"})
    response = client.post(url, {**stale, "report_background": "Bản cũ"})
    assert response.status_code == 200
    assert "Người khác đã lưu hồ sơ này" in response.content.decode()
    nomination.refresh_from_db()
    assert nomination.report_background == "Bản của cán bộ"


def test_relying_on_an_initiative_by_htmx_returns_the_dossier_section(
    client, cast, person, unit, catalogue
):
    TaskRatingFactory(person=person, year=YEAR, rating="HTT")
    nomination = nomination_draft(
        proposing_unit=unit,
        award_type=catalogue["CSTDCS"],
        year=YEAR,
        person=person,
        actor=cast["officer"],
    )
    initiative = InitiativeFactory(
        person=person, title="Phần mềm thống kê", recognised_on=datetime.date(YEAR, 5, 5)
    )
    client.force_login(cast["officer"])
    page = client.get(reverse("awards:detail", args=[nomination.pk])).content.decode()
    assert "Phần mềm thống kê" in page and "Dựa vào sáng kiến này" in page
    response = client.post(
        reverse("awards:initiatives", args=[nomination.pk]),
        {"initiative": initiative.pk, "action": "attach"},
        headers={"HX-Request": "true"},
    )
    fragment = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in fragment and 'id="dossier"' in fragment
    assert "Đạt các tiêu chí" in fragment
    nomination.refresh_from_db()
    assert nomination.eligibility_outcome == "met"


def test_an_initiative_used_elsewhere_is_refused_in_the_page(client, cast, nomination, catalogue):
    other = nomination_draft(
        proposing_unit=nomination.proposing_unit,
        award_type=catalogue["BK_BO"],
        year=YEAR,
        person=nomination.person,
        actor=cast["officer"],
    )
    initiative = InitiativeFactory(person=nomination.person, title="Quy trình một cửa")
    nomination_attach_initiative(
        nomination=nomination, initiative=initiative, actor=cast["officer"]
    )
    client.force_login(cast["officer"])
    page = client.get(reverse("awards:detail", args=[other.pk])).content.decode()
    assert "Quy trình một cửa" not in page  # not offered where it cannot be used
    response = client.post(
        reverse("awards:initiatives", args=[other.pk]),
        {"initiative": initiative.pk, "action": "attach"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "đã làm căn cứ cho một hồ sơ khác" in response.content.decode()
    initiative.refresh_from_db()
    assert initiative.used_by == nomination


def test_someone_elses_initiative_is_refused_in_the_page(client, cast, nomination, draft_for):
    other = draft_for("Lê Văn Cường", award="LDTT")
    initiative = InitiativeFactory(person=nomination.person)
    client.force_login(cast["officer"])
    response = client.post(
        reverse("awards:initiatives", args=[other.pk]),
        {"initiative": initiative.pk, "action": "attach"},
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "không phải của đối tượng được đề nghị" in page
    initiative.refresh_from_db()
    assert initiative.used_by is None


def test_submitting_a_failing_nomination_without_justification_is_refused(
    client, cast, person, unit, catalogue
):
    TaskRatingFactory(person=person, year=YEAR, rating="HTT")
    nomination = nomination_draft(
        proposing_unit=unit,
        award_type=catalogue["CSTDCS"],
        year=YEAR,
        person=person,
        actor=cast["officer"],
    )
    client.force_login(cast["head"])
    url = reverse("awards:submit", args=[nomination.pk])
    response = client.post(url, {"justification": ""})
    assert response.status_code == 400
    assert "viết giải trình" in response.content.decode()
    response = client.post(url, {"justification": "Có thành tích đột xuất trong năm."})
    assert response.status_code == 302
    nomination.refresh_from_db()
    assert nomination.status == "submitted"
    client.force_login(cast["secretary"])
    page = client.get(reverse("awards:detail", args=[nomination.pk])).content.decode()
    assert "Có thành tích đột xuất trong năm." in page


def test_a_double_submit_shows_a_message_and_applies_once(client, cast, nomination):
    client.force_login(cast["head"])
    url = reverse("awards:submit", args=[nomination.pk])
    client.post(url, {"justification": ""})
    response = client.post(url, {"justification": ""})
    assert response.status_code == 403  # no longer submittable
    assert nomination.steps.filter(to_status="submitted").count() == 1


def test_returned_nomination_shows_the_reason_to_the_unit(client, cast, nomination):
    nomination = advance(nomination, "screening", cast)
    client.force_login(cast["secretary"])
    client.post(reverse("awards:return", args=[nomination.pk]), {"reason": "Thiếu biên bản."})
    client.force_login(cast["officer"])
    page = client.get(reverse("awards:detail", args=[nomination.pk])).content.decode()
    assert "Trả lại đơn vị" in page and "Thiếu biên bản." in page


def test_screening_an_incomplete_dossier_says_what_is_missing(client, cast, nomination):
    nomination_submit(nomination=nomination, actor=cast["head"])
    nomination_screening_start(nomination=nomination, actor=cast["secretary"])
    client.force_login(cast["secretary"])
    response = client.post(reverse("awards:accept", args=[nomination.pk]), follow=True)
    page = response.content.decode()
    assert "Hồ sơ chưa đủ" in page and "Tờ trình" in page
    nomination.refresh_from_db()
    assert nomination.status == "screening"


# --- Files -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (lambda: pdf("gia.pdf").__class__("gia.pdf", b"MZ\x90\x00 not a pdf"), "không phải là tệp"),
        (lambda: pdf("anh.png"), "không phải là tệp"),
        (lambda: pdf("macro.exe"), "Chỉ chấp nhận"),
        (lambda: pdf("rong.pdf").__class__("rong.pdf", b""), "rỗng"),
        (lambda: office_file("bang.docx", "xl/workbook.xml"), "không phải là tệp"),
    ],
)
def test_uploads_are_checked_by_content(client, cast, nomination, upload, message):
    client.force_login(cast["officer"])
    response = client.post(
        reverse("awards:attachment_upload", args=[nomination.pk]),
        {"kind": "other", "file": upload()},
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not NominationAttachment.objects.exists()


def test_an_upload_over_the_size_limit_is_refused(client, cast, nomination, settings):
    settings.MAX_UPLOAD_SIZE = 1024
    client.force_login(cast["officer"])
    big = pdf("lon.pdf").__class__("lon.pdf", b"%PDF-1.4\n" + b"0" * 2048)
    response = client.post(
        reverse("awards:attachment_upload", args=[nomination.pk]), {"kind": "other", "file": big}
    )
    assert response.status_code == 400
    assert "giới hạn" in response.content.decode()
    assert not NominationAttachment.objects.exists()


def test_office_files_and_images_are_accepted_and_downloaded_as_attachments(
    client, cast, nomination, settings
):
    client.force_login(cast["officer"])
    for upload in (
        office_file("Tờ trình.docx", "word/document.xml"),
        office_file("bang.xlsx", "xl/workbook.xml"),
        pdf("scan.pdf"),
    ):
        response = client.post(
            reverse("awards:attachment_upload", args=[nomination.pk]),
            {"kind": "cover_letter", "file": upload},
        )
        assert response.status_code == 302
    attachment = NominationAttachment.objects.get(original_name="Tờ trình.docx")
    assert attachment.file.path.startswith(str(settings.MEDIA_ROOT))
    assert "Tờ trình" not in attachment.file.name  # stored under a random name
    response = client.get(reverse("awards:attachment", args=[attachment.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert "docx" in response["Content-Disposition"]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert b"".join(response.streaming_content).startswith(b"PK")
    response.close()


# --- Reviews -----------------------------------------------------------------------------


def test_members_see_the_others_reviews_only_after_their_own(client, cast, nomination):
    nomination = advance(nomination, "in_review", cast)
    colleague = UserFactory(username="colleague", full_name="Thành viên Khác", groups=[BOARD_GROUP])
    review_submit(
        nomination=nomination,
        actor=colleague,
        recommendation="oppose",
        score=3,
        comment="Nhận xét bí mật của đồng nghiệp",
    )
    client.force_login(cast["board"])
    url = reverse("awards:detail", args=[nomination.pk])
    page = client.get(url).content.decode()
    assert "Nhận xét bí mật của đồng nghiệp" not in page
    assert "sau khi bạn gửi ý kiến của mình" in page
    client.post(
        reverse("awards:review", args=[nomination.pk]),
        {"recommendation": "support", "score": "9", "comment": "Ý kiến của tôi"},
    )
    page = client.get(url).content.decode()
    assert "Nhận xét bí mật của đồng nghiệp" in page and "Ý kiến của tôi" in page


def test_the_review_form_validates_the_score(client, cast, nomination):
    nomination = advance(nomination, "in_review", cast)
    client.force_login(cast["board"])
    response = client.post(
        reverse("awards:review", args=[nomination.pk]),
        {"recommendation": "support", "score": "42", "comment": ""},
    )
    assert response.status_code == 400
    assert not Review.objects.exists()


def test_secretary_sees_who_has_not_reviewed(client, cast, nomination, unit):
    nomination = advance(nomination, "in_review", cast)
    done = UserFactory(username="da-xet", full_name="Đã Xét", groups=[BOARD_GROUP])
    aside = UserFactory(username="tranh-xa", full_name="Đứng Ngoài", groups=[BOARD_GROUP])
    review_submit(nomination=nomination, actor=done, recommendation="support", score=7, comment="")
    review_declare_conflict(nomination=nomination, actor=aside, reason="Họ hàng")
    cast["board"].full_name = "Chưa Xét"
    cast["board"].save()
    client.force_login(cast["secretary"])
    page = client.get(reverse("awards:detail", args=[nomination.pk])).content.decode()
    pending = page.split("Chưa cho ý kiến")[1].split("</ul>")[0]
    assert "Chưa Xét" in pending
    assert "Đã Xét" not in pending and "Đứng Ngoài" not in pending
    assert "Họ hàng" in page


def test_a_member_who_is_the_nominee_is_told_so(client, cast, unit, catalogue):
    nominee = PersonFactory(unit=unit, user=cast["board"])
    TaskRatingFactory(person=nominee, year=YEAR, rating="HTXS")
    nomination = nomination_draft(
        proposing_unit=unit,
        award_type=catalogue["CSTDCS"],
        year=YEAR,
        person=nominee,
        actor=cast["officer"],
    )
    nomination = advance(nomination, "in_review", cast)
    client.force_login(cast["board"])
    page = client.get(reverse("awards:detail", args=[nomination.pk])).content.decode()
    assert "Bạn là người được đề nghị" in page and 'name="recommendation"' not in page
    response = client.post(
        reverse("awards:review", args=[nomination.pk]),
        {"recommendation": "support", "score": "10"},
    )
    assert response.status_code == 403


# --- The queue ---------------------------------------------------------------------------


def test_the_board_queue_filters_sorts_and_answers_htmx_with_the_results(client, cast, draft_for):
    to_review = advance(draft_for("Phạm Thu Hà"), "in_review", cast)
    reviewed = advance(draft_for("Hoàng Minh Đức", award="LDTT"), "in_review", cast)
    advance(draft_for("Đỗ Văn Giang"), "submitted", cast)  # not with the board yet
    review_submit(
        nomination=reviewed, actor=cast["board"], recommendation="support", score=8, comment=""
    )
    client.force_login(cast["board"])
    url = reverse("awards:list")
    page = client.get(url).content.decode()
    assert "Phạm Thu Hà" in page and "Hoàng Minh Đức" in page and "Đỗ Văn Giang" not in page
    fragment = client.get(url, {"review": "todo"}, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in fragment and 'id="results"' in fragment
    assert "Phạm Thu Hà" in fragment and "Hoàng Minh Đức" not in fragment
    page = client.get(url, {"award": "LDTT"}).content.decode()
    assert "Hoàng Minh Đức" in page and "Phạm Thu Hà" not in page
    page = client.get(url, {"sort": "nominee"}).content.decode()
    assert page.index("Hoàng Minh Đức") < page.index("Phạm Thu Hà")
    assert to_review.pk


def test_the_secretary_filters_by_status_unit_and_eligibility(client, cast, draft_for, unit):
    advance(draft_for("Vũ Lan", rating="HTT"), "draft", cast)
    submitted = draft_for("Bùi Nam")
    nomination_submit(nomination=submitted, actor=cast["head"])
    client.force_login(cast["secretary"])
    url = reverse("awards:list")
    page = client.get(url, {"status": "submitted"}).content.decode()
    assert "Bùi Nam" in page and "Vũ Lan" not in page
    page = client.get(url, {"eligibility": "not_met"}).content.decode()
    assert "Vũ Lan" in page and "Bùi Nam" not in page
    page = client.get(url, {"unit": unit.code}).content.decode()
    assert "Vũ Lan" in page and "Bùi Nam" in page


def test_an_officer_lists_only_the_units_nominations(client, cast, nomination, other_unit):
    client.force_login(cast["outsider"])
    page = client.get(reverse("awards:list")).content.decode()
    assert nomination.person.full_name not in page


def _many_in_review(unit, catalogue, count, members):
    award = catalogue["LDTT"]
    for index in range(count):
        person = PersonFactory(unit=unit)
        nomination = Nomination.objects.create(
            person=person,
            award_type=award,
            year=YEAR,
            proposing_unit=unit,
            status="in_review",
            eligibility_outcome="met",
        )
        for member in members[: index % 3]:
            Review.objects.create(
                nomination=nomination,
                member=member,
                recommendation="support",
                score=7,
                submitted_at=datetime.datetime.now(datetime.UTC),
            )


@pytest.mark.parametrize("role", ["board", "secretary", "officer"])
def test_the_queue_runs_a_constant_number_of_queries(
    client, cast, unit, catalogue, role, django_assert_max_num_queries
):
    members = [cast["board"], *UserFactory.create_batch(2, groups=[BOARD_GROUP])]
    _many_in_review(unit, catalogue, 3, members)
    client.force_login(cast[role])
    url = reverse("awards:list")
    client.get(url)
    with django_assert_max_num_queries(12) as small:
        assert client.get(url).status_code == 200
    _many_in_review(unit, catalogue, 30, members)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


def _grow(nomination, cast, catalogue, size):
    """More of everything the page shows: files, reviews, record rows, initiatives."""
    start = nomination.person.task_ratings.count()
    for index in range(start, start + size):
        member = UserFactory(groups=[BOARD_GROUP])
        Review.objects.create(
            nomination=nomination,
            member=member,
            recommendation="support",
            score=7,
            comment=f"Ý kiến {index}",
            submitted_at=datetime.datetime.now(datetime.UTC),
        )
        attachment_add(
            nomination=Nomination.objects.get(pk=nomination.pk),
            kind="other",
            upload=pdf(f"file-{index}.pdf"),
            actor=cast["officer"],
        ) if nomination.status in Nomination.EDITABLE else None
        TaskRatingFactory(person=nomination.person, year=2000 + index, rating="HTT")
        AwardGrantFactory(person=nomination.person, year=2000 + index, award_type=catalogue["LDTT"])
        InitiativeFactory(person=nomination.person, used_by=nomination)
        NominationStep.objects.create(
            nomination=nomination, from_status="draft", to_status="draft", actor=member
        )


@pytest.mark.parametrize(
    ("role", "state"), [("secretary", "in_review"), ("board", "in_review"), ("officer", "draft")]
)
def test_the_nomination_page_runs_a_constant_number_of_queries(
    client, cast, nomination, catalogue, role, state, django_assert_max_num_queries
):
    complete_dossier(nomination, cast["officer"])
    if state != "draft":
        nomination = advance(nomination, state, cast)
    _grow(nomination, cast, catalogue, 2)
    client.force_login(cast[role])
    url = reverse("awards:detail", args=[nomination.pk])
    client.get(url)
    with django_assert_max_num_queries(25) as small:
        assert client.get(url).status_code == 200
    _grow(nomination, cast, catalogue, 15)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


def test_record_pages_run_a_constant_number_of_queries(
    client, cast, nomination, catalogue, django_assert_max_num_queries
):
    client.force_login(cast["head"])
    urls = [
        reverse("awards:person", args=[nomination.person.code]),
        reverse("awards:unit", args=[nomination.proposing_unit.code]),
    ]
    counts = []
    for url in urls:
        client.get(url)
        with django_assert_max_num_queries(20) as small:
            client.get(url)
        counts.append(len(small.captured_queries))
    _grow(nomination, cast, catalogue, 10)
    PersonFactory.create_batch(10, unit=nomination.proposing_unit)
    for url, count in zip(urls, counts, strict=True):
        with django_assert_max_num_queries(count):
            client.get(url)


# --- The record pages and the unit page --------------------------------------------------


def test_person_page_shows_the_record(client, cast, person, catalogue):
    TaskRatingFactory(person=person, year=2024, rating="HTXS")
    OpenMatter.objects.create(
        person=person, kind="investigation", summary="Điều tra", opened_on=datetime.date(2025, 1, 2)
    )
    InitiativeFactory(person=person, title="Cải tiến quy trình", scope="ministry")
    AwardGrantFactory(
        person=person, year=2023, award_type=catalogue["BK_BO"], decision_number="77/QĐ-BCT"
    )
    client.force_login(cast["officer"])
    page = client.get(reverse("awards:person", args=[person.code])).content.decode()
    for text in [
        "Nguyễn Văn An",
        "HTXS",
        "Điều tra",
        "Chưa giải quyết: chưa xét khen thưởng",
        "Cải tiến quy trình",
        "Cấp Bộ",
        "77/QĐ-BCT",
    ]:
        assert text in page, text


def test_unit_page_embeds_the_units_record(client, cast, unit, catalogue):
    TaskRatingFactory(person=None, unit=unit, year=2024, rating="HTXS")
    AwardGrantFactory(person=None, unit=unit, year=2024, award_type=catalogue["TTLDXS"])
    PersonFactory(unit=unit, full_name="Lý Thị Mơ")
    client.force_login(cast["head"])
    page = client.get(reverse("units:detail", args=[unit.code])).content.decode()
    record_url = reverse("awards:unit", args=[unit.code])
    assert f'hx-get="{record_url}"' in page
    fragment = client.get(record_url, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in fragment and 'id="unit-record"' in fragment
    assert "Tập thể lao động xuất sắc" in fragment and "Lý Thị Mơ" in fragment


def test_navigation_and_home_lead_each_role_to_its_work(client, cast):
    expected = {
        "officer": [reverse("awards:create")],
        "secretary": [f"{reverse('awards:list')}?status=submitted"],
        "board": [f"{reverse('awards:list')}?review=todo"],
        "admin": [reverse("admin:awards_taskrating_import")],
    }
    for role, links in expected.items():
        client.force_login(cast[role])
        page = client.get("/").content.decode()
        assert f'href="{reverse("awards:list")}"' in page, role
        for link in links:
            assert link in page, (role, link)


def test_the_edit_form_turns_a_vertical_tab_into_a_line_break_and_refuses_other_controls(
    client, cast, nomination
):
    client.force_login(cast["officer"])
    url = reverse("awards:edit", args=[nomination.pk])
    data = _edit_data(nomination)
    assert client.post(url, {**data, "report_background": "Một\x0bHai"}).status_code == 302
    nomination.refresh_from_db()
    assert nomination.report_background == "Một\nHai"
    data = _edit_data(nomination)
    response = client.post(url, {**data, "report_achievements": "Trang\x0cmới"})
    assert response.status_code == 200
    assert "ký tự điều khiển (U+000C)" in response.content.decode()
    nomination.refresh_from_db()
    assert nomination.report_achievements != "Trang\x0cmới"


def test_the_report_texts_have_limits_that_fit_their_use(client, cast, nomination):
    client.force_login(cast["officer"])
    url = reverse("awards:edit", args=[nomination.pk])
    data = {**_edit_data(nomination), "report_achievements": "x" * 60_001}
    assert client.post(url, data).status_code == 200
    nomination.refresh_from_db()
    assert len(nomination.report_achievements) < 60_001

import io
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from campaigns.models import Evidence, ProgressReport, ReportLine
from campaigns.services.registrations import registration_save
from campaigns.services.reports import (
    evidence_add,
    indicator_value_save,
    report_line_save,
    report_return,
    report_start,
    report_submit,
)
from tests.factories import IndicatorFactory, ObjectiveFactory

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _line_url(report, line):
    return reverse("reports:line_save", args=[report.pk, line.pk])


def test_a_line_saves_through_htmx_and_answers_the_saved_state_with_the_new_version(
    client, cast, report
):
    client.force_login(cast["officer"])
    line = report.lines.first()
    response = client.post(
        _line_url(report, line),
        {"percent_complete": "60", "narrative": "Đã làm", "version": "1"},
        headers=HTMX,
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body and f'id="line-{line.pk}-status"' in body
    assert "✓" in body and 'hx-swap-oob="true"' in body and 'value="2"' in body
    line.refresh_from_db()
    assert (line.percent_complete, line.narrative) == (60, "Đã làm")


def test_an_out_of_range_value_is_refused_inline_with_a_translated_message(client, cast, report):
    client.force_login(cast["officer"])
    line = report.lines.first()
    response = client.post(
        _line_url(report, line),
        {"percent_complete": "140", "narrative": "", "version": "1"},
        headers=HTMX,
    )
    assert response.status_code == 422
    assert "Tỷ lệ phần trăm phải từ 0 đến 100" in response.content.decode()
    row = report.values.select_related("indicator").filter(indicator__kind="percent").first()
    response = client.post(
        reverse("reports:value_save", args=[report.pk, row.pk]),
        {"value": "abc", "version": "1"},
        headers=HTMX,
    )
    assert response.status_code == 422
    assert "Nhập một số, viết như 1,5 hoặc 1.234,5" in response.content.decode()
    line.refresh_from_db()
    assert line.percent_complete is None


def test_a_percentage_indicator_refuses_more_than_100(client, cast, report):
    client.force_login(cast["officer"])
    row = report.values.select_related("indicator").filter(indicator__kind="percent").first()
    response = client.post(
        reverse("reports:value_save", args=[report.pk, row.pk]),
        {"value": "101", "version": "1"},
        headers=HTMX,
    )
    assert response.status_code == 422
    assert "0 đến 100" in response.content.decode()


def test_two_sessions_editing_the_same_line_the_second_gets_a_conflict_with_current_values(
    cast, report
):
    officer, head = Client(), Client()
    officer.force_login(cast["officer"])
    head.force_login(cast["head"])
    line = report.lines.first()
    url = reverse("reports:report", args=[report.pk])
    assert officer.get(url).status_code == head.get(url).status_code == 200  # both load version 1
    first = officer.post(
        _line_url(report, line),
        {"percent_complete": "50", "narrative": "Bản của cán bộ", "version": "1"},
        headers=HTMX,
    )
    assert first.status_code == 200
    second = head.post(
        _line_url(report, line),
        {"percent_complete": "80", "narrative": "Bản của thủ trưởng", "version": "1"},
        headers=HTMX,
    )
    assert second.status_code == 409
    assert second["HX-Retarget"] == f"#line-{line.pk}" and second["HX-Reswap"] == "outerHTML"
    body = second.content.decode()
    assert "Bản của cán bộ" in body  # the current values
    assert "Bản của thủ trưởng" in body  # the refused input, shown so it is not lost
    line.refresh_from_db()
    assert (line.narrative, line.version) == ("Bản của cán bộ", 2)


def test_a_plain_form_post_without_htmx_redirects_back_with_a_message(client, cast, report):
    client.force_login(cast["officer"])
    line = report.lines.first()
    response = client.post(
        _line_url(report, line),
        {"percent_complete": "5", "narrative": "", "version": "1"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("reports:report", args=[report.pk])
    assert "Đã lưu" in response.content.decode()


def _upload(client, report, name, content, htmx=True):
    line = report.lines.first()
    upload = io.BytesIO(content)
    upload.name = name
    return client.post(
        reverse("reports:evidence_upload", args=[report.pk, line.pk]),
        {"file": upload},
        headers=HTMX if htmx else {},
    )


def test_a_pdf_is_attached_stored_privately_and_listed(client, cast, report, settings):
    client.force_login(cast["officer"])
    response = _upload(client, report, "Báo cáo quý.pdf", PDF)
    assert response.status_code == 200 and "Báo cáo quý.pdf" in response.content.decode()
    evidence = Evidence.objects.get()
    assert evidence.content_type == "application/pdf" and evidence.size == len(PDF)
    stored = evidence.file.path
    assert stored.startswith(str(settings.MEDIA_ROOT)) and "Báo cáo" not in stored
    assert not stored.startswith(str(settings.STATIC_ROOT))


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.exe", b"MZ\x90\x00", "Chỉ chấp nhận"),
        ("fake.pdf", b"<html>not a pdf</html>", "không phải là tệp PDF hợp lệ"),
        ("fake.docx", b"PK\x03\x04 not really a zip", "không phải là tệp DOCX hợp lệ"),
        ("photo.png", b"\xff\xd8\xff\xe0 jpeg bytes", "không phải là tệp PNG hợp lệ"),
    ],
)
def test_files_are_checked_by_content_as_well_as_name(client, cast, report, name, content, message):
    client.force_login(cast["officer"])
    response = _upload(client, report, name, content)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Evidence.objects.exists()


def test_a_file_over_the_size_limit_is_refused(client, cast, report, settings):
    settings.MAX_UPLOAD_SIZE = 20
    client.force_login(cast["officer"])
    response = _upload(client, report, "big.pdf", PDF)
    assert response.status_code == 422 and "giới hạn" in response.content.decode()
    assert not Evidence.objects.exists()


def test_real_office_files_and_images_are_accepted(client, cast, report):
    import docx
    from openpyxl import Workbook

    client.force_login(cast["officer"])
    document = io.BytesIO()
    docx.Document().save(document)
    book = io.BytesIO()
    Workbook().save(book)
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
    for name, content in [
        ("a.docx", document.getvalue()),
        ("b.xlsx", book.getvalue()),
        ("c.png", png),
    ]:
        assert _upload(client, report, name, content).status_code == 200, name
    assert Evidence.objects.count() == 3


def test_removing_evidence_deletes_the_file_after_commit(
    client, cast, report, django_capture_on_commit_callbacks
):
    client.force_login(cast["officer"])
    _upload(client, report, "a.pdf", PDF)
    evidence = Evidence.objects.get()
    path = evidence.file.path
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reports:evidence_delete", args=[report.pk, evidence.pk]), headers=HTMX
        )
    assert response.status_code == 200
    assert not Evidence.objects.exists()
    import os

    assert not os.path.exists(path)


def test_returned_report_shows_the_reason_on_top_and_the_history(client, cast, report):
    report_submit(report=report, actor=cast["officer"])
    report_return(report=report, actor=cast["head"], reason="Bổ sung minh chứng nhiệm vụ 2")
    client.force_login(cast["officer"])
    page = client.get(
        reverse("reports:report", args=[report.pk]), {"history": "1"}
    ).content.decode()
    assert page.index("Bổ sung minh chứng nhiệm vụ 2") < page.index("objective-")
    assert "Trả lại để chỉnh sửa" in page
    timeline = page[page.index('id="history"') :]
    assert cast["head"].get_full_name() in timeline and "Bổ sung minh chứng" in timeline


def test_history_lists_who_changed_which_field(client, cast, report):
    line = report.lines.first()
    report_line_save(
        line=line, percent_complete=30, narrative="Lần 1", version=1, actor=cast["officer"]
    )
    report_line_save(
        line=line, percent_complete=45, narrative="Lần 1", version=2, actor=cast["head"]
    )
    client.force_login(cast["board"])
    page = client.get(
        reverse("reports:report", args=[report.pk]), {"history": "1"}
    ).content.decode()
    timeline = page[page.index('id="history"') :]
    assert "<del>30</del> → <ins>45</ins>" in timeline
    assert cast["head"].get_full_name() in timeline


def test_history_is_in_the_admin(client, cast, report):
    client.force_login(cast["admin"])
    response = client.get(reverse("admin:campaigns_progressreport_history", args=[report.pk]))
    assert response.status_code == 200


def test_locked_report_is_read_only(client, cast, report):
    import datetime
    import zoneinfo

    import time_machine

    with time_machine.travel(
        datetime.datetime(2025, 5, 20, 9, tzinfo=zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")), tick=False
    ):
        client.force_login(cast["officer"])
        page = client.get(reverse("reports:report", args=[report.pk])).content.decode()
        assert 'name="percent_complete"' not in page and "Đã khóa" in page
        line = report.lines.first()
        assert (
            client.post(
                _line_url(report, line), {"percent_complete": "1", "narrative": "", "version": "1"}
            ).status_code
            == 403
        )


def test_report_page_query_count_is_constant(
    client, cast, report, campaign, django_assert_max_num_queries
):
    client.force_login(cast["officer"])
    url = reverse("reports:report", args=[report.pk])
    client.get(url)
    with django_assert_max_num_queries(30) as small:
        client.get(url)
    for number in range(3, 8):
        objective = ObjectiveFactory(campaign=campaign, number=number)
        IndicatorFactory.create_batch(3, objective=objective)
    bigger = report_start(
        unit=report.unit, period=campaign.periods.get(label="Q2/2025"), actor=None
    )
    for line in bigger.lines.all():
        _upload_direct(line, cast)
        report_line_save(
            line=line, percent_complete=5, narrative="x", version=1, actor=cast["officer"]
        )
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("reports:report", args=[bigger.pk]))


def _upload_direct(line: ReportLine, cast):
    from django.core.files.uploadedfile import SimpleUploadedFile

    evidence_add(line=line, upload=SimpleUploadedFile("x.pdf", PDF), actor=cast["officer"])


def test_unit_page_lists_reports_lateness_targets_and_attainment(
    client, cast, campaign, unit, today
):
    percent = campaign.objectives.get(number=1).indicators.first()
    registration_save(
        campaign=campaign,
        unit=unit,
        year=2025,
        commitments="Cam kết 2025",
        target_title="TTLDXS",
        targets={percent.pk: Decimal("80")},
        actor=cast["officer"],
    )
    report = report_start(unit=unit, period=campaign.periods.get(label="Q1/2025"), actor=None)
    row = report.values.get(indicator=percent)
    indicator_value_save(indicator_value=row, value=Decimal("60"), version=1, actor=None)
    report_submit(report=report, actor=cast["officer"])  # after 15/04: late
    client.force_login(cast["head"])
    page = client.get(reverse("units:detail", args=[unit.code]), {"year": 2025}).content.decode()
    assert "Q1/2025" in page and "Nộp muộn" in page
    assert "Cam kết 2025" in page and "Tập thể lao động xuất sắc" in page
    assert "75 %" in page  # 60 against a target of 80


def test_unit_page_query_count_is_constant_in_periods_and_reports(
    client, cast, campaign, unit, today, django_assert_max_num_queries
):
    client.force_login(cast["officer"])
    url = reverse("units:detail", args=[unit.code])
    client.get(url)
    with django_assert_max_num_queries(20) as small:
        client.get(url)
    for label in ["Q1/2024", "Q2/2024", "Q3/2024", "Q4/2024", "Q1/2025"]:
        ProgressReport.objects.create(
            unit=unit, period=campaign.periods.get(label=label), status="accepted", late=True
        )
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url)


def test_the_history_is_loaded_by_htmx_only_when_opened(client, cast, report):
    line = report.lines.first()
    report_line_save(
        line=line, percent_complete=30, narrative="x", version=1, actor=cast["officer"]
    )
    client.force_login(cast["officer"])
    url = reverse("reports:report", args=[report.pk])
    page = client.get(url).content.decode()
    assert 'hx-trigger="toggle once"' in page and "<del>" not in page
    fragment = client.get(url, {"history": "1"}, headers=HTMX).content.decode()
    assert "<html" not in fragment and 'id="history-body"' in fragment
    assert cast["officer"].get_full_name() in fragment and "<ins>30</ins>" in fragment


def test_the_cached_body_is_drawn_again_after_every_change(client, cast, report):
    client.force_login(cast["officer"])
    url = reverse("reports:report", args=[report.pk])
    line = report.lines.first()
    assert "Kết quả mới" not in client.get(url).content.decode()
    report_line_save(
        line=line,
        percent_complete=30,
        narrative="Kết quả mới",
        version=1,
        actor=cast["officer"],
    )
    page = client.get(url).content.decode()
    assert "Kết quả mới" in page and f'value="2" id="line-{line.pk}-version"' in page
    _upload(client, report, "tep-moi.pdf", PDF)
    assert "tep-moi.pdf" in client.get(url).content.decode()


def test_each_reader_gets_the_body_drawn_for_their_rights(client, cast, report):
    url = reverse("reports:report", args=[report.pk])
    client.force_login(cast["officer"])
    assert 'name="percent_complete"' in client.get(url).content.decode()
    client.force_login(cast["board"])
    assert 'name="percent_complete"' not in client.get(url).content.decode()


def test_new_targets_show_on_the_report_at_once(client, cast, campaign, report):
    client.force_login(cast["officer"])
    url = reverse("reports:report", args=[report.pk])
    client.get(url)
    indicator = campaign.objectives.get(number=1).indicators.order_by("code").first()
    registration_save(
        campaign=campaign,
        unit=report.unit,
        year=2025,
        commitments="",
        target_title="",
        targets={indicator.pk: Decimal("77")},
        actor=cast["officer"],
    )
    assert ">77<" in client.get(url).content.decode()


# --- the drawn page served again ---------------------------------------------------------------


def _warm(client, url):
    """The first view sets the CSRF cookie, the second draws and keeps the page."""
    client.get(url)
    client.get(url)


def test_an_unchanged_page_is_served_again_without_drawing_it(client, cast, report):
    client.force_login(cast["officer"])
    url = reverse("reports:report", args=[report.pk])
    first = client.get(url)
    assert first.templates and "csrftoken" in first.cookies  # a first visit is always drawn
    drawn = client.get(url)
    assert drawn.templates
    served = client.get(url)
    assert served.status_code == 200 and served.templates == []
    assert served.content == drawn.content


def test_the_served_page_follows_the_bell_the_roles_and_the_language(
    client, cast, report, other_unit
):
    from units.models import Membership
    from units.services import notify

    officer = cast["officer"]
    client.force_login(officer)
    url = reverse("reports:report", args=[report.pk])
    _warm(client, url)
    assert 'class="bell-count"' not in client.get(url).content.decode()
    notify(recipient=officer, message="Báo cáo bị trả lại")
    badge = '<span class="bell-count" aria-hidden="true">1</span>'
    assert badge in client.get(url).content.decode()

    Membership.objects.create(user=officer, unit=other_unit, role=Membership.Role.OFFICER)
    nav = client.get(url).content.decode()
    assert reverse("units:detail", args=[other_unit.code]) in nav

    client.post(reverse("set_language"), {"language": "en", "next": url})
    page = client.get(url).content.decode()
    assert '<html lang="en">' in page and "History of changes" in page


def test_one_time_messages_show_once_on_the_served_page(client, cast, report):
    client.force_login(cast["officer"])
    url = reverse("reports:report", args=[report.pk])
    _warm(client, url)
    line = report.lines.first()
    form = {"percent_complete": "10", "narrative": "", "version": "1"}
    client.post(_line_url(report, line), form)
    with_message = client.get(url).content.decode()
    assert 'class="messages"' in with_message and "Đã lưu." in with_message
    assert 'class="messages"' not in client.get(url).content.decode()


def test_another_reader_never_gets_the_page_drawn_for_the_officer(client, cast, report):
    url = reverse("reports:report", args=[report.pk])
    client.force_login(cast["officer"])
    _warm(client, url)
    board = Client()
    board.force_login(cast["board"])
    _warm(board, url)
    page = board.get(url).content.decode()
    assert cast["board"].get_full_name() in page and cast["officer"].get_full_name() not in page
    assert 'name="percent_complete"' not in page


def test_signed_in_pages_and_evidence_downloads_are_not_stored_by_browsers(client, cast, report):
    client.force_login(cast["officer"])
    url = reverse("reports:report", args=[report.pk])
    first, second = client.get(url), client.get(url)  # the second comes from the page cache
    for response in (first, second):
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    _upload(client, report, "bang-chung.pdf", PDF)
    evidence = Evidence.objects.get()
    download = client.get(reverse("reports:evidence_download", args=[report.pk, evidence.pk]))
    download.close()
    assert download.status_code == 200 and "no-store" in download["Cache-Control"]

"""The official documents: each is downloaded as an attachment after a permission check,
opened, and read back; Vietnamese with its diacritics, in a font that has them."""

from __future__ import annotations

import datetime
import io

import docx
import openpyxl
import pytest
from django.urls import reverse

from awards.models import Nomination
from awards.services.council import ballot_cast, meeting_ballot_close
from awards.services.decisions import decision_record
from tests.awards.conftest import PASSPHRASES, approve_all, run_meeting
from tests.factories import AwardGrantFactory, InitiativeFactory

pytestmark = pytest.mark.django_db
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _download(client, url: str, suffix: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;") and f'{suffix}"' in disposition
    return b"".join(response.streaming_content)


def _text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(parts)


def _fonts_have_the_diacritics(data: bytes) -> None:
    """Every run and the Normal style name Times New Roman in all four font slots, so that no
    slot falls back to a theme font without Vietnamese diacritics."""
    document = docx.Document(io.BytesIO(data))
    normal = document.styles["Normal"].element.rPr.find(f"{W}rFonts")
    for slot in ("ascii", "hAnsi", "eastAsia", "cs"):
        assert normal.get(f"{W}{slot}") == "Times New Roman"
    runs = document.element.body.iter(f"{W}r")
    for run in runs:
        if run.find(f"{W}t") is None:
            continue
        fonts = run.find(f"{W}rPr/{W}rFonts")
        assert fonts is not None and fonts.get(f"{W}eastAsia") == "Times New Roman"


@pytest.fixture
def closed_meeting(cast, council, members, in_review, today):
    """A closed meeting: "Lê Thị Hồng Nhung" approved (5/5), "Vũ Đức Thắng" rejected (2/5),
    one member absent who voted in writing."""
    approved = in_review("Lê Thị Hồng Nhung")
    rejected = in_review("Vũ Đức Thắng")
    meeting = run_meeting(
        cast,
        members,
        [approved, rejected],
        {
            0: {0: True, 1: True},
            1: {0: True, 1: False},
            2: {0: True, 1: True},
            3: {0: True, 1: False},
        },
        present=[0, 1, 2, 3],
    )
    ballot_cast(
        meeting=meeting,
        member=members[4],
        choices={approved: True, rejected: False},
        actor=cast["secretary"],
    )
    return meeting_ballot_close(meeting=meeting, actor=cast["secretary"], **PASSPHRASES)


def test_the_minutes_carry_attendance_counts_and_results(client, cast, members, closed_meeting):
    client.force_login(cast["secretary"])
    data = _download(client, reverse("awards:minutes", args=[closed_meeting.pk]), ".docx")
    text = _text(data)
    for expected in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "BIÊN BẢN",
        "Họp Hội đồng Thi đua - Khen thưởng",
        "Tổng số thành viên Hội đồng: 5; có mặt: 4; vắng mặt: 1 (trong đó 1 thành viên gửi phiếu",
        f"{members[0].get_full_name()} | Chủ tịch Hội đồng | Có mặt",
        f"{members[4].get_full_name()} | Ủy viên thư ký | Vắng mặt, gửi phiếu bằng văn bản",
        "Số phiếu thu về: 5/5",
        "Lê Thị Hồng Nhung | Cục A | Chiến sĩ thi đua cơ sở | 5 | 0 | 0 | 5/5 (100,0%) | "
        "từ 80% tổng số thành viên trở lên (Nghị định 98/2023/NĐ-CP, Điều 30.7) | Đạt",
        "Vũ Đức Thắng | Cục A | Chiến sĩ thi đua cơ sở | 2 | 3 | 0 | 2/5 (40,0%)",
        "Không đạt",
        "CHỦ TỊCH HỘI ĐỒNG",
        "THƯ KÝ",
    ]:
        assert expected in text, expected
    _fonts_have_the_diacritics(data)


def test_no_minutes_before_the_ballot_closes(client, cast, council, members, in_review, today):
    meeting = run_meeting(cast, members, [in_review()], {0: {0: True}})
    client.force_login(cast["secretary"])
    assert client.get(reverse("awards:minutes", args=[meeting.pk])).status_code == 404


def test_the_cover_letter_lists_the_nominees_of_the_meeting(client, cast, closed_meeting):
    client.force_login(cast["board"])
    data = _download(client, reverse("awards:cover_letter", args=[closed_meeting.pk]), ".docx")
    text = _text(data)
    assert "TỜ TRÌNH" in text and "Kính gửi: Bộ trưởng Bộ Công Thương" in text
    assert "đề nghị khen thưởng 1 trường hợp" in text
    assert "1 | Lê Thị Hồng Nhung | Cục A | Chiến sĩ thi đua cơ sở | 2025 | 5/5 (100,0%)" in text
    assert "Vũ Đức Thắng" not in text  # rejected
    _fonts_have_the_diacritics(data)


def test_the_achievement_report_fills_the_legal_template(client, cast, nomination, catalogue):
    nomination.person.full_name = "Trịnh Thị Ngọc Ánh"
    nomination.person.save()
    AwardGrantFactory(
        person=nomination.person,
        year=2023,
        award_type=catalogue["CSTDCS"],
        decision_number="45/QĐ-XNK",
        decided_on=datetime.date(2024, 1, 20),
        issuer="Cục trưởng Cục Xuất nhập khẩu",
    )
    InitiativeFactory(
        person=nomination.person, used_by=nomination, title="Số hóa hồ sơ xuất xứ hàng hóa"
    )
    Nomination.objects.filter(pk=nomination.pk).update(
        report_background="Họ và tên: Trịnh Thị Ngọc Ánh\nQuê quán: Hải Dương",
        report_achievements="Hoàn thành xuất sắc nhiệm vụ được giao.",
    )
    client.force_login(cast["officer"])
    # The interface language does not change the language of the document.
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    data = _download(client, reverse("awards:report", args=[nomination.pk]), ".docx")
    text = _text(data)
    for expected in [
        "BÁO CÁO THÀNH TÍCH",
        "Đề nghị tặng: Chiến sĩ thi đua cơ sở (năm 2025)",
        "Trịnh Thị Ngọc Ánh",
        "I. SƠ LƯỢC LÝ LỊCH",
        "Quê quán: Hải Dương",
        "II. THÀNH TÍCH ĐẠT ĐƯỢC",
        "Hoàn thành xuất sắc nhiệm vụ được giao.",
        "Số hóa hồ sơ xuất xứ hàng hóa",
        "III. CÁC HÌNH THỨC ĐÃ ĐƯỢC KHEN THƯỞNG",
        "2023 | Chiến sĩ thi đua cơ sở | 45/QĐ-XNK, 20/01/2024 | Cục trưởng Cục Xuất nhập khẩu",
        "NGƯỜI BÁO CÁO THÀNH TÍCH",
        "(Ký, ghi rõ họ và tên)",
    ]:
        assert expected in text, expected
    _fonts_have_the_diacritics(data)


@pytest.fixture
def decision(cast, council, members, in_review, today):
    first = in_review("Hoàng Thị Thu Hương")
    second = in_review('=HYPERLINK("http://example.com","Bấm")')
    approve_all(cast, members, [first, second])
    return decision_record(
        kind="decision",
        number="321/QĐ-BCT",
        signed_on=today,
        signer="Nguyễn Hồng Diên",
        signer_title="Bộ trưởng",
        issuer="Bộ trưởng Bộ Công Thương",
        nominations=[first, second],
        actor=cast["secretary"],
    )


def test_the_decision_and_its_annexed_list(client, cast, decision):
    client.force_login(cast["secretary"])
    data = _download(client, reverse("awards:decision_document", args=[decision.pk]), ".docx")
    text = _text(data)
    for expected in [
        "BỘ CÔNG THƯƠNG",
        "Số: 321/QĐ-BCT",
        "Hà Nội, ngày 10 tháng 05 năm 2025",
        "QUYẾT ĐỊNH",
        "Về việc tặng Chiến sĩ thi đua cơ sở",
        "BỘ TRƯỞNG BỘ CÔNG THƯƠNG",
        "Căn cứ Luật Thi đua, khen thưởng số 06/2022/QH15;",
        # Signed on 10/05/2025: the decree in force that day (NĐ 152/2025 from 01/07/2025).
        "Căn cứ Nghị định số 98/2023/NĐ-CP của Chính phủ quy định chi tiết",
        "Điều 1. Tặng Chiến sĩ thi đua cơ sở cho 2 cá nhân, tập thể",
        "Nguyễn Hồng Diên",
        "DANH SÁCH",
        "(Kèm theo văn bản số 321/QĐ-BCT ngày 10/05/2025 của Bộ trưởng Bộ Công Thương)",
        "Hoàng Thị Thu Hương | Cục A | Chiến sĩ thi đua cơ sở | 2025",
    ]:
        assert expected in text, expected
    _fonts_have_the_diacritics(data)
    assert (
        'filename="quyet-dinh-321-qd-bct.docx"'
        in client.get(reverse("awards:decision_document", args=[decision.pk]))[
            "Content-Disposition"
        ]
    )


def test_a_forwarding_is_a_proposal_to_the_prime_minister(
    client, cast, council, members, in_review, today
):
    nomination = in_review("Đinh Văn Toàn Quốc", award="CSTDTQ")
    approve_all(cast, members, [nomination])
    forwarding = decision_record(
        kind="forwarding",
        number="45/TTr-BCT",
        signed_on=today,
        signer="Nguyễn Hồng Diên",
        signer_title="Bộ trưởng",
        issuer="Bộ Công Thương",
        nominations=[nomination],
        actor=cast["secretary"],
    )
    client.force_login(cast["board"])
    text = _text(
        _download(client, reverse("awards:decision_document", args=[forwarding.pk]), ".docx")
    )
    assert "TỜ TRÌNH" in text and "Về việc đề nghị tặng Chiến sĩ thi đua toàn quốc" in text
    assert "Kính gửi: Thủ tướng Chính phủ" in text and "Đinh Văn Toàn Quốc" in text


def test_the_list_of_awardees_as_a_spreadsheet_runs_no_formula(client, cast, decision):
    client.force_login(cast["admin"])
    data = _download(client, reverse("awards:decision_awardees", args=[decision.pk]), ".xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("STT", "Đối tượng đề nghị", "Cá nhân hoặc tập thể")
    names = {row[1] for row in rows[1:]}
    assert names == {"Hoàng Thị Thu Hương", '\'=HYPERLINK("http://example.com","Bấm")'}
    first = next(row for row in rows[1:] if row[1] == "Hoàng Thị Thu Hương")
    assert first[2:8] == ("Cá nhân", None, "Cục A", "Chiến sĩ thi đua cơ sở", 2025, "321/QĐ-BCT")
    assert first[8].date() == datetime.date(2025, 5, 10)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            assert cell.data_type != "f"


def test_the_report_survives_control_characters_already_stored(client, cast, nomination):
    # Stored before input was normalised: a vertical tab (Word's manual line break), a form
    # feed and another control character once made report.docx answer 500 (PostgreSQL stores
    # no NUL, so U+0001 stands for the rest).
    nomination.person.full_name = "Trịnh Thị\x07 Ánh"
    nomination.person.save()
    Nomination.objects.filter(pk=nomination.pk).update(
        report_background="Dòng một\x0bDòng hai",
        report_achievements="Trang một\x0cTrang hai\x01.",
    )
    client.force_login(cast["officer"])
    text = _text(_download(client, reverse("awards:report", args=[nomination.pk]), ".docx"))
    assert "Dòng một\nDòng hai" in text
    assert "Trang một\nTrang hai." in text
    assert "Trịnh Thị Ánh" in text


def test_the_council_list_export_survives_control_characters_already_stored(nomination):
    from awards.resources import NominationCouncilResource

    Nomination.objects.filter(pk=nomination.pk).update(justification="Lý do\x0cmột\x01")
    resource = NominationCouncilResource()
    exported = resource.export(queryset=resource.filter_export(Nomination.objects.all()))
    assert exported.export("xlsx")
    assert (
        "Lý do\nmột"
        in exported.dict[0][str(NominationCouncilResource.fields["justification"].column_name)]
    )

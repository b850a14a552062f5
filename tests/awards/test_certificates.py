"""The certificates of a decision (issue 17 §3): one A4 landscape page per awardee, from a
template the administrator may replace; a template naming an unknown placeholder is refused."""

from __future__ import annotations

import io

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx.enum.section import WD_ORIENT

from awards.documents.blocks import add_paragraph, new_document, to_bytes
from awards.models import CertificateTemplate
from awards.services.decisions import decision_record
from tests.awards.conftest import approve_all

pytestmark = pytest.mark.django_db
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
ADD = reverse("admin:awards_certificatetemplate_add")


@pytest.fixture
def decision(cast, council, members, in_review, today):
    first = in_review("Hoàng Thị Thu Hương")
    second = in_review("Đặng Quốc Việt")
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


def _certificates(client, decision) -> docx.document.Document:
    response = client.get(reverse("awards:decision_certificates", args=[decision.pk]))
    assert response.status_code == 200
    assert 'bang-khen-321-qd-bct.docx"' in response["Content-Disposition"]
    return docx.Document(io.BytesIO(b"".join(response.streaming_content)))


def _pages(document) -> list[str]:
    pages, current = [], []
    for paragraph in document.paragraphs:
        if paragraph._p.findall(f".//{W}br[@{W}type='page']"):
            pages.append("\n".join(current))
            current = []
        else:
            current.append(paragraph.text)
    pages.append("\n".join(current))
    return pages


def test_one_landscape_page_per_awardee_with_the_diacritics_intact(client, cast, decision):
    client.force_login(cast["board"])
    document = _certificates(client, decision)
    section = document.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE and section.page_width > section.page_height
    pages = _pages(document)
    assert len(pages) == 2
    for page, name in zip(pages, ["Hoàng Thị Thu Hương", "Đặng Quốc Việt"], strict=True):
        assert name in page
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in page
        assert "Quyết định số 321/QĐ-BCT ngày" in page
        assert "Nguyễn Hồng Diên" in page and "BỘ TRƯỞNG" in page
        assert "{{" not in page
    assert "Hoàng Thị Thu Hương" not in pages[1]


def test_units_other_than_the_awardees_readers_get_404(client, cast, decision):
    client.force_login(cast["outsider"])
    url = reverse("awards:decision_certificates", args=[decision.pk])
    assert client.get(url).status_code in (403, 404)


def _template(*lines: str) -> SimpleUploadedFile:
    document = new_document(landscape=True)
    for line in lines:
        add_paragraph(document, line)
    return SimpleUploadedFile("mau.docx", to_bytes(document))


def test_an_uploaded_template_with_an_unknown_placeholder_is_refused(client, cast, settings):
    client.force_login(cast["admin"])
    response = client.post(
        ADD,
        {"name": "Mẫu mới", "file": _template("{{ name }}", "{{ ho_ten_day_du }}")},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "ho_ten_day_du" in page
    assert not CertificateTemplate.objects.exists()


def test_an_uploaded_template_prints_the_certificates(client, cast, decision):
    client.force_login(cast["admin"])
    response = client.post(
        ADD,
        {"name": "Giấy khen", "file": _template("GIẤY KHEN — {{ name }} — {{ award }}")},
    )
    assert response.status_code == 302
    client.force_login(cast["board"])
    pages = _pages(_certificates(client, decision))
    assert len(pages) == 2
    assert pages[0].startswith("GIẤY KHEN — Hoàng Thị Thu Hương")


def test_a_file_that_is_no_docx_is_refused(client, cast):
    client.force_login(cast["admin"])
    response = client.post(ADD, {"name": "x", "file": SimpleUploadedFile("x.docx", b"not a zip")})
    assert response.status_code == 200
    assert not CertificateTemplate.objects.exists()

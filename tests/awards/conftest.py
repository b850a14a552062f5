from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from awards import services
from awards.models import Nomination, NominationAttachment
from tests.factories import PersonFactory, TaskRatingFactory

YEAR = 2025
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name: str = "file.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def office_file(name: str, main_part: str) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(main_part, "<document/>")
    return SimpleUploadedFile(name, buffer.getvalue())


def complete_dossier(nomination: Nomination, actor) -> None:
    """The attachments screening asks for: cover letter and minutes."""
    for kind in (NominationAttachment.Kind.COVER_LETTER, NominationAttachment.Kind.MINUTES):
        services.attachment_add(nomination=nomination, kind=kind, upload=pdf(), actor=actor)


def advance(nomination: Nomination, status: str, cast) -> Nomination:
    """Moves a draft along the workflow with the services, up to the given status."""
    order = ["draft", "submitted", "screening", "in_review"]
    if order.index(status) >= 1:
        complete_dossier(nomination, cast["officer"])
        nomination = services.nomination_submit(nomination=nomination, actor=cast["head"])
    if order.index(status) >= 2:
        nomination = services.nomination_screening_start(
            nomination=nomination, actor=cast["secretary"]
        )
    if order.index(status) >= 3:
        nomination = services.nomination_screening_accept(
            nomination=nomination, actor=cast["secretary"]
        )
    return nomination


@pytest.fixture
def person(unit):
    return PersonFactory(unit=unit, code="nguyen-van-an", full_name="Nguyễn Văn An")


@pytest.fixture
def draft_for(cast, unit, catalogue):
    """Drafts a CSTĐCS nomination for a new person of the unit, rated HTXS (eligible)."""

    def make(name: str = "Trần Thị Bình", *, award: str = "CSTDCS", rating: str = "HTXS"):
        nominee = PersonFactory(unit=unit, full_name=name)
        TaskRatingFactory(person=nominee, year=YEAR, rating=rating)
        return services.nomination_draft(
            proposing_unit=unit,
            award_type=catalogue[award],
            year=YEAR,
            person=nominee,
            actor=cast["officer"],
        )

    return make


@pytest.fixture
def nomination(draft_for):
    return draft_for()

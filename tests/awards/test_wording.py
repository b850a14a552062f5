"""Natural wording on the nomination pages (issue 14 §5): the decision and the meeting in
administrative Vietnamese, a position (not a staff code) beside a nominee's name, and a
dossier checklist that does not tick a section holding only the template's placeholders."""

import re

import pytest
from django.urls import reverse

from awards.forms import NominationCreateForm
from awards.models import Nomination
from awards.selectors.nominations import dossier_checklist, section_written
from awards.templatetags.commendations import eligibility_badge
from tests.awards.conftest import approve_all
from tests.awards.test_decisions import _decide
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


def test_a_decided_nomination_cites_its_decision_as_an_administrative_text(
    client, cast, council, members, in_review, today
):
    nomination = in_review("Đặng Thị Quyết")
    approve_all(cast, members, [nomination])
    nomination = Nomination.objects.get(pk=nomination.pk)
    _decide([nomination], cast["secretary"])
    client.force_login(cast["secretary"])
    page = _text(client.get(reverse("awards:detail", args=[nomination.pk])).content.decode())
    assert "Quyết định số 123/QĐ-BCT ngày 10/05/2025 của Bộ trưởng Bộ Công Thương" in page
    assert "Thẩm quyền quyết định 123" not in page
    assert "Đạt Xem phiên họp" in page and "Đạt phiên họp" not in page


def test_the_nominee_choices_show_a_position_or_nothing_never_a_staff_code(cast, unit):
    with_position = PersonFactory(unit=unit, full_name="Lê Văn Hải", position="Phó Cục trưởng")
    without = PersonFactory(unit=unit, full_name="Phạm Thị Thu", position="", code="user-canbo")
    form = NominationCreateForm(unit=unit, people=[with_position, without])
    labels = [
        label for _group, options in form.fields["nominee"].choices[1:] for _v, label in options
    ]
    assert "Lê Văn Hải — Phó Cục trưởng" in labels and "Phạm Thị Thu" in labels
    assert not any("user-canbo" in label for label in labels)


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("", False),
        ("…", False),
        ("1. Nhiệm vụ được giao:\n…\n2. Kết quả năm 2025:\n…", False),
        ("Quê quán: …\nChức vụ: ...", False),
        ("1. Nhiệm vụ được giao:\nPhụ trách xuất nhập khẩu.\n2. Kết quả năm 2025:\n…", True),
        ("Họ và tên: Nguyễn Văn A", True),
        ("Đã hoàn thành 12 đợt kiểm tra.", True),
    ],
)
def test_a_section_is_written_when_a_line_says_something(text, written):
    assert section_written(text) is written


def test_the_checklist_does_not_tick_a_prefilled_section_of_placeholders(client, cast, draft_for):
    nomination = draft_for("Trần Thị Bình")
    # The draft's achievements are the template's headings and "…" (nothing to read yet).
    assert "…" in nomination.report_achievements
    items = {str(item.label): item for item in dossier_checklist(nomination)}
    placeholder = next(label for label in items if label.startswith("Đã viết phần thành tích"))
    assert not items[placeholder].done and "mới có các đề mục" in placeholder
    client.force_login(cast["officer"])
    page = client.get(reverse("awards:detail", args=[nomination.pk])).content.decode()
    assert re.search(
        r'class="missing"><span aria-hidden="true">✘</span> Đã viết phần thành tích', page
    )
    Nomination.objects.filter(pk=nomination.pk).update(
        report_achievements="1. Nhiệm vụ được giao:\nChủ trì số hóa thủ tục."
    )
    nomination.refresh_from_db()
    assert all(
        item.done for item in dossier_checklist(nomination) if "thành tích" in str(item.label)
    )


def test_the_eligibility_badge_counts_the_failed_rules():
    """Two rules failed read "fails 2 rules", not "fails a rule"."""
    nomination = Nomination(eligibility_outcome="not_met", eligibility={"lines": []})
    lines = [{"outcome": "not_met"}, {"outcome": "met"}, {"outcome": "not_met"}]
    nomination.eligibility = {"lines": lines}
    assert eligibility_badge(nomination) == "Không đạt 2 tiêu chí"
    nomination.eligibility = {"lines": lines[:2]}
    assert eligibility_badge(nomination) == "Không đạt 1 tiêu chí"
    nomination.eligibility_outcome = "met"
    assert eligibility_badge(nomination) == "Đạt các tiêu chí"

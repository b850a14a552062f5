import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command

from campaigns.models import Campaign, Indicator, Objective, ReportingPeriod

NOTICE = (
    Path(__file__).resolve().parents[3] / "shared" / "seed" / "moit-emulation-notice-2021-08-30.md"
)


def _notice_tasks() -> dict[int, str]:
    if not NOTICE.exists():
        pytest.skip(f"the founding notice is not beside the checkout ({NOTICE})")
    tasks = {}
    for line in NOTICE.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^([1-6])\. (.*)$", line)
        if match:
            # The notice is Markdown: asterisks mark italics and are not part of the text.
            tasks[int(match.group(1))] = match.group(2).replace("*", "")
    return tasks


@pytest.fixture
def loaded(db):
    call_command("load_campaign", stdout=io.StringIO())
    return Campaign.objects.get(code="pttd-2021-2026")


def test_loader_creates_the_campaign_of_the_notice(loaded):
    assert loaded.launched_on.isoformat() == "2021-08-30"
    assert loaded.launched_by.code == "bct"
    assert loaded.title.startswith("Phong trào thi đua ngành Công Thương quyết tâm")
    assert loaded.status == Campaign.Status.ACTIVE


def test_loader_keeps_the_six_tasks_verbatim(loaded):
    objectives = {o.number: o for o in loaded.objectives.all()}
    assert sorted(objectives) == [1, 2, 3, 4, 5, 6]
    for number, text in _notice_tasks().items():
        assert objectives[number].text == text
        assert objectives[number].title_en


def test_every_objective_has_two_to_four_indicators(loaded):
    for objective in loaded.objectives.prefetch_related("indicators"):
        assert 2 <= len(objective.indicators.all()) <= 4, objective.number
    online = Indicator.objects.get(code="t4-dvc-truc-tuyen")
    assert online.objective.number == 4
    assert online.kind == Indicator.Kind.PERCENT


def test_loader_generates_quarterly_periods_q3_2021_to_q4_2026(loaded):
    labels = list(loaded.periods.order_by("starts_on").values_list("label", flat=True))
    assert labels[0] == "Q3/2021" and labels[-1] == "Q4/2026"
    assert len(labels) == 22


def test_loading_twice_changes_nothing(loaded):
    counts = (
        Campaign.objects.count(),
        Objective.objects.count(),
        Indicator.objects.count(),
        ReportingPeriod.objects.count(),
    )
    call_command("load_campaign", stdout=io.StringIO())
    assert (
        counts
        == (
            Campaign.objects.count(),
            Objective.objects.count(),
            Indicator.objects.count(),
            ReportingPeriod.objects.count(),
        )
        == (1, 6, 17, 22)
    )


def test_loader_reports_an_unreadable_file(db, tmp_path):
    from django.core.management.base import CommandError

    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    with pytest.raises(CommandError, match=r"broken\.json"):
        call_command("load_campaign", file=broken)
    assert not Campaign.objects.exists()

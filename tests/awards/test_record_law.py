"""The record the engine reads, issue 12: open matters (NĐ 152 Art 4), the staff of the year for
the collective shares (point 7a), results above 100 % for "exceeds" (TT 22/2023 Art 6), the day
of submission (point 6), the migration of the rating's pending value, and the open matters'
admin and import."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
import tablib
import time_machine
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from awards.eligibility import evaluate
from awards.models import OpenMatter, TaskRating
from awards.resources import OpenMatterResource, TaskRatingResource
from awards.selectors.nominations import nomination_evaluate
from awards.selectors.record import nominee_record, unit_progress, unit_staff_of_year
from campaigns.models import IndicatorValue, ProgressReport, Registration, Target
from tests.factories import AwardGrantFactory, PersonFactory, TaskRatingFactory

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def staff(unit):
    return PersonFactory(unit=unit, code="cb-01", full_name="Đặng Thu Trang")


# --- Open matters reach the engine ---------------------------------------------------------


@pytest.mark.parametrize(
    ("opened", "closed", "day", "blocked"),
    [
        pytest.param(D(2020, 1, 1), None, D(2025, 3, 1), True, id="NĐ 152 Art 4: open → blocks"),
        pytest.param(
            D(2020, 1, 1), D(2025, 3, 1), D(2025, 3, 1), False, id="NĐ 152 Art 4: resolved → free"
        ),
        pytest.param(
            D(2025, 3, 2), None, D(2025, 3, 1), False, id="NĐ 152 Art 4: opened later → free"
        ),
    ],
)
def test_an_open_matter_of_the_record_blocks_on_the_day(staff, opened, closed, day, blocked):
    OpenMatter.objects.create(
        person=staff,
        kind="complaint",
        summary="Đơn khiếu nại",
        opened_on=opened,
        closed_on=closed,
        resolution="Đã giải quyết" if closed else "",
    )
    record = nominee_record(person=staff, year=2024)
    line = evaluate(record, rule_codes=["rating_good_or_better"], on=day).line("no_pending_matter")
    assert (line.outcome == "not_met") is blocked


def test_the_submission_day_is_the_day_evaluated(nomination):
    nomination.submitted_at = datetime.datetime(2025, 6, 30, 3, tzinfo=datetime.UTC)
    assert nomination_evaluate(nomination).on == D(2025, 6, 30)
    nomination.submitted_at = None
    assert nomination_evaluate(nomination).on == datetime.date.today()


# --- Point 7a: the staff of the year, higher titles counted ---------------------------------


def test_the_staff_of_the_year_is_read_from_the_roster_history(unit, other_unit):
    with time_machine.travel(datetime.datetime(2024, 2, 1, tzinfo=datetime.UTC)):
        stayed = PersonFactory(unit=unit)
        left = PersonFactory(unit=unit)
    with time_machine.travel(datetime.datetime(2025, 3, 1, tzinfo=datetime.UTC)):
        left.unit = other_unit
        left.save()
        joined = PersonFactory(unit=unit)
    # Loaded after the year, without history then: counted when rated for the year.
    late_rated = PersonFactory(unit=unit)
    TaskRatingFactory(person=late_rated, year=2024, rating="HTT")
    staff = set(unit_staff_of_year(unit, 2024))
    assert staff == {stayed.pk, left.pk, late_rated.pk}
    assert joined.pk not in staff
    assert left.pk in set(unit_staff_of_year(other_unit, 2025)) - set(
        unit_staff_of_year(other_unit, 2024)
    )


def test_a_higher_title_counts_for_the_lower_share(unit, catalogue):
    with time_machine.travel(datetime.datetime(2024, 2, 1, tzinfo=datetime.UTC)):
        people = [PersonFactory(unit=unit) for _ in range(4)]
    for person in people:
        TaskRatingFactory(person=person, year=2024, rating="HTT")
    AwardGrantFactory(person=people[0], unit=None, year=2024, award_type=catalogue["LDTT"])
    AwardGrantFactory(person=people[1], unit=None, year=2024, award_type=catalogue["CSTDCS"])
    AwardGrantFactory(person=people[2], unit=None, year=2024, award_type=catalogue["CSTD_BO"])
    members = nominee_record(unit=unit, year=2024).members
    assert (members.total, members.ldtt, members.cstdcs) == (4, 3, 2)


# --- Point 7c: results above 100 % ---------------------------------------------------------


@pytest.fixture
def registered(campaign, unit):
    registration = Registration.objects.create(
        campaign=campaign, unit=unit, year=2025, status="confirmed"
    )
    indicators = list(campaign.objectives.get(number=1).indicators.order_by("code"))
    for indicator, target in zip(indicators, [Decimal("80"), Decimal("50")], strict=True):
        Target.objects.create(registration=registration, indicator=indicator, value=target)
    return indicators


@pytest.mark.parametrize(
    ("values", "expected", "exceeded"),
    [
        pytest.param((85, 60), "met", 2, id="TT 22/2023 Art 6: both above target → exceeds"),
        pytest.param((85, 50), "not_met", 1, id="TT 22/2023 Art 6: one at exactly 100 % → not"),
        pytest.param((79, 60), "not_met", 1, id="TT 22/2023 Art 6: one below → not"),
    ],
)
def test_exceeding_is_read_from_uncapped_results(
    registered, campaign, unit, catalogue, values, expected, exceeded
):
    report = ProgressReport.objects.create(
        unit=unit, period=campaign.periods.get(label="Q1/2025"), status="accepted"
    )
    for indicator, value in zip(registered, values, strict=True):
        IndicatorValue.objects.create(report=report, indicator=indicator, value=Decimal(value))
    assert unit_progress(unit, 2025).targets_exceeded == exceeded
    award = catalogue["CO_BO"]
    evaluation = evaluate(
        nominee_record(unit=unit, year=2025), rule_codes=award.rule_codes, rule_params={}
    )
    assert evaluation.line("exceeds_targets").outcome == expected


# --- The migration: the rating's pending value becomes an open matter ----------------------


# The state before 0008 (the units' authority of 0006 came later, with the levels).
BEFORE_0008 = [("awards", "0007_open_matters"), ("units", "0005_person_codes_as_slugs")]


@pytest.mark.django_db(transaction=True)
def test_the_migration_moves_pending_values_to_open_matters_and_back(capsys):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE_0008)
    old = executor.loader.project_state(BEFORE_0008).apps
    Unit = old.get_model("units", "Unit")
    Person = old.get_model("units", "Person")
    unit = Unit.objects.create(code="u-mig", name="Đơn vị", kind="department")
    person = Person.objects.create(code="p-mig", full_name="Người A", unit=unit)
    OldRating = old.get_model("awards", "TaskRating")
    OldRating.objects.create(person=person, year=2023, rating="HTT", pending="investigation")
    OldRating.objects.create(unit=unit, year=2024, rating="HTT", pending="complaint")
    OldRating.objects.create(person=person, year=2024, rating="HTXS")
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert "Moved 2 pending matter(s)" in capsys.readouterr().out
    matters = OpenMatter.objects.order_by("opened_on")
    assert [(m.kind, m.opened_on, m.closed_on) for m in matters] == [
        ("investigation", D(2023, 1, 1), None),
        ("complaint", D(2024, 1, 1), None),
    ]
    assert "xếp loại nhiệm vụ năm 2023" in matters[0].summary
    assert TaskRating.objects.count() == 3
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE_0008)
    old = executor.loader.project_state(BEFORE_0008).apps
    restored = old.get_model("awards", "TaskRating").objects.exclude(pending="")
    assert sorted(restored.values_list("year", "pending")) == [
        (2023, "investigation"),
        (2024, "complaint"),
    ]
    assert not old.get_model("awards", "OpenMatter").objects.exists()
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_the_shipped_catalogue_has_the_law_s_groups(catalogue):
    for code, label in (("BK_BO", "74.1"), ("BK_TTG", "73.1"), ("HCLD_3", "44.1")):
        group = catalogue[code].rule_codes[0]
        assert label in group["label"] and len(group["any_of"]) == 2, code
        assert "not_disciplined_in_period" in catalogue[code].rule_codes
        catalogue[code].full_clean()


# --- Imports and the admin -------------------------------------------------------------------


def test_a_ratings_file_with_a_filled_pending_column_is_refused_with_a_reason(staff):
    data = tablib.Dataset(
        ["cb-01", "", "2024", "HTT", "", "", "Đang bị điều tra"],
        headers=["person", "unit", "year", "rating", "disciplined", "discipline_level", "pending"],
    )
    result = TaskRatingResource().import_data(data, dry_run=False)
    assert result.has_validation_errors()
    message = str(result.invalid_rows[0].error)
    assert "pending" in message and "vụ việc" in message
    assert not TaskRating.objects.exists()
    data = tablib.Dataset(
        ["cb-01", "", "2024", "HTT", "", "", ""],
        headers=["person", "unit", "year", "rating", "disciplined", "discipline_level", "pending"],
    )
    result = TaskRatingResource().import_data(data, dry_run=False)
    assert not result.has_validation_errors() and TaskRating.objects.count() == 1


@pytest.mark.parametrize(
    ("row", "error"),
    [
        pytest.param(
            ["cb-01", "", "khiếu nại, tố cáo", "Đơn", "2025-01-02", "", ""], None, id="ok"
        ),
        pytest.param(
            ["cb-01", "", "complaint", "Đơn", "2025-01-02", "2025-01-01", "Xong"],
            "trước ngày phát sinh",
            id="resolved before it opened",
        ),
        pytest.param(
            ["cb-01", "", "complaint", "Đơn", "2025-01-02", "2025-02-01", ""],
            "kết quả giải quyết",
            id="resolved without saying how",
        ),
        pytest.param(
            ["cb-01", "", "rumour", "Đơn", "2025-01-02", "", ""], "rumour", id="unknown kind"
        ),
        pytest.param(
            ["cb-01", "", "complaint", "Đơn", "2999-01-02", "", ""], "tương lai", id="future"
        ),
    ],
)
def test_open_matters_import_validates_each_row(staff, row, error):
    headers = ["person", "unit", "kind", "summary", "opened_on", "closed_on", "resolution"]
    result = OpenMatterResource().import_data(tablib.Dataset(row, headers=headers), dry_run=False)
    if error is None:
        assert not result.has_validation_errors() and not result.has_errors()
        assert OpenMatter.objects.get().kind == "complaint"
    else:
        assert result.has_validation_errors() or result.has_errors()
        assert error in str(result.invalid_rows[0].error) if result.invalid_rows else True
        assert not OpenMatter.objects.exists()


def test_the_secretary_records_and_closes_a_matter_in_the_admin(client, cast, staff):
    client.force_login(cast["secretary"])
    add = reverse("admin:awards_openmatter_add")
    response = client.post(
        add,
        {
            "person": staff.pk,
            "kind": "investigation",
            "summary": "Vụ ABC",
            "opened_on": "2025-01-02",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    matter = OpenMatter.objects.get()
    assert matter.created_by == cast["secretary"] and matter.is_open
    change = reverse("admin:awards_openmatter_change", args=[matter.pk])
    response = client.post(
        change,
        {
            "person": staff.pk,
            "kind": "investigation",
            "summary": "Vụ ABC",
            "opened_on": "2025-01-02",
            "closed_on": "2025-02-01",
            "resolution": "Không có vi phạm",
        },
    )
    assert response.status_code == 302
    matter.refresh_from_db()
    assert not matter.is_open
    listing = reverse("admin:awards_openmatter_changelist")
    assert "Vụ ABC" not in client.get(listing + "?state=open").content.decode()
    assert "Vụ ABC" in client.get(listing + "?state=closed").content.decode()
    assert client.get(reverse("admin:awards_openmatter_import")).status_code == 200
    client.force_login(cast["officer"])
    assert client.get(add).status_code in (302, 403)  # not for an officer
    assert client.post(add, {"person": staff.pk, "kind": "complaint"}).status_code in (302, 403)
    assert OpenMatter.objects.count() == 1


# --- The nomination page: groups, paths, the day and its citations; old snapshots ----------


def test_the_page_shows_the_group_the_path_met_and_the_texts_of_the_day(client, cast, draft_for):
    nomination = draft_for(award="BK_BO")
    client.force_login(cast["officer"])
    page = client.get(reverse("awards:detail", args=[nomination.pk])).content.decode()
    assert "Một trong các tiêu chuẩn sau" in page  # Law Art 74.1: one of the following
    assert "Trường hợp 1" in page and "Trường hợp 2" in page
    assert "Hội đồng Thi đua - Khen thưởng xem xét" in page  # the path for the council
    assert "Áp dụng tiêu chí và văn bản có hiệu lực ngày" in page
    assert "Nghị định 152/2025/NĐ-CP, Điều 4" in page  # in force today, not NĐ 98
    assert nomination.eligibility_outcome in ("unknown", "not_met")  # never met by default


def test_an_old_flat_snapshot_still_renders(client, cast, nomination):
    nomination.eligibility = {
        "outcome": "met",
        "evaluated_at": "2025-01-02T10:00:00+07:00",
        "lines": [
            {
                "code": "rating_good_or_better",
                "outcome": "met",
                "title": {"vi": "Xếp loại HTT trở lên", "en": "Rated HTT"},
                "basis": {"vi": "Luật cũ, Điều 24", "en": "Old law, Art. 24"},
                "reason": {"vi": "Xếp loại HTT năm 2024.", "en": "Rated HTT in 2024."},
            }
        ],
        "notes": [],
    }
    nomination.save()
    client.force_login(cast["officer"])
    response = client.get(reverse("awards:detail", args=[nomination.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Luật cũ, Điều 24" in page and "Xếp loại HTT năm 2024." in page

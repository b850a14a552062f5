"""The bulk import of users with their memberships: row errors by row and column, nothing
written unless every row is good, an existing user updated, a closed unit refused, the new
accounts invited once the import is committed."""

import datetime
import io

import pytest
import tablib
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from accounts.resources import UserMembershipResource
from tests.factories import PersonFactory, UnitFactory, UserFactory
from units.models import Membership, Person, User

pytestmark = pytest.mark.django_db

HEADERS = ["username", "full_name", "email", "unit", "role", "staff_code"]


def _data(*rows):
    return tablib.Dataset(*rows, headers=HEADERS)


def _import(*rows, dry_run=False, **kwargs):
    return UserMembershipResource().import_data(_data(*rows), dry_run=dry_run, **kwargs)


def test_good_rows_make_users_memberships_and_invitations(
    unit, other_unit, django_capture_on_commit_callbacks
):
    PersonFactory(code="nv-001", unit=unit)
    with django_capture_on_commit_callbacks(execute=True):
        result = _import(
            ["lan", "Nguyễn Thị Lan", "lan@example.gov.vn", "cuc-a", "officer", "nv-001"],
            ["minh", "Trần Văn Minh", "minh@example.gov.vn", "cuc-a", "head", ""],
            ["minh", "Trần Văn Minh", "minh@example.gov.vn", "cuc-b", "officer", ""],
        )
    assert not result.has_errors() and not result.has_validation_errors()
    lan = User.objects.get(username="lan")
    assert not lan.has_usable_password()  # cannot sign in until the invitation is used
    assert Person.objects.get(code="nv-001").user == lan
    assert set(
        Membership.objects.filter(user__username="minh").values_list("unit__code", "role")
    ) == {
        ("cuc-a", "head"),
        ("cuc-b", "officer"),
    }
    assert sorted(message.to[0] for message in mail.outbox) == [
        "lan@example.gov.vn",
        "minh@example.gov.vn",
    ]


def test_importing_again_updates_and_does_not_duplicate(unit, django_capture_on_commit_callbacks):
    row = ["lan", "Nguyễn Thị Lan", "lan@example.gov.vn", "cuc-a", "officer", ""]
    with django_capture_on_commit_callbacks(execute=True):
        _import(row)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        result = _import(
            ["lan", "Nguyễn Thị Lan Anh", "lan@example.gov.vn", "cuc-a", "officer", ""]
        )
    assert not result.has_validation_errors()
    assert User.objects.filter(username="lan").count() == 1
    assert User.objects.get(username="lan").full_name == "Nguyễn Thị Lan Anh"
    assert Membership.objects.filter(user__username="lan").count() == 1
    assert mail.outbox == []  # an existing account is not invited again by an import


def test_one_bad_row_writes_nothing_and_names_row_and_column(unit, ministry):
    UnitFactory(code="da-dong", parent=ministry, closed_on=datetime.date(2020, 1, 1))
    UserFactory(username="taken", email="taken@example.gov.vn")
    result = _import(
        ["lan", "Nguyễn Thị Lan", "lan@example.gov.vn", "cuc-a", "officer", ""],
        ["x1", "X", "x1@example.gov.vn", "khong-co", "officer", ""],
        ["x2", "X", "x2@example.gov.vn", "da-dong", "boss", "nv-404"],
        ["x3", "X", "taken@example.gov.vn", "cuc-a", "officer", ""],
        ["x4", "X", "", "cuc-a", "head", ""],
    )
    assert result.has_validation_errors()
    errors = {row.number: row.field_specific_errors for row in result.invalid_rows}
    assert set(errors) == {2, 3, 4, 5}
    assert "khong-co" in str(errors[2]["unit"])
    assert "closed" in str(errors[3]["unit"]) or "đóng" in str(errors[3]["unit"])
    assert set(errors[3]) == {"unit", "role", "staff_code"}
    assert set(errors[4]) == {"email"} and set(errors[5]) == {"email"}
    assert not User.objects.filter(username__in=["lan", "x1", "x2", "x3", "x4"]).exists()
    assert not Membership.objects.exists()


def test_a_person_linked_to_someone_else_is_refused(unit):
    other = UserFactory(username="other")
    PersonFactory(code="nv-002", unit=unit, user=other)
    result = _import(["lan", "Lan", "lan@example.gov.vn", "cuc-a", "officer", "nv-002"])
    (row,) = result.invalid_rows
    assert set(row.field_specific_errors) == {"staff_code"}


def test_the_admin_dry_run_writes_nothing_then_the_confirmation_writes_all(
    client, cast, unit, django_capture_on_commit_callbacks
):
    client.force_login(cast["admin"])
    csv = (
        "username,full_name,email,unit,role,staff_code\nlan,Lan,lan@example.gov.vn,cuc-a,officer,\n"
    )
    url = reverse("admin:units_user_import")
    upload = io.BytesIO(csv.encode())
    upload.name = "users.csv"
    # The admin's second factor is tested in test_two_factor.
    with override_settings(TWO_FACTOR_ENFORCED=False):
        response = client.post(url, {"format": 1, "resource": 0, "import_file": upload})
        assert response.status_code == 200
        assert not User.objects.filter(username="lan").exists()  # the dry run
        confirm = response.context["confirm_form"]
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("admin:units_user_process_import"), confirm.initial)
    assert response.status_code == 302
    assert Membership.objects.filter(user__username="lan", unit=unit).exists()
    assert [message.to for message in mail.outbox] == [["lan@example.gov.vn"]]

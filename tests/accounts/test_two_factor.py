"""Two-factor sign-in: required for administrators, the board's secretary and council members
(set up at their first sign-in), optional for others; codes and recovery codes work once; the
admin site is behind the same sign-in; the administrator resets a user's devices."""

import pytest
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import SignInEvent
from tests.accounts.helpers import code_for, set_up, sign_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ["admin", "secretary", "board"])
def test_a_required_role_sets_up_the_authenticator_at_first_sign_in(client, cast, password, role):
    response = sign_in(client, role, password)
    home = client.get(reverse("home"))
    assert home.status_code == 302
    assert home["Location"].startswith(reverse("accounts:two_factor_setup"))
    page = client.get(home["Location"]).content.decode()
    assert "<svg" in page and "data-otp-secret" in page  # the QR code, drawn here
    assert client.get(reverse("campaigns:list")).status_code == 302  # nothing else either
    codes = set_up(client, cast[role])
    assert len(codes) == 10
    assert client.get(reverse("home")).status_code == 200
    assert response.status_code == 302


def test_a_member_seated_on_a_council_is_required(client, cast, password):
    import datetime

    from awards.models import Council, CouncilMember

    member = UserFactory(username="uyvien")
    sign_in(client, "uyvien", password)
    assert client.get(reverse("home")).status_code == 200  # not seated: not asked
    client.post(reverse("logout"))
    council = Council.objects.create(
        term_start=datetime.date(2024, 1, 1), term_end=datetime.date(2030, 12, 31)
    )
    CouncilMember.objects.create(
        council=council, user=member, role="member", term_start=datetime.date(2024, 1, 1)
    )
    sign_in(client, "uyvien", password)
    assert client.get(reverse("home"))["Location"].startswith(reverse("accounts:two_factor_setup"))


def test_an_officer_is_not_asked_but_may_opt_in(client, cast, password):
    sign_in(client, "officer", password)
    assert client.get(reverse("home")).status_code == 200
    set_up(client, cast["officer"])
    client.post(reverse("logout"))
    sign_in(client, "officer", password)
    response = client.get(reverse("home"))
    assert response["Location"].startswith(reverse("accounts:two_factor_verify"))


def _with_authenticator(client, user, password):
    sign_in(client, user.username, password)
    codes = set_up(client, user)
    client.post(reverse("logout"))
    return codes


def test_a_code_is_asked_at_every_sign_in_and_works_once(client, cast, password):
    user = cast["secretary"]
    _with_authenticator(client, user, password)
    device = TOTPDevice.objects.get(user=user)
    sign_in(client, "secretary", password)
    verify = reverse("accounts:two_factor_verify")
    assert client.get(reverse("home"))["Location"].startswith(verify)
    wrong = client.post(verify, {"code": "000000" if code_for(device) != "000000" else "111111"})
    assert wrong.status_code == 422
    code = code_for(device)
    assert client.post(verify, {"code": code, "next": "/campaigns/"})["Location"] == "/campaigns/"
    assert client.get(reverse("home")).status_code == 200
    client.post(reverse("logout"))
    sign_in(client, "secretary", password)
    assert client.post(verify, {"code": code}).status_code == 422  # the same code again
    kinds = list(SignInEvent.objects.filter(user=user).values_list("kind", flat=True))
    assert "2fa_failed" in kinds and "2fa_verified" in kinds and "2fa_enabled" in kinds


def test_a_recovery_code_works_once(client, cast, password):
    user = cast["secretary"]
    codes = _with_authenticator(client, user, password)
    verify = reverse("accounts:two_factor_verify")
    sign_in(client, "secretary", password)
    assert client.post(verify, {"code": codes[0]}).status_code == 302
    assert StaticToken.objects.filter(device__user=user).count() == 9
    client.post(reverse("logout"))
    sign_in(client, "secretary", password)
    assert client.post(verify, {"code": codes[0]}).status_code == 422


def test_the_admin_needs_the_second_factor_and_the_apps_sign_in(client, cast, password):
    response = client.get("/admin/login/?next=/admin/units/unit/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    user = cast["admin"]
    # Signed in with the password on the admin's own form: the admin still wants the code.
    client.post("/admin/login/", {"username": "admin", "password": password, "next": "/admin/"})
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:two_factor_setup"))
    set_up(client, user)
    assert client.get("/admin/").status_code == 200


def test_a_session_made_before_the_requirement_cannot_enter_the_admin(client, password):
    user = UserFactory(username="newstaff")
    client.post(reverse("login"), {"username": "newstaff", "password": password})
    user.is_staff = True
    user.is_superuser = True
    user.save()
    assert client.get("/admin/")["Location"].startswith(reverse("accounts:two_factor_setup"))


def test_the_administrator_resets_a_users_devices(client, cast, password):
    user = cast["secretary"]
    _with_authenticator(client, user, password)
    admin = cast["admin"]
    sign_in(client, "admin", password)
    set_up(client, admin)
    response = client.post(
        reverse("admin:units_user_changelist"),
        {"action": "reset_two_factor", "_selected_action": [user.pk]},
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert SignInEvent.objects.filter(kind="2fa_reset", user=user).exists()
    client.post(reverse("logout"))
    sign_in(client, "secretary", password)
    assert client.get(reverse("home"))["Location"].startswith(reverse("accounts:two_factor_setup"))


def test_the_user_menu_and_the_bell_do_not_escape(client, cast, password):
    sign_in(client, "board", password)
    response = client.get(reverse("me:notifications"), HTTP_HX_REQUEST="true")
    assert response.status_code == 302 and "HX-Redirect" in response

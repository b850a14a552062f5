"""Two-factor sign-in: set up an authenticator app (QR code drawn here, no outside service),
answer the challenge with a code or a single-use recovery code, manage one's own."""

from __future__ import annotations

import base64

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import two_factor
from accounts.forms import CodeForm
from accounts.models import SignInEvent
from accounts.services.audit import event_record

RECOVERY_SESSION_KEY = "accounts_recovery_codes"


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "/"


def _new_recovery_codes(user) -> list[str]:
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name="recovery", defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(two_factor.RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def _finish(request: HttpRequest, device) -> None:
    otp_login(request, device)
    request.session.pop(two_factor.STATE_KEY, None)


@login_required
@require_http_methods(["GET", "POST"])
def setup_view(request: HttpRequest) -> HttpResponse:
    user = request.user
    if two_factor.has_authenticator(user):
        return redirect("accounts:two_factor")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            with transaction.atomic():
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                codes = _new_recovery_codes(user)
            _finish(request, device)
            event_record(kind=SignInEvent.Kind.TWO_FACTOR_ENABLED, request=request, user=user)
            request.session[RECOVERY_SESSION_KEY] = codes
            return redirect(f"{_recovery_url()}?next={_next(request)}")
        form.add_error("code", _("This code is not right. Type the code the app shows now."))
    secret = base64.b32encode(device.bin_key).decode()
    qr = segno.make(device.config_url, error="m")
    context = {
        "form": form,
        "qr": mark_safe(qr.svg_inline(scale=4, dark="#111", title=_("QR code"))),
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "secret_raw": secret,
        "required": two_factor.two_factor_required(user),
        "next": _next(request),
    }
    status = 422 if request.method == "POST" else 200
    return render(request, "accounts/two_factor_setup.html", context, status=status)


def _recovery_url() -> str:
    from django.urls import reverse

    return reverse("accounts:recovery_codes")


@login_required
@require_http_methods(["GET", "POST"])
def verify_view(request: HttpRequest) -> HttpResponse:
    user = request.user
    if request.session.get(two_factor.STATE_KEY) == two_factor.SETUP:
        return redirect("accounts:two_factor_setup")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        device = _match(user, code)
        if device is not None:
            _finish(request, device)
            kind = (
                SignInEvent.Kind.TWO_FACTOR_RECOVERY
                if isinstance(device, StaticDevice)
                else SignInEvent.Kind.TWO_FACTOR_VERIFIED
            )
            event_record(kind=kind, request=request, user=user)
            if kind == SignInEvent.Kind.TWO_FACTOR_RECOVERY:
                left = StaticToken.objects.filter(device=device).count()
                messages.warning(
                    request,
                    _("You used a recovery code; %(left)d are left. Make new ones soon.")
                    % {"left": left},
                )
            return redirect(_next(request))
        event_record(kind=SignInEvent.Kind.TWO_FACTOR_FAILED, request=request, user=user)
        if _throttled(user):
            form.add_error(
                "code", _("Too many wrong codes in a row: wait a minute, then type a new code.")
            )
        else:
            form.add_error("code", _("This code is not right, or was already used."))
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "accounts/two_factor_verify.html",
        {"form": form, "next": _next(request)},
        status=status,
    )


def _throttled(user) -> bool:
    return any(
        not device.verify_is_allowed()[0]
        for device in TOTPDevice.objects.filter(user=user, confirmed=True)
    )


def _match(user, code: str):
    if code.isdigit() and len(code) in (6, 8):
        for device in TOTPDevice.objects.filter(user=user, confirmed=True):
            if device.verify_is_allowed()[0] and device.verify_token(code):
                return device
    for device in StaticDevice.objects.filter(user=user, confirmed=True):
        # A recovery code is deleted when it is used: it works once.
        if device.verify_is_allowed()[0] and device.verify_token(code):
            return device
    return None


@require_http_methods(["GET"])
def recovery_codes_view(request: HttpRequest) -> HttpResponse:
    codes = request.session.pop(RECOVERY_SESSION_KEY, None)
    if not codes:
        return redirect("accounts:two_factor")
    return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": _next(request)})


@require_http_methods(["GET"])
def manage_view(request: HttpRequest) -> HttpResponse:
    user = request.user
    static = StaticDevice.objects.filter(user=user, name="recovery").first()
    context = {
        "has_authenticator": two_factor.has_authenticator(user),
        "required": two_factor.two_factor_required(user),
        "codes_left": static.token_set.count() if static else 0,
        "verified": user.is_verified(),
    }
    return render(request, "accounts/two_factor.html", context)


@require_POST
def recovery_codes_new(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not (two_factor.has_authenticator(user) and user.is_verified()):
        return redirect("accounts:two_factor")
    request.session[RECOVERY_SESSION_KEY] = _new_recovery_codes(user)
    event_record(
        kind=SignInEvent.Kind.TWO_FACTOR_ENABLED, request=request, user=user, detail="new codes"
    )
    return redirect("accounts:recovery_codes")


@require_POST
def turn_off(request: HttpRequest) -> HttpResponse:
    user = request.user
    if two_factor.two_factor_required(user):
        messages.error(request, _("Two-factor sign-in is required for your role."))
    elif two_factor.has_authenticator(user) and user.is_verified():
        two_factor.devices_reset(user)
        event_record(
            kind=SignInEvent.Kind.TWO_FACTOR_RESET, request=request, user=user, detail="by self"
        )
        messages.success(request, _("Two-factor sign-in is turned off."))
    return redirect("accounts:two_factor")

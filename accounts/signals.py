"""The sign-in log, open sessions and the second factor owed, from Django's and axes' signals;
sessions end when a user is deactivated or loses their last membership."""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from accounts import two_factor
from accounts.models import SignInEvent
from accounts.services.audit import event_record
from accounts.services.sessions import session_forget, session_remember, sessions_end
from units.models import Membership, User

SEEN_KEY = "accounts_seen"


@receiver(user_logged_in)
def signed_in(sender, request, user, **kwargs) -> None:
    import time

    event_record(kind=SignInEvent.Kind.SIGN_IN, request=request, user=user)
    session = getattr(request, "session", None)
    if session is None:
        return
    session[SEEN_KEY] = int(time.time())
    if two_factor.enforced():
        state = two_factor.login_state(user)
        if state:
            session[two_factor.STATE_KEY] = state
    if session.session_key is None:
        session.save()
    session_remember(user=user, session_key=session.session_key)


@receiver(user_logged_out)
def signed_out(sender, request, user, **kwargs) -> None:
    if user is None:
        return
    event_record(kind=SignInEvent.Kind.SIGN_OUT, request=request, user=user)
    session = getattr(request, "session", None)
    if session is not None:
        session_forget(session_key=session.session_key)


@receiver(user_login_failed)
def sign_in_failed(sender, credentials, request=None, **kwargs) -> None:
    username = str((credentials or {}).get("username", ""))
    user = User.objects.filter(username=username).first() if username else None
    event_record(kind=SignInEvent.Kind.FAILURE, request=request, user=user, username=username)


@receiver(user_locked_out)
def locked_out(sender, request, username, ip_address, **kwargs) -> None:
    user = User.objects.filter(username=username).first() if username else None
    event_record(kind=SignInEvent.Kind.LOCKOUT, request=request, user=user, username=username or "")


@receiver(post_save, sender=User)
def user_saved(sender, instance: User, created: bool, **kwargs) -> None:
    if not created and not instance.is_active:
        sessions_end(user=instance, reason="deactivated")


@receiver(post_delete, sender=Membership)
def membership_removed(sender, instance: Membership, **kwargs) -> None:
    user = User.objects.filter(pk=instance.user_id).first()
    if user is not None and not Membership.objects.filter(user_id=user.pk).exists():
        sessions_end(user=user, reason="last membership removed")

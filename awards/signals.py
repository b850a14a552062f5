"""Drop cached roles (units.roles) when a council or a seat on it changes."""

from django.contrib.auth.models import Group
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from awards.models import Council, CouncilMember
from units.roles import BOARD_GROUP, forget_roles


@receiver([post_save, post_delete], sender=CouncilMember)
def seat_changed(sender, instance: CouncilMember, **kwargs) -> None:
    forget_roles(instance.user_id)


@receiver([post_save, post_delete], sender=Council)
def council_changed(sender, instance: Council, **kwargs) -> None:
    # A council recorded, moved or removed can change who sits on the board for everyone on it
    # and for the `board` group that stands in while no council covers the day.
    seated = set(
        CouncilMember.objects.filter(council_id=instance.pk).values_list("user_id", flat=True)
    )
    group = set(Group.objects.filter(name=BOARD_GROUP).values_list("user__pk", flat=True))
    for user_id in (seated | group) - {None}:
        forget_roles(user_id)

"""Drop a user's cached roles when what they are made of changes."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from units.models import Membership, User
from units.roles import forget_roles


@receiver([post_save, post_delete], sender=Membership)
def membership_changed(sender, instance: Membership, **kwargs) -> None:
    forget_roles(instance.user_id)


@receiver(m2m_changed, sender=User.groups.through)
def groups_changed(sender, instance, action: str, reverse: bool, pk_set, **kwargs) -> None:
    if not action.startswith("post_"):
        return
    if reverse:  # group.user_set changed: instance is the group
        for user_id in pk_set or instance.user_set.values_list("pk", flat=True):
            forget_roles(user_id)
    else:
        forget_roles(instance.pk)

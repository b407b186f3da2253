"""The user's API tokens follow the account, however it is changed (the account page, a password reset, the admin
site, a shell): a password set or the account disabled revokes them; Django's re-hashing of an unchanged password at
sign-in does not."""

from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from . import services
from .models import User

_WATCHED = {"password", "is_active"}


def _is_rehash_save(instance: User, update_fields) -> bool:
    # check_password's setter: set_password, then `_password` cleared ("hash upgrades shouldn't be considered
    # password changes"), then save(update_fields=["password"]).
    return update_fields is not None and set(update_fields) == {"password"} and instance._password is None


@receiver(pre_save, sender=User)
def remember_hash_before_rehash(sender, instance: User, update_fields=None, raw=False, **kwargs):
    if raw or instance.pk is None or not _is_rehash_save(instance, update_fields):
        return
    instance._kc_old_password_hash = User.objects.filter(pk=instance.pk).values_list("password", flat=True).first()


@receiver(post_save, sender=User)
def revoke_tokens_the_account_no_longer_allows(sender, instance: User, created=False, update_fields=None, raw=False,
                                               **kwargs):
    if raw or created:
        return
    if update_fields is not None and not _WATCHED & set(update_fields):
        return  # a sign-in's last_login, a name: nothing the tokens depend on
    old_hash = instance.__dict__.pop("_kc_old_password_hash", None)
    if old_hash:
        services.api_tokens_follow_hash_upgrade(user=instance, old_hash=old_hash)
    services.api_tokens_revoke_stale(user=instance)

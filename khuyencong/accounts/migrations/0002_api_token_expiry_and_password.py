"""API tokens expire and end with the password they were issued under.

Tokens issued before this migration never expired: they are given the default lifetime (90 days) from the day of
the migration, so integrations keep working while their owners see the date on the account page, and the
fingerprint of their user's current password."""

import datetime

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone
from django.utils.crypto import salted_hmac


def ninety_days_from_now():
    return timezone.now() + datetime.timedelta(days=90)


def stamp_current_passwords(apps, schema_editor):
    # The same keyed hash as accounts/tokens.py `password_fingerprint`, written out so that this migration does not
    # change if that module does.
    ApiToken = apps.get_model("accounts", "ApiToken")
    for token in ApiToken.objects.using(schema_editor.connection.alias).select_related("user"):
        token.password_fingerprint = salted_hmac(
            "khuyencong.accounts.tokens.password_fingerprint", token.user.password,
            secret=settings.SECRET_KEY, algorithm="sha256",
        ).hexdigest()
        token.save(update_fields=["password_fingerprint"])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(default=ninety_days_from_now, verbose_name="expires"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="apitoken",
            name="password_fingerprint",
            field=models.CharField(default="", editable=False, max_length=64),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="apitoken",
            name="revoked_reason",
            field=models.CharField(
                blank=True,
                default="",
                choices=[
                    ("revoked", "revoked"),
                    ("password_changed", "revoked: the password was changed"),
                    ("account_disabled", "revoked: the account was disabled"),
                ],
                max_length=20,
                verbose_name="reason for revocation",
            ),
        ),
        migrations.AlterField(
            model_name="apitoken",
            name="created_at",
            field=models.DateTimeField(auto_now_add=True, verbose_name="created"),
        ),
        migrations.AlterField(
            model_name="apitoken",
            name="last_used_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="last used"),
        ),
        migrations.AlterField(
            model_name="apitoken",
            name="prefix",
            field=models.CharField(db_index=True, max_length=12, verbose_name="token"),
        ),
        migrations.AlterField(
            model_name="apitoken",
            name="revoked_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="revoked"),
        ),
        migrations.AlterField(
            model_name="apitoken",
            name="user",
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="api_tokens",
                                    to=settings.AUTH_USER_MODEL, verbose_name="user"),
        ),
        migrations.RunPython(stamp_current_passwords, migrations.RunPython.noop, elidable=True),
    ]

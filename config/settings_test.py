"""Test settings: the same as production but for the immediate task backend, plain static files and a fast hasher."""

import os

os.environ.setdefault("KC_PLAIN_STATIC", "1")

from .settings import *  # noqa: F403

TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = VAR_DIR / "test-media"  # noqa: F405
STATIC_ROOT = VAR_DIR / "test-static"  # noqa: F405
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# The suite signs users in with force_login and no second factor; the two-factor tests turn the roles on.
KC_2FA_REQUIRED_ROLES = []
KC_2FA_ADMIN_SITE = False  # the admin's tests sign in with force_login; test_two_factor turns both on

"""Fixtures shared by every app's tests (see khuyencong/core/testing/)."""

pytest_plugins = ["khuyencong.core.testing.fixtures"]

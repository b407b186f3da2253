"""Fixtures shared by every app's tests (see khuyencong/testing/)."""

pytest_plugins = ["khuyencong.testing.fixtures"]

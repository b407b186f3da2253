"""The legal rules are not demo data, but a fresh database needs them: loading is idempotent."""

from .loader import load_rules


def seed(stdout=None):
    load_rules()

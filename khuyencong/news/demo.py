"""The news demo data (idempotent), registered in DEMO_SEEDERS."""


def seed(stdout=None) -> None:
    return None

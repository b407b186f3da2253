"""Demo periodic reports. Deterministic and idempotent."""


def seed(stdout) -> None:
    return None

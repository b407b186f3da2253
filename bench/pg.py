"""Drops and recreates a dedicated PostgreSQL benchmark database (only one whose name starts with "kc_bench")."""

from urllib.parse import urlparse


def recreate_if_bench(url: str) -> None:
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    if not name.startswith("kc_bench"):
        return
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')

"""The consulting API, mounted by `api`."""

from ninja import Router

router = Router(tags=["consulting"])

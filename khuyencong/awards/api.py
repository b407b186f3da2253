"""The awards API, mounted by `api`."""

from ninja import Router

router = Router(tags=["awards"])

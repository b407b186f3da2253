"""The clusters API, mounted by `api`."""

from ninja import Router

router = Router(tags=["clusters"])

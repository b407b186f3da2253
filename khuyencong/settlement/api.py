"""The settlement API, mounted by `api`."""

from ninja import Router

router = Router(tags=["settlement"])

"""The extraction API, mounted by `api`."""

from ninja import Router

router = Router(tags=["extraction"])

"""Periodic report instances and their approval actions."""

from ninja import Router

router = Router(tags=["reporting"])

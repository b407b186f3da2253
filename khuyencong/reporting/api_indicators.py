"""Indicator catalogue and values."""

from ninja import Router

router = Router(tags=["reporting"])

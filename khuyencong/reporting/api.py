"""Reporting API: the indicator catalogue and values (api_indicators.py), periodic report instances and their
approval actions (api_reports.py)."""

from ninja import Router

from .api_indicators import router as indicators_router
from .api_reports import router as reports_router

router = Router(tags=["reporting"])
router.add_router("", indicators_router)
router.add_router("", reports_router)

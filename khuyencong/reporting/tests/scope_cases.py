"""The reporting module's scope cases: dashboards and indicators, periodic reports."""

from . import scope_cases_dashboards, scope_cases_reports  # noqa: F401

"""Reporting pages: dashboards and comparison (dashboards.py), periodic reports (reports.py)."""

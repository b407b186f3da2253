"""Scope cases of dashboards, indicators and comparison."""

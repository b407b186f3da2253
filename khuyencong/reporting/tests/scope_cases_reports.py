"""Scope cases of periodic reports."""

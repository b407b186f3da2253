"""Small display helpers of the project pages."""

from django import template

register = template.Library()

_STATUS_CLASS = {
    "draft": "text-bg-light border",
    "submitted": "text-bg-info",
    "returned": "text-bg-warning",
    "rejected": "text-bg-dark",
    "base_appraised": "text-bg-info",
    "registered": "text-bg-info",
    "ministry_appraised": "text-bg-info",
    "council_appraised": "text-bg-info",
    "approved": "text-bg-primary",
    "contracted": "text-bg-primary",
    "in_progress": "text-bg-primary",
    "accepted": "text-bg-success",
    "settlement_submitted": "text-bg-success",
    "settled": "text-bg-success",
    "archived": "text-bg-secondary",
    "suspended": "text-bg-warning",
    "stopped": "text-bg-danger",
}


@register.filter
def status_class(status: str) -> str:
    return _STATUS_CLASS.get(status, "text-bg-secondary")

from .navigation import NAV_ITEMS


def navigation(request):
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    visible = [item for item in NAV_ITEMS if item.visible_to(request.user)]
    # The most precise entry is the active one: /reporting/reports/ is the periodic reports, not the dashboard.
    active = max((item for item in visible if item.matches(request.path)), key=lambda item: len(item.section),
                 default=None)
    items = [
        {"label": item.label, "url": item.url(), "icon": item.icon, "active": item is active,
         "reference": item.reference, "more": item.more}
        for item in visible
    ]
    reference = [item for item in items if item["reference"]]
    more = [item for item in items if item["more"]]
    return {"nav_items": [item for item in items if not item["reference"] and not item["more"]],
            "nav_more": more, "nav_more_active": any(item["active"] for item in more),
            "nav_reference": reference, "nav_reference_active": any(item["active"] for item in reference)}

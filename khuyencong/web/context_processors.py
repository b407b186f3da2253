from .navigation import NAV_ITEMS


def navigation(request):
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    section = request.path.strip("/").split("/", 1)[0]
    items = [
        {"label": item.label, "url": item.url(), "icon": item.icon, "active": item.section == section}
        for item in NAV_ITEMS
    ]
    return {"nav_items": items}

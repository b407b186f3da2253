from .navigation import NAV_ITEMS


def navigation(request):
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    section = request.path.strip("/").split("/", 1)[0]
    items = [
        {"label": item.label, "url": item.url(), "icon": item.icon, "active": item.section == section,
         "reference": item.reference}
        for item in NAV_ITEMS
        if item.visible_to(request.user)
    ]
    reference = [item for item in items if item["reference"]]
    return {"nav_items": [item for item in items if not item["reference"]], "nav_reference": reference,
            "nav_reference_active": any(item["active"] for item in reference)}

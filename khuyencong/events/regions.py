"""Regions of today's 34 provinces, for the study-tour planner (a host in the home region is closer and cheaper).

CONFIGURATION, not law: the three regions of the typical-product awards (TT 26/2014/TT-BCT as amended by
TT 14/2018/TT-BCT and TT 38/2025/TT-BCT, consolidated as VBHN 46/VBHN-BCT: North, Central and Highlands, South, over
the former 63 provinces) mapped onto the 34 provinces of 1/7/2025 (Nghị quyết 202/2025/QH15). The mapping is a design
inference: the official list of the new regions was not seen. Change it here when it is confirmed. Distances are not
computed: the system holds no coordinates of the provinces.
"""

from django.utils.translation import gettext_lazy as _

REGION_LABELS = {
    "north": _("North"),
    "central": _("Central and Highlands"),
    "south": _("South"),
}

REGIONS: dict[int, str] = {
    # North (18)
    1: "north", 4: "north", 8: "north", 11: "north", 12: "north", 14: "north", 15: "north", 19: "north",
    20: "north", 22: "north", 24: "north", 25: "north", 31: "north", 33: "north", 37: "north", 38: "north",
    40: "north", 42: "north",
    # Central and Highlands (8); Lâm Đồng absorbed Bình Thuận, formerly in the South
    44: "central", 46: "central", 48: "central", 51: "central", 52: "central", 56: "central", 66: "central",
    68: "central",
    # South (8)
    75: "south", 79: "south", 80: "south", 82: "south", 86: "south", 91: "south", 92: "south", 96: "south",
}


def region_of(province_code: int | None) -> str:
    return REGIONS.get(province_code or 0, "")


def region_label(province_code: int | None) -> str:
    region = region_of(province_code)
    return str(REGION_LABELS[region]) if region else ""

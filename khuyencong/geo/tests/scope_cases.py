"""Administrative units are public reference data: every signed-in user and token reads all of them."""

from khuyencong.testing.scope import unscoped

_REASON = "administrative units are public reference data, the same for every user"

for _name in (
    "geo_unit_list",
    "geo_unit_detail",
    "geo_resolve",
    "api:geo_unit_list",
    "api:geo_unit_detail",
    "api:geo_resolve",
):
    unscoped(_name, _REASON)

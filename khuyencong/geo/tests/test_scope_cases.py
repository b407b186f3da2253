from khuyencong.testing.scope import UNSCOPED, all_url_names, load_cases


def test_every_geo_url_is_declared_for_the_scope_check():
    load_cases()
    geo = {name for name in all_url_names() if name.startswith(("geo_", "api:geo_"))}
    assert geo == {
        "geo_unit_list",
        "geo_unit_detail",
        "geo_resolve",
        "api:geo_unit_list",
        "api:geo_unit_detail",
        "api:geo_resolve",
    }
    assert geo <= set(UNSCOPED)

from khuyencong.accounts.tests.factories import commune_of
from khuyencong.registry.models import Establishment
from khuyencong.registry.services import refresh_derived
from khuyencong.testing.scope import ScopedCase, register, unscoped


def make_establishment(province_code: int, **fields) -> Establishment:
    commune = commune_of(province_code, 5)
    values = {"name": f"Cơ sở thử phạm vi {province_code} {commune.short_name}", "entity_type": "household",
              "commune": commune, "province": commune.province, "phone": "", **fields}
    establishment = Establishment(**values)
    refresh_derived(establishment)
    establishment.save()
    return establishment


register(
    ScopedCase(
        name="establishment",
        make=make_establishment,
        marker=lambda e: e.name,
        list_urls=["/establishments/", "/establishments/?q=co+so+thu+pham+vi", "/establishments/export.xlsx",
                   "/api/v1/establishments?limit=200", "/api/v1/establishments?q=thu+pham+vi"],
        detail_urls=lambda e: [f"/establishments/{e.pk}/", f"/establishments/{e.pk}/edit/",
                               f"/api/v1/establishments/{e.pk}", f"/api/v1/establishments/{e.pk}/eligibility"],
        change_requests=lambda e: [
            ("POST", f"/establishments/{e.pk}/edit/", {"name": "Bị sửa", "entity_type": "household",
                                                       "version": e.version}),
            ("PATCH", f"/api/v1/establishments/{e.pk}", {"version": e.version, "name": "Bị sửa"}),
            ("POST", f"/establishments/{e.pk}/supports/", {"year": 2024, "fund": "local", "description": "x"}),
            ("POST", f"/establishments/merge/{e.pk}/{e.pk}/", {}),
        ],
        covers=["establishment_list", "establishment_export", "establishment_detail", "establishment_edit",
                "establishment_support_add", "establishment_merge",
                "api:establishment_list", "api:establishment_detail", "api:establishment_patch",
                "api:establishment_eligibility"],
    )
)



def make_duplicate_pair(province_code: int) -> Establishment:
    first = make_establishment(province_code, name=f"Cơ sở trùng thử {province_code}")
    make_establishment(province_code, name=f"Cơ sở trùng thử {province_code}")
    return first


register(
    ScopedCase(
        name="establishment_duplicates",
        make=make_duplicate_pair,
        marker=lambda e: e.name,
        list_urls=["/establishments/duplicates/"],
        detail_urls=lambda e: [],
        covers=["establishment_duplicates"],
        sees_province=("doit_officer", "doit_manager", "centre_staff", "finance_officer", "viewer"),
    )
)

unscoped("establishment_create", "creates only inside the user's scope (test_services: outside refused)")
unscoped("api:establishment_create", "creates only inside the user's scope (test_api: outside refused)")
unscoped("establishment_place_options", "lists communes of a province in the user's scope only (test_views)")
unscoped("establishment_merge_review", "merges are listed through the scoped merge_list (test_views)")
unscoped("establishment_import", "the user's own uploads; provinces limited to the scope (test_imports)")
unscoped("establishment_import_template", "a blank template")
unscoped("establishment_import_detail", "the uploader's own import only (test_imports)")
unscoped("establishment_import_errors", "the uploader's own import only (test_imports)")

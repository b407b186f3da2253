from khuyencong.testing.scope import unscoped

# The rules are published law (national circulars and each province's People's Council resolutions): every signed-in
# user may read every province's rates, as they can in the official gazette. Editing is for system administrators
# only, in the admin (test_admin.py).
for name in ("rules_index", "rules_quote", "api:content_list", "api:rate_list", "api:support_quote",
             "api:eligibility", "api:calendar", "api:advance", "api:change_authority"):
    unscoped(name, "published legal rules, readable nationally")

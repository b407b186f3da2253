"""The kernel's pages: the audit trail's search."""

from khuyencong.testing.scope import unscoped

unscoped("audit_search", "the whole audit trail, for the national system administrator only (403 to every other "
                         "role: core/tests/test_audit_search.py)")

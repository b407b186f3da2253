"""The web shell's endpoints that hold no provincial record."""

from khuyencong.testing.scope import unscoped

unscoped("map_outlines", "the outlines of the country and today's provinces: public reference data, the same for "
                         "every user")

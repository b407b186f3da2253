from khuyencong.projects.tests.conftest import (  # noqa: F401 (the projects fixtures: rules, users, plans)
    establishment,
    local_plan,
    national_plan,
    rules,
    users,
)

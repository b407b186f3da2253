"""What news puts in a user's work inbox (`web.inbox`)."""


def inbox_groups(user, today, *, watch: bool = False) -> list:
    return []

"""API schemas of the administrative units that every module's API shares."""

from ninja import Schema


class UnitRef(Schema):
    """An administrative unit named in another record: a province, a commune."""

    code: int
    name: str

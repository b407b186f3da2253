"""Domain errors: a stable code for programs and a Vietnamese message for people.

Services raise these; views show the message, the API maps them to HTTP statuses.
"""


class DomainError(Exception):
    code = "error"
    http_status = 400

    def __init__(self, message: str, *, code: str | None = None, field: str | None = None):
        super().__init__(str(message))
        self.message = str(message)
        if code:
            self.code = code
        self.field = field


class PermissionDenied(DomainError):
    code = "permission_denied"
    http_status = 403


class NotFound(DomainError):
    code = "not_found"
    http_status = 404


class InvalidInput(DomainError):
    code = "invalid"
    http_status = 422


class Conflict(DomainError):
    """Someone else changed the record since the user opened it."""

    code = "conflict"
    http_status = 409

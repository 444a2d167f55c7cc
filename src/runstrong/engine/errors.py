class RunstrongError(Exception):
    """Base for every error the engine raises on bad input; the message is one line for a user."""


class CatalogError(RunstrongError):
    def __init__(self, source: str, key: str, expected: str) -> None:
        self.source = source
        self.key = key
        self.expected = expected
        super().__init__(f"{source}: {key}: {expected}")


class ProfileError(RunstrongError):
    def __init__(self, field: str, value: object, allowed: str) -> None:
        self.field = field
        self.value = value
        self.allowed = allowed
        shown = "missing" if value is None else f"{value!r} is not allowed"
        super().__init__(f"{field}: {shown}; {allowed}")


class ScheduleError(RunstrongError):
    """The season's days hold no session, or far too few of those its phases ask for."""

    def __init__(self, reason: str, hint: str = "") -> None:
        self.reason = reason
        self.hint = hint
        super().__init__(f"{reason} {hint}".strip())

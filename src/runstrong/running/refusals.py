"""Why a file was not taken: its name and the reason, shown to whoever uploaded it."""

from __future__ import annotations


class RefusedFile(Exception):
    def __init__(self, name: str, reason: str) -> None:
        # args stay (name, reason) so a refusal crosses a process pool intact.
        super().__init__(name, reason)
        self.name = name
        self.reason = reason

    def __str__(self) -> str:
        return f"{self.name}: {self.reason}"

"""Why a file was not taken: its name and the reason, shown to whoever uploaded it."""

from __future__ import annotations


class RefusedFile(Exception):
    def __init__(self, name: str, reason: str) -> None:
        super().__init__(f"{name}: {reason}")
        self.name = name
        self.reason = reason

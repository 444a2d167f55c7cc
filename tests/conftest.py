from tests.personas import world

__all__ = ["world"]

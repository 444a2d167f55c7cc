"""Whether an exception means the database is unavailable (down, read-only, or locked past
its timeout) rather than a bug: the caller did nothing wrong and may retry later."""

from __future__ import annotations

from django.db import InterfaceError, InternalError, OperationalError

# PostgreSQL's read_only_sql_transaction: a standby, or default_transaction_read_only.
READ_ONLY_SQLSTATE = "25006"
RETRY_AFTER_SECONDS = 30


def database_unavailable(error: BaseException | None) -> bool:
    if isinstance(error, OperationalError | InterfaceError):
        return True
    if isinstance(error, InternalError):
        return getattr(error.__cause__, "sqlstate", None) == READ_ONLY_SQLSTATE
    return False

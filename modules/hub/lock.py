# This file is part of Pôle.
"""Take at once the table locks a long operation will ask for.

On PostgreSQL, Tryton grants a table lock only at the start of a
transaction: the first ``lock_table`` of a table restarts the whole call
with the table locked.  An onboarding asked for four tables one after the
other, after the chart was made: the chart was made three times.  Asking
for them all before any work costs one restart of nothing.
"""
from trytond.transaction import Transaction, TransactionError


class _LockTables(TransactionError):
    def __init__(self, tables):
        super().__init__()
        self.tables = tables

    def fix(self, extras):
        super().fix(extras)
        locked = extras.setdefault('_lock_tables', [])
        locked.extend(t for t in self.tables if t not in locked)


def lock_tables(*tables):
    "Restart the transaction once with all tables locked, if any is not"
    transaction = Transaction()
    missing = []
    for table in tables:
        try:
            transaction.lock_table(table)
        except TransactionError:
            missing.append(table)
    if missing:
        raise _LockTables(missing)

# This file is part of Pôle.
"""Closing a fiscal year without its empty deferrals.

Tryton's close computes a deferral for every account of the chart, about
1 235 with account_fr's, reading each account and its balances, and saves
one per deferral account.  Most accounts of a member association never
had a line.  A missing deferral counts as zero wherever Tryton cumulates
them (Account._cumulate), so:

- an account with no line up to the year's end and no earlier deferral is
  skipped before anything of it is read: its debit, credit, line count and
  balance are zero, so Tryton would save a zero deferral or check a zero
  balance (a parent's balance is its children's, which are checked
  themselves when they have lines);
- a deferral whose figures are all zero is not saved.

The same balances, and the close of a member reads a few dozen accounts
instead of the whole chart.
"""
import weakref

from sql import Union

from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction

# Per transaction: (fiscal year, counter, context) -> {account id: record}
_USED_ACCOUNTS = weakref.WeakKeyDictionary()


class FiscalYear(metaclass=PoolMeta):
    __name__ = 'account.fiscalyear'

    def _used_accounts(self):
        """The accounts of the company with a line dated up to the year's
        end or an earlier deferral, the only ones whose figures can differ
        from zero in the close, by id.  Browsed together, so that their
        balances are read for them only, not for the chart's accounts read
        beside them (cached until the transaction writes again)."""
        pool = Pool()
        Account = pool.get('account.account')
        Move = pool.get('account.move')
        Line = pool.get('account.move.line')
        Deferral = pool.get('account.account.deferral')
        FiscalYear = pool.get('account.fiscalyear')
        transaction = Transaction()
        context = sorted((k, repr(v)) for k, v in transaction.context.items())
        key = (self.id, transaction.counter, tuple(context))
        cached = _USED_ACCOUNTS.get(transaction)
        if cached and key in cached:
            return cached[key]
        move, line = Move.__table__(), Line.__table__()
        deferral, fiscalyear = Deferral.__table__(), FiscalYear.__table__()
        lines = line.join(move, condition=line.move == move.id).select(
            line.account,
            where=(move.company == self.company.id)
            & (move.date <= self.end_date),
            group_by=line.account)
        deferrals = deferral.join(fiscalyear,
            condition=deferral.fiscalyear == fiscalyear.id).select(
            deferral.account,
            where=fiscalyear.company == self.company.id)
        cursor = transaction.connection.cursor()
        cursor.execute(*Union(lines, deferrals))
        accounts = {a.id: a for a in Account.browse(
                sorted({account for account, in cursor}))}
        _USED_ACCOUNTS[transaction] = {key: accounts}
        return accounts

    def get_deferral(self, account):
        account = self._used_accounts().get(account.id)
        if account is None:
            return None
        deferral = super().get_deferral(account)
        if deferral and not any((deferral.debit, deferral.credit,
                    deferral.line_count, deferral.amount_second_currency)):
            return None
        return deferral

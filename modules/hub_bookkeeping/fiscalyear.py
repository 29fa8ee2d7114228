# This file is part of Pôle.
"""Closing a fiscal year without its empty deferrals.

Tryton's close saves one deferral per deferral account of the chart, about
1 000 with account_fr's, most of them on accounts no line ever touched.  A
missing deferral counts as zero wherever Tryton cumulates them
(Account._cumulate), so a deferral whose debit, credit, line count and
second-currency amount are all zero is not saved: the same balances, a
third less of the close's time for each member of the hub.
"""
from trytond.pool import PoolMeta


class FiscalYear(metaclass=PoolMeta):
    __name__ = 'account.fiscalyear'

    def get_deferral(self, account):
        deferral = super().get_deferral(account)
        if deferral and not any((deferral.debit, deferral.credit,
                    deferral.line_count, deferral.amount_second_currency)):
            return None
        return deferral

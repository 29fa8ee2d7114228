# This file is part of Pôle.
"""The names of the periods and fiscal years of every company given to the
user, whatever the current company.

A wizard's field pointing into another member's books searches there
(``hub_company``, res.py), but the web client then reads the chosen
record's name with the screen's context (sao's Many2One ``rec_name``
fetch), where the company rule allows the current company only: « Vous
n'êtes pas autorisé à lire les enregistrements « 48 » de « Période
comptable » ».  A read of the name only, of records of the user's own
companies, is answered; anything else goes through the rules as before."""
from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction, without_check_access


class NameInGivenCompaniesMixin:
    __slots__ = ()

    @classmethod
    def read(cls, ids, fields_names):
        transaction = Transaction()
        if (ids and transaction.user and transaction.check_access
                and set(fields_names) <= {'id', 'rec_name'}):
            User = Pool().get('res.user')
            with without_check_access():
                given = {c.id for c in User(transaction.user).companies}
                companies = {r.company.id for r in cls.browse(ids)}
                if companies <= given:
                    return super().read(ids, fields_names)
        return super().read(ids, fields_names)


class Period(NameInGivenCompaniesMixin, metaclass=PoolMeta):
    __name__ = 'account.period'


class FiscalYear(NameInGivenCompaniesMixin, metaclass=PoolMeta):
    __name__ = 'account.fiscalyear'

# This file is part of Pôle.
"""The member associations' own parties first: typing a member's name in
an invoice's party lists the member before the people whose e-mail or
name also matches (its staff, "…@recyclerie.fr")."""
from sql.conditionals import Case

from trytond.model import fields
from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction


def member_parties():
    "The query of the parties of the members' companies"
    pool = Pool()
    Member = pool.get('hub.member')
    Company = pool.get('company.company')
    member = Member.__table__()
    company = Company.__table__()
    return member.join(company, condition=member.company == company.id
        ).select(company.party)


class Party(metaclass=PoolMeta):
    __name__ = 'party.party'

    hub_member = fields.Function(fields.Boolean("Member Association",
            help="The party of a member association's company."),
        'get_hub_member')

    @classmethod
    def get_hub_member(cls, parties, name):
        # In SQL: whoever reads the party may know it is a member's
        cursor = Transaction().connection.cursor()
        cursor.execute(*member_parties())
        ids = {i for i, in cursor}
        return {p.id: p.id in ids for p in parties}

    @staticmethod
    def order_hub_member(tables):
        party, _ = tables[None]
        return [Case((party.id.in_(member_parties()), 1), else_=0)]


class Invoice(metaclass=PoolMeta):
    __name__ = 'account.invoice'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        # The clients search the party in this order (completion and the
        # search window): the members first, then as Tryton orders parties
        cls.party.search_order = [
            ('hub_member', 'DESC'),
            ('distance', 'ASC NULLS LAST'),
            ('name', 'ASC'),
            ]

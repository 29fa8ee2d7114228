# This file is part of Pôle.
"""What the combined figures take from hub_invoicing when it is activated
(``[register hub_invoicing]``): the VAT a member that is not VAT-liable
bears as a cost is never eliminated, and the directors' dashboard and
board show the inter-member balances."""
from decimal import Decimal

from sql import Literal
from sql.conditionals import Coalesce

from trytond.model import fields
from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction, without_check_access

from .statement import members


class Consolidation(metaclass=PoolMeta):
    __name__ = 'account.consolidation'

    @classmethod
    def hub_kept(cls, line):
        return super().hub_kept(line) | (
            Coalesce(line.hub_vat_as_cost, Literal(False)) == Literal(True))


class Dashboard(metaclass=PoolMeta):
    __name__ = 'hub.consolidation.dashboard'

    @classmethod
    def indicators(cls, date):
        lines = super().indicators(date)
        Balance = Pool().get('hub.invoicing.balance')
        company_ids = [m.company.id
            for m in members(None, date.replace(month=1, day=1), date)]
        with without_check_access(), \
                Transaction().set_context(date=date):
            balances = [{
                    'kind': 'intermember',
                    'name': '%s / %s' % (
                        b.company.rec_name, b.counterpart.rec_name),
                    'value': Decimal(str(b.net or 0)).quantize(
                        Decimal('0.01')),
                    'previous': None,
                    } for b in Balance.search([
                        ('company', 'in', company_ids),
                        ('counterpart', 'in', company_ids),
                        ])]
        return lines + sorted(balances, key=lambda l: l['name'])


class DashboardLine(metaclass=PoolMeta):
    __name__ = 'hub.consolidation.dashboard.line'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.kind.selection.append(('intermember', "Inter-member Balance"))


class DashboardMember(metaclass=PoolMeta):
    "The inter-member balances of each member on the directors' board"
    __name__ = 'hub.consolidation.dashboard.member'

    intermember_receivable = fields.Function(fields.Numeric(
            "Owed by the Other Members", digits=(16, 2),
            help="What the other members owe the member at the date, in "
            "its books."),
        'get_intermember')
    intermember_payable = fields.Function(fields.Numeric(
            "Owed to the Other Members", digits=(16, 2),
            help="What the member owes the other members at the date, in "
            "its books."),
        'get_intermember')

    @classmethod
    def get_intermember(cls, records, names):
        "The sums of hub_invoicing's balances with the board's members"
        Balance = Pool().get('hub.invoicing.balance')
        date = cls.date()
        company_ids = [m.company.id
            for m in members(None, date.replace(month=1, day=1), date)]
        totals = {}
        with without_check_access(), \
                Transaction().set_context(date=date):
            for balance in Balance.search([
                        ('company', 'in', company_ids),
                        ('counterpart', 'in', company_ids),
                        ]):
                receivable, payable = totals.get(
                    balance.company.id, (Decimal(0), Decimal(0)))
                totals[balance.company.id] = (
                    receivable + Decimal(str(balance.receivable or 0)),
                    payable + Decimal(str(balance.payable or 0)))
        cent = Decimal('0.01')
        result = {n: {} for n in names}
        for record in records:
            receivable, payable = totals.get(
                record.member.company.id, (Decimal(0), Decimal(0)))
            for name, value in [('intermember_receivable', receivable),
                    ('intermember_payable', payable)]:
                if name in names:
                    result[name][record.id] = value.quantize(cent)
        return result

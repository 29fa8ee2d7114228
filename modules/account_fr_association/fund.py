# This file is part of Pôle.
"""Dedicated and deferred funds (comptes 19x) with their movements.

One row per fund account of the company (every account whose type is under
the "Fonds reportés et dédiés" type of the association chart): its balance at
the start of the period, what was allocated to it in the period (its credits:
the counterpart of the reports en fonds dédiés, 689x), what was used (its
debits: the counterpart of the utilisations, 789x) and its balance at the
end.  Computed in one SQL query over the move lines.
"""
from sql import Literal, Null
from sql.aggregate import Sum
from sql.conditionals import Case, Coalesce

from trytond.model import ModelSQL, ModelView, fields
from trytond.modules.account.exceptions import FiscalYearNotFoundError
from trytond.modules.currency.fields import Monetary
from trytond.pool import Pool
from trytond.pyson import Eval, If
from trytond.transaction import Transaction

FUND_TYPE = ('account_fr_association', 'type_fonds_reportes_dedies')


class DedicatedFundContext(ModelView):
    "Dedicated Funds Context"
    __name__ = 'account.dedicated_fund.context'

    company = fields.Many2One('company.company', "Company", required=True)
    fiscalyear = fields.Many2One(
        'account.fiscalyear', "Fiscal Year",
        domain=[
            ('company', '=', Eval('company', -1)),
            ])
    from_date = fields.Date(
        "From Date", required=True,
        domain=[
            If(Eval('to_date') & Eval('from_date'),
                ('from_date', '<=', Eval('to_date')),
                ()),
            ])
    to_date = fields.Date(
        "To Date", required=True,
        domain=[
            If(Eval('from_date') & Eval('to_date'),
                ('to_date', '>=', Eval('from_date')),
                ()),
            ])
    posted = fields.Boolean(
        "Posted Moves", help="Only include posted moves.")

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def _current_fiscalyear(cls):
        FiscalYear = Pool().get('account.fiscalyear')
        context = Transaction().context
        if context.get('fiscalyear'):
            return FiscalYear(context['fiscalyear'])
        company = context.get('company')
        if company:
            try:
                return FiscalYear.find(company, test_state=False)
            except FiscalYearNotFoundError:
                return None

    @classmethod
    def default_fiscalyear(cls):
        fiscalyear = cls._current_fiscalyear()
        return fiscalyear.id if fiscalyear else None

    @classmethod
    def default_from_date(cls):
        context = Transaction().context
        if context.get('from_date'):
            return context['from_date']
        fiscalyear = cls._current_fiscalyear()
        return fiscalyear.start_date if fiscalyear else None

    @classmethod
    def default_to_date(cls):
        context = Transaction().context
        if context.get('to_date'):
            return context['to_date']
        fiscalyear = cls._current_fiscalyear()
        return fiscalyear.end_date if fiscalyear else None

    @classmethod
    def default_posted(cls):
        return Transaction().context.get('posted', False)

    @fields.depends('fiscalyear')
    def on_change_fiscalyear(self):
        if self.fiscalyear:
            self.from_date = self.fiscalyear.start_date
            self.to_date = self.fiscalyear.end_date


class DedicatedFund(ModelSQL, ModelView):
    "Dedicated Fund"
    __name__ = 'account.dedicated_fund'

    company = fields.Many2One('company.company', "Company")
    account = fields.Many2One('account.account', "Fund")
    start_balance = Monetary(
        "Start Balance", currency='currency', digits='currency',
        help="The balance of the fund before the period.")
    allocated = Monetary(
        "Allocated", currency='currency', digits='currency',
        help="Credited to the fund in the period: reports en fonds dédiés "
        "(689x).")
    used = Monetary(
        "Used", currency='currency', digits='currency',
        help="Debited from the fund in the period: utilisations des fonds "
        "dédiés (789x).")
    end_balance = Monetary(
        "End Balance", currency='currency', digits='currency',
        help="The balance of the fund at the end of the period.")
    currency = fields.Function(fields.Many2One(
            'currency.currency', "Currency"), 'get_currency')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order.insert(0, ('account', 'ASC'))

    @classmethod
    def fund_types(cls, company_id):
        "The ids of the account types of the funds of the company"
        pool = Pool()
        Type = pool.get('account.account.type')
        ModelData = pool.get('ir.model.data')
        template_id = ModelData.get_id(*FUND_TYPE)
        roots = Type.search([
                ('company', '=', company_id),
                ('template', '=', template_id),
                ])
        if not roots:
            return []
        return [t.id for t in Type.search([
                    ('company', '=', company_id),
                    ('parent', 'child_of', [t.id for t in roots]),
                    ])]

    @classmethod
    def table_query(cls):
        pool = Pool()
        Account = pool.get('account.account')
        Line = pool.get('account.move.line')
        Move = pool.get('account.move')
        context = Transaction().context
        account = Account.__table__()
        line = Line.__table__()
        move = Move.__table__()

        company_id = context.get('company') or -1
        from_date = context.get('from_date')
        to_date = context.get('to_date')
        type_ids = cls.fund_types(company_id) or [-1]

        move_condition = line.move == move.id
        if context.get('posted'):
            move_condition &= move.state == 'posted'
        before = move.date < from_date if from_date else Literal(False)
        until = move.date <= to_date if to_date else Literal(True)
        if from_date:
            during = (move.date >= from_date) & until
        else:
            during = until
        amount = Coalesce(line.credit, 0) - Coalesce(line.debit, 0)

        def total(condition, value):
            return Sum(Case((condition, value), else_=0))

        return (account
            .join(line, 'LEFT', condition=line.account == account.id)
            .join(move, 'LEFT', condition=move_condition)
            .select(
                account.id.as_('id'),
                account.company.as_('company'),
                account.id.as_('account'),
                total(before & (move.id != Null), amount).as_('start_balance'),
                total(during & (move.id != Null), Coalesce(line.credit, 0)
                    ).as_('allocated'),
                total(during & (move.id != Null), Coalesce(line.debit, 0)
                    ).as_('used'),
                total(until & (move.id != Null), amount).as_('end_balance'),
                where=(account.company == company_id)
                & account.type.in_(type_ids),
                group_by=[account.id, account.company]))

    def get_currency(self, name):
        return self.company.currency.id

# This file is part of Pôle.
"""What the accountant reviews: inter-member invoices whose mirror is
missing or differs, and the inter-member balances between two members."""
from decimal import Decimal

from sql import Cast, Literal, Null
from sql.aggregate import Sum
from sql.conditionals import Case, Coalesce
from sql.functions import Abs, Round

from trytond.model import ModelSQL, ModelView, fields
from trytond.pool import Pool
from trytond.transaction import Transaction


class Exception_(ModelSQL, ModelView):
    "Inter-member Invoicing Exception"
    __name__ = 'hub.invoicing.exception'

    source = fields.Many2One('account.invoice', "Source Invoice")
    source_company = fields.Many2One('company.company', "Source Member")
    target_company = fields.Many2One('company.company', "Target Member")
    mirror = fields.Many2One('account.invoice', "Mirror")
    source_state = fields.Selection(
        'get_states', "Source State")
    mirror_state = fields.Selection('get_states', "Mirror State")
    source_amount = fields.Numeric("Source Amount", digits=(16, 2))
    mirror_amount = fields.Numeric("Mirror Amount", digits=(16, 2))
    reason = fields.Selection([
            ('missing', "No mirror"),
            ('review', "Mirror awaiting review"),
            ('cancelled', "Cancelled on one side only"),
            ('paid', "Paid on one side only"),
            ('amount', "Amounts differ"),
            ], "Reason")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('source', 'DESC'), ('id', 'DESC')]

    @classmethod
    def get_states(cls):
        Invoice = Pool().get('account.invoice')
        return Invoice.fields_get(['state'])['state']['selection']

    @classmethod
    def _invoice_amounts(cls):
        "Query of (invoice, total amount) computed from lines and taxes"
        pool = Pool()
        Line = pool.get('account.invoice.line')
        Tax = pool.get('account.invoice.tax')
        line = Line.__table__()
        tax = Tax.__table__()
        lines = line.select(
            line.invoice.as_('invoice'),
            Round(Cast(line.quantity * line.unit_price, 'NUMERIC'), 2).as_(
                'amount'),
            where=line.type == 'line')
        taxes = tax.select(
            tax.invoice.as_('invoice'), tax.amount.as_('amount'))
        union = lines | taxes
        union.all_ = True
        return union.select(
            union.invoice.as_('invoice'),
            Sum(union.amount).as_('amount'),
            group_by=[union.invoice])

    @classmethod
    def table_query(cls):
        pool = Pool()
        Invoice = pool.get('account.invoice')
        Member = pool.get('hub.member')
        Company = pool.get('company.company')
        source = Invoice.__table__()
        mirror = Invoice.__table__()
        member = Member.__table__()
        target_member = Member.__table__()
        company = Company.__table__()
        source_amount = cls._invoice_amounts()
        mirror_amount = cls._invoice_amounts()

        mirror_state = mirror.state
        reason = Case(
            (mirror.id == Null, Literal('missing')),
            ((source.state == 'cancelled') != (mirror_state == 'cancelled'),
                Literal('cancelled')),
            ((source.state == 'posted') & mirror_state.in_(
                    ['draft', 'validated']), Literal('review')),
            ((source.state == 'paid') != (mirror_state == 'paid'),
                Literal('paid')),
            (Abs(Coalesce(source_amount.amount, 0)
                    - Coalesce(mirror_amount.amount, 0)) >= Decimal('0.01'),
                Literal('amount')),
            else_=Null)
        query = (source
            .join(member, condition=member.company == source.company)
            .join(company, condition=company.party == source.party)
            .join(target_member,
                condition=target_member.company == company.id)
            .join(mirror, 'LEFT', condition=mirror.mirror_of == source.id)
            .join(source_amount, 'LEFT',
                condition=source_amount.invoice == source.id)
            .join(mirror_amount, 'LEFT',
                condition=mirror_amount.invoice == mirror.id)
            .select(
                Coalesce(mirror.id * 2, source.id * 2 + 1).as_('id'),
                source.id.as_('source'),
                source.company.as_('source_company'),
                company.id.as_('target_company'),
                mirror.id.as_('mirror'),
                source.state.as_('source_state'),
                mirror.state.as_('mirror_state'),
                source_amount.amount.as_('source_amount'),
                mirror_amount.amount.as_('mirror_amount'),
                reason.as_('reason'),
                where=(source.type == 'out')
                & source.state.in_(['posted', 'paid', 'cancelled'])
                & (member.company != company.id)))
        # Both cancelled is no exception: filter on the computed reason
        return query.select(
            *[getattr(query, n) for n in [
                    'id', 'source', 'source_company', 'target_company',
                    'mirror', 'source_state', 'mirror_state',
                    'source_amount', 'mirror_amount', 'reason']],
            Literal(0).as_('create_uid'),
            Literal(None).as_('create_date'),
            Literal(None).as_('write_uid'),
            Literal(None).as_('write_date'),
            where=(query.reason != Null)
            & ~((query.source_state == 'cancelled')
                & (query.reason == 'missing')))


class Balance(ModelSQL, ModelView):
    "Inter-member Balance"
    __name__ = 'hub.invoicing.balance'

    company = fields.Many2One('company.company', "Member")
    counterpart = fields.Many2One('company.company', "Counterpart")
    receivable = fields.Numeric(
        "Owed by Counterpart", digits=(16, 2),
        help="What the counterpart owes the member, in the member's books.")
    payable = fields.Numeric(
        "Owed to Counterpart", digits=(16, 2),
        help="What the member owes the counterpart, in the member's books.")
    net = fields.Numeric(
        "Net", digits=(16, 2),
        help="Netting proposal: positive, the counterpart pays the member "
        "this amount and both sides are settled; negative, the member pays.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [
            ('company', 'ASC'), ('counterpart', 'ASC'), ('id', 'ASC')]

    @classmethod
    def table_query(cls):
        pool = Pool()
        Line = pool.get('account.move.line')
        Move = pool.get('account.move')
        Account = pool.get('account.account')
        AccountType = pool.get('account.account.type')
        Member = pool.get('hub.member')
        Company = pool.get('company.company')
        Period = pool.get('account.period')
        Date = pool.get('ir.date')
        line = Line.__table__()
        move = Move.__table__()
        period = Period.__table__()
        account = Account.__table__()
        type_ = AccountType.__table__()
        member = Member.__table__()
        counterpart = Company.__table__()
        counterpart_member = Member.__table__()
        date = Transaction().context.get('date') or Date.today()
        amount = line.debit - line.credit
        return (line
            .join(move, condition=line.move == move.id)
            .join(period, condition=move.period == period.id)
            .join(account, condition=line.account == account.id)
            .join(type_, condition=account.type == type_.id)
            .join(member, condition=member.company == move.company)
            .join(counterpart, condition=counterpart.party == line.party)
            .join(counterpart_member,
                condition=counterpart_member.company == counterpart.id)
            .select(
                (move.company * 1000000 + counterpart.id).as_('id'),
                move.company.as_('company'),
                counterpart.id.as_('counterpart'),
                Sum(Case((type_.receivable, amount), else_=0)).as_(
                    'receivable'),
                (-Sum(Case((type_.payable, amount), else_=0))).as_(
                    'payable'),
                Sum(amount).as_('net'),
                Literal(0).as_('create_uid'),
                Literal(None).as_('create_date'),
                Literal(None).as_('write_uid'),
                Literal(None).as_('write_date'),
                # Posted moves of standard periods: no draft, no closing
                where=(type_.receivable | type_.payable)
                & (move.state == 'posted') & (period.type == 'standard')
                & (move.date <= date)
                & (counterpart.id != move.company),
                group_by=[move.company, counterpart.id],
                having=(Sum(Case((type_.receivable, amount), else_=0)) != 0)
                | (Sum(Case((type_.payable, amount), else_=0)) != 0)))


class BalanceContext(ModelView):
    "Inter-member Balance Context"
    __name__ = 'hub.invoicing.balance.context'

    date = fields.Date("Date", required=True)

    @classmethod
    def default_date(cls):
        return Pool().get('ir.date').today()

# This file is part of Pôle.
"""The directors' board: a Tryton board view whose graph shows, per member,
the result of the year to date (the income statement's accounts, without
the year-end closing moves) and the cash (the accounts whose type is under
"Disponibilités" in the consolidation tree), at the context's date (today
by default), read in one SQL query."""
import datetime as dt
from decimal import Decimal

from sql import Null
from sql.aggregate import Sum
from sql.conditionals import Case, Coalesce

from trytond.model import ModelSQL, ModelView, fields
from trytond.pool import Pool
from trytond.transaction import Transaction, without_check_access

from .consolidation import not_closing


class DashboardMember(ModelSQL, ModelView):
    "Result and cash of a member"
    __name__ = 'hub.consolidation.dashboard.member'

    member = fields.Many2One('hub.member', "Member", readonly=True)
    name = fields.Char("Name", readonly=True)
    result = fields.Function(fields.Numeric("Result of the Year to Date",
            digits=(16, 2)), 'get_amounts')
    cash = fields.Function(fields.Numeric("Cash", digits=(16, 2)),
        'get_amounts')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('name', 'ASC'), ('id', 'ASC')]

    @classmethod
    def date(cls):
        date = Transaction().context.get('date')
        if isinstance(date, dt.date):
            return date
        return Pool().get('ir.date').today()

    @classmethod
    def table_query(cls):
        pool = Pool()
        Member = pool.get('hub.member')
        Company = pool.get('company.company')
        Party = pool.get('party.party')
        Move = pool.get('account.move')
        Line = pool.get('account.move.line')
        Account = pool.get('account.account')
        AccountType = pool.get('account.account.type')
        Consolidation = pool.get('account.consolidation')
        ModelData = pool.get('ir.model.data')
        date = cls.date()
        start = date.replace(month=1, day=1)
        with without_check_access(), \
                Transaction().set_context(active_test=False):
            roots = Consolidation.search([('hub_template', '=',
                        ModelData.get_id('account_fr', 'disponibilites'))])
            cash_nodes = {n.id for n in Consolidation.search(
                    [('parent', 'child_of', [r.id for r in roots])])}
            # A type counts on its own line or its nearest ancestor's
            type2node = Consolidation.hub_type_nodes(
                [m.company.id for m in Member.search([])])
        cash_types = [t for t, n in type2node.items() if n in cash_nodes]
        member = Member.__table__()
        company = Company.__table__()
        party = Party.__table__()
        move = Move.__table__()
        line = Line.__table__()
        account = Account.__table__()
        type_ = AccountType.__table__()
        balance = Coalesce(line.debit, 0) - Coalesce(line.credit, 0)
        income = ((type_.statement == 'income') & (move.date >= start)
            & not_closing(move))
        # Each account's balance: its type is its debit type when in debit,
        # its credit type when in credit (a bank overdrawn is no cash)
        accounts = (line
            .join(move, condition=line.move == move.id)
            .join(account, condition=line.account == account.id)
            .join(type_, 'LEFT', condition=account.type == type_.id)
            .select(
                move.company.as_('company'),
                account.type.as_('type'),
                account.debit_type.as_('debit_type'),
                account.credit_type.as_('credit_type'),
                Sum(Case((income, -balance), else_=0)).as_('result'),
                Sum(balance).as_('balance'),
                where=(move.state == 'posted') & (move.date <= date),
                group_by=[move.company, account.id, account.type,
                    account.debit_type, account.credit_type]))
        counted = Case(
            ((accounts.debit_type != Null) & (accounts.balance > 0),
                accounts.debit_type),
            ((accounts.credit_type != Null) & (accounts.balance < 0),
                accounts.credit_type),
            else_=accounts.type)
        # The members over the year, by their membership dates
        return (member
            .join(company, condition=member.company == company.id)
            .join(party, condition=company.party == party.id)
            .join(accounts, 'LEFT',
                condition=accounts.company == member.company)
            .select(
                member.id.as_('id'),
                member.create_uid.as_('create_uid'),
                member.create_date.as_('create_date'),
                member.write_uid.as_('write_uid'),
                member.write_date.as_('write_date'),
                member.id.as_('member'),
                party.name.as_('name'),
                Sum(Coalesce(accounts.result, 0)).as_('result_amount'),
                Sum(Case((counted.in_(cash_types or [-1]), accounts.balance),
                        else_=0)).as_('cash_amount'),
                where=(member.joined <= date)
                & ((member.left == Null) | (member.left >= start)),
                group_by=[member.id, member.create_uid, member.create_date,
                    member.write_uid, member.write_date, party.name]))

    @classmethod
    def get_amounts(cls, records, names):
        "The sums of the query, as Decimal whatever the database returns"
        query = cls.table_query()
        cursor = Transaction().connection.cursor()
        cursor.execute(*query.select(
                query.id, query.result_amount, query.cash_amount,
                where=query.id.in_([r.id for r in records])))
        cent = Decimal('0.01')
        result = {n: {r.id: Decimal(0) for r in records} for n in names}
        for id_, amount, cash in cursor:
            for name, value in [('result', amount), ('cash', cash)]:
                if name in names:
                    result[name][id_] = Decimal(str(value or 0)).quantize(
                        cent)
        return result

# This file is part of Pôle.
"""The income statement and balance sheet of a member, beside the previous
period, from the company's own account type tree (the association layout for
members on the association chart, the PCG layout for the others)."""
from trytond.model import ModelView, fields
from trytond.modules.company import CompanyReport
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction
from trytond.wizard import Button, StateReport, StateView, Wizard

from .bookkeeping import MemberReportStartMixin

# Indentation of a type under its parent in the printed statement
INDENT = '\u2003'


def previous_fiscalyear(fiscalyear):
    "The fiscal year of the company just before fiscalyear"
    FiscalYear = Pool().get('account.fiscalyear')
    years = FiscalYear.search([
            ('company', '=', fiscalyear.company.id),
            ('end_date', '<', fiscalyear.start_date),
            ], order=[('end_date', 'DESC')], limit=1)
    return years[0] if years else None


def statement_rows(company, statement, spans):
    """Rows of the statement ('income' or 'balance') of company, one amount
    per span of (start_date, end_date) or None.

    Each row: type, name indented by depth, amounts; a type is shown when it
    is a root of the statement or has an amount in a span.  The amounts are
    Tryton's own (account.account.type amount): over the span for the income
    statement, at the span's end date (cumulated) for the balance sheet.
    """
    Type = Pool().get('account.account.type')
    types = Type.search([
            ('company', '=', company.id),
            ('statement', '=', statement),
            ], order=[('sequence', 'ASC'), ('id', 'ASC')])
    amounts = []
    for span in spans:
        if span is None:
            amounts.append({})
            continue
        start, end = span
        if statement == 'balance':
            context = {'date': end, 'cumulate': True}
        else:
            context = {'from_date': start, 'to_date': end}
        context['posted'] = True
        with Transaction().set_context(company=company.id, **context):
            amounts.append(Type.get_amount(types, 'amount'))

    by_parent = {}
    ids = {t.id for t in types}
    for type_ in types:
        parent = type_.parent.id if type_.parent and type_.parent.id in ids \
            else None
        by_parent.setdefault(parent, []).append(type_)
    rows = []

    def walk(parent, depth):
        for type_ in by_parent.get(parent, []):
            values = [a.get(type_.id) if a else None for a in amounts]
            if parent is None or any(values):
                rows.append({
                        'type': type_,
                        'name': INDENT * depth + type_.name,
                        'depth': depth,
                        'amounts': values,
                        })
                walk(type_.id, depth + 1)
    walk(None, 0)
    return rows


class StatementStart(MemberReportStartMixin, ModelView):
    "Statements of a member"
    __name__ = 'hub.bookkeeping.statement.start'

    fiscalyear = fields.Many2One(
        'account.fiscalyear', "Fiscal Year", required=True,
        domain=[('company', '=', Eval('company', -1))],
        help="Shown beside the previous fiscal year.")
    period = fields.Many2One(
        'account.period', "Period",
        domain=[
            ('fiscalyear', '=', Eval('fiscalyear', -1)),
            ('type', '=', 'standard'),
            ],
        help="Leave empty for the whole fiscal year.\n"
        "A period is shown beside the period just before it.")

    @fields.depends('member', 'fiscalyear', 'period')
    def on_change_member(self):
        FiscalYear = Pool().get('account.fiscalyear')
        if self.member and (not self.fiscalyear
                or self.fiscalyear.company != self.member.company):
            # The fiscal year of today, if the member has one
            years = FiscalYear.search([
                    ('company', '=', self.member.company.id),
                    ('start_date', '<=', Pool().get('ir.date').today()),
                    ], order=[('start_date', 'DESC')], limit=1)
            self.fiscalyear = years[0] if years else None
            self.period = None


class StatementPrint(Wizard):
    "Statements of a member"
    __name__ = 'hub.bookkeeping.statement.print'

    start = StateView('hub.bookkeeping.statement.start',
        'hub_bookkeeping.statement_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Print", 'print_', 'tryton-print', default=True),
            ])
    print_ = StateReport('hub.bookkeeping.statement')

    def do_print_(self, action):
        Member = Pool().get('hub.member')
        Member.check_report_access(self.start.member,
            period=self.start.period, fiscalyear=self.start.fiscalyear)
        return action, {
            'id': self.start.member.id,
            'ids': [self.start.member.id],
            'fiscalyear': self.start.fiscalyear.id,
            'period': self.start.period.id if self.start.period else None,
            }


class Statement(CompanyReport):
    "Income statement and balance sheet of a member beside the previous period"
    __name__ = 'hub.bookkeeping.statement'

    @classmethod
    def get_context(cls, records, header, data):
        pool = Pool()
        Member = pool.get('hub.member')
        FiscalYear = pool.get('account.fiscalyear')
        Period = pool.get('account.period')
        context = super().get_context(records, header, data)
        # data comes from the client: the member, its fiscal year and
        # period are checked
        member = Member(data['id'])
        fiscalyear = FiscalYear(data['fiscalyear'])
        period = Period(data['period']) if data.get('period') else None
        Member.check_report_access(
            member, period=period, fiscalyear=fiscalyear)
        if period:
            current = period
            previous = Member.previous_period(current)
        else:
            current = fiscalyear
            previous = previous_fiscalyear(current)
        spans = [(current.start_date, current.end_date),
            (previous.start_date, previous.end_date) if previous else None]
        context['member'] = member
        context['current'] = current
        context['previous'] = previous
        context['currency'] = member.company.currency
        context['income'] = statement_rows(member.company, 'income', spans)
        context['balance'] = statement_rows(member.company, 'balance', spans)
        return context

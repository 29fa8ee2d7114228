# This file is part of Pôle.
"""Shared services of the collective, billed to the members by allocation
keys, in an idempotent billing run per period."""
import logging
from collections import defaultdict
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from sql import Null
from sql.aggregate import Count, Sum
from sql.operators import Like

from trytond.exceptions import UserError
from trytond.i18n import gettext
from trytond.model import (
    DeactivableMixin, ModelSQL, ModelView, Unique, Workflow, fields)
from trytond.modules.hub.format import format_amount, format_date, format_number
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction

from .allocation import allocate
from .exceptions import AllocationError, BillingError

logger = logging.getLogger(__name__)

PERIODICITIES = [
    ('month', "Month"),
    ('quarter', "Quarter"),
    ]


class Service(DeactivableMixin, ModelSQL, ModelView):
    "Shared Service"
    __name__ = 'hub.service'

    name = fields.Char("Name", required=True, translate=True)
    company = fields.Many2One(
        'company.company', "Company", required=True,
        help="The collective providing the service.")
    cost = fields.Numeric(
        "Cost per Period", digits=(16, 2), required=True,
        domain=[('cost', '>=', 0)])
    periodicity = fields.Selection(PERIODICITIES, "Periodicity", required=True)
    key = fields.Selection([
            ('fixed', "Fixed shares"),
            ('headcount', "Headcount"),
            ('revenue', "Revenue"),
            ], "Allocation Key", required=True,
        help="How the cost is shared between the members.")
    key_string = key.translated('key')
    shares = fields.One2Many(
        'hub.service.share', 'service', "Fixed Shares",
        states={
            'invisible': Eval('key') != 'fixed',
            })
    account = fields.Many2One(
        'account.account', "Revenue Account", required=True,
        domain=[
            ('company', '=', Eval('company', -1)),
            ('type.revenue', '=', True),
            ])
    taxes = fields.Many2Many(
        'hub.service-account.tax', 'service', 'tax', "Taxes",
        domain=[
            ('company', '=', Eval('company', -1)),
            ('group.kind', 'in', ['sale', 'both']),
            ])

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    @staticmethod
    def default_periodicity():
        return 'month'

    @staticmethod
    def default_key():
        return 'fixed'

    def key_values(self, start_date, end_date, members):
        """Return {member: Decimal} the values of the key over the period.

        Modules add key kinds by extending the selection of ``key`` and
        defining ``_key_values_<kind>(start_date, end_date, members)``."""
        method = getattr(self, '_key_values_%s' % self.key)
        values = method(start_date, end_date, members)
        return {m: Decimal(values.get(m) or 0) for m in members}

    def _key_values_fixed(self, start_date, end_date, members):
        return {s.member: s.share for s in self.shares
            if s.member in members}

    def _key_values_headcount(self, start_date, end_date, members):
        "Employees of each member employed at some day of the period"
        pool = Pool()
        Employee = pool.get('company.employee')
        employee = Employee.__table__()
        cursor = Transaction().connection.cursor()
        by_company = {m.company.id: m for m in members}
        if not by_company:
            return {}
        cursor.execute(*employee.select(
                employee.company, Count(employee.id),
                where=employee.company.in_(list(by_company))
                & ((employee.start_date == Null)
                    | (employee.start_date <= end_date))
                & ((employee.end_date == Null)
                    | (employee.end_date >= start_date)),
                group_by=[employee.company]))
        return {by_company[c]: Decimal(n) for c, n in cursor}

    def _key_values_revenue(self, start_date, end_date, members):
        """Each member's revenue (7x accounts) over the period: posted
        moves of standard periods only (no draft, no closing move)"""
        pool = Pool()
        Line = pool.get('account.move.line')
        Move = pool.get('account.move')
        Period = pool.get('account.period')
        Account = pool.get('account.account')
        line = Line.__table__()
        move = Move.__table__()
        period = Period.__table__()
        account = Account.__table__()
        cursor = Transaction().connection.cursor()
        by_company = {m.company.id: m for m in members}
        if not by_company:
            return {}
        cursor.execute(*line
            .join(move, condition=line.move == move.id)
            .join(period, condition=move.period == period.id)
            .join(account, condition=line.account == account.id)
            .select(
                move.company, Sum(line.credit - line.debit),
                where=move.company.in_(list(by_company))
                & (move.state == 'posted') & (period.type == 'standard')
                & Like(account.code, '7%')
                & (move.date >= start_date) & (move.date <= end_date),
                group_by=[move.company]))
        values = {}
        for company, amount in cursor:
            amount = Decimal(str(amount or 0))
            values[by_company[company]] = max(amount, Decimal(0))
        return values


class ServiceTax(ModelSQL):
    "Shared Service - Tax"
    __name__ = 'hub.service-account.tax'
    service = fields.Many2One(
        'hub.service', "Service", required=True, ondelete='CASCADE')
    tax = fields.Many2One(
        'account.tax', "Tax", required=True, ondelete='RESTRICT')


class ServiceShare(ModelSQL, ModelView):
    "Shared Service Fixed Share"
    __name__ = 'hub.service.share'
    service = fields.Many2One(
        'hub.service', "Service", required=True, ondelete='CASCADE')
    member = fields.Many2One('hub.member', "Member", required=True)
    share = fields.Numeric(
        "Share", digits=(16, 4), required=True, domain=[('share', '>=', 0)])

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('service_member_unique', Unique(t, t.service, t.member),
                'hub_invoicing.msg_share_unique'),
            ]


def period_end(start_date, periodicity):
    months = {'month': 1, 'quarter': 3}[periodicity]
    return start_date + relativedelta(months=months, days=-1)


class BillingRun(Workflow, ModelSQL, ModelView):
    "Shared Services Billing Run"
    __name__ = 'hub.billing.run'

    company = fields.Many2One(
        'company.company', "Company", required=True, readonly=True,
        help="The collective billing its services.")
    periodicity = fields.Selection(
        PERIODICITIES, "Periodicity", required=True,
        states={'readonly': Eval('state') != 'draft'})
    start_date = fields.Date(
        "Start Date", required=True,
        states={'readonly': Eval('state') != 'draft'},
        help="The first day of the month or of the quarter.")
    end_date = fields.Date("End Date", readonly=True)
    lines = fields.One2Many(
        'hub.billing.line', 'run', "Lines", readonly=True)
    invoices = fields.Function(fields.Many2Many(
            'account.invoice', None, None, "Invoices"), 'get_invoices')
    state = fields.Selection([
            ('draft', "Draft"),
            ('done', "Done"),
            ], "State", readonly=True, required=True)
    unbilled = fields.Text("Members Not Billed", readonly=True,
        help="The members the last run could not bill, and why; "
        "running it again bills them once the cause is fixed.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('period_unique', Unique(t, t.company, t.periodicity, t.start_date),
                'hub_invoicing.msg_run_unique'),
            ]
        cls._order = [('start_date', 'DESC'), ('id', 'DESC')]
        cls._transitions |= {('draft', 'done'), ('done', 'done')}
        cls._buttons.update({
                'process': {
                    'icon': 'tryton-launch',
                    'depends': ['state'],
                    },
                })

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    @staticmethod
    def default_state():
        return 'draft'

    @staticmethod
    def default_periodicity():
        return 'month'

    def get_rec_name(self, name):
        return '%s %s – %s' % (
            self.company.rec_name, self.start_date, self.end_date)

    @fields.depends('start_date', 'periodicity')
    def on_change_with_end_date(self):
        if self.start_date and self.periodicity:
            return period_end(self.start_date, self.periodicity)

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        if values.get('start_date') and values.get('periodicity'):
            values['end_date'] = period_end(
                values['start_date'], values['periodicity'])
        return values

    @classmethod
    def write(cls, *args):
        # A write of the start date or of the periodicity alone moves the
        # end date too, from each run's other value
        actions = iter(args)
        args = []
        for runs, values in zip(actions, actions):
            # Both written: preprocess_values computes it
            if len({'start_date', 'periodicity'} & set(values)) != 1:
                args.extend((runs, values))
                continue
            for run in runs:
                end_date = period_end(
                    values.get('start_date', run.start_date),
                    values.get('periodicity', run.periodicity))
                args.extend(([run], {**values, 'end_date': end_date}))
        super().write(*args)

    @classmethod
    def validate_fields(cls, runs, field_names):
        super().validate_fields(runs, field_names)
        for run in runs:
            if run.start_date.day != 1 or (run.periodicity == 'quarter'
                    and run.start_date.month % 3 != 1):
                raise BillingError(gettext(
                        'hub_invoicing.msg_run_start_date',
                        run=run.rec_name))

    def get_invoices(self, name):
        return sorted({l.invoice_line.invoice.id for l in self.lines
                if l.invoice_line}, reverse=True)

    @classmethod
    def get_run(cls, company, periodicity, start_date):
        "Return the run of the period, created if missing"
        runs = cls.search([
                ('company', '=', company.id),
                ('periodicity', '=', periodicity),
                ('start_date', '=', start_date),
                ])
        if runs:
            return runs[0]
        run = cls(company=company, periodicity=periodicity,
            start_date=start_date,
            end_date=period_end(start_date, periodicity))
        run.save()
        return run

    @classmethod
    @ModelView.button
    @Workflow.transition('done')
    def process(cls, runs):
        """Allocate the services over the members (once) and invoice what
        is not invoiced yet: running it again creates nothing"""
        cls.lock(runs)
        for run in runs:
            with Transaction().set_context(company=run.company.id):
                run._allocate()
                run._invoice()

    def _members(self):
        "The members billed for the period: active, joined, not left"
        Member = Pool().get('hub.member')
        return Member.search([
                ('company', '!=', self.company.id),
                ('joined', '<=', self.end_date),
                ['OR',
                    ('left', '=', None),
                    ('left', '>=', self.start_date),
                    ],
                ])

    def _allocate(self):
        pool = Pool()
        Service = pool.get('hub.service')
        Line = pool.get('hub.billing.line')
        services = Service.search([
                ('company', '=', self.company.id),
                ('periodicity', '=', self.periodicity),
                ], order=[('id', 'ASC')])
        done = {l.service for l in Line.search([
                    ('service', 'in', [s.id for s in services]),
                    ('start_date', '=', self.start_date),
                    ])}
        members = self._members()
        exp = Decimal(1).scaleb(-self.company.currency.digits)
        lines = []
        for service in services:
            if service in done:
                continue
            values = service.key_values(
                self.start_date, self.end_date, members)
            weights = [(m, values[m]) for m in members if values[m] > 0]
            total = sum((w for _, w in weights), Decimal(0))
            if not weights:
                raise AllocationError(gettext(
                        'hub_invoicing.msg_allocation_no_weight',
                        service=service.rec_name,
                        key=service.key_string,
                        start=format_date(self.start_date),
                        end=format_date(self.end_date)))
            amounts = allocate(service.cost, weights, exp)
            for member, weight in weights:
                lines.append(Line(
                        run=self, service=service, member=member,
                        start_date=self.start_date, key=service.key,
                        key_value=weight, key_total=total,
                        amount=amounts[member]))
        Line.save(lines)

    def _invoice(self):
        "Create and post one invoice per member for the lines not invoiced"
        pool = Pool()
        Line = pool.get('hub.billing.line')
        Invoice = pool.get('account.invoice')
        InvoiceLine = pool.get('account.invoice.line')
        Journal = pool.get('account.journal')
        Member = pool.get('hub.member')
        Party = pool.get('party.party')
        lines = Line.search([
                ('run', '=', self.id),
                ('amount', '!=', 0),
                ['OR',
                    ('invoice_line', '=', None),
                    ('invoice_line.invoice.state', '=', 'cancelled'),
                    ],
                ], order=[('member', 'ASC'), ('service', 'ASC')])
        by_member = defaultdict(list)
        for line in lines:
            by_member[line.member].append(line)
        self.unbilled = None
        if not by_member:
            self.save()
            return []
        journal, = Journal.search([('type', '=', 'revenue')], limit=1)
        invoices = []
        for member, member_lines in by_member.items():
            party = Party(member.company.party.id)
            invoice = Invoice(
                company=self.company, type='out', party=party,
                currency=self.company.currency, journal=journal,
                invoice_date=self.end_date,
                description=gettext(
                    'hub_invoicing.msg_run_invoice_description',
                    Member.books_language(self.company),
                    start=format_date(self.start_date),
                    end=format_date(self.end_date)))
            invoice.on_change_party()
            invoice.account = party.account_receivable_used
            invoice.invoice_date = self.end_date
            invoice.lines = [InvoiceLine(
                    type='line', company=self.company,
                    currency=self.company.currency, invoice_type='out',
                    party=party, quantity=1, unit_price=l.amount,
                    account=l.service.account, taxes=l.service.taxes,
                    description=l.description)
                for l in member_lines]
            invoices.append(invoice)
        Invoice.save(invoices)
        # A member whose invoice cannot be mirrored (no mapping, period
        # closed, ...) does not stop the others: its draft is deleted, it is
        # reported by name and the next run bills it.
        to_post, to_delete, unbilled = [], [], []
        for invoice, member in zip(invoices, by_member):
            try:
                Invoice._hub_check_mirrorable([invoice])
            except UserError as exception:
                to_delete.append(invoice)
                unbilled.append('%s: %s' % (
                        member.rec_name, exception.message))
                continue
            to_post.append(invoice)
            for line, invoice_line in zip(by_member[member], invoice.lines):
                line.invoice_line = invoice_line
        Line.save(lines)
        Invoice.delete(to_delete)
        self.unbilled = '\n'.join(unbilled) or None
        self.save()
        if unbilled:
            logger.warning("billing run %s: not billed: %s",
                self.rec_name, '; '.join(unbilled))
        with Transaction().set_context(_skip_warnings=True):
            Invoice.post(to_post)
        return to_post

    @classmethod
    def run_due(cls, date=None):
        """Run the billing of the last complete month (and quarter) before
        date, for the collective: the cron and the command line call it"""
        pool = Pool()
        Configuration = pool.get('hub.configuration')
        Date = pool.get('ir.date')
        collective = Configuration(1).collective
        if not collective:
            return []
        with Transaction().set_context(company=collective.id):
            date = date or Date.today()
        first = date.replace(day=1)
        runs = [cls.get_run(
                collective, 'month', first - relativedelta(months=1))]
        quarter = first.replace(month=(first.month - 1) // 3 * 3 + 1)
        runs.append(cls.get_run(
                collective, 'quarter', quarter - relativedelta(months=3)))
        cls.process(runs)
        return runs


class BillingLine(ModelSQL, ModelView):
    "Shared Services Billing Line"
    __name__ = 'hub.billing.line'

    run = fields.Many2One(
        'hub.billing.run', "Run", required=True, ondelete='CASCADE')
    service = fields.Many2One(
        'hub.service', "Service", required=True, ondelete='RESTRICT')
    member = fields.Many2One(
        'hub.member', "Member", required=True, ondelete='RESTRICT')
    start_date = fields.Date("Start Date", required=True)
    key = fields.Selection('get_keys', "Allocation Key", required=True)
    key_string = key.translated('key')
    key_value = fields.Numeric(
        "Key Value", digits=(16, 4), required=True,
        help="The member's value of the key, frozen when allocated.")
    key_total = fields.Numeric(
        "Key Total", digits=(16, 4), required=True,
        help="The total of the key over the members, frozen.")
    amount = fields.Numeric("Amount", digits=(16, 2), required=True)
    invoice_line = fields.Many2One(
        'account.invoice.line', "Invoice Line", readonly=True,
        ondelete='SET NULL')
    invoice = fields.Function(fields.Many2One(
            'account.invoice', "Invoice"), 'get_invoice')
    description = fields.Function(
        fields.Char("Description"), 'get_description')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('service_period_member_unique',
                Unique(t, t.service, t.start_date, t.member),
                'hub_invoicing.msg_billing_line_unique'),
            ]
        cls._order = [
            ('run', 'DESC'), ('service', 'ASC'), ('member', 'ASC'),
            ('id', 'ASC')]

    @classmethod
    def get_keys(cls):
        Service = Pool().get('hub.service')
        return Service.fields_get(['key'])['key']['selection']

    def get_invoice(self, name):
        return self.invoice_line.invoice.id if self.invoice_line else None

    def get_description(self, name):
        "The frozen key, printed on the invoice line"
        share = (self.key_value / self.key_total * 100
            if self.key_total else Decimal(0))
        return gettext('hub_invoicing.msg_billing_line_description',
            service=self.service.name, key=self.key_string,
            value=format_number(self.key_value),
            total=format_number(self.key_total),
            share=format_amount(share),
            start=format_date(self.run.start_date),
            end=format_date(self.run.end_date))

# This file is part of Pôle.
import datetime as dt
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from sql import Cast
from sql.aggregate import Sum
from sql.conditionals import Case
from sql.functions import Extract

from trytond import backend
from trytond.i18n import gettext
from trytond.model import (
    Index, ModelSQL, ModelView, Unique, Workflow, fields)
from trytond.model.exceptions import AccessError
from trytond.modules.insertion.insertion import INSERTION_KINDS
from trytond.pool import Pool, PoolMeta
from trytond.tools import grouped_slice
from trytond.pyson import Eval
from trytond.transaction import Transaction

from .exceptions import PayrollLineError, PayrollPostError

CENT = Decimal('0.01')
MAX_MONTH_HOURS = Decimal(250)
ALERT_LOW = Decimal('0.95')
ALERT_HIGH = Decimal('1.05')

# Configuration field -> account code proposed by default (PCG)
DEFAULT_ACCOUNTS = [
    ('account_salary', '6411'),
    ('account_bonus', '6413'),
    ('account_employer', '6451'),
    ('account_net', '421'),
    ('account_social', '431'),
    ('account_tax', '4421'),
    ('account_aid_income', '74'),
    ('account_aid_receivable', '4417'),
    ]
# Accounts needed only when the payroll uses them
OPTIONAL_ACCOUNTS = [
    ('account_other_social', '437'),
    ]


def as_date(value):
    "A date read by SQL (SQLite returns text)"
    if isinstance(value, str):
        return dt.date.fromisoformat(value)
    return value


def month_start(date):
    return date.replace(day=1)


def month_end(date):
    return date + relativedelta(day=31)


def etp_row_id(agreement, month):
    """The id of the ETP row of an AF and a month: Szudzik's pairing of the
    AF id and the month number (year x 12 + month - 1).  A bijection, so two
    rows never share an id whatever the ids; in BIGINT, under 2**53 (the
    integers of the web client) while the AF ids are under 94 million."""
    a = Cast(agreement, 'BIGINT')
    b = Cast(Extract('YEAR', month) * 12 + Extract('MONTH', month) - 1,
        'BIGINT')
    return Case((a >= b, a * a + a + b), else_=b * b + a)


def check_company(company, message, **values):
    """Refuse a company the user does not work in now (res.user
    get_companies(), what the record rules allow).  Wizards run without
    access checks: a company taken from a form is checked here."""
    transaction = Transaction()
    if transaction.user == 0:
        return
    User = Pool().get('res.user')
    if company.id not in User.get_companies():
        raise AccessError(gettext(
                message, company=company.rec_name, **values))


def _account_field(string, help=None, required=True):
    return fields.Many2One(
        'account.account', string, required=required,
        domain=[
            ('company', '=', Eval('company', -1)),
            ('type', '!=', None),
            ('closed', '!=', True),
            ], help=help)


class Configuration(ModelSQL, ModelView):
    "Payroll accounting configuration of a structure"
    __name__ = 'insertion.payroll.configuration'

    company = fields.Many2One('company.company', "Company", required=True)
    journal = fields.Many2One(
        'account.journal', "Journal", required=True,
        domain=[('type', '=', 'general')])
    account_salary = _account_field("Gross Salaries", "6411")
    account_bonus = _account_field("Bonuses", "6413")
    account_employer = _account_field("Employer Contributions", "6451")
    account_net = _account_field("Net Pay", "421")
    account_social = _account_field("Social Bodies", "431")
    account_tax = _account_field("Income Tax Withheld", "4421")
    account_other_social = _account_field(
        "Other Social Bodies",
        "437x: pension, unemployment, provident; needed when the payroll "
        "file gives their contributions.", required=False)
    account_aid_income = _account_field(
        "Aide au Poste Income",
        "74x: the sub-account is not fixed by the regulation, choose it.")
    account_aid_receivable = _account_field(
        "State Receivable", "4417: the aide au poste due by the State (ASP)")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('company_unique', Unique(t, t.company),
                'insertion_payroll.msg_configuration_company_unique'),
            ]

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    @classmethod
    def found_values(cls, company):
        "The accounts of the company chart found by their PCG code"
        pool = Pool()
        Account = pool.get('account.account')
        Journal = pool.get('account.journal')
        codes = [c for _, c in DEFAULT_ACCOUNTS + OPTIONAL_ACCOUNTS]
        accounts = {a.code: a for a in Account.search([
                    ('company', '=', company.id),
                    ('code', 'in', codes),
                    ('type', '!=', None),
                    ('closed', '!=', True),
                    ])}
        values = {'company': company.id}
        for name, code in DEFAULT_ACCOUNTS + OPTIONAL_ACCOUNTS:
            if code in accounts:
                values[name] = accounts[code].id
        journals = Journal.search([('type', '=', 'general')], limit=1)
        if journals:
            values['journal'] = journals[0].id
        return values

    @classmethod
    def get(cls, company):
        "The configuration of the company, created with defaults if missing"
        configs = cls.search([('company', '=', company.id)], limit=1)
        if configs:
            return configs[0]
        values = cls.found_values(company)
        missing = [n for n, _ in DEFAULT_ACCOUNTS if n not in values]
        if missing or 'journal' not in values:
            raise PayrollPostError(gettext(
                    'insertion_payroll.msg_configuration_missing',
                    company=company.rec_name,
                    accounts=', '.join(
                        c for n, c in DEFAULT_ACCOUNTS if n in missing)))
        config, = cls.create([values])
        return config


class PayrollLine(Workflow, ModelSQL, ModelView):
    "Payroll line"
    __name__ = 'insertion.payroll.line'

    _states = {'readonly': Eval('state') != 'draft'}

    company = fields.Many2One(
        'company.company', "Company", required=True, states=_states)
    contract = fields.Many2One(
        'insertion.contract', "Contract", required=True, states=_states,
        domain=[('company', '=', Eval('company', -1))])
    employee = fields.Many2One(
        'company.employee', "Employee", required=True, states=_states,
        domain=[('company', '=', Eval('company', -1))])
    month = fields.Date(
        "Month", required=True, states=_states,
        help="The first day of the month paid.")
    correction = fields.Boolean(
        "Correction", states=_states,
        help="Corrects a month already posted: its figures add to it.")
    hours_paid = fields.Numeric(
        "Hours Paid", digits=(16, 2), required=True, states=_states)
    hours_worked = fields.Numeric(
        "Hours Worked", digits=(16, 2), required=True, states=_states)
    gross = fields.Numeric(
        "Gross", digits=(16, 2), required=True, states=_states)
    employee_contributions = fields.Numeric(
        "Employee Contributions", digits=(16, 2), required=True,
        states=_states)
    employer_contributions = fields.Numeric(
        "Employer Contributions", digits=(16, 2), required=True,
        states=_states)
    net = fields.Numeric(
        "Net Pay", digits=(16, 2), required=True, states=_states)
    tax = fields.Numeric(
        "Income Tax Withheld", digits=(16, 2), required=True, states=_states)
    bonuses = fields.Numeric(
        "Bonuses", digits=(16, 2), required=True, states=_states,
        help="The part of the gross paid as bonuses.")
    other_contributions = fields.Numeric(
        "Contributions to Other Bodies", digits=(16, 2), required=True,
        states=_states,
        help="The part of the employee and employer contributions due to "
        "bodies other than the URSSAF (pension, unemployment, provident): "
        "credited to 437x instead of 431.")
    action = fields.Many2One(
        'analytic_account.account', "Action", states=_states,
        domain=[
            ('company', '=', Eval('company', -1)),
            ('type', '=', 'normal'),
            ])
    import_ = fields.Many2One(
        'insertion.payroll.import', "Import", readonly=True,
        ondelete='CASCADE')
    move = fields.Many2One('account.move', "Move", readonly=True)
    state = fields.Selection([
            ('draft', "Draft"),
            ('validated', "Validated"),
            ('posted', "Posted"),
            ], "State", required=True, readonly=True, sort=False)

    del _states

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.company, Index.Range()), (t.month, Index.Range())),
                Index(t, (t.contract, Index.Range()),
                    (t.month, Index.Range())),
                })
        cls._order = [('month', 'DESC'), ('id', 'ASC')]
        cls._transitions |= {
            ('draft', 'validated'), ('validated', 'draft'),
            ('validated', 'posted'),
            }
        cls._buttons.update({
                'draft': {'invisible': Eval('state') != 'validated'},
                'validate_line': {'invisible': Eval('state') != 'draft'},
                'post': {'invisible': Eval('state') != 'validated'},
                })

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    @staticmethod
    def default_state():
        return 'draft'

    @staticmethod
    def default_correction():
        return False

    @classmethod
    def default_bonuses(cls):
        return Decimal(0)

    @classmethod
    def default_other_contributions(cls):
        return Decimal(0)

    @fields.depends('contract')
    def on_change_contract(self):
        if self.contract:
            self.employee = self.contract.employee

    def get_rec_name(self, name):
        return '%s %s' % (self.employee.rec_name, self.month.strftime('%m/%Y'))

    @classmethod
    def search_rec_name(cls, name, clause):
        return [('employee.rec_name',) + tuple(clause[1:])]

    @classmethod
    def validate_fields(cls, lines, field_names):
        super().validate_fields(lines, field_names)
        if field_names and not field_names & {
                'month', 'gross', 'employee_contributions', 'tax', 'net'}:
            return
        for line in lines:
            if line.month.day != 1:
                raise PayrollLineError(gettext(
                        'insertion_payroll.msg_line_month_first',
                        line=line.rec_name))
            # to the cent: a cent off would post an unbalanced move
            if (line.gross - line.employee_contributions - line.tax
                    != line.net):
                raise PayrollLineError(gettext(
                        'insertion_payroll.msg_line_net',
                        line=line.rec_name))

    @classmethod
    def check_modification(cls, mode, lines, values=None, external=False):
        super().check_modification(
            mode, lines, values=values, external=external)
        if mode == 'delete':
            for line in lines:
                if line.state != 'draft':
                    raise PayrollLineError(gettext(
                            'insertion_payroll.msg_line_delete_draft',
                            line=line.rec_name))
        elif mode == 'write':
            # The lock: a line out of draft changes only its state, along
            # the workflow, and gets its move when posted
            allowed = {'state'}
            if values.get('state') == 'posted':
                allowed.add('move')
            for line in lines:
                state = values.get('state', line.state)
                if line.state != 'draft' and (set(values) - allowed
                        or (state != line.state
                            and (line.state, state)
                            not in cls._transitions)):
                    raise PayrollLineError(gettext(
                            'insertion_payroll.msg_line_modify_draft',
                            line=line.rec_name))

    @classmethod
    @ModelView.button
    @Workflow.transition('draft')
    def draft(cls, lines):
        pass

    @classmethod
    @ModelView.button
    def validate_line(cls, lines):
        cls.validate_ids([l.id for l in lines])

    @classmethod
    def validate_ids(cls, ids):
        "Validate the draft lines of ids"
        cls._set_state(ids, 'draft', 'validated')

    @classmethod
    @ModelView.button
    def post(cls, lines):
        cls.post_ids([l.id for l in lines])

    @classmethod
    def post_ids(cls, ids):
        """Post the months of the lines of ids: one grouped move per
        structure and month, with every validated line of that month"""
        pool = Pool()
        Company = pool.get('company.company')
        Move = pool.get('account.move')
        line = cls.__table__()
        cursor = Transaction().connection.cursor()
        groups = set()
        for sub_ids in grouped_slice(ids, backend.MAX_QUERY_PARAMS):
            cursor.execute(*line.select(line.company, line.month,
                    where=fields.SQL_OPERATORS['in'](line.id, sub_ids),
                    group_by=[line.company, line.month]))
            groups.update((c, as_date(m)) for c, m in cursor)
        to_post = []
        for company_id, month in sorted(groups):
            company = Company(company_id)
            where = (line.company == company_id) & (line.month == month)
            cursor.execute(*line.select(line.id,
                    where=where & (line.state == 'posted'), limit=1))
            if cursor.fetchone():
                raise PayrollPostError(gettext(
                        'insertion_payroll.msg_post_month_posted',
                        company=company.rec_name,
                        month=month.strftime('%m/%Y')))
            cursor.execute(*line.select(line.id,
                    where=where & (line.state == 'validated')))
            month_ids = [i for i, in cursor]
            if month_ids:
                to_post.append((month_ids, cls.get_move(company, month)))
        moves = [m for _, m in to_post]
        Move.save(moves)
        Move.post(moves)
        for month_ids, move in to_post:
            cls._set_state(month_ids, 'validated', 'posted', move=move.id)

    @classmethod
    def _set_state(cls, ids, from_state, to_state, **values):
        """Move the lines of ids in from_state to to_state (with the
        values): the lines are selected in SQL and written at once by the
        ORM's write (one UPDATE per slice of ids, the caches cleared, the
        lock of check_modification applied).  validate_fields skips the
        figures, checked at the import, when only the state changes.  Who
        changed them and when stays on each line (write_uid, write_date)."""
        pool = Pool()
        ModelAccess = pool.get('ir.model.access')
        cursor = Transaction().connection.cursor()
        table = cls.__table__()
        ModelAccess.check(cls.__name__, 'write')
        changed = []
        for sub_ids in grouped_slice(ids, backend.MAX_QUERY_PARAMS):
            cursor.execute(*table.select(table.id,
                    where=fields.SQL_OPERATORS['in'](table.id, sub_ids)
                    & (table.state == from_state)))
            changed.extend(i for i, in cursor)
        if changed:
            cls.write(cls.browse(changed), {'state': to_state, **values})
        return changed

    @classmethod
    def totals(cls, company, month):
        "Totals of the validated lines of the month per action, in SQL"
        line = cls.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*line.select(
                line.action,
                Sum(line.gross - line.bonuses), Sum(line.bonuses),
                Sum(line.employer_contributions), Sum(line.net),
                Sum(line.employee_contributions), Sum(line.tax),
                Sum(line.other_contributions),
                where=(line.company == company.id) & (line.month == month)
                & (line.state == 'validated'),
                group_by=[line.action]))
        # SQLite sums numerics as floats
        return [(row[0], *(Decimal(str(v or 0)).quantize(CENT)
                    for v in row[1:]))
            for row in cursor]

    @classmethod
    def get_move(cls, company, month):
        "The grouped payroll move of the company and month (not saved)"
        pool = Pool()
        Configuration = pool.get('insertion.payroll.configuration')
        Move = pool.get('account.move')
        MoveLine = pool.get('account.move.line')
        AnalyticLine = pool.get('analytic_account.line')
        Period = pool.get('account.period')
        config = Configuration.get(company)
        date = month_end(month)
        with Transaction().set_context(company=company.id):
            period = Period.find(company, date=date)
        description = gettext(
            'insertion_payroll.msg_move_description',
            Pool().get('hub.member').books_language(company),
            month=month.strftime('%m/%Y'))
        lines = []
        credits = {
            config.account_net: Decimal(0),
            config.account_social: Decimal(0),
            config.account_tax: Decimal(0),
            }
        others = Decimal(0)

        def debit(account, amount, action):
            if not amount:
                return
            line = MoveLine(account=account, description=description,
                debit=max(amount, 0), credit=max(-amount, 0))
            if action:
                line.analytic_lines = [AnalyticLine(
                        account=action, date=date,
                        debit=line.debit, credit=line.credit)]
            lines.append(line)

        for (action, salary, bonus, employer, net, employee_c,
                tax, other) in cls.totals(company, month):
            debit(config.account_salary, salary, action)
            debit(config.account_bonus, bonus, action)
            debit(config.account_employer, employer, action)
            credits[config.account_net] += net
            credits[config.account_social] += employee_c + employer - other
            credits[config.account_tax] += tax
            others += other
        if others:
            # pension, unemployment, provident: 437x, not the URSSAF
            if not config.account_other_social:
                raise PayrollPostError(gettext(
                        'insertion_payroll.msg_configuration_other_missing',
                        company=company.rec_name,
                        month=month.strftime('%m/%Y')))
            account = config.account_other_social
            credits[account] = credits.get(account, Decimal(0)) + others
        for account, amount in credits.items():
            if amount:
                lines.append(MoveLine(account=account,
                        description=description,
                        debit=max(-amount, 0), credit=max(amount, 0)))
        return Move(company=company, journal=config.journal, period=period,
            date=date, description=description, lines=lines,
            origin=None)


class Agreement(metaclass=PoolMeta):
    __name__ = 'insertion.agreement'

    hours_basis = fields.Selection([
            ('paid', "Hours Paid"),
            ('worked', "Hours Worked"),
            ], "ETP Hours", required=True,
        states={'readonly': Eval('state') != 'draft'},
        help="The hours of the payroll counted in the ETP consumed.")

    etp_consumed = fields.Function(fields.Numeric(
            "ETP Consumed", digits=(16, 4),
            help="The ETP consumed from the start to this month."),
        'get_etp')
    etp_expected = fields.Function(fields.Numeric(
            "ETP Expected", digits=(16, 4),
            help="The conventioned ETP pro rata of the months elapsed."),
        'get_etp')
    etp_projection = fields.Function(fields.Numeric(
            "ETP Projected", digits=(16, 4),
            help="The ETP at the end of the annexe financière at the "
            "current pace."), 'get_etp')
    etp_alert = fields.Function(fields.Selection([
                (None, ""),
                ('under', "Under 95 %"),
                ('over', "Over 105 %"),
                ], "ETP Alert",
            help="When the projection is under 95 % or over 105 % of the "
            "conventioned ETP."), 'get_etp')
    aid_accrued = fields.Function(fields.Numeric(
            "Aid Accrued", digits=(16, 2)), 'get_aid_totals')
    aid_received = fields.Function(fields.Numeric(
            "Aid Received", digits=(16, 2)), 'get_aid_totals')
    aid_regularisation = fields.Function(fields.Numeric(
            "Aid Regularisation", digits=(16, 2),
            help="Accrued minus received: positive is still due by the "
            "State, negative is to pay back."), 'get_aid_totals')

    @staticmethod
    def default_hours_basis():
        return 'paid'

    @classmethod
    def get_etp(cls, agreements, names):
        "The ETP status at today (or the context date)"
        Date = Pool().get('ir.date')
        date = Transaction().context.get('date') or Date.today()
        result = {n: {} for n in names}
        for agreement in agreements:
            status = agreement.etp_status(date)
            values = {
                'etp_consumed': status['consumed'].quantize(
                    Decimal('0.0001')),
                'etp_expected': status['expected'].quantize(
                    Decimal('0.0001')),
                'etp_projection': status['projection'].quantize(
                    Decimal('0.0001')),
                'etp_alert': status['alert'],
                }
            for name in names:
                result[name][agreement.id] = values[name]
        return result

    @classmethod
    def get_aid_totals(cls, agreements, names):
        "Totals of the accruals and payments, in SQL"
        pool = Pool()
        Accrual = pool.get('insertion.payroll.aid.accrual')
        Payment = pool.get('insertion.payroll.aid.payment')
        cursor = Transaction().connection.cursor()
        ids = [a.id for a in agreements]
        totals = {}
        for name, Model in [
                ('aid_accrued', Accrual), ('aid_received', Payment)]:
            table = Model.__table__()
            cursor.execute(*table.select(
                    table.agreement, Sum(table.amount),
                    where=table.agreement.in_(ids),
                    group_by=[table.agreement]))
            totals[name] = {
                a: Decimal(str(v or 0)).quantize(CENT) for a, v in cursor}
        result = {n: {} for n in names}
        for id_ in ids:
            accrued = totals['aid_accrued'].get(id_, Decimal(0))
            received = totals['aid_received'].get(id_, Decimal(0))
            values = {
                'aid_accrued': accrued,
                'aid_received': received,
                'aid_regularisation': accrued - received,
                }
            for name in names:
                result[name][id_] = values[name]
        return result

    def aid_received_in(self, month):
        "The aid received for the month"
        Payment = Pool().get('insertion.payroll.aid.payment')
        payment = Payment.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*payment.select(Sum(payment.amount),
                where=(payment.agreement == self.id)
                & (payment.month == month)))
        value, = cursor.fetchone()
        return Decimal(str(value or 0)).quantize(CENT)

    def record_monthly_payment(self, month, date=None):
        "Record the 1/12 of the AF's aid paid by the ASP for the month"
        Payment = Pool().get('insertion.payroll.aid.payment')
        payment = Payment(agreement=self, month=month_start(month),
            date=date or month_end(month),
            amount=(self.total_aid / 12).quantize(CENT))
        payment.save()
        return payment

    def accrue_aid(self, month):
        """Post the aid accrued for the month: State receivable against
        income, from the ETP consumed"""
        pool = Pool()
        Accrual = pool.get('insertion.payroll.aid.accrual')
        Configuration = pool.get('insertion.payroll.configuration')
        Move = pool.get('account.move')
        MoveLine = pool.get('account.move.line')
        Period = pool.get('account.period')
        month = month_start(month)
        if Accrual.search([
                    ('agreement', '=', self.id), ('month', '=', month)]):
            raise PayrollPostError(gettext(
                    'insertion_payroll.msg_aid_already',
                    agreement=self.rec_name, month=month.strftime('%m/%Y')))
        amount = dict((r[0], r[3]) for r in self.etp_by_month()).get(month)
        if not amount:
            return None
        config = Configuration.get(self.company)
        date = month_end(month)
        with Transaction().set_context(company=self.company.id):
            period = Period.find(self.company, date=date)
        description = gettext(
            'insertion_payroll.msg_aid_description',
            Pool().get('hub.member').books_language(self.company),
            month=month.strftime('%m/%Y'))
        move = Move(company=self.company, journal=config.journal,
            period=period, date=date, description=description, lines=[
                MoveLine(account=config.account_aid_receivable,
                    debit=amount, credit=0, description=description),
                MoveLine(account=config.account_aid_income,
                    debit=0, credit=amount, description=description),
                ])
        move.save()
        Move.post([move])
        accrual = Accrual(agreement=self, month=month, amount=amount,
            move=move)
        accrual.save()
        return accrual

    def months(self):
        "The first days of the months of the agreement"
        month = month_start(self.start_date)
        result = []
        while month <= self.end_date:
            result.append(month)
            month += relativedelta(months=1)
        return result

    def payroll_hours(self):
        "{month: hours} of the insertion contracts' payroll, in SQL"
        pool = Pool()
        Line = pool.get('insertion.payroll.line')
        Contract = pool.get('insertion.contract')
        line = Line.__table__()
        contract = Contract.__table__()
        cursor = Transaction().connection.cursor()
        column = (line.hours_worked if self.hours_basis == 'worked'
            else line.hours_paid)
        cursor.execute(*line.join(contract,
                condition=line.contract == contract.id).select(
                line.month, Sum(column),
                where=(line.company == self.company.id)
                & (line.month >= month_start(self.start_date))
                & (line.month <= self.end_date)
                & line.state.in_(['validated', 'posted'])
                & contract.kind.in_(list(INSERTION_KINDS)),
                group_by=[line.month]))
        result = {}
        for month, hours in cursor:
            result[as_date(month)] = Decimal(str(hours or 0)).quantize(CENT)
        return result

    def etp_by_month(self):
        "[(month, hours, etp, aid)] for every month of the agreement"
        hours = self.payroll_hours()
        rate = self.aid_per_etp()
        result = []
        for month in self.months():
            hours_ = hours.get(month, Decimal(0))
            etp = hours_ / self.reference_hours
            aid = (etp * rate).quantize(CENT) if rate is not None else None
            result.append((month, hours_, etp, aid))
        return result

    def aid_per_etp(self):
        "The yearly aid of one ETP: base × (1 + modulation)"
        if self.base_aid is None:
            return None
        return self.base_aid * (1 + self.modulation / 100)

    def etp_expected_between(self, start, date):
        """The conventioned ETP pro rata temporis of the AF's months from
        start (the AF's start when None) to the month of date"""
        start = month_start(start) if start else None
        elapsed = len([m for m in self.months()
                if m <= date and (start is None or m >= start)])
        return self.etp * elapsed / len(self.months())

    def etp_status(self, date):
        """The ETP consumed up to the end of the month of date against the
        conventioned ETP pro rata temporis, and the projection at the
        current pace to the end of the agreement"""
        rows = [r for r in self.etp_by_month() if r[0] <= date]
        total_months = len(self.months())
        elapsed = len(rows)
        consumed = sum((r[2] for r in rows), Decimal(0))
        expected = self.etp_expected_between(None, date)
        projection = (consumed * total_months / elapsed
            if elapsed else Decimal(0))
        ratio = projection / self.etp if self.etp else Decimal(0)
        if ratio < ALERT_LOW:
            alert = 'under'
        elif ratio > ALERT_HIGH:
            alert = 'over'
        else:
            alert = None
        return {
            'months': elapsed,
            'consumed': consumed,
            'expected': expected,
            'projection': projection,
            'ratio': ratio,
            'alert': alert,
            }


class EtpMonth(ModelSQL, ModelView):
    "ETP consumed per annexe financière and month"
    __name__ = 'insertion.payroll.etp'

    agreement = fields.Many2One('insertion.agreement', "Annexe Financière")
    company = fields.Many2One('company.company', "Company")
    month = fields.Date("Month")
    hours = fields.Numeric("Hours", digits=(16, 2))
    etp = fields.Function(fields.Numeric(
            "ETP Consumed", digits=(16, 4)), 'get_figures')
    etp_conventioned = fields.Function(fields.Numeric(
            "ETP Conventioned (month)", digits=(16, 4)), 'get_figures')
    aid_accrued = fields.Function(fields.Numeric(
            "Aid Accrued", digits=(16, 2)), 'get_figures')
    aid_received = fields.Function(fields.Numeric(
            "Aid Received", digits=(16, 2)), 'get_figures')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [
            ('month', 'ASC'), ('agreement', 'ASC'), ('id', 'ASC')]

    @classmethod
    def table_query(cls):
        pool = Pool()
        Line = pool.get('insertion.payroll.line')
        Contract = pool.get('insertion.contract')
        Agreement = pool.get('insertion.agreement')
        line = Line.__table__()
        contract = Contract.__table__()
        agreement = Agreement.__table__()
        hours = Case(
            (agreement.hours_basis == 'worked', line.hours_worked),
            else_=line.hours_paid)
        query = line.join(contract,
            condition=line.contract == contract.id
            ).join(agreement,
            condition=(agreement.company == line.company)
            & (line.month <= agreement.end_date)
            & (line.month >= agreement.start_date)
            & (agreement.state.in_(['valid', 'closed']))
            ).select(
            etp_row_id(agreement.id, line.month).as_('id'),
            agreement.id.as_('agreement'),
            agreement.company.as_('company'),
            line.month.as_('month'),
            Sum(hours).as_('hours'),
            where=line.state.in_(['validated', 'posted'])
            & contract.kind.in_(list(INSERTION_KINDS)),
            group_by=[agreement.id, agreement.company, line.month])
        return query

    @classmethod
    def get_figures(cls, rows, names):
        result = {n: {} for n in names}
        for row in rows:
            agreement = row.agreement
            hours = Decimal(str(row.hours or 0)).quantize(CENT)
            etp = hours / agreement.reference_hours
            rate = agreement.aid_per_etp()
            months = len(agreement.months())
            values = {
                'etp': etp.quantize(Decimal('0.0001')),
                'etp_conventioned': (agreement.etp / months).quantize(
                    Decimal('0.0001')),
                'aid_accrued': ((etp * rate).quantize(CENT)
                    if rate is not None else None),
                'aid_received': agreement.aid_received_in(row.month),
                }
            for name in names:
                result[name][row.id] = values[name]
        return result


class AidAccrual(ModelSQL, ModelView):
    "Aide au poste accrued"
    __name__ = 'insertion.payroll.aid.accrual'

    agreement = fields.Many2One(
        'insertion.agreement', "Annexe Financière", required=True,
        readonly=True)
    month = fields.Date("Month", required=True, readonly=True)
    amount = fields.Numeric(
        "Amount", digits=(16, 2), required=True, readonly=True)
    move = fields.Many2One('account.move', "Move", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('agreement_month_unique', Unique(t, t.agreement, t.month),
                'insertion_payroll.msg_aid_accrual_unique'),
            ]
        cls._order = [('month', 'ASC'), ('id', 'ASC')]


class AidPayment(ModelSQL, ModelView):
    "Aide au poste payment received"
    __name__ = 'insertion.payroll.aid.payment'

    agreement = fields.Many2One(
        'insertion.agreement', "Annexe Financière", required=True)
    date = fields.Date("Date", required=True)
    month = fields.Date("Month", required=True)
    amount = fields.Numeric("Amount", digits=(16, 2), required=True)
    regularisation = fields.Boolean("Regularisation")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('date', 'ASC'), ('id', 'ASC')]

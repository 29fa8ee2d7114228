# This file is part of Pôle.
"""ETP consumed and the aide au poste on the annexes financières"""
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from sql.aggregate import Sum
from sql.conditionals import Case

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Unique, fields
from trytond.modules.insertion.common import INSERTION_KINDS
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import Transaction

from .common import (
    ALERT_HIGH, ALERT_LOW, CENT, as_date, etp_row_id, month_end, month_start)
from .exceptions import PayrollPostError


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
            # A draft being filled in (the web client reads it on each
            # change): no figure until its hours, ETP and dates are known
            if not (agreement.reference_hours and agreement.etp is not None
                    and agreement.start_date and agreement.end_date):
                for name in names:
                    result[name][agreement.id] = None
                continue
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
        """Record the twelfth of the AF's aid paid by the ASP for the month,
        at the month's rate (the sum of the months is the AF's aid)"""
        Payment = Pool().get('insertion.payroll.aid.payment')
        month = month_start(month)
        payment = Payment(agreement=self, month=month,
            date=date or month_end(month),
            amount=self.conventioned_aid_of(self.etp, self.modulation,
                len(self.months()), self.base_aid_of(month)))
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
        rates = self.month_rates()
        result = []
        for month in self.months():
            hours_ = hours.get(month, Decimal(0))
            etp = hours_ / self.reference_hours
            # Each month at its own rate (23 921 for an ACI from 2024-11)
            rate = self.aid_per_etp(rates.get(month, (None, False))[0])
            aid = (etp * rate).quantize(CENT) if rate is not None else None
            result.append((month, hours_, etp, aid))
        return result

    def aid_per_etp(self, base):
        "The yearly aid of one ETP at the base rate: base × (1 + modulation)"
        if base is None:
            return None
        return base * (1 + self.modulation / 100)

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
        rates = {}  # each agreement's month rates, read once (12 rows each)
        for row in rows:
            agreement = row.agreement
            if agreement.id not in rates:
                rates[agreement.id] = agreement.month_rates()
            hours = Decimal(str(row.hours or 0)).quantize(CENT)
            etp = hours / agreement.reference_hours
            rate = agreement.aid_per_etp(rates[agreement.id].get(
                    month_start(row.month), (None, False))[0])
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

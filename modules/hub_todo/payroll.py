# This file is part of Pôle.
"""Payroll left (insertion_payroll): contracts' past months without a
payroll line, payroll lines not posted, and aide au poste accrued but not
received long after its month."""
import datetime as dt

from dateutil.relativedelta import relativedelta
from sql import Null
from sql.aggregate import Count, Min, Sum
from sql.conditionals import Coalesce

from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction

from .todo import today

# The ASP pays a month's aid within weeks: a month ended more than this
# many days ago and not paid is late
AID_DELAY_DAYS = 60
PAYROLL_OPEN_STATES = ['draft', 'validated']


def aid_cutoff(date):
    "The last month (its first day) whose aid is late on date"
    late = date - dt.timedelta(days=AID_DELAY_DAYS) - relativedelta(months=1)
    return late.replace(day=1)


class Todo(metaclass=PoolMeta):
    __name__ = 'hub.todo'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.kind.selection += [
            ('payroll_missing', "Payroll months missing"),
            ('payroll_draft', "Payroll lines not posted"),
            ('aid_pending', "Aide au poste not received"),
            ]

    @classmethod
    def _payroll_missing(cls):
        """The (company, contract, month) of each past monthly period of a
        contract's company during the contract that has no payroll line"""
        pool = Pool()
        Contract = pool.get('insertion.contract')
        Line = pool.get('insertion.payroll.line')
        Period = pool.get('account.period')
        FiscalYear = pool.get('account.fiscalyear')
        contract, line = Contract.__table__(), Line.__table__()
        period, fiscalyear = Period.__table__(), FiscalYear.__table__()
        return (contract
            .join(fiscalyear,
                condition=fiscalyear.company == contract.company)
            .join(period, condition=(period.fiscalyear == fiscalyear.id)
                & (period.type == 'standard')
                & (period.end_date >= contract.start_date)
                & (period.start_date <= Coalesce(
                        contract.end_date, period.start_date)))
            .join(line, 'LEFT', condition=(line.contract == contract.id)
                & (line.month == period.start_date))
            .select(
                contract.company.as_('company'),
                contract.id.as_('contract'),
                period.start_date.as_('month'),
                where=(period.end_date < today()) & (line.id == Null)))

    @classmethod
    def _aid_pending(cls):
        """The (company, accrual, amount pending, month) of the aid accrued
        for a month long past and not received in full"""
        pool = Pool()
        Accrual = pool.get('insertion.payroll.aid.accrual')
        Payment = pool.get('insertion.payroll.aid.payment')
        Agreement = pool.get('insertion.agreement')
        accrual, payment = Accrual.__table__(), Payment.__table__()
        agreement = Agreement.__table__()
        paid = payment.select(
            payment.agreement.as_('agreement'), payment.month.as_('month'),
            Sum(payment.amount).as_('amount'),
            group_by=[payment.agreement, payment.month])
        pending = accrual.amount - Coalesce(paid.amount, 0)
        return (accrual
            .join(agreement, condition=accrual.agreement == agreement.id)
            .join(paid, 'LEFT', condition=(paid.agreement == accrual.agreement)
                & (paid.month == accrual.month))
            .select(
                agreement.company.as_('company'),
                accrual.id.as_('accrual'),
                pending.as_('amount'),
                accrual.month.as_('month'),
                where=(accrual.month <= aid_cutoff(today()))
                & (pending > 0)))

    @classmethod
    def _kinds(cls):
        pool = Pool()
        Line = pool.get('insertion.payroll.line')
        kinds = super()._kinds()
        missing = cls._payroll_missing()
        kinds['payroll_missing'] = missing.select(
            missing.company,
            Count(missing.contract).as_('count'),
            cls._null_amount().as_('amount'),
            Min(missing.month).as_('date'),
            group_by=[missing.company])
        line = Line.__table__()
        kinds['payroll_draft'] = line.select(
            line.company.as_('company'),
            Count(line.id).as_('count'),
            Sum(line.gross).as_('amount'),
            Min(line.month).as_('date'),
            where=line.state.in_(PAYROLL_OPEN_STATES),
            group_by=[line.company])
        pending = cls._aid_pending()
        kinds['aid_pending'] = pending.select(
            pending.company,
            Count(pending.accrual).as_('count'),
            Sum(pending.amount).as_('amount'),
            Min(pending.month).as_('date'),
            group_by=[pending.company])
        return kinds

    @classmethod
    def _ids_of(cls, query, column, company):
        "The ids in column of the rows of query for company"
        cursor = Transaction().connection.cursor()
        cursor.execute(*query.select(getattr(query, column),
                where=query.company == company))
        return sorted({i for i, in cursor})

    def _open_action(self):
        company = self.company.id
        if self.kind == 'payroll_missing':
            return 'insertion.act_contract_form', [
                ('company', '=', company),
                ('id', 'in', self._ids_of(
                        self._payroll_missing(), 'contract', company))]
        elif self.kind == 'payroll_draft':
            return 'insertion_payroll.act_line_form', [
                ('company', '=', company),
                ('state', 'in', PAYROLL_OPEN_STATES)]
        elif self.kind == 'aid_pending':
            return 'insertion_payroll.act_aid_accrual_form', [
                ('agreement.company', '=', company),
                ('id', 'in', self._ids_of(
                        self._aid_pending(), 'accrual', company))]
        return super()._open_action()

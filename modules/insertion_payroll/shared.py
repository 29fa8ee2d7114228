# This file is part of Pôle.
from decimal import Decimal

from sql.aggregate import Sum
from sql.conditionals import Coalesce

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Unique, fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import Transaction

from .exceptions import PayrollLineError
from .common import month_start


class SharedTime(ModelSQL, ModelView):
    "Time of a shared employee"
    __name__ = 'insertion.payroll.shared'

    company = fields.Many2One(
        'company.company', "Employer", required=True,
        help="The structure that employs and pays the employee.")
    employee = fields.Many2One(
        'company.employee', "Employee", required=True,
        domain=[('company', '=', Eval('company', -1))])
    month = fields.Date("Month", required=True,
        help="The first day of the month.")
    member = fields.Many2One(
        'hub.member', "Structure", required=True,
        help="The structure the employee worked for.")
    hours = fields.Numeric(
        "Hours", digits=(16, 2),
        help="The hours worked for the structure; or leave empty and give "
        "a percentage of the hours paid of the month.")
    percentage = fields.Numeric(
        "Percentage", digits=(5, 2),
        help="The share of the hours paid of the month (from the payroll).")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('employee_month_member_unique',
                Unique(t, t.employee, t.month, t.member),
                'insertion_payroll.msg_shared_unique'),
            ]
        cls._order = [('month', 'DESC'), ('id', 'ASC')]

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    @classmethod
    def validate_fields(cls, records, field_names):
        super().validate_fields(records, field_names)
        for record in records:
            if (record.hours is None) == (record.percentage is None):
                raise PayrollLineError(gettext(
                        'insertion_payroll.msg_shared_hours_or_percentage',
                        employee=record.employee.rec_name))
            if record.month.day != 1:
                raise PayrollLineError(gettext(
                        'insertion_payroll.msg_shared_month',
                        employee=record.employee.rec_name))

    @classmethod
    def hours_by_member(cls, start_date, end_date, members, employee=None):
        """{member id: hours} worked by shared employees (or the one given)
        for the members over the months of the period, percentages applied
        to the hours paid of the payroll, in SQL"""
        pool = Pool()
        Line = pool.get('insertion.payroll.line')
        shared = cls.__table__()
        line = Line.__table__()
        cursor = Transaction().connection.cursor()
        if not members:
            return {}
        paid = line.select(
            line.employee, line.month, Sum(line.hours_paid).as_('hours'),
            where=line.state.in_(['validated', 'posted']),
            group_by=[line.employee, line.month])
        where = (shared.member.in_([m.id for m in members])
            & (shared.month >= month_start(start_date))
            & (shared.month <= end_date))
        if employee:
            where &= shared.employee == employee.id
        cursor.execute(*shared.join(paid, 'LEFT',
                condition=(paid.employee == shared.employee)
                & (paid.month == shared.month)).select(
                shared.member,
                Sum(Coalesce(shared.hours,
                        shared.percentage * Coalesce(paid.hours, 0) / 100)),
                where=where, group_by=[shared.member]))
        return {m: Decimal(str(h or 0)).quantize(Decimal('0.01'))
            for m, h in cursor}


class Service(metaclass=PoolMeta):
    __name__ = 'hub.service'

    shared_employee = fields.Many2One(
        'company.employee', "Shared Employee",
        domain=[('company', '=', Eval('company', -1))],
        states={
            'invisible': Eval('key') != 'shared_hours',
            'required': Eval('key') == 'shared_hours',
            })

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.key.selection += [
            ('payroll_etp', "ETP from payroll"),
            ('shared_hours', "Hours of a shared employee"),
            ]

    def _key_values_payroll_etp(self, start_date, end_date, members):
        """Each member's payroll hours paid over the months of the period
        (shares of hours are shares of ETP)"""
        pool = Pool()
        Line = pool.get('insertion.payroll.line')
        line = Line.__table__()
        cursor = Transaction().connection.cursor()
        by_company = {m.company.id: m for m in members}
        if not by_company:
            return {}
        cursor.execute(*line.select(
                line.company, Sum(line.hours_paid),
                where=line.company.in_(list(by_company))
                & (line.month >= month_start(start_date))
                & (line.month <= end_date)
                & line.state.in_(['validated', 'posted']),
                group_by=[line.company]))
        return {by_company[c]: Decimal(str(h or 0)).quantize(Decimal('0.01'))
            for c, h in cursor}

    def _key_values_shared_hours(self, start_date, end_date, members):
        "The hours the shared employee worked for each member"
        Shared = Pool().get('insertion.payroll.shared')
        hours = Shared.hours_by_member(
            start_date, end_date, members, employee=self.shared_employee)
        return {m: hours[m.id] for m in members if m.id in hours}

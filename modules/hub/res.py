# This file is part of Pôle.
import datetime as dt

import trytond.config as config
from trytond.i18n import gettext
from trytond.model.exceptions import AccessError
from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction, without_check_access


class User(metaclass=PoolMeta):
    __name__ = 'res.user'

    @classmethod
    def get_companies(cls):
        """Also the company of the context's hub_company when it is one of
        the user's: a field pointing into another member's books (its
        periods, its fiscal years) searches and reads them there, as if the
        user had switched to it; nothing for a company not given to him"""
        transaction = Transaction()
        companies = super().get_companies()
        company = transaction.context.get('hub_company')
        if (isinstance(company, int) and company not in companies
                and '_companies' not in transaction.context
                and transaction.user):
            with without_check_access():
                given = {c.id for c in cls(transaction.user).companies}
            if company in given:
                companies = [*companies, company]
        return companies

    @classmethod
    def set_preferences(cls, values):
        # Stock writes the current company and employee without checking
        # them against the user's own: refuse another member's.
        user_id = Transaction().user
        if user_id:
            with without_check_access():
                cls._hub_check_preferences(cls(user_id), values)
        super().set_preferences(values)

    @classmethod
    def _hub_check_preferences(cls, user, values):
        pool = Pool()
        Company = pool.get('company.company')
        Employee = pool.get('company.employee')
        company = values.get('company')
        if company and company not in {c.id for c in user.companies}:
            found = Company.search([('id', '=', company)])
            raise AccessError(gettext('hub.msg_preferences_company',
                    company=found[0].rec_name if found else company))
        employee = values.get('employee')
        if employee and employee not in {e.id for e in user.employees}:
            found = Employee.search([('id', '=', employee)])
            raise AccessError(gettext('hub.msg_preferences_employee',
                    employee=found[0].rec_name if found else employee))

    @classmethod
    def sync_roles(cls, users=None, date=None, clear=False):
        super().sync_roles(users=users, date=date, clear=clear)
        cls.grant_member_companies(users, date=date)

    @classmethod
    def grant_member_companies(cls, users=None, date=None):
        "Give the collective's accountants access to every member company"
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        UserRole = pool.get('res.user.role')
        Member = pool.get('hub.member')

        date = date or dt.datetime.now()
        domain = [('role', '=', ModelData.get_id('hub', 'role_accountant'))]
        if users is not None:
            domain.append(('user', 'in', [u.id for u in users]))
        with without_check_access():
            accountants = {
                r.user for r in UserRole.search(domain) if r.valid(date)}
            companies = {m.company.id for m in Member.search(
                        [('active', 'in', [True, False])])}
            to_write = []
            for user in accountants:
                missing = companies - {c.id for c in user.companies}
                if missing:
                    to_write.extend(
                        [[user], {'companies': [('add', sorted(missing))]}])
            if to_write:
                cls.write(*to_write)


class LoginAttempt(metaclass=PoolMeta):
    __name__ = 'res.user.login.attempt'

    @staticmethod
    def delay():
        # Stock bans a login for the whole session timeout (8 h in the
        # demo) after max_attempt failures: anyone could lock the
        # accountant out for the day.  [session] ban_minutes, 15 by default.
        minutes = config.getint('session', 'ban_minutes', default=15)
        return dt.datetime.now() - dt.timedelta(minutes=minutes)

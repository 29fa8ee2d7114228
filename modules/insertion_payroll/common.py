# This file is part of Pôle.
"""Helpers shared by the payroll files: amounts, months, company checks"""
import datetime as dt
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from sql import Cast
from sql.conditionals import Case
from sql.functions import Extract

from trytond.i18n import gettext
from trytond.model.exceptions import AccessError
from trytond.pool import Pool
from trytond.transaction import Transaction

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

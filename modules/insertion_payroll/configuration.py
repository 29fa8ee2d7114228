# This file is part of Pôle.
"""The payroll accounting configuration of a structure"""
from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Unique, fields
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction

from .common import DEFAULT_ACCOUNTS, OPTIONAL_ACCOUNTS
from .exceptions import PayrollPostError


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
        """The accounts of the company chart found by their PCG code, else
        their first open sub-account (741 under 74 in the association
        chart: the French charts close 421, 437 or 74 to be detailed)"""
        pool = Pool()
        Account = pool.get('account.account')
        Journal = pool.get('account.journal')
        values = {'company': company.id}
        for name, code in DEFAULT_ACCOUNTS + OPTIONAL_ACCOUNTS:
            if account := Account.first_open_account(company, code):
                values[name] = account.id
        journals = Journal.search([('type', '=', 'general')], limit=1)
        if journals:
            values['journal'] = journals[0].id
        return values

    @classmethod
    def _closed_account(cls, company, code):
        "Whether company's chart has code as a closed account"
        Account = Pool().get('account.account')
        return bool(Account.search([
                    ('company', '=', company.id),
                    ('code', '=', code),
                    ('closed', '=', True),
                    ], limit=1))

    @classmethod
    def get(cls, company):
        """The configuration of the company, created with defaults if
        missing: the accounts of their PCG codes, their first open
        sub-account or a new one under the closed account"""
        Account = Pool().get('account.account')
        configs = cls.search([('company', '=', company.id)], limit=1)
        if configs:
            return configs[0]
        values = cls.found_values(company)
        for name, code in DEFAULT_ACCOUNTS:
            if name not in values and cls._closed_account(company, code):
                # The sub-account the chart asks for, as an accountant
                # opens it (4210 under 421), to be changed at will
                values[name] = Account.open_account(company, code).id
        missing = [n for n, _ in DEFAULT_ACCOUNTS if n not in values]
        if missing or 'journal' not in values:
            raise PayrollPostError(gettext(
                    'insertion_payroll.msg_configuration_missing',
                    company=company.rec_name,
                    accounts=', '.join(
                        c for n, c in DEFAULT_ACCOUNTS if n in missing)))
        config, = cls.create([values])
        return config

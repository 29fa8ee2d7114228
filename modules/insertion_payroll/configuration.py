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

# This file is part of Pôle.
"""Test helpers of the hub: members keep their books in euros, Tryton's test
companies are in a test currency; the scenarios onboard members by the
wizard."""
import datetime as dt

from trytond.modules.company.tests import CompanyTestMixin
from trytond.modules.company.tests import create_company as _create_company
from trytond.modules.currency.tests import create_currency
from trytond.pool import Pool

from proteus import Model, Wizard


def get_euro():
    "The euro, created when the database has none"
    Currency = Pool().get('currency.currency')
    euros = Currency.search([('code', '=', 'EUR')], limit=1)
    return euros[0] if euros else create_currency('EUR')


def create_company(name='Dunder Mifflin', currency=None):
    "Tryton's test company, in euros by default as a member's must be"
    return _create_company(name, currency=currency or get_euro())


class HubCompanyTestMixin(CompanyTestMixin):
    "Tryton's company tests, with hub's company fields that have no rule"

    @property
    def _skip_company_rule(self):
        # The collective is a setting of the whole pôle, and the directory
        # of members (names, SIRET: public in the SIRENE register) is shown
        # to every user of the pôle; their books are what is restricted.
        return super()._skip_company_rule | {
            ('hub.configuration', 'collective'),
            ('hub.member', 'company'),
            }


def onboard(name, siret, kind='aci', chart=None, vat_liable=None,
        collective=False, year=2026):
    """Onboard a member by the wizard, as the accountant does (proteus):
    joined in 2020, the calendar year; chart, the name of an account
    template, and vat_liable, else the wizard's defaults"""
    Member = Model.get('hub.member')
    Template = Model.get('account.account.template')
    wizard = Wizard('hub.member.onboard')
    wizard.form.name = name
    wizard.form.siret = siret
    wizard.form.kind = kind
    if vat_liable is not None:
        wizard.form.vat_liable = vat_liable
    if chart is not None:
        wizard.form.account_template, = Template.find([('name', '=', chart)])
    wizard.form.joined = dt.date(2020, 1, 1)
    wizard.form.fiscalyear_start = dt.date(year, 1, 1)
    wizard.form.fiscalyear_end = dt.date(year, 12, 31)
    wizard.form.collective = collective
    wizard.execute('onboard')
    member, = Member.find([('siret', '=', siret)])
    return member

# This file is part of Pôle.
"""Test helpers of the hub: members keep their books in euros, Tryton's test
companies are in a test currency."""
from trytond.modules.company.tests import CompanyTestMixin
from trytond.modules.company.tests import create_company as _create_company
from trytond.modules.currency.tests import create_currency
from trytond.pool import Pool


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

# This file is part of Pôle.
"""Test helpers of the hub: members keep their books in euros, Tryton's test
companies are in a test currency."""
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

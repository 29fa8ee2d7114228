# This file is part of Pôle.
"""What the association scenarios share (proteus): an insertion worksite
on the association plan and a SCOP on the PCG, the association's year 2026
and its use of the dedicated fund in 2027, worked by hand, and the lines of
a printed statement."""
import datetime as dt
import io
import re
import zipfile

from proteus import Model, Wizard

from trytond.modules.account.tests.tools import create_fiscalyear
from trytond.modules.account_invoice.tests.tools import (
    set_fiscalyear_invoice_sequences)
from trytond.modules.hub.tests.tools import onboard
from trytond.modules.hub_bookkeeping.tests.tools import post_lines, use

ASSOCIATION_CHART = "Plan comptable des associations"
# The administrator works in a member's books; a posted move of lines
# (code, debit, credit) in them
work_in, post = use, post_lines


def association_and_scop():
    """Les Jardins du Val, an ACI on the association plan, and SCOP Val Bois
    on the PCG, VAT-liable, calendar 2026; the administrator sees both"""
    User = Model.get('res.user')
    jardins = onboard("Les Jardins du Val", '41234502700012', 'aci',
        chart=ASSOCIATION_CHART, year=2026)
    scop = onboard("SCOP Val Bois", '41234506800016', 'ei',
        chart="Plan comptable (France)", vat_liable=True)
    admin, = User.find([('login', '=', 'admin')])
    admin.company_filter = 'all'
    admin.save()
    return jardins, scop


def book_2026(jardins):
    """The association's hand-worked year 2026, the bank (5121) as
    counterpart: income 33,730.50, expenses 29,200.00 of which 4,000.00 put
    on the dedicated fund 194, 3,600.00 of volunteer work"""
    post(jardins, dt.date(2026, 2, 16), "Subvention ACI (DDETS)",
        ('5121', '30000.00', '0'), ('741', '0', '30000.00'))
    post(jardins, dt.date(2026, 3, 2), "Cotisations des adhérents",
        ('5121', '1250.00', '0'), ('7561', '0', '1250.00'))
    post(jardins, dt.date(2026, 4, 10), "Dons manuels",
        ('5121', '2480.50', '0'), ('7541', '0', '2480.50'))
    post(jardins, dt.date(2026, 6, 30), "Salaires et charges",
        ('6411', '18000.00', '0'), ('6451', '7200.00', '0'),
        ('5121', '0', '25200.00'))
    post(jardins, dt.date(2026, 12, 31), "Subvention non utilisée",
        ('6894', '4000.00', '0'), ('194', '0', '4000.00'))
    post(jardins, dt.date(2026, 12, 31), "Bénévolat valorisé (240 h)",
        ('864', '3600.00', '0'), ('875', '0', '3600.00'))


def use_fund_2027(jardins):
    "The fiscal year 2027, in which 2,500.00 of the dedicated fund is used"
    fiscalyear = set_fiscalyear_invoice_sequences(create_fiscalyear(
            jardins.company, (dt.date(2027, 1, 1), dt.date(2027, 12, 31))))
    fiscalyear.click('create_period')
    post(jardins, dt.date(2027, 3, 31), "Utilisation de la subvention dédiée",
        ('194', '2500.00', '0'), ('7894', '0', '2500.00'))
    return fiscalyear


def print_statements(member, fiscalyear):
    """The member's financial statements of the fiscal year, printed as
    ODS: (extension, report name, content.xml)"""
    print_ = Wizard('hub.bookkeeping.statement.print', [member])
    print_.form.fiscalyear = fiscalyear
    print_.form.format = 'ods'
    print_.execute('print_')
    extension, content, _, name = print_.actions[0]
    text = zipfile.ZipFile(io.BytesIO(content)).read('content.xml').decode()
    return extension, name, text


def line(text, name):
    "The name and the two amounts of the statement's first line so named"
    rows = re.findall(r'<table:table-row[^>]*>(.*?)</table:table-row>',
        text, re.S)
    for row in rows:
        values = []
        for attrs, body in re.findall(r'<table:table-cell([^>]*?)'
                r'(?:/>|>(.*?)</table:table-cell>)', row, re.S):
            value = re.search(r'office:value="([^"]*)"', attrs)
            values.append(value.group(1) if value else
                re.sub('<[^>]+>', '', body).replace('\u2003', ''))
        if values and values[0] == name:
            return values

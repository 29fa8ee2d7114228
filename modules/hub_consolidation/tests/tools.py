# This file is part of Pôle.
"""What the scenarios of the inter-member flows share: onboarding, moves,
invoices and payments as the accountants record them (proteus), and the
combined figures read back."""
import datetime as dt
from decimal import Decimal

from proteus import Model
from proteus.config import get_config

from trytond.modules.hub.tests import tools as hub_tools

ASSOCIATION_CHART = "Plan comptable des associations"
PCG = "Plan comptable (France)"


def onboard(name, siret, kind, chart=ASSOCIATION_CHART, vat_liable=False,
        collective=False, year=2026):
    "Onboard a member (since 2020) with the calendar year"
    return hub_tools.onboard(name, siret, kind, chart, vat_liable,
        collective, year)


def work_in(member):
    "Make the admin work in member's company, seeing every company"
    config = get_config()
    User = Model.get('res.user')
    admin = User(config.user)
    admin.company = member.company
    admin.company_filter = 'all'
    admin.save()
    config._context = User.get_preferences(True, {})


def account(member, code):
    Account = Model.get('account.account')
    account, = Account.find([
            ('company', '=', member.company.id), ('code', '=', code)])
    return account


def move(member, date, *lines, post=True):
    "A move of the general journal: lines of (code, debit, credit, party)"
    Journal = Model.get('account.journal')
    Move = Model.get('account.move')
    journal, = Journal.find([('type', '=', 'general')], limit=1)
    with get_config().set_context(company=member.company.id):
        move = Move(journal=journal, date=date)
        for code, debit, credit, party in lines:
            move.lines.new(account=account(member, code),
                debit=Decimal(debit), credit=Decimal(credit), party=party)
        move.save()
        if post:
            move.click('post')
        return move


def tax(member, name):
    Tax = Model.get('account.tax')
    tax, = Tax.find([
            ('company', '=', member.company.id), ('name', '=', name)])
    return tax


def expense_mapping(member, code='604'):
    "The member takes the invoices of the others on code, posted at once"
    Mapping = Model.get('hub.invoicing.mapping')
    # Onboarding made it: mirrors in draft on 604
    mapping, = Mapping.find(
        [('target', '=', member.id), ('source', '=', None)])
    mapping.mirror_state = 'posted'
    mapping.expense_account = account(member, code)
    mapping.save()
    return mapping


def invoice(seller, customer, date, *lines):
    """Post seller's invoice to customer, lines of (description, price,
    tax or None) on 706; return it and its mirror"""
    Invoice = Model.get('account.invoice')
    Tax = Model.get('account.tax')
    with get_config().set_context(company=seller.company.id):
        invoice = Invoice(type='out')
        invoice.party = customer.company.party
        invoice.invoice_date = date
        for description, price, tax_ in lines:
            line = invoice.lines.new()
            line.description = description
            line.account = account(seller, '706')
            line.quantity = 1
            line.unit_price = Decimal(price)
            if tax_:
                line.taxes.append(Tax(tax_.id))
        invoice.click('post')
        mirror, = invoice.mirrors
        return invoice, mirror


def bank_methods(*members):
    """A payment method "Banque" on 5121 for each member, also its clearing
    method: {member id: method}"""
    Journal = Model.get('account.journal')
    PaymentMethod = Model.get('account.invoice.payment.method')
    journal, = Journal.find([('type', '=', 'cash')], limit=1)
    methods = {}
    for member in members:
        method = PaymentMethod(name="Banque", company=member.company,
            journal=journal, debit_account=account(member, '5121'),
            credit_account=account(member, '5121'))
        method.save()
        methods[member.id] = method
        member.clearing_method = method
        member.save()
    return methods


def pay(invoice, member, method, date, amount=None):
    """Pay invoice in member's books by stock Pay, partially when amount is
    less than what is due; return its state"""
    Invoice = Model.get('account.invoice')
    with get_config().set_context(company=member.company.id):
        invoice = Invoice(invoice.id)
        pay = invoice.click('pay')
        pay.form.payment_method = method
        pay.form.date = date
        if amount:
            pay.form.amount = Decimal(amount)
        pay.execute('choice')
        if pay.state != pay.end_state and pay.form_state == 'ask':
            pay.form.type = 'partial'
            pay.execute('pay')
        invoice.reload()
        return invoice.state


def node_of(member, code):
    "The line of the pôle's tree the account counts on"
    type_ = account(member, code).type
    while not type_.consolidation:
        type_ = type_.parent
    return type_.consolidation.id


def statement(name, start, end):
    "The combined statement: (columns, {line id: amounts})"
    Consolidation = Model.get('account.consolidation')
    columns, rows = Consolidation.hub_statement(
        name, start, end, None, None, get_config().context)
    return columns, {r['id']: r['amounts'] for r in rows}


def roots(name, start, end):
    "The amounts of the first lines of the statement (result; actif, passif)"
    Consolidation = Model.get('account.consolidation')
    _, rows = Consolidation.hub_statement(
        name, start, end, None, None, get_config().context)
    return [r['amounts'] for r in rows if r['depth'] == 0]


def dashboard(date):
    """The directors' dashboard at date: its result, the total cash and
    the inter-member balances [(name, value)]"""
    Consolidation = Model.get('account.consolidation')
    values = Consolidation.hub_dashboard(date, get_config().context)
    lines = values['lines']
    cash, = [l['value'] for l in lines
        if l['kind'] == 'cash' and l['name'] == 'Total']
    balances = [(l['name'], l['value']) for l in lines
        if l['kind'] == 'intermember']
    return values['result'], cash, balances


def node(module, name):
    "The line of the pôle's tree made from the type template module.name"
    Consolidation = Model.get('account.consolidation')
    ModelData = Model.get('ir.model.data')
    node, = Consolidation.find([('hub_template', '=',
                ModelData.get_id(module, name, get_config().context))])
    return node


def three_members():
    """Les Jardins du Val and Tremplin on the association chart, SCOP Val
    Bois on the PCG and VAT-liable, calendar 2026; the administrator works
    in the SCOP's books and sees all companies"""
    jardins = onboard("Les Jardins du Val", '41234502700012', 'aci')
    tremplin = onboard("Tremplin", '41234503500015', 'ai')
    scop = onboard("SCOP Val Bois", '41234506800016', 'ei', PCG, True)
    work_in(scop)
    return jardins, tremplin, scop


def books_2026(jardins, tremplin, scop):
    """The books of scenario_hub_consolidation: each member's own
    operations on the bank; the SCOP invoices the garden 2,000.00 on 10
    March and Tremplin 1,200.00 on 20 April, credits Tremplin 200.00 on 10
    May; the garden pays through the clearing on 2 April"""
    Invoice = Model.get('account.invoice')
    Journal = Model.get('account.journal')
    PaymentMethod = Model.get('account.invoice.payment.method')
    for member, date, *lines in [
            (jardins, (1, 5), ('5121', '10000.00', '0'),
                ('1021', '0', '10000.00')),
            (jardins, (2, 10), ('5121', '3000.00', '0'),
                ('706', '0', '3000.00')),
            (jardins, (4, 15), ('5121', '5000.00', '0'),
                ('741', '0', '5000.00')),
            (tremplin, (1, 5), ('5121', '4000.00', '0'),
                ('1021', '0', '4000.00')),
            (tremplin, (5, 5), ('6411', '1500.00', '0'),
                ('5121', '0', '1500.00')),
            (scop, (1, 5), ('5121', '20000.00', '0'),
                ('10131', '0', '20000.00')),
            (scop, (3, 1), ('5121', '8000.00', '0'),
                ('706', '0', '8000.00')),
            ]:
        move(member, dt.date(2026, *date),
            *[(code, debit, credit, None) for code, debit, credit in lines])
    for member in [jardins, tremplin]:
        expense_mapping(member)
    invoices = []
    for customer, date, quantity, price in [
            (jardins, (3, 10), 1, '2000.00'),
            (tremplin, (4, 20), 1, '1200.00'),
            (tremplin, (5, 10), -1, '200.00')]:
        invoice = Invoice(type='out')
        invoice.party = customer.company.party
        invoice.invoice_date = dt.date(2026, *date)
        line = invoice.lines.new()
        line.description = "Entretien des espaces verts"
        line.account = account(scop, '706')
        line.quantity = quantity
        line.unit_price = Decimal(price)
        invoice.click('post')
        invoices.append(invoice)
    cash_journal, = Journal.find([('type', '=', 'cash')], limit=1)
    for member in [scop, jardins]:
        method = PaymentMethod(name="Clearing", company=member.company,
            journal=cash_journal, debit_account=account(member, '5121'),
            credit_account=account(member, '5121'))
        method.save()
        member.clearing_method = method
        member.save()
    Invoice.hub_clear(
        [invoices[0].id], dt.date(2026, 4, 2), get_config().context)
    return invoices

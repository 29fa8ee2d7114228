# This file is part of Pôle.
"""What the invoicing scenarios share (proteus): the members' accounts and
taxes, the atelier's customer invoice, a member's accountant, the
inter-member clearing method and the balances as printed."""
import datetime as dt
from decimal import Decimal

from proteus import Model

from trytond.modules.hub.tests.tools import onboard


def account(member, code):
    "The member's account of this code"
    Account = Model.get('account.account')
    account, = Account.find([
            ('company', '=', member.company.id), ('code', '=', code)])
    return account


def tax(member, name):
    "The member's tax of this name"
    Tax = Model.get('account.tax')
    tax, = Tax.find([
            ('company', '=', member.company.id), ('name', '=', name)])
    return tax


SALE20 = 'T.V.A. Vente de services Taux Normal'
SALE10 = 'T.V.A. Vente de services Taux Intermédiaire'
SALE5 = 'T.V.A. Vente de services 5,5%'
PURCHASE20 = 'T.V.A. Achat de services Taux Normal'


def atelier_and_customers(*customers):
    """The atelier, VAT-liable, onboarded with the customers named (the
    garden, VAT-liable, and Tremplin, which is not); the administrator
    works in the atelier's books and sees all companies"""
    User = Model.get('res.user')
    known = {
        'jardins': ("Les Jardins du Val", '41234502700012', True),
        'tremplin': ("Tremplin", '41234503500015', False),
        }
    atelier = onboard(
        "Atelier Bois Solidaire", '41234501900019', vat_liable=True)
    members = [onboard(name, siret, vat_liable=liable)
        for name, siret, liable in (known[c] for c in customers)]
    admin, = User.find([('login', '=', 'admin')])
    admin.company = atelier.company
    admin.company_filter = 'all'
    admin.save()
    return [atelier] + members


def new_invoice(atelier, customer, tax_name=SALE20, date=dt.date(2026, 3, 10)):
    """The atelier's draft invoice to the customer: 3 days of carpentry at
    150.00 with the tax, 50.00 of travel without tax"""
    Invoice = Model.get('account.invoice')
    Tax = Model.get('account.tax')
    invoice = Invoice(type='out')
    assert invoice.company == atelier.company
    invoice.party = customer.company.party
    invoice.invoice_date = date
    line = invoice.lines.new()
    line.description = "Carpentry"
    line.account = account(atelier, '706')
    line.quantity = 3
    line.unit_price = Decimal('150.00')
    line.taxes.append(Tax(tax(atelier, tax_name).id))
    line = invoice.lines.new()
    line.description = "Travel"
    line.account = account(atelier, '706')
    line.quantity = 1
    line.unit_price = Decimal('50.00')
    invoice.save()
    return invoice


def mapping(target, state='draft', taxes=(), expense='604'):
    """The target's default mapping, which onboarding made: its expense
    account (604), the sales taxes of the others (source, target)"""
    Mapping = Model.get('hub.invoicing.mapping')
    mapping, = Mapping.find(
        [('target', '=', target.id), ('source', '=', None)])
    mapping.mirror_state = state
    mapping.expense_account = account(target, expense)
    for source, target_ in taxes:
        tax_line = mapping.taxes.new()
        tax_line.source_tax = source
        tax_line.target_tax = target_
    mapping.save()
    return mapping


def member_accountant(member, login):
    "A collective accountant of the member's company alone"
    Company = Model.get('company.company')
    Group = Model.get('res.group')
    User = Model.get('res.user')
    accountants, = Group.find([('name', '=', "Pôle Collective Accountant")])
    user = User(login=login,
        name="Accountant of %s" % member.company.party.name)
    user.companies.append(Company(member.company.id))
    user.company = Company(member.company.id)
    user.groups.append(Group(accountants.id))
    user.save()
    return user


def clearing(member):
    "The member's inter-member clearing method, on its bank account 5121"
    Journal = Model.get('account.journal')
    PaymentMethod = Model.get('account.invoice.payment.method')
    cash, = Journal.find([('type', '=', 'cash')], limit=1)
    method = PaymentMethod(name="Inter-member clearing",
        company=member.company, journal=cash,
        debit_account=account(member, '5121'),
        credit_account=account(member, '5121'))
    method.save()
    member.clearing_method = method
    member.save()


def balances():
    "Each company's receivable, payable and net on each counterpart"
    Balance = Model.get('hub.invoicing.balance')
    cent = Decimal('0.01')
    return [(b.company.party.name, b.counterpart.party.name,
            b.receivable.quantize(cent), b.payable.quantize(cent),
            b.net.quantize(cent)) for b in Balance.find([])]


def lines_invoice(atelier, customer, date, *lines):
    "The atelier's posted invoice of lines (description, quantity, price, tax)"
    Invoice = Model.get('account.invoice')
    Tax = Model.get('account.tax')
    invoice = Invoice(type='out')
    invoice.party = customer.company.party
    invoice.invoice_date = date
    for description, quantity, price, tax_ in lines:
        line = invoice.lines.new()
        line.description = description
        line.account = account(atelier, '706')
        line.quantity = quantity
        line.unit_price = Decimal(price)
        line.taxes.append(Tax(tax_.id))
    invoice.click('post')
    return invoice


def next_numbers(member=None):
    """The next number of every company's sequences, by (company, name), or
    of the member's, by name"""
    if member:
        return {s.name: s.number_next
            for model in ['ir.sequence', 'ir.sequence.strict']
            for s in Model.get(model).find(
                [('company', '=', member.company.id)])}
    return {(s.company.rec_name, s.name): s.number_next
        for model in ['ir.sequence', 'ir.sequence.strict']
        for s in Model.get(model).find([('company', '!=', None)])}


def employ(member, name, start, end=None):
    "An employee of the member from start (to end)"
    Employee = Model.get('company.employee')
    Party = Model.get('party.party')
    party = Party(name=name)
    party.save()
    Employee(party=party, company=member.company, start_date=start,
        end_date=end).save()


def sell(member, date, amount, post=True):
    "A sale of amount on the revenue journal: 5121 debited, 706 credited"
    Journal = Model.get('account.journal')
    Move = Model.get('account.move')
    journal, = Journal.find([('type', '=', 'revenue')], limit=1)
    move = Move(company=member.company, journal=journal, date=date)
    move.lines.new(account=account(member, '5121'), debit=amount)
    move.lines.new(account=account(member, '706'), credit=amount)
    move.save()
    if post:
        move.click('post')
    return move


def service(collective, name, cost, key, periodicity='month', shares=()):
    """A service of the collective's catalogue on its 706, saved with the
    shares [(member, share)] of a fixed key"""
    Service = Model.get('hub.service')
    service = Service(name=name, cost=Decimal(cost), key=key,
        periodicity=periodicity)
    assert service.company == collective.company
    service.account = account(collective, '706')
    for member, share in shares:
        service.shares.new(member=member, share=Decimal(share))
    service.save()
    return service


def collective_and_two():
    """The collective, Les Jardins du Val and La Recyclerie (ACI), none
    VAT-liable, calendar 2026; the administrator works in the collective's
    books and sees all companies"""
    User = Model.get('res.user')
    collective = onboard("Collectif Pôle Solidaire", '41234501900019',
        'other', collective=True)
    jardins = onboard("Les Jardins du Val", '41234502700012')
    recyclerie = onboard("La Recyclerie", '41234503500015')
    admin, = User.find([('login', '=', 'admin')])
    admin.company = collective.company
    admin.company_filter = 'all'
    admin.save()
    return collective, jardins, recyclerie

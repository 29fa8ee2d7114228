# This file is part of Pôle.
"""What the year-end scenarios share (proteus): two associations and a SCOP
onboarded with the calendar year 2026, their year of entries worked by
hand, and the batch run as the accountant does."""
import datetime as dt
from decimal import Decimal

from proteus import Model, Wizard


def onboard(name, siret, kind):
    "A member onboarded with the fiscal year 2026"
    Member = Model.get('hub.member')
    wizard = Wizard('hub.member.onboard')
    wizard.form.name = name
    wizard.form.siret = siret
    wizard.form.kind = kind
    wizard.form.joined = dt.date(2020, 1, 1)
    wizard.form.fiscalyear_start = dt.date(2026, 1, 1)
    wizard.form.fiscalyear_end = dt.date(2026, 12, 31)
    wizard.execute('onboard')
    return Member.find([('siret', '=', siret)])[0]


def three_members():
    "Les Jardins du Val, La Recyclerie (ACI) and the SCOP"
    return (
        onboard("Les Jardins du Val", '41234502700012', 'aci'),
        onboard("La Recyclerie", '41234503500015', 'aci'),
        onboard("SCOP Bâtir Ensemble", '41234504300001', 'ei'))


def account(member, code):
    """The member's open account code, else code + '0' (account_fr's 74 is
    closed, to be detailed: its sub-account 740, created if missing)"""
    Account = Model.get('account.account')
    accounts = Account.find([('company', '=', member.company.id),
            ('code', 'in', [code, code + '0'])], order=[('code', 'ASC')])
    opened = [a for a in accounts if not a.closed]
    if opened:
        return opened[0]
    parent = accounts[0]
    account = Account(company=member.company, parent=parent,
        code=code + '0', name=parent.name, type=parent.type)
    account.save()
    return account


def move(member, date, description, debits, credits, post=True,
        period=None):
    "A move on the general journal: {code: amount} debited and credited"
    Journal = Model.get('account.journal')
    Move = Model.get('account.move')
    Period = Model.get('account.period')
    general, = Journal.find([('code', '=', 'MISC')])
    move = Move(company=member.company, journal=general, date=date,
        description=description)
    move.period = period or Period.find([
            ('company', '=', member.company.id),
            ('type', '=', 'standard'),
            ('start_date', '<=', date), ('end_date', '>=', date)])[0]
    for side, lines in [('debit', debits), ('credit', credits)]:
        for code, amount in lines.items():
            move.lines.new(account=account(member, code),
                **{side: Decimal(amount)})
    move.save()
    if post:
        move.click('post')
    return move


def book_2026(jardins, recyclerie, scop):
    """The year 2026 of the three members, as the scenarios tell it; the
    depreciation of Les Jardins in the adjustment period "Clôture 2026";
    returns La Recyclerie's postage, left a draft"""
    FiscalYear = Model.get('account.fiscalyear')
    Period = Model.get('account.period')
    fiscalyear, = FiscalYear.find([('company', '=', jardins.company.id)])
    closing = Period(name="Clôture 2026", fiscalyear=fiscalyear,
        type='adjustment', start_date=dt.date(2026, 12, 31),
        end_date=dt.date(2026, 12, 31))
    closing.save()
    move(jardins, dt.date(2026, 3, 31), "Ventes de légumes",
        {'5121': '3000.00'}, {'706': '3000.00'})
    move(jardins, dt.date(2026, 4, 15), "Subvention du Département",
        {'5121': '2000.00'}, {'74': '2000.00'})
    move(jardins, dt.date(2026, 5, 10), "Fournitures",
        {'6063': '3350.00'}, {'5121': '3350.00'})
    move(jardins, dt.date(2026, 12, 31), "Dotation aux amortissements",
        {'68112': '450.00'}, {'28183': '450.00'}, period=closing)
    move(recyclerie, dt.date(2026, 6, 30), "Ventes de la boutique",
        {'5121': '1500.00'}, {'706': '1500.00'})
    move(recyclerie, dt.date(2026, 6, 30), "Salaires de juin",
        {'6411': '1850.00'}, {'5121': '1850.00'})
    draft = move(recyclerie, dt.date(2026, 11, 20), "Frais postaux",
        {'626': '45.00'}, {'5121': '45.00'}, post=False)
    move(scop, dt.date(2026, 9, 30), "Chantiers de septembre",
        {'5121': '10000.00'}, {'706': '10000.00'})
    move(scop, dt.date(2026, 9, 30), "Matériaux",
        {'604': '6000.00'}, {'5121': '6000.00'})
    move(scop, dt.date(2026, 9, 30), "Salaires",
        {'6411': '1500.00'}, {'5121': '1500.00'})
    return draft


def run(action, date, members=()):
    "Run the bookkeeping batch, print its result per member"
    Member = Model.get('hub.member')
    batch = Wizard('hub.bookkeeping.batch')
    batch.form.action = action
    batch.form.date = date
    batch.form.members.extend([Member(m.id) for m in members])
    batch.execute('run')
    print(batch.form.results)
    batch.execute('end')


def state(member):
    "The member's fiscal years with their state, and its number of moves"
    FiscalYear = Model.get('account.fiscalyear')
    Move = Model.get('account.move')
    company = member.company.id
    return (sorted((f.name, f.state) for f in FiscalYear.find(
                [('company', '=', company)])),
        len(Move.find([('company', '=', company)])))


def lines(move):
    "A move's lines: (account code, debit, credit)"
    return sorted((l.account.code, '%.2f' % l.debit, '%.2f' % l.credit)
        for l in move.lines)


def fund_account(member, code='194',
        name="Fonds dédiés sur subventions d'exploitation"):
    """A dedicated fund account (19x) of the member: account_fr_association's
    chart has them, account_fr's has not (its type: the reserves', 10688)"""
    Account = Model.get('account.account')
    reserves = account(member, '10688')
    fund = Account(company=member.company, code=code, name=name,
        type=reserves.type)
    fund.save()
    return fund

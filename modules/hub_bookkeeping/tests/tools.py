# This file is part of Pôle.
"""What the year-end scenarios share (proteus): two associations and a SCOP
onboarded with the calendar year 2026, their year of entries worked by
hand, and the batch run as the accountant does."""
import datetime as dt
import io
import re
import zipfile
from decimal import Decimal

from proteus import Model, Report, Wizard


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


def batch(action, date, members=(), provisional=False):
    """Run the bookkeeping batch on the members (none: all), the FEC
    provisional or not: its results and its archive (file, name)"""
    Member = Model.get('hub.member')
    wizard = Wizard('hub.bookkeeping.batch')
    wizard.form.action = action
    wizard.form.date = date
    wizard.form.members.extend(Member(m.id) for m in members)
    wizard.form.provisional = provisional
    wizard.execute('run')
    results = wizard.form.results
    archive = (wizard.form.file, wizard.form.filename)
    wizard.execute('end')
    return results, archive


def collective_and_two():
    """The collective, Les Jardins du Val and La Recyclerie (ACI), calendar
    year 2026"""
    from trytond.modules.hub.tests.tools import onboard as hub_onboard
    return (
        hub_onboard("Collectif Pôle Solidaire", '41234501900019', 'other',
            collective=True),
        hub_onboard("Les Jardins du Val", '41234502700012', 'aci'),
        hub_onboard("La Recyclerie", '41234503500015', 'aci'))


def post(member, date, description, debit_code, credit_code, amount):
    "A posted move of two lines of the description on the general journal"
    Journal = Model.get('account.journal')
    Move = Model.get('account.move')
    Period = Model.get('account.period')
    journal, = Journal.find([('type', '=', 'general')], limit=1)
    move = Move(company=member.company, journal=journal, date=date,
        description=description)
    move.period = Period.find([
            ('company', '=', member.company.id),
            ('type', '=', 'standard'),
            ('start_date', '<=', date), ('end_date', '>=', date)])[0]
    move.lines.new(account=account(member, debit_code),
        debit=Decimal(amount), description=description)
    move.lines.new(account=account(member, credit_code),
        credit=Decimal(amount), description=description)
    move.click('post')
    return move


def jardins_2026(jardins):
    """Les Jardins du Val's three entries of 2026: a loan of 2 000,00 in
    February, computers of 1 249,90 and a deposit of 600,00 in March"""
    return [
        post(jardins, dt.date(2026, 2, 3), "Prêt de la Caisse d'Épargne",
            '5121', '164', '2000.00'),
        post(jardins, dt.date(2026, 3, 15), "Ordinateurs de l'atelier",
            '2183', '5121', '1249.90'),
        post(jardins, dt.date(2026, 3, 31), "Dépôt de garantie du local",
            '2751', '5121', '600.00'),
        ]


def read_sheet(content):
    "The rows of a spreadsheet (ODS), their cells joined by ' | '"
    sheet = zipfile.ZipFile(io.BytesIO(content))
    assert sheet.read('mimetype') == (
        b'application/vnd.oasis.opendocument.spreadsheet')
    xml = sheet.read('content.xml').decode()
    lines = []
    for row in re.findall(
            r'<table:table-row[^>]*>(.*?)</table:table-row>', xml, re.S):
        cells = []
        for attrs, body in re.findall(r'<table:table-cell([^>]*?)'
                r'(?:/>|>(.*?)</table:table-cell>)', row, re.S):
            value = re.search(r'office:value="([^"]*)"', attrs)
            cells.append(value.group(1) if value
                else re.sub(r'<[^>]+>', '', body or ''))
        lines.append(' | '.join(cells).rstrip(' |'))
    return lines


def post_lines(member, date, description, *lines):
    """A posted move of the general journal in the member's books:
    (code, debit, credit) lines"""
    Journal = Model.get('account.journal')
    Move = Model.get('account.move')
    journal, = Journal.find([('type', '=', 'general')], limit=1)
    move = Move(company=member.company, journal=journal, date=date,
        description=description)
    for code, debit, credit in lines:
        move.lines.new(account=account(member, code),
            debit=Decimal(debit), credit=Decimal(credit))
    move.save()
    move.click('post')
    return move


def worksite_2026(jardins):
    """The worksite's dozen entries of 2026 as scenario_statements tells
    them: surplus 13,550.00, bank -3,450.00"""
    for date, description, *lines in [
            ((1, 5), "Fonds associatifs",
                ('5121', '5000.00', '0'), ('1021', '0', '5000.00')),
            ((1, 20), "Achat d'un véhicule utilitaire",
                ('2182', '20000.00', '0'), ('5121', '0', '20000.00')),
            ((2, 10), "Ventes de légumes",
                ('5121', '18000.00', '0'), ('706', '0', '18000.00')),
            ((3, 2), "Subvention du département",
                ('5121', '22000.00', '0'), ('741', '0', '22000.00')),
            ((4, 30), "Achats de semences",
                ('6011', '4000.00', '0'), ('5121', '0', '4000.00')),
            ((6, 30), "Salaires et charges",
                ('6411', '20000.00', '0'), ('6451', '8000.00', '0'),
                ('5121', '0', '28000.00')),
            ((9, 15), "Indemnité d'assurance",
                ('5121', '1000.00', '0'), ('7718', '0', '1000.00')),
            ((10, 10), "Pénalité de retard",
                ('6712', '300.00', '0'), ('5121', '0', '300.00')),
            ((11, 20), "Subvention 2027 de la région",
                ('5121', '3000.00', '0'), ('741', '0', '3000.00')),
            ((12, 31), "Subvention 2027 constatée d'avance",
                ('741', '3000.00', '0'), ('487', '0', '3000.00')),
            ((12, 31), "Aide au poste (ASP) à recevoir",
                ('4417', '9000.00', '0'), ('741', '0', '9000.00')),
            ((12, 31), "Intérêts du découvert",
                ('6615', '150.00', '0'), ('5121', '0', '150.00')),
            ((12, 31), "Dotation aux amortissements",
                ('68112', '4000.00', '0'), ('28182', '0', '4000.00')),
            ]:
        post_lines(jardins, dt.date(2026, *date), description, *lines)


def statement_lines(config, member, fiscalyear, period=None):
    """The member's financial statements as the spreadsheet report gives
    them: its rows, cells joined by ' | '"""
    ModelData = Model.get('ir.model.data')
    report = Report('hub.bookkeeping.statement')
    ods = ModelData.get_id(
        'hub_bookkeeping', 'report_statement_ods', config.context)
    ext, content, _, name = report.execute([member], {
            'id': member.id, 'ids': [member.id],
            'fiscalyear': fiscalyear.id,
            'period': period.id if period else None,
            'action_id': ods})
    assert ext == 'ods', ext
    xml = zipfile.ZipFile(io.BytesIO(content)).read('content.xml').decode()
    lines = []
    for row in re.findall(r'<table:table-row[^>]*>(.*?)</table:table-row>',
            xml, re.S):
        cells = []
        for attrs, body in re.findall(
                r'<table:table-cell([^>]*?)(?:/>|>(.*?)</table:table-cell>)',
                row, re.S):
            value = re.search(r'office:value="([^"]*)"', attrs)
            text = re.sub(r'<[^>]+>', '', body or '')
            cells.append(value.group(1) if value else text)
        lines.append(' | '.join(c.strip('\u2003 ') for c in cells).rstrip())
    return lines


def show(lines, start, end=''):
    "Print the lines after start, up to end if given"
    lines = lines[lines.index(start) + 1:]
    print('\n'.join(lines[:lines.index(end)] if end in lines else lines))


def fec_post(member, date, lines, description=None, period=None):
    """A posted move of the member's MISC journal: lines of (account code,
    debit, credit, description, party)"""
    Journal = Model.get('account.journal')
    Move = Model.get('account.move')
    Period = Model.get('account.period')
    journal, = Journal.find([('code', '=', 'MISC')])
    move = Move(company=member.company, journal=journal, date=date,
        description=description)
    move.period = period or Period.find([
            ('company', '=', member.company.id),
            ('type', '=', 'standard'),
            ('start_date', '<=', date), ('end_date', '>=', date)])[0]
    for code, debit, credit, text, party in lines:
        move.lines.new(account=account(member, code),
            debit=Decimal(debit), credit=Decimal(credit),
            description=text, party=party)
    move.click('post')
    return move


def use(config, member):
    "The administrator works in the member's books"
    User = Model.get('res.user')
    admin = User(config.user)
    admin.company = member.company
    admin.save()
    config._context = User.get_preferences(True, {})


def fec_year(config, jardins):
    """Les Jardins du Val's 2026 of scenario_fec, its texts typed as French
    keyboards do, the depreciation of 450.00 in an adjustment period, a
    description written by SQL and the result balanced into 120 (5 250.00):
    (the six moves, the fiscal year, the closing move, the supplier)"""
    from sql import Table
    from trytond.transaction import Transaction
    FiscalYear = Model.get('account.fiscalyear')
    Journal = Model.get('account.journal')
    Move = Model.get('account.move')
    Party = Model.get('party.party')
    Period = Model.get('account.period')
    use(config, jardins)
    graines = Party(name="Graines & Cie")
    graines.save()
    moves = [
        fec_post(jardins, dt.date(2026, 2, 3), [
            ('5121', '10000.00', 0, "Vente « paniers » – marché du 3 février", None),
            ('706', 0, '10000.00', "Vente « paniers » – marché du 3 février", None),
            ]),
        fec_post(jardins, dt.date(2026, 3, 10), [
            ('2183', '2250.00', 0, 'Ordinateur "atelier"', None),
            ('5121', 0, '2250.00', 'Ordinateur "atelier"', None),
            ]),
        fec_post(jardins, dt.date(2026, 4, 30), [
            ('6411', '4000.00', 0, None, None),
            ('5121', 0, '4000.00', None, None),
            ], description="Salaires d’avril – main-d’œuvre maraîchage"),
        fec_post(jardins, dt.date(2026, 5, 20), [
            ('6061', '300.00', 0, None, None),
            ('4011', 0, '300.00', None, graines),
            ]),
        fec_post(jardins, dt.date(2026, 6, 15), [
            ('4011', '300.00', 0, None, graines),
            ('5121', 0, '300.00', None, None),
            ], description="Règlement\u00a0Graines & Cie…"),
        ]
    fiscalyear, = FiscalYear.find([('company', '=', jardins.company.id)])
    adjustment = Period(fiscalyear=fiscalyear, name="2026-AJ",
        type='adjustment', start_date=dt.date(2026, 12, 31),
        end_date=dt.date(2026, 12, 31))
    adjustment.save()
    moves.append(fec_post(jardins, dt.date(2026, 12, 31), [
            ('68112', '450.00', 0, "Dotation aux amortissements 2026 — ordinateur", None),
            ('28183', 0, '450.00', "Dotation aux amortissements 2026 — ordinateur", None),
            ], period=adjustment))
    move_line = Table('account_move_line')
    computer_line, = [l for l in moves[1].lines if l.account.code == '2183']
    with Transaction().start(config.database_name, 0) as transaction:
        cursor = transaction.connection.cursor()
        cursor.execute(*move_line.update([move_line.description],
                ['Ordinateur "atelier"\tréf. 12\nsérie 2026'],
                where=move_line.id == computer_line.id))
        transaction.commit()
    situation = Journal(name="Situation", code='SIT', type='situation')
    situation.save()
    balance = Wizard('account.fiscalyear.balance_non_deferral')
    balance.form.fiscalyear = fiscalyear
    balance.form.journal = situation
    balance.form.period = adjustment
    balance.form.credit_account = account(jardins, '120')
    balance.form.debit_account = account(jardins, '129')
    balance.execute('balance')
    closing, = Move.find(
        [('origin', '=', 'account.fiscalyear,%s' % fiscalyear.id)])
    closing.click('post')
    return moves, fiscalyear, closing, graines


def sql_totals(config, member, year):
    """Read by SQL: the number, debit and credit of the member's posted
    non-zero lines of the year, less those of the closing move"""
    from sql import Table
    from sql.aggregate import Count, Sum
    from trytond.transaction import Transaction
    FiscalYear = Model.get('account.fiscalyear')
    line, move = Table('account_move_line'), Table('account_move')
    period = Table('account_period')
    fy, = FiscalYear.find([('company', '=', member.company.id),
            ('name', '=', year)])
    with Transaction().start(config.database_name, 0) as transaction:
        cursor = transaction.connection.cursor()

        def query(where):
            return (line
                .join(move, condition=line.move == move.id)
                .join(period, condition=move.period == period.id)
                .select(Count(line.id), Sum(line.debit), Sum(line.credit),
                    where=(period.fiscalyear == fy.id)
                    & (move.state == 'posted')
                    & ((line.debit != 0) | (line.credit != 0)) & where))
        cursor.execute(*query(move.id == move.id))
        all_ = cursor.fetchone()
        cursor.execute(*query(
                move.origin == 'account.fiscalyear,%s' % fy.id))
        closing = cursor.fetchone()

    def dec(value):
        return Decimal(str(value or 0)).quantize(Decimal('0.01'))
    return (all_[0] - closing[0], dec(all_[1]) - dec(closing[1]),
        dec(all_[2]) - dec(closing[2]))


def file_totals(rows):
    "The number, debit and credit of a parsed FEC's lines, opening left out"
    body = [r for r in rows if r['EcritureNum'] != '0']
    return (len(body), sum(r['Debit'] for r in body),
        sum(r['Credit'] for r in body))

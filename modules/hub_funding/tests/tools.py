# This file is part of Pôle.
"""What the funding scenarios share (proteus): a member on the association
chart with its actions and funders, moves carrying analytic lines."""
import datetime as dt
from decimal import Decimal

from proteus import Model

from trytond.modules.hub_bookkeeping.tests.tools import account


def axis(member, code):
    "The member's analytic axis (root) of code: ACTIONS or FINANCEURS"
    Analytic = Model.get('analytic_account.account')
    root, = Analytic.find([
            ('company', '=', member.company.id), ('code', '=', code),
            ('type', '=', 'root')])
    return root


def analytic(member, root_code, code, name):
    "A new normal analytic account under the member's axis"
    Analytic = Model.get('analytic_account.account')
    root = axis(member, root_code)
    record = Analytic(company=member.company, root=root, parent=root,
        code=code, name=name, type='normal', state='opened')
    record.save()
    return record


def book(member, date, description, lines, post=True):
    """A posted move of the general journal: lines (code, debit, credit,
    analytic accounts), each analytic account given the line's amount"""
    Journal = Model.get('account.journal')
    Move = Model.get('account.move')
    Period = Model.get('account.period')
    general, = Journal.find([('code', '=', 'MISC')])
    move = Move(company=member.company, journal=general, date=date,
        description=description)
    move.period, = Period.find([
            ('company', '=', member.company.id), ('type', '=', 'standard'),
            ('start_date', '<=', date), ('end_date', '>=', date)])
    for code, debit, credit, analytics in lines:
        line = move.lines.new(account=account(member, code),
            debit=Decimal(debit), credit=Decimal(credit))
        for record in analytics:
            line.analytic_lines.new(account=record, date=date,
                debit=Decimal(debit), credit=Decimal(credit))
    move.save()
    if post:
        move.click('post')
    return move


def month(number, year=2026):
    return dt.date(year, number, 1)


def ods_rows(content):
    """The rows of a spreadsheet report: its cells' values (an amount as
    its value, a text without its indent), empty rows left out"""
    import io
    import re
    import zipfile
    text = zipfile.ZipFile(io.BytesIO(content)).read('content.xml').decode()
    result = []
    for row in re.findall(
            r'<table:table-row[^>]*>(.*?)</table:table-row>', text, re.S):
        values = []
        for attrs, body in re.findall(r'<table:table-cell([^>]*?)'
                r'(?:/>|>(.*?)</table:table-cell>)', row, re.S):
            value = re.search(r'office:value="([^"]*)"', attrs)
            values.append(value.group(1) if value else
                re.sub('<[^>]+>', '', body or '').replace('\u2003', ''))
        while values and values[-1] == '':
            values.pop()
        if values:
            result.append(values)
    return result


def hire(member, code, counsellor, admin, hours=35):
    "A permanent employee of the member, his contract by the counsellor"
    from trytond.tests.tools import set_user
    Party = Model.get('party.party')
    Employee = Model.get('company.employee')
    Contract = Model.get('insertion.contract')
    party = Party(name="Salarié %s" % code, code=code)
    party.save()
    employee = Employee(company=member.company, party=party)
    employee.save()
    set_user(counsellor)
    contract = Contract(company=member.company, employee=employee,
        kind='cdi', start_date=dt.date(2026, 1, 1),
        weekly_hours=Decimal(hours))
    contract.save()
    set_user(admin)
    return Contract(contract.id), employee


def pay(staff, month, hours, gross, employee, employer):
    """A validated payroll line of the month of staff (contract, employee),
    no tax withheld"""
    Line = Model.get('insertion.payroll.line')
    contract, person = staff
    line = Line(company=person.company, contract=contract,
        employee=person, month=month,
        hours_paid=Decimal('151.67'), hours_worked=Decimal(hours),
        gross=Decimal(gross), employee_contributions=Decimal(employee),
        employer_contributions=Decimal(employer),
        net=Decimal(gross) - Decimal(employee), tax=Decimal(0))
    line.save()
    line.click('validate_line')
    return line


def counsellor(member):
    "The insertion counsellor of the member (who records the contracts)"
    User = Model.get('res.user')
    Role = Model.get('res.role')
    Company = Model.get('company.company')
    user = User(login='conseillere', name="Conseillère")
    user.companies.append(Company(member.company.id))
    user.company = user.companies[0]
    role, = Role.find([('name', '=', "Insertion Counsellor")])
    user.roles.new(role=role)
    user.save()
    return user


def payroll_journal(member):
    """The member's payroll configuration on the general journal (421 and
    74 are detailed in the association chart: 4210, 740)"""
    Journal = Model.get('account.journal')
    Configuration = Model.get('insertion.payroll.configuration')
    general, = Journal.find([('code', '=', 'MISC')])
    config = Configuration(company=member.company, journal=general)
    for name, code in [('salary', '6411'), ('bonus', '6413'),
            ('employer', '6451'), ('net', '421'), ('social', '431'),
            ('tax', '4421'), ('aid_income', '74'),
            ('aid_receivable', '4417')]:
        setattr(config, 'account_' + name, account(member, code))
    config.save()
    return config


def report(budget, **values):
    """The compte rendu of the budget as a spreadsheet (the wizard's fields
    given as values): its rows, cells joined by " | " """
    from proteus import Wizard
    wizard = Wizard('hub.funding.report.print', [budget])
    wizard.form.format = 'ods'
    for name, value in values.items():
        if isinstance(value, list):
            getattr(wizard.form, name).extend(type(v)(v.id) for v in value)
        else:
            setattr(wizard.form, name, value)
    wizard.execute('print_')
    return [' | '.join(r) for r in ods_rows(wizard.actions[0][1])]


def move_lines(description):
    "The lines of the move of description: code, debit, credit, analytics"
    Move = Model.get('account.move')
    move, = Move.find([('description', '=', description)])
    return sorted((l.account.code, str(l.debit), str(l.credit),
            [a.account.code for a in l.analytic_lines]) for l in move.lines)

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

# This file is part of Pôle.
"""The subsidies of the actions at the year-end: the part of an action's
subsidies (74x) that its charges of the year did not use is moved to the
dedicated funds (6894 → 194); an earlier dedicated fund of the action is
used (194 → 7894) as far as its charges of the year exceed its income.

Done by the year-end batch of hub_bookkeeping just before it balances the
result (the moves are charges and income of the year), in one move of
the closing journal in the year's closing period; each line carries the
action's analytic line, so that the action's compte rendu shows them (68,
78) and the fund of each action is known (its analytic lines on 194).
"""
from collections import defaultdict
from decimal import Decimal

from sql.aggregate import Sum
from sql.conditionals import Coalesce

from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction

from .heading import (
    CVN, HEADINGS, SUBSIDY, _dec, actuals, analytic_tables, sign)

FUND_DESCRIPTION = "Fonds dédiés %s"
FUND_LINE = "Fonds dédiés %(action)s %(fiscalyear)s"
# (charge, fund, use): the association chart's accounts for subsidies
FUND_ACCOUNTS = ('6894', '194', '7894')
ACTIONS_ROOT = 'ACTIONS'
ZERO = Decimal(0)



class Member(metaclass=PoolMeta):
    __name__ = 'hub.member'

    @classmethod
    def _balance_result(cls, member, fiscalyear):
        cls.post_dedicated_funds(member, fiscalyear)
        return super()._balance_result(member, fiscalyear)

    @classmethod
    def dedicated_funds_move(cls, fiscalyear):
        "The posted move of the year's dedicated funds, if any"
        Move = Pool().get('account.move')
        moves = Move.search([
                ('company', '=', fiscalyear.company.id),
                ('period.fiscalyear', '=', fiscalyear.id),
                ('journal', '=', cls.closing_journal().id),
                ('description', '=', FUND_DESCRIPTION % fiscalyear.name),
                ('state', '=', 'posted'),
                ], limit=1)
        return moves[0] if moves else None

    @classmethod
    def fund_balances(cls, company, date, action_ids):
        """The dedicated fund (194) of each action before date: {action id:
        credit - debit} of its posted analytic lines on 194x"""
        if not action_ids:
            return {}
        line, move, account, from_ = analytic_tables()
        cursor = Transaction().connection.cursor()
        cursor.execute(*from_.select(line.account,
                Sum(Coalesce(line.credit, 0) - Coalesce(line.debit, 0)),
                where=line.account.in_(action_ids)
                & (move.state == 'posted') & (move.company == company.id)
                & account.code.like(FUND_ACCOUNTS[1] + '%')
                & (line.date < date),
                group_by=[line.account]))
        return {a: _dec(b) for a, b in cursor}

    @classmethod
    def dedicated_funds(cls, member, fiscalyear):
        """What the year's end moves per action: [(action, reported,
        used)], reported the unused subsidies (to 6894/194), used the
        earlier funds taken back (194/7894), amounts > 0 to the cent"""
        Account = Pool().get('analytic_account.account')
        company = member.company
        actions = Account.search([
                ('company', '=', company.id),
                ('root.code', '=', ACTIONS_ROOT),
                ('type', '=', 'normal'),
                ], order=[('code', 'ASC'), ('id', 'ASC')])
        ids = [a.id for a in actions]
        figures = actuals(ids, fiscalyear.start_date, fiscalyear.end_date)
        funds = cls.fund_balances(company, fiscalyear.start_date, ids)
        result = []
        for action in actions:
            amounts = defaultdict(Decimal)
            for code, side, _ in HEADINGS:
                if code not in CVN:
                    amounts[side] += figures.get(
                        (action.id, code), ZERO) * sign(code)
            surplus = amounts['income'] - amounts['charge']
            subsidy = figures.get((action.id, SUBSIDY), ZERO)
            reported = min(surplus, subsidy) if surplus > 0 else ZERO
            used = min(funds.get(action.id, ZERO), -surplus) if (
                surplus < 0) else ZERO
            if reported > 0 or used > 0:
                result.append((action, max(reported, ZERO),
                        max(used, ZERO)))
        return result

    @classmethod
    def post_dedicated_funds(cls, member, fiscalyear):
        "Post the year's dedicated funds (once), return the move or None"
        pool = Pool()
        Account = pool.get('account.account')
        Move = pool.get('account.move')
        Line = pool.get('account.move.line')
        AnalyticLine = pool.get('analytic_account.line')
        if cls.dedicated_funds_move(fiscalyear):
            return None
        funds = cls.dedicated_funds(member, fiscalyear)
        if not funds:
            return None
        company = member.company
        charge, fund, use = (
            Account.open_account(company, c) for c in FUND_ACCOUNTS)
        date = fiscalyear.end_date
        lines = []

        def line(account, action, debit, credit):
            lines.append(Line(account=account,
                    description=FUND_LINE % {
                        'action': action.rec_name,
                        'fiscalyear': fiscalyear.name},
                    debit=debit, credit=credit,
                    analytic_lines=[AnalyticLine(account=action, date=date,
                            debit=debit, credit=credit)]))
        for action, reported, used in funds:
            if reported:
                line(charge, action, reported, ZERO)
                line(fund, action, ZERO, reported)
            if used:
                line(fund, action, used, ZERO)
                line(use, action, ZERO, used)
        move = Move(company=company, journal=cls.closing_journal(),
            period=cls.closing_period(fiscalyear), date=date,
            description=FUND_DESCRIPTION % fiscalyear.name, lines=lines)
        move.save()
        Move.post([move])
        return move

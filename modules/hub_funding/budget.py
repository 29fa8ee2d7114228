# This file is part of Pôle.
"""Budgets of the actions with Tryton's analytic_budget.

A budget of a member's "Actions" axis for a fiscal year has a line per
action (its analytic account), under it a line per heading of the CERFA
15059 with the budgeted amount, and under the subsidies (74) a line per
funder (an account of the "Financeurs" axis) with the amount asked of it.
Amounts follow Tryton's budgets: credit - debit, a charge is negative.
"""
from decimal import Decimal

from trytond.i18n import gettext
from trytond.model import fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Bool, Eval

from .exceptions import BudgetError
from .heading import HEADING_SELECTION, LABELS, SUBSIDY, actuals, sign


class Budget(metaclass=PoolMeta):
    __name__ = 'analytic_account.budget'

    fiscalyear = fields.Many2One(
        'account.fiscalyear', "Fiscal Year",
        domain=[('company', '=', Eval('company', -1))],
        help="The member's fiscal year the budget covers: its dates.")

    @fields.depends('fiscalyear')
    def on_change_fiscalyear(self):
        if self.fiscalyear:
            self.start_date = self.fiscalyear.start_date
            self.end_date = self.fiscalyear.end_date

    @classmethod
    def _validate(cls, budgets, field_names=None):
        # Before the domains' checks: the refusal named, not a domain's
        cls.check_fiscalyear(budgets, field_names)
        super()._validate(budgets, field_names)

    @classmethod
    def check_fiscalyear(cls, budgets, field_names=None):
        """A budget is for an open year of its member (closed or locked:
        its actual is final, its budget too)"""
        pool = Pool()
        FiscalYear = pool.get('account.fiscalyear')
        if field_names and not field_names & {
                'fiscalyear', 'start_date', 'end_date', 'company'}:
            return
        for budget in budgets:
            years = [budget.fiscalyear] if budget.fiscalyear else (
                FiscalYear.search([
                        ('company', '=', budget.company.id),
                        ('start_date', '<=', budget.end_date),
                        ('end_date', '>=', budget.start_date),
                        ]))
            for year in years:
                if year.company != budget.company:
                    raise BudgetError(gettext(
                            'hub_funding.msg_budget_other_member',
                            budget=budget.name, record=year.rec_name,
                            member=budget.company.rec_name))
                if year.state != 'open':
                    raise BudgetError(gettext(
                            'hub_funding.msg_budget_closed_year',
                            budget=budget.name, fiscalyear=year.rec_name,
                            member=budget.company.rec_name))


class BudgetLine(metaclass=PoolMeta):
    __name__ = 'analytic_account.budget.line'

    heading = fields.Selection(HEADING_SELECTION, "CERFA Heading",
        states={
            'invisible': Bool(Eval('account')),
            },
        help="The heading of the compte rendu financier (CERFA 15059) "
        "this line budgets for the action of its parent line.")
    funder = fields.Many2One(
        'analytic_account.account', "Funder",
        domain=[
            ('company', '=', Eval('company', -1)),
            ('type', '=', 'normal'),
            ('root', '!=', Eval('root', -1)),
            ],
        states={
            'invisible': Eval('heading') != SUBSIDY,
            },
        help="Of a subsidy line: the funder (\"Financeurs\" axis) asked "
        "for the amount.")
    action = fields.Function(fields.Many2One(
            'analytic_account.account', "Action"), 'get_action')
    shown_amount = fields.Function(fields.Numeric(
            "Budget", digits=(16, 2),
            help="The budgeted amount, charges and income positive."),
        'get_shown')
    shown_actual = fields.Function(fields.Numeric(
            "Actual", digits=(16, 2),
            help="The actual amount, charges and income positive."),
        'get_shown')

    def get_rec_name(self, name):
        if self.funder:
            return self.funder.rec_name
        if self.heading and not self.account:
            return LABELS[self.heading]
        return super().get_rec_name(name)

    @fields.depends('heading', 'funder', 'account', 'name')
    def on_change_with_current_name(self, name=None):
        if self.funder:
            return self.funder.rec_name
        if self.heading and not self.account:
            return LABELS[self.heading]
        return super().on_change_with_current_name(name)

    @fields.depends('heading', 'funder', 'name')
    def on_change_heading(self):
        if self.heading and not self.name:
            self.name = LABELS[self.heading]

    def get_action(self, name):
        "The action of the line: its account or its nearest parent's"
        line = self
        while line:
            if line.account:
                return line.account.id
            line = line.parent

    @classmethod
    def _validate(cls, lines, field_names=None):
        # Before the domains' checks: the refusal named, not a domain's
        cls.check_accounts(lines, field_names)
        Pool().get('analytic_account.budget').check_fiscalyear(
            list({l.budget for l in lines}))
        super()._validate(lines, field_names)

    @classmethod
    def check_accounts(cls, lines, field_names=None):
        """An action, a funder of the budget's member only; a heading under
        an action, a funder under its subsidies"""
        if field_names and not field_names & {
                'account', 'funder', 'heading', 'parent', 'budget'}:
            return
        for line in lines:
            company = line.budget.company
            for account in [line.account, line.funder]:
                if account and account.company != company:
                    raise BudgetError(gettext(
                            'hub_funding.msg_budget_other_member',
                            budget=line.budget.name, record=account.rec_name,
                            member=company.rec_name))
            if line.heading and not line.account and not line.action:
                raise BudgetError(gettext(
                        'hub_funding.msg_budget_heading_action',
                        budget=line.budget.name,
                        heading=LABELS[line.heading]))
            if line.funder and line.heading != SUBSIDY:
                raise BudgetError(gettext(
                        'hub_funding.msg_budget_funder_subsidy',
                        budget=line.budget.name,
                        funder=line.funder.rec_name))

    @classmethod
    def get_amount(cls, records, names):
        """Tryton's actual of the action lines; a heading's: the action's
        analytic lines on the accounts of the heading, a funder's: those of
        the subsidies it carries too"""
        plain = [r for r in records if not r.heading or r.account]
        result = super().get_amount(plain, names)
        by_heading = [r for r in records if r.heading and not r.account]
        for (start, end), group in _by_dates(by_heading).items():
            action_ids = list({r.action.id for r in group})
            figures = actuals(action_ids, start, end)
            funder_ids = list({r.funder.id for r in group if r.funder})
            funded = (actuals(action_ids, start, end, funder_ids)
                if funder_ids else {})
            for record in group:
                if record.funder:
                    actual = funded.get(
                        (record.action.id, record.funder.id), Decimal(0))
                else:
                    actual = figures.get(
                        (record.action.id, record.heading), Decimal(0))
                if 'actual_amount' in names:
                    result['actual_amount'][record.id] = actual
                if 'percentage' in names:
                    total = record.total_amount
                    result['percentage'][record.id] = (
                        (actual / total).quantize(Decimal('.0001'))
                        if total else None)
        return result

    @classmethod
    def get_shown(cls, lines, names):
        "The amounts of charge headings as the CERFA shows them: positive"
        amounts = cls.get_amount(lines, ['actual_amount'])['actual_amount']
        result = {n: {} for n in names}
        for line in lines:
            factor = sign(line.heading) if line.heading else 1
            if 'shown_amount' in names:
                result['shown_amount'][line.id] = (
                    line.total_amount or Decimal(0)) * factor
            if 'shown_actual' in names:
                result['shown_actual'][line.id] = amounts[line.id] * factor
        return result


def _by_dates(lines):
    groups = {}
    for line in lines:
        key = (line.budget.start_date, line.budget.end_date)
        groups.setdefault(key, []).append(line)
    return groups



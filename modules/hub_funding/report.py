# This file is part of Pôle.
"""The compte rendu financier of the actions (CERFA 15059): for an action,
its charges and income by heading, the budget beside the actual, the gap
and the percentage achieved, the funders' parts, the contributions
volontaires en nature; for a funder, each action it funds and its part of
them; for an action run by several members (an action of the same code in
their budgets of the same dates), each member's and the total.

Printed as a spreadsheet or PDF.  The figures are read by one query for
the headings and one for the funders, whatever the number of actions.
"""
from collections import defaultdict
from decimal import Decimal

from trytond.i18n import gettext
from trytond.model import ModelView, fields
from trytond.modules.hub.format import format_date
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.report import Report
from trytond.transaction import without_check_access
from trytond.wizard import Button, StateReport, StateView, Wizard

from .exceptions import FundingReportError
from .heading import CENT, CVN, HEADINGS, LABELS, SUBSIDY, actuals, sign

INDENT = '\u2003'
ZERO = Decimal(0)


def percent(actual, budget):
    "actual over budget, in %, two decimals (none without a budget)"
    if not budget:
        return None
    return (actual * 100 / budget).quantize(Decimal('0.01'))


def action_lines(budget, actions=None, codes=None):
    "The budget's lines of the actions (all of them when none given)"
    lines = [l for l in budget.lines if l.account]
    if actions:
        lines = [l for l in lines if l.account in actions]
    if codes:
        lines = [l for l in lines if l.account.code in codes]
    return lines


def figures(lines):
    """The budget and actual of each action line by heading, and its
    funders: {line: {'budget': {heading: amount}, 'actual': {...},
    'funders': [(funder, budget, actual)]}}, amounts as the CERFA shows
    them (charges and income positive)"""
    by_dates = defaultdict(list)
    for line in lines:
        by_dates[(line.budget.start_date, line.budget.end_date)].append(line)
    result = {}
    for (start, end), group in by_dates.items():
        action_ids = [l.account.id for l in group]
        children = {l: [c for c in l.budget.lines
                if c.heading and not c.account and c.action == l.account]
            for l in group}
        funder_ids = list({c.funder.id for cs in children.values()
                for c in cs if c.funder})
        actual = actuals(action_ids, start, end)
        funded = (actuals(action_ids, start, end, funder_ids)
            if funder_ids else {})
        for line in group:
            budget = defaultdict(Decimal)
            funders = []
            # A heading's budget: its lines under the action, the subsidy
            # line's own amount (not asked of a named funder) and its
            # funders' lines
            for child in children[line]:
                amount = (child.amount or ZERO) * sign(child.heading)
                budget[child.heading] += amount
                if child.funder:
                    funders.append((child.funder, amount,
                            funded.get((line.account.id, child.funder.id),
                                ZERO) * sign(SUBSIDY)))
            result[line] = {
                'budget': dict(budget),
                'actual': {h: actual.get((line.account.id, h), ZERO)
                    * sign(h) for h, _, _ in HEADINGS},
                'funders': funders,
                }
    return result


def add(figure, other):
    "The sum of two figures (an action run by several members)"
    if figure is None:
        return {'budget': dict(other['budget']),
            'actual': dict(other['actual']),
            'funders': list(other['funders'])}
    for key in ['budget', 'actual']:
        for heading, amount in other[key].items():
            figure[key][heading] = figure[key].get(heading, ZERO) + amount
    funders = {f.rec_name: [f, b, a] for f, b, a in figure['funders']}
    for funder, budget, actual in other['funders']:
        if funder.rec_name in funders:
            funders[funder.rec_name][1] += budget
            funders[funder.rec_name][2] += actual
        else:
            funders[funder.rec_name] = [funder, budget, actual]
    figure['funders'] = [tuple(v) for v in funders.values()]
    return figure


def row(name, budget=None, actual=None, heading=None, key=None, gap=True):
    """A line of the report: name and [budget, actual, gap, %] (without
    gap: only the budget and actual)"""
    if budget is None and actual is None:
        amounts = [None] * 4
    else:
        budget = (budget or ZERO).quantize(CENT)
        actual = (actual or ZERO).quantize(CENT)
        amounts = [budget, actual, actual - budget, percent(actual, budget)]
        if not gap:
            amounts[2:] = [None, None]
    return {'name': name, 'amounts': amounts, 'heading': heading,
        'key': key}


def rows(figure):
    """The lines of an action's compte rendu: charges, income (the
    subsidies and each funder's part of them), result, contributions
    volontaires en nature, the funders' parts of the charges"""
    budget, actual = figure['budget'], figure['actual']
    result = []
    totals = {}
    for side, title in [
            ('charge', gettext('hub_funding.msg_charges')),
            ('income', gettext('hub_funding.msg_income'))]:
        result.append(row(title))
        total_budget = total_actual = ZERO
        for code, side_, label in HEADINGS:
            if side_ != side or code in CVN:
                continue
            b, a = budget.get(code, ZERO), actual.get(code, ZERO)
            total_budget += b
            total_actual += a
            if b or a:
                result.append(row(INDENT + label, b, a, heading=code))
            if code == SUBSIDY:
                for funder, fb, fa in figure['funders']:
                    result.append(row(INDENT * 2 + funder.rec_name, fb, fa,
                            heading=code, key=('funder', funder.rec_name)))
        totals[side] = (total_budget, total_actual)
        result.append(row(gettext('hub_funding.msg_total_' + side),
                total_budget, total_actual, key='total_' + side))
    result.append(row(gettext('hub_funding.msg_result'),
            totals['income'][0] - totals['charge'][0],
            totals['income'][1] - totals['charge'][1], key='result'))
    if any(budget.get(c) or actual.get(c) for c in CVN):
        result.append(row(gettext('hub_funding.msg_cvn')))
        for code in sorted(CVN):
            result.append(row(INDENT + LABELS[code],
                    budget.get(code, ZERO), actual.get(code, ZERO),
                    heading=code))
    if figure['funders']:
        result.append(row(gettext('hub_funding.msg_funder_parts')))
        for funder, fb, fa in figure['funders']:
            # The part of the action's charges the funder pays
            result.append(row(INDENT + funder.rec_name,
                    percent(fb, totals['charge'][0]) or ZERO,
                    percent(fa, totals['charge'][1]) or ZERO,
                    key=('part', funder.rec_name), gap=False))
    return result


def check_access(budgets):
    "The members of the budgets' books must be the user's (named refusal)"
    Member = Pool().get('hub.member')
    for company in {b.company for b in budgets}:
        members = Member.search([('company', '=', company.id)], limit=1)
        if not members:
            raise FundingReportError(gettext(
                    'hub_funding.msg_report_no_member',
                    company=company.rec_name))
        Member.check_report_access(members[0])


def period(budget):
    return '%s – %s' % (
        format_date(budget.start_date), format_date(budget.end_date))


def action_sections(budget, actions=None):
    "The compte rendu of the budget's actions (all when none given)"
    check_access([budget])
    lines = action_lines(budget, actions)
    data = figures(lines)
    return [{
            'title': '%s – %s' % (l.account.rec_name, budget.company.rec_name),
            'period': period(budget),
            'rows': rows(data[l]),
            } for l in lines]


def funder_sections(budget, funder):
    """The actions of the budget the funder funds, and a last section of
    its part in each"""
    check_access([budget])
    lines = [l for l in action_lines(budget) if any(
            c.funder == funder for c in budget.lines
            if c.action == l.account)]
    if not lines:
        raise FundingReportError(gettext('hub_funding.msg_report_no_funder',
                funder=funder.rec_name, budget=budget.rec_name))
    data = figures(lines)
    sections = [{
            'title': '%s – %s' % (l.account.rec_name, budget.company.rec_name),
            'period': period(budget),
            'rows': rows(data[l]),
            } for l in lines]
    summary = []
    for line in lines:
        for f, fb, fa in data[line]['funders']:
            if f == funder:
                summary.append(row(line.account.rec_name, fb, fa,
                        key=('action', line.account.code)))
    summary.append(row(gettext('hub_funding.msg_total'),
            sum((r['amounts'][0] for r in summary), ZERO),
            sum((r['amounts'][1] for r in summary), ZERO), key='total'))
    sections.append({
            'title': gettext('hub_funding.msg_funder_title',
                funder=funder.rec_name),
            'period': period(budget),
            'rows': summary,
            })
    return sections


def shared_sections(budget, actions):
    """An action run by several members: the lines of the same code in
    the budgets of the same dates of every member, each member's compte
    rendu and their total"""
    Budget = Pool().get('analytic_account.budget')
    codes = {a.code for a in actions if a.code}
    if not codes:
        raise FundingReportError(gettext('hub_funding.msg_report_no_code',
                budget=budget.rec_name))
    # Every member's budget of the action, then refused by name unless
    # the user works on each member's books
    with without_check_access():
        budgets = Budget.search([
                ('start_date', '=', budget.start_date),
                ('end_date', '=', budget.end_date),
                ('lines.account.code', 'in', list(codes)),
                ], order=[('company', 'ASC'), ('id', 'ASC')])
    # Every member's books in it must be the user's: refused by name
    check_access(budgets)
    budgets = Budget.browse(budgets)
    sections = []
    for code in sorted(codes):
        lines = [l for b in budgets for l in action_lines(b, codes=[code])]
        data = figures(lines)
        total = None
        for line in lines:
            sections.append({
                    'title': '%s – %s' % (line.account.rec_name,
                        line.budget.company.rec_name),
                    'period': period(line.budget),
                    'rows': rows(data[line]),
                    })
            total = add(total, data[line])
        if total is not None:
            sections.append({
                    'title': gettext('hub_funding.msg_shared_title',
                        action=lines[0].account.rec_name,
                        count=len(lines)),
                    'period': period(budget),
                    'rows': rows(total),
                    })
    return sections


class ReportStart(ModelView):
    "Compte rendu financier of actions"
    __name__ = 'hub.funding.report.start'

    kind = fields.Selection([
            ('action', "Per Action"),
            ('funder', "Per Funder"),
            ('shared', "Action Shared by Members"),
            ], "Report", required=True)
    budget = fields.Many2One('analytic_account.budget', "Budget",
        required=True,
        help="The budget of the actions of a member for a year.")
    root = fields.Function(fields.Many2One(
            'analytic_account.account', "Root"), 'on_change_with_root')
    company = fields.Function(fields.Many2One(
            'company.company', "Company"), 'on_change_with_company')
    actions = fields.Many2Many('analytic_account.account', None, None,
        "Actions",
        domain=[
            ('root', '=', Eval('root', -1)),
            ('type', '=', 'normal'),
            ],
        states={
            'invisible': Eval('kind') == 'funder',
            'required': Eval('kind') == 'shared',
            },
        help="Leave empty for every action of the budget.")
    funder = fields.Many2One('analytic_account.account', "Funder",
        domain=[
            ('company', '=', Eval('company', -1)),
            ('root', '!=', Eval('root', -1)),
            ('type', '=', 'normal'),
            ],
        states={
            'invisible': Eval('kind') != 'funder',
            'required': Eval('kind') == 'funder',
            })
    format = fields.Selection([
            ('ods', "Spreadsheet (ODS)"),
            ('pdf', "PDF"),
            ], "Format", required=True)

    @classmethod
    def default_kind(cls):
        return 'action'

    @classmethod
    def default_format(cls):
        return 'ods'

    @fields.depends('budget')
    def on_change_with_root(self, name=None):
        return self.budget.root if self.budget else None

    @fields.depends('budget')
    def on_change_with_company(self, name=None):
        return self.budget.company if self.budget else None


class ReportPrint(Wizard):
    "Compte rendu financier of actions"
    __name__ = 'hub.funding.report.print'

    start = StateView('hub.funding.report.start',
        'hub_funding.report_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Print", 'print_', 'tryton-print', default=True),
            ])
    print_ = StateReport('hub.funding.report')

    def default_start(self, fields):
        if self.model and self.model.__name__ == 'analytic_account.budget':
            return {'budget': self.record.id if self.record else None}
        return {}

    def do_print_(self, action):
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        ActionReport = pool.get('ir.action.report')
        start = self.start
        data = {
            'kind': start.kind,
            'budget': start.budget.id,
            'actions': [a.id for a in start.actions],
            'funder': start.funder.id if start.funder else None,
            }
        # Two actions print this report, the spreadsheet and the PDF: the
        # clients take the one returned
        report = ActionReport(ModelData.get_id('hub_funding',
                'report_funding_pdf' if start.format == 'pdf'
                else 'report_funding'))
        action = report.action.get_action_value()
        data['action_id'] = report.id
        return action, data


def sections(data):
    "The sections of the report asked by data (the wizard's)"
    pool = Pool()
    Budget = pool.get('analytic_account.budget')
    Account = pool.get('analytic_account.account')
    budget = Budget(data['budget'])
    actions = Account.browse(data.get('actions') or [])
    if data['kind'] == 'funder':
        return funder_sections(budget, Account(data['funder']))
    elif data['kind'] == 'shared':
        return shared_sections(budget, actions)
    return action_sections(budget, actions)


class FundingReport(Report):
    "Compte rendu financier of actions"
    __name__ = 'hub.funding.report'

    @classmethod
    def get_context(cls, records, header, data):
        context = super().get_context(records, header, data)
        context['sections'] = sections(data)
        context['columns'] = [gettext('hub_funding.msg_column_' + c)
            for c in ['budget', 'actual', 'gap', 'percent']]
        context['title'] = gettext('hub_funding.msg_report_title')
        context['subtitle'] = gettext('hub_funding.msg_report_note')
        return context



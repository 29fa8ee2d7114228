# This file is part of Pôle.
"""The combined statements of the pôle: one column per member, the
eliminations of the inter-member flows and the total, beside a comparison
period; printed as a spreadsheet or PDF, and a drill-down to the move lines
of a cell."""
from decimal import Decimal

from sql.aggregate import Sum
from sql.conditionals import Coalesce

from trytond.i18n import gettext
from trytond.model import ModelView, fields
from trytond.model.exceptions import AccessError
from trytond.pool import Pool
from trytond.pyson import Bool, Eval, PYSONEncoder
from trytond.report import Report
from trytond.transaction import Transaction, without_check_access
from trytond.wizard import Button, StateAction, StateReport, StateView, Wizard

from .consolidation import (
    ELIMINATIONS, TOTAL, eliminated, member_parties, not_closing)

# Indentation of a line under its parent in the printed statement
INDENT = '\u2003'
# The groups that read the combined figures (xml ids in hub)
GROUPS = ['group_hub_accountant', 'group_hub_director', 'group_hub_board']
# The groups that open the move lines behind a combined amount: the board
# reads no line (a line may name a person: a donor, a payee)
LINE_GROUPS = ['group_hub_accountant', 'group_hub_director']


def check_group(groups=GROUPS,
        message='hub_consolidation.msg_combined_access'):
    """Only the collective's accountants, directors and board members (or
    the groups given), whatever the context: the wizards run without
    access checks"""
    pool = Pool()
    ModelData = pool.get('ir.model.data')
    User = pool.get('res.user')
    transaction = Transaction()
    if transaction.user == 0:
        return
    if not set(User.get_groups()).intersection(
            ModelData.get_id('hub', g) for g in groups):
        raise AccessError(gettext(message))


def spans(statement, from_date, to_date):
    "The span of lines of a statement: a period, or up to a date"
    if statement == 'balance':
        return (None, to_date)
    return (from_date, to_date)


def members(member_ids=None, from_date=None, to_date=None):
    """The members (or those given) over the span, by name: by their
    membership dates, not by active, so that a member that left stays in
    the statements of the years it was a member (a member that left during
    the span is in it, with its whole books over the span)"""
    Member = Pool().get('hub.member')
    domain = [('id', 'in', member_ids)] if member_ids else []
    if to_date:
        domain.append(('joined', '<=', to_date))
    if from_date or to_date:
        domain.append(['OR',
                ('left', '=', None),
                ('left', '>=', from_date or to_date),
                ])
    with without_check_access(), \
            Transaction().set_context(active_test=False):
        records = Member.search(domain)
        return sorted(records, key=lambda m: m.company.rec_name)


def combined_statement(statement, from_date, to_date, from_date_cmp=None,
        to_date_cmp=None, member_ids=None):
    """The rows of the combined statement ('income' or 'balance'), with one
    query.  Return (columns, rows): columns are the member names, the
    eliminations, the total and the total of the comparison period (when
    given); each row is a dict with the line, its name indented by depth,
    its depth and amounts in the order of columns."""
    pool = Pool()
    Consolidation = pool.get('account.consolidation')
    check_group()
    records = members(member_ids, from_date, to_date)
    company_ids = [m.company.id for m in records]
    periods = [spans(statement, from_date, to_date)]
    comparison = bool(to_date_cmp)
    if comparison:
        periods.append(spans(statement, from_date_cmp, to_date_cmp))
    with without_check_access():
        # The income statement without the year-end closing moves
        amounts = Consolidation.hub_combined(
            company_ids, periods, closing=statement == 'balance')
        roots = Consolidation.hub_roots(statement)
        keys = company_ids + [ELIMINATIONS, TOTAL]
        columns = [m.company.rec_name for m in records] + [
            gettext('hub_consolidation.msg_column_eliminations'),
            gettext('hub_consolidation.msg_column_total')]
        if comparison:
            columns.append(gettext(
                    'hub_consolidation.msg_column_total_cmp'))
        rows = []

        def walk(node, depth):
            values = [amounts[0][k].get(node.id, Decimal(0)) for k in keys]
            if comparison:
                values.append(amounts[1][TOTAL].get(node.id, Decimal(0)))
            if depth and not any(values):
                return
            rows.append({
                    'id': node.id,
                    'name': INDENT * depth + node.name,
                    'depth': depth,
                    'amounts': values,
                    })
            children = sorted(
                [c for c in node.children if c.statement == statement],
                key=lambda c: (c.sequence or 0, c.id))
            for child in children:
                walk(child, depth + 1)
        for root in roots:
            walk(root, 0)
    return columns, rows


class StatementStart(ModelView):
    "Combined statements of the pôle"
    __name__ = 'hub.consolidation.statement.start'

    from_date = fields.Date("From Date", required=True,
        help="Start of the income statement.")
    to_date = fields.Date("To Date", required=True,
        help="End of the income statement, date of the balance sheet.")
    comparison = fields.Boolean("Comparison")
    from_date_cmp = fields.Date("From Date",
        states={
            'required': Bool(Eval('comparison')),
            'invisible': ~Eval('comparison'),
            })
    to_date_cmp = fields.Date("To Date",
        states={
            'required': Bool(Eval('comparison')),
            'invisible': ~Eval('comparison'),
            })
    members = fields.Many2Many('hub.member', None, None, "Members",
        help="Leave empty for every member.")
    format = fields.Selection([
            ('ods', "Spreadsheet (ODS)"),
            ('pdf', "PDF"),
            ], "Format", required=True)

    @classmethod
    def default_from_date(cls):
        today = Pool().get('ir.date').today()
        return today.replace(month=1, day=1)

    @classmethod
    def default_to_date(cls):
        return Pool().get('ir.date').today()

    @classmethod
    def default_comparison(cls):
        return True

    @classmethod
    def default_format(cls):
        return 'ods'

    @fields.depends('comparison', 'from_date', 'to_date')
    def on_change_comparison(self):
        if self.comparison and self.from_date and self.to_date:
            self.from_date_cmp = previous_year(self.from_date)
            self.to_date_cmp = previous_year(self.to_date)

    on_change_from_date = on_change_comparison
    on_change_to_date = on_change_comparison


def previous_year(date):
    "The same day a year before (28 February for 29 February)"
    try:
        return date.replace(year=date.year - 1)
    except ValueError:
        return date.replace(year=date.year - 1, day=28)


class StatementPrint(Wizard):
    "Combined statements of the pôle"
    __name__ = 'hub.consolidation.statement.print'

    start = StateView('hub.consolidation.statement.start',
        'hub_consolidation.statement_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Print", 'print_', 'tryton-print', default=True),
            ])
    print_ = StateReport('hub.consolidation.statement')

    def do_print_(self, action):
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        ActionReport = pool.get('ir.action.report')
        start = self.start
        data = {
            'from_date': start.from_date,
            'to_date': start.to_date,
            'from_date_cmp': start.from_date_cmp if start.comparison else None,
            'to_date_cmp': start.to_date_cmp if start.comparison else None,
            'members': [m.id for m in start.members],
            }
        # Two actions print this report, the spreadsheet and the PDF: the
        # clients take the one returned (its id becomes data's action_id,
        # whatever data says)
        report = ActionReport(ModelData.get_id('hub_consolidation',
                'report_statement_pdf' if start.format == 'pdf'
                else 'report_statement'))
        action = report.action.get_action_value()
        data['action_id'] = report.id
        return action, data


class Statement(Report):
    "Combined statements of the pôle"
    __name__ = 'hub.consolidation.statement'

    @classmethod
    def get_context(cls, records, header, data):
        context = super().get_context(records, header, data)
        lang = Pool().get('ir.lang').get()
        fmt = lang.strftime
        sections = []
        for statement, title in [
                ('income', gettext('hub_consolidation.msg_income_statement')),
                ('balance', gettext('hub_consolidation.msg_balance_sheet')),
                ]:
            columns, rows = combined_statement(
                statement, data['from_date'], data['to_date'],
                data.get('from_date_cmp'), data.get('to_date_cmp'),
                data.get('members'))
            if statement == 'balance':
                period = gettext('hub_consolidation.msg_period_at',
                    date=fmt(data['to_date']))
            else:
                period = gettext('hub_consolidation.msg_period_span',
                    start=fmt(data['from_date']), end=fmt(data['to_date']))
            if data.get('to_date_cmp'):
                period += ' / ' + (fmt(data['to_date_cmp'])
                    if statement == 'balance' else '%s - %s' % (
                        fmt(data['from_date_cmp']), fmt(data['to_date_cmp'])))
            sections.append({
                    'title': title,
                    'period': period,
                    'rows': rows,
                    })
        context['columns'] = columns
        context['sections'] = sections
        context['title'] = gettext('hub_consolidation.msg_statement_title')
        context['subtitle'] = gettext('hub_consolidation.msg_statement_note')
        return context


class OpenLinesStart(ModelView):
    "Open the move lines of a cell of the combined statements"
    __name__ = 'hub.consolidation.open_lines.start'

    consolidation = fields.Many2One('account.consolidation', "Line",
        required=True, domain=[('hub_template', '!=', None)],
        states={
            'invisible': Bool(Eval('consolidation')),
            })
    # The line's own name (« Compte de résultat »): the Many2One would show
    # its path in the tree, from a root the users never see
    line_name = fields.Function(fields.Char("Line",
            states={
                'invisible': ~Eval('consolidation'),
                }),
        'on_change_with_line_name')
    member = fields.Many2One('hub.member', "Member",
        states={
            'required': ~Eval('eliminations'),
            },
        help="Leave empty with Eliminations for every member's.")
    eliminations = fields.Boolean("Eliminations",
        help="Only the lines of the inter-member flows.")
    from_date = fields.Date("From Date",
        help="Empty for the balance sheet: every line up to the date.")
    to_date = fields.Date("To Date", required=True)

    @classmethod
    def default_to_date(cls):
        return Pool().get('ir.date').today()

    @fields.depends('consolidation')
    def on_change_with_line_name(self, name=None):
        return self.consolidation.name if self.consolidation else None


def cell_domain(consolidation, member, eliminations, from_date, to_date):
    """The move lines of a cell: the lines of the member (or of every member)
    on the accounts counted on consolidation or under it over the span"""
    pool = Pool()
    Consolidation = pool.get('account.consolidation')
    Line = pool.get('account.move.line')
    Move = pool.get('account.move')
    Account = pool.get('account.account')
    line = Line.__table__()
    move = Move.__table__()
    account = Account.__table__()
    User = pool.get('res.user')
    all_ids = [m.company.id for m in members(None, from_date, to_date)]
    if member:
        company_ids = [member.company.id]
    elif Transaction().user:
        # Every member's: those the user works in, as the record rules
        allowed = set(User.get_companies())
        company_ids = [c for c in all_ids if c in allowed]
    else:
        company_ids = all_ids
    with without_check_access():
        subtree = {c.id for c in Consolidation.search(
                [('parent', 'child_of', [consolidation.id])])}
        type2node = Consolidation.hub_type_nodes(company_ids)
    where = (move.company.in_(company_ids) & (move.state == 'posted')
        & (move.date <= to_date))
    if from_date:
        # An income statement's cell: without the year-end closing moves
        where &= (move.date >= from_date) & not_closing(move)
    balance = Sum(Coalesce(line.debit, 0) - Coalesce(line.credit, 0))
    cursor = Transaction().connection.cursor()
    cursor.execute(*line
        .join(move, condition=line.move == move.id)
        .join(account, condition=line.account == account.id)
        .select(line.account, account.type, account.debit_type,
            account.credit_type, balance,
            where=where,
            group_by=[line.account, account.type, account.debit_type,
                account.credit_type]))
    account_ids = []
    for account_id, type_, debit_type, credit_type, amount in cursor:
        amount = Decimal(str(amount or 0))
        if debit_type and amount > 0:
            type_ = debit_type
        elif credit_type and amount < 0:
            type_ = credit_type
        if type2node.get(type_) in subtree:
            account_ids.append(account_id)
    domain = [
        ('account', 'in', account_ids),
        ('move.company', 'in', company_ids),
        ('move.state', '=', 'posted'),
        ('move.date', '<=', to_date),
        ]
    if from_date:
        domain.append(('move.date', '>=', from_date))
        cursor.execute(*move.select(move.id,
                where=move.company.in_(company_ids) & (move.date >= from_date)
                & (move.date <= to_date) & ~not_closing(move)))
        domain.append(('move', 'not in', [i for i, in cursor]))
    if eliminations:
        AccountType = pool.get('account.account.type')
        type_ = AccountType.__table__()
        cursor.execute(*line
            .join(move, condition=line.move == move.id)
            .join(account, condition=line.account == account.id)
            .join(type_, 'LEFT', condition=account.type == type_.id)
            .select(line.id,
                where=where & line.account.in_(account_ids or [-1])
                & eliminated(line, move, type_, all_ids,
                    member_parties(all_ids))))
        domain.append(('id', 'in', [i for i, in cursor]))
    return domain


class OpenLines(Wizard):
    "Open the move lines of a cell of the combined statements"
    __name__ = 'hub.consolidation.open_lines'

    start = StateView('hub.consolidation.open_lines.start',
        'hub_consolidation.open_lines_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Open", 'open_', 'tryton-ok', default=True),
            ])
    open_ = StateAction('hub_consolidation.act_move_line')

    def default_start(self, fields):
        """Opened from a line of the combined balance sheet or income
        statement (account_consolidation's trees): that line, the dates of
        the tree's context and its member when the user works in one
        company; an income line without a start date from the start of
        the member's fiscal year"""
        pool = Pool()
        Consolidation = pool.get('account.consolidation')
        FiscalYear = pool.get('account.fiscalyear')
        Member = pool.get('hub.member')
        context = Transaction().context
        if (context.get('active_model') != 'account.consolidation'
                or (context.get('active_id') or -1) < 0):
            return {}
        line = Consolidation(context['active_id'])
        defaults = {'consolidation': line.id, 'line_name': line.name}
        to_date = (context.get('to_date') or context.get('date')
            or pool.get('ir.date').today())
        defaults['to_date'] = to_date
        companies = context.get('companies') or []
        member = None
        if len(companies) == 1:
            with Transaction().set_context(active_test=False):
                members = Member.search(
                    [('company', '=', companies[0])], limit=1)
            if members:
                member, = members
                defaults['member'] = member.id
        if context.get('from_date'):
            defaults['from_date'] = context['from_date']
        elif line.statement == 'income' and member:
            with without_check_access():
                years = FiscalYear.search([
                        ('company', '=', member.company.id),
                        ('start_date', '<=', to_date),
                        ('end_date', '>=', to_date),
                        ], limit=1)
            if years:
                defaults['from_date'] = years[0].start_date
        return defaults

    def do_open_(self, action):
        pool = Pool()
        User = pool.get('res.user')
        start = self.start
        # The lines are read by the client behind the record rules; the
        # accounts of the cell are found here in SQL, so the member of the
        # form must be one the user works in.
        check_group(LINE_GROUPS, 'hub_consolidation.msg_lines_access')
        if (start.member and Transaction().user
                and start.member.company.id not in User.get_companies()):
            raise AccessError(gettext(
                    'hub_consolidation.msg_open_lines_access',
                    member=start.member.rec_name))
        domain = cell_domain(start.consolidation, start.member,
            start.eliminations, start.from_date, start.to_date)
        action['pyson_domain'] = PYSONEncoder().encode(domain)
        action['name'] += ' - %s' % start.consolidation.rec_name
        return action, {}

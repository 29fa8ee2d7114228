# This file is part of Pôle.
"""The income statement and balance sheet of a member, beside the previous
period, from the company's own account type tree (the association layout for
members on the association chart, the PCG layout for the others).

The income statement is laid out as ANC 2018-06 (and the PCG) show it:
products then charges of each section, charges positive, and the
intermediate results.  The year-end moves (Tryton's balance non-deferral,
whose origin is the fiscal year) are left out of it, so it shows the year's
result before and after closing.  On the balance sheet, the line of the
result of the year is that same result; what the result accounts and the
unclosed previous years hold beside it (a previous result not yet allocated)
is shown on its own line."""
from decimal import Decimal

from sql.operators import Like

from trytond.i18n import gettext
from trytond.model import ModelView, fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import Transaction
from trytond.wizard import Button, StateReport, StateView, Wizard

from .bookkeeping import MemberReport, MemberReportStartMixin
from .exceptions import BookkeepingError

# Indentation of a type under its parent in the printed statement
INDENT = '\u2003'

# Context key: leave the year-end moves out of the amounts
WITHOUT_CLOSING = 'hub_without_closing'

# The sections of the income statement by type template (module.xml_id):
# products, charges (shown positive), the message of the result printed
# after them, whether shown when empty
INCOME_SECTIONS = [
    ('account_fr.produits_exploitation', 'account_fr.charges_exploitation',
        'msg_result_operating', True),
    ('account_fr.produits_quotes-parts_resultat_operations_commun',
        'account_fr.charges_quotes-parts_resultat_operations_commun', None,
        False),
    ('account_fr.produits_financiers', 'account_fr.charges_financieres',
        'msg_result_financial', True),
    (None, None, 'msg_result_current', True),
    ('account_fr.produits_exceptionnels',
        'account_fr.charges_exceptionnelles', 'msg_result_exceptional', True),
    (None, 'account_fr.participation_salaries_resultats', None, False),
    (None, 'account_fr.impots_benefices', None, True),
    ]
RESULT = 'account_fr.compte_resultat'
BALANCE_RESULT = 'account_fr.resultat'
CVN = [
    ('account_fr_association.type_cvn_ressources', 1),
    ('account_fr_association.type_cvn_emplois', -1),
    ]


class MoveLine(metaclass=PoolMeta):
    __name__ = 'account.move.line'

    @classmethod
    def query_get(cls, table):
        where, fiscalyear_ids = super().query_get(table)
        if Transaction().context.get(WITHOUT_CLOSING):
            # The balance non-deferral move has its fiscal year as origin
            move = Pool().get('account.move').__table__()
            where &= ~table.move.in_(move.select(move.id,
                    where=Like(move.origin, 'account.fiscalyear,%')))
        return where, fiscalyear_ids


def previous_fiscalyear(fiscalyear):
    "The fiscal year of the company just before fiscalyear"
    FiscalYear = Pool().get('account.fiscalyear')
    years = FiscalYear.search([
            ('company', '=', fiscalyear.company.id),
            ('end_date', '<', fiscalyear.start_date),
            ], order=[('end_date', 'DESC')], limit=1)
    return years[0] if years else None


def fiscalyear_at(company, date):
    "The fiscal year of company containing date, or None"
    FiscalYear = Pool().get('account.fiscalyear')
    years = FiscalYear.search([
            ('company', '=', company.id),
            ('start_date', '<=', date),
            ('end_date', '>=', date),
            ], limit=1)
    return years[0] if years else None


def types_by_template(company):
    """The types of company by the module.xml_id of the template they are
    made from (the base template for an override of the association chart)"""
    pool = Pool()
    Type = pool.get('account.account.type')
    ModelData = pool.get('ir.model.data')
    data = ModelData.search([
            ('model', '=', 'account.account.type.template'),
            ('module', 'in', ['account_fr', 'account_fr_association']),
            ])
    names = {d.db_id: '%s.%s' % (d.module, d.fs_id) for d in data}
    result = {}
    for type_ in Type.search([
                ('company', '=', company.id), ('template', '!=', None)]):
        template = type_.template
        key = template.base_template or template
        if key.id in names:
            result[names[key.id]] = type_
    return result


def income_result(company, start, end):
    "The result of company over start..end as the income statement shows it"
    Type = Pool().get('account.account.type')
    result = types_by_template(company).get(RESULT)
    if result is None:
        return None
    with Transaction().set_context(company=company.id, from_date=start,
            to_date=end, posted=True, **{WITHOUT_CLOSING: True}):
        return Type.get_amount([result], 'amount')[result.id]


def statement_rows(company, statement, spans):
    """Rows of the statement ('income' or 'balance') of company, one amount
    per span of (start_date, end_date) or None.

    Each row: type, name indented by depth, depth, amounts and kind ('type',
    'total' for an intermediate result, 'result' for the result); a type is
    shown when it is a root of the statement or has an amount in a span.
    """
    if statement == 'income':
        return income_rows(company, spans)
    return balance_rows(company, spans)


def _amounts(company, types, spans, context_of):
    "Tryton's amounts of types for each span (a dict or None per span)"
    Type = Pool().get('account.account.type')
    amounts = []
    for span in spans:
        if span is None:
            amounts.append(None)
            continue
        with Transaction().set_context(company=company.id, posted=True,
                **context_of(*span)):
            amounts.append(Type.get_amount(types, 'amount'))
    return amounts


def _tree_rows(types, amounts, roots, depth=0, sign=1):
    "Rows of the types under roots (included), amounts multiplied by sign"
    by_parent = {}
    for type_ in types:
        by_parent.setdefault(
            type_.parent.id if type_.parent else None, []).append(type_)
    rows = []

    def walk(type_, depth):
        # + 0: no -0.00 for a charge
        values = [a.get(type_.id, Decimal(0)) * sign + 0 if a is not None
            else None for a in amounts]
        if depth and not any(values):
            return
        rows.append({
                'type': type_,
                'name': INDENT * depth + type_.name,
                'depth': depth,
                'amounts': values,
                'kind': 'type' if depth else 'heading',
                })
        for child in by_parent.get(type_.id, []):
            walk(child, depth + 1)
    for root in roots:
        walk(root, depth)
    return rows


def _total_row(name, values, kind='total'):
    return {
        'type': None,
        'name': name,
        'depth': 0,
        'amounts': values,
        'kind': kind,
        }


def _sum(*columns):
    "Column-wise sum of lists of amounts (None where a span is missing)"
    return [None if any(v is None for v in values) else sum(values)
        for values in zip(*columns)]


def income_rows(company, spans):
    """The income statement: each section's products and charges (positive)
    and the intermediate results, the result, then the contributions
    volontaires en nature of the association chart"""
    Type = Pool().get('account.account.type')
    by_template = types_by_template(company)
    types = Type.search([
            ('company', '=', company.id),
            ('statement', '=', 'income'),
            ], order=[('sequence', 'ASC'), ('id', 'ASC')])
    amounts = _amounts(company, types, spans, lambda start, end: {
            'from_date': start, 'to_date': end, WITHOUT_CLOSING: True})
    empty = [Decimal(0) if a is not None else None for a in amounts]

    def total(key, sign=1):
        type_ = by_template.get(key)
        if type_ is None:
            return empty
        return [a.get(type_.id, Decimal(0)) * sign + 0 if a is not None
            else None for a in amounts]

    rows = []
    running = empty
    products, charges = empty, empty
    for product_key, charge_key, result_msg, always in INCOME_SECTIONS:
        for key, sign in [(product_key, 1), (charge_key, -1)]:
            type_ = by_template.get(key) if key else None
            if type_ is None:
                continue
            values = total(key, sign)
            if not always and not any(values):
                continue
            rows.extend(_tree_rows(types, amounts, [type_], sign=sign))
            if sign > 0:
                products = _sum(products, values)
                running = _sum(running, values)
            else:
                charges = _sum(charges, values)
                running = _sum(running, [-v + 0 if v is not None else None
                        for v in values])
        if result_msg:
            if product_key and charge_key:
                # The section's own result: its products less its charges
                values = _sum(total(product_key), total(charge_key))
            else:
                # The results of the sections so far
                values = running
            rows.append(_total_row(
                    gettext('hub_bookkeeping.%s' % result_msg), values))
    rows.append(_total_row(
            gettext('hub_bookkeeping.msg_total_products'), products))
    rows.append(_total_row(
            gettext('hub_bookkeeping.msg_total_charges'), charges))
    rows.append(_total_row(
            gettext('hub_bookkeeping.msg_result_year'), total(RESULT),
            kind='result'))

    cvn = [(by_template[k], s) for k, s in CVN if k in by_template]
    if cvn and any(any(total(k, s)) for k, s in CVN if k in by_template):
        for type_, sign in cvn:
            rows.extend(_tree_rows(types, amounts, [type_], sign=sign))
    return rows


def balance_rows(company, spans):
    """The balance sheet: the assets then the liabilities, at the end of each
    span, the result of the year being the income statement's from the start
    of the fiscal year to that date"""
    Type = Pool().get('account.account.type')
    by_template = types_by_template(company)
    types = Type.search([
            ('company', '=', company.id),
            ('statement', '=', 'balance'),
            ], order=[('sequence', 'ASC'), ('id', 'ASC')])
    amounts = _amounts(company, types, spans, lambda start, end: {
            'date': end, 'cumulate': True})
    ids = {t.id for t in types}
    roots = [t for t in types if not t.parent or t.parent.id not in ids]
    rows = _tree_rows(types, amounts, roots)

    result_type = by_template.get(BALANCE_RESULT)
    if result_type is None:
        return rows
    results = []
    for span in spans:
        fiscalyear = fiscalyear_at(company, span[1]) if span else None
        if fiscalyear is None:
            results.append(None)
        else:
            results.append(income_result(
                    company, fiscalyear.start_date, span[1]))
    for i, row in enumerate(rows):
        if row['type'] != result_type:
            continue
        total = row['amounts']
        row['amounts'] = [r if t is not None else None
            for r, t in zip(results, total)]
        pending = [t - (r or 0) if t is not None else None
            for t, r in zip(total, results)]
        if any(pending):
            rows.insert(i, dict(row,
                    type=None,
                    name=INDENT * row['depth'] + gettext(
                        'hub_bookkeeping.msg_result_pending'),
                    amounts=pending,
                    kind='type'))
        break
    return rows


def check_statement_input(member, fiscalyear, period=None):
    """The statements are of a fiscal year (and period) of member's books
    that the user works on"""
    Member = Pool().get('hub.member')
    if fiscalyear is None:
        raise BookkeepingError(gettext(
                'hub_bookkeeping.msg_statement_no_fiscalyear',
                member=member.rec_name))
    Member.check_report_access(member, period=period, fiscalyear=fiscalyear)


class StatementStart(MemberReportStartMixin, ModelView):
    "Statements of a member"
    __name__ = 'hub.bookkeeping.statement.start'

    # searched in the member's books, whatever the current company
    fiscalyear = fields.Many2One(
        'account.fiscalyear', "Fiscal Year", required=True,
        domain=[('company', '=', Eval('company', -1))],
        context={'hub_company': Eval('company', -1)}, depends={'company'},
        help="Shown beside the previous fiscal year.")
    period = fields.Many2One(
        'account.period', "Period",
        domain=[
            ('fiscalyear', '=', Eval('fiscalyear', -1)),
            ('type', '=', 'standard'),
            ],
        context={'hub_company': Eval('company', -1)}, depends={'company'},
        help="Leave empty for the whole fiscal year.\n"
        "A period is shown beside the period just before it.")
    format = fields.Selection([
            ('pdf', "PDF"),
            ('ods', "Spreadsheet (ODS)"),
            ], "Format", required=True)

    @classmethod
    def default_format(cls):
        return 'pdf'

    @fields.depends('member', 'fiscalyear', 'period')
    def on_change_member(self):
        FiscalYear = Pool().get('account.fiscalyear')
        if self.member and (not self.fiscalyear
                or self.fiscalyear.company != self.member.company):
            # The fiscal year of today, if the member has one
            with Transaction().set_context(
                    hub_company=self.member.company.id):
                years = FiscalYear.search([
                        ('company', '=', self.member.company.id),
                        ('start_date', '<=', Pool().get('ir.date').today()),
                        ], order=[('start_date', 'DESC')], limit=1)
            self.fiscalyear = years[0] if years else None
            self.period = None


class StatementPrint(Wizard):
    "Statements of a member"
    __name__ = 'hub.bookkeeping.statement.print'

    start = StateView('hub.bookkeeping.statement.start',
        'hub_bookkeeping.statement_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Print", 'print_', 'tryton-print', default=True),
            ])
    print_ = StateReport('hub.bookkeeping.statement')

    def do_print_(self, action):
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        ActionReport = pool.get('ir.action.report')
        check_statement_input(self.start.member,
            self.start.fiscalyear, self.start.period)
        data = {
            'id': self.start.member.id,
            'ids': [self.start.member.id],
            'fiscalyear': self.start.fiscalyear.id,
            'period': self.start.period.id if self.start.period else None,
            }
        # Two actions print this report, the PDF and the spreadsheet: the
        # clients take the one returned (its id becomes data's action_id)
        report = ActionReport(ModelData.get_id('hub_bookkeeping',
                'report_statement_ods' if self.start.format == 'ods'
                else 'report_statement'))
        action = report.action.get_action_value()
        data['action_id'] = report.id
        return action, data


class Statement(MemberReport):
    "Income statement and balance sheet of a member beside the previous period"
    __name__ = 'hub.bookkeeping.statement'

    @classmethod
    def get_context(cls, records, header, data):
        pool = Pool()
        Member = pool.get('hub.member')
        FiscalYear = pool.get('account.fiscalyear')
        Period = pool.get('account.period')
        Lang = pool.get('ir.lang')
        context = super().get_context(records, header, data)
        # data comes from the client: the member, its fiscal year and
        # period are checked
        member = Member(data['id'])
        fiscalyear = (FiscalYear(data['fiscalyear'])
            if data.get('fiscalyear') else None)
        period = Period(data['period']) if data.get('period') else None
        check_statement_input(member, fiscalyear, period)
        if period:
            current = period
            previous = Member.previous_period(current)
        else:
            current = fiscalyear
            previous = previous_fiscalyear(current)
        spans = [(current.start_date, current.end_date),
            (previous.start_date, previous.end_date) if previous else None]
        context['member'] = member
        context['current'] = current
        context['previous'] = previous
        context['currency'] = member.company.currency
        context['income'] = statement_rows(member.company, 'income', spans)
        context['balance'] = statement_rows(member.company, 'balance', spans)
        # French figures whatever the user's language: 1 234,56
        context['fr'] = Lang.get('fr')
        context['amount'] = lambda value: (
            Lang.get('fr').format('%.2f', value, grouping=True)
            if value is not None else '')
        return context

# This file is part of Pôle.
"""VAT of the VAT-liable members.

Sales and purchases carry Tryton's tax lines with the company's taxes
(created at onboarding from account_fr's templates), so that account_fr's
tax codes give the boxes of the monthly return (CA3).  The settlement of a
period moves the VAT collected (44571) and deductible (44566) of the period
to the VAT to pay (44551) or to the credit to carry forward (44567), one
posted move per member and period, made by the bookkeeping batch.  Stock
Tryton 8.0 has no such settlement (account_tax_cash and
account_tax_non_deductible do other jobs).
"""
from decimal import Decimal

from sql.aggregate import Sum
from sql.conditionals import Coalesce
from sql.operators import Like

from trytond.i18n import gettext
from trytond.model import ModelView, fields
from trytond.modules.hub.format import format_amount, format_date
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import Transaction
from trytond.wizard import Button, StateReport, StateView, Wizard

from .bookkeeping import (
    MemberPeriodPrintMixin, MemberReport, MemberReportStartMixin)
from .exceptions import BookkeepingError

# Stored in French whatever the user's language: the books, their FEC and
# the tax office are French.
SETTLEMENT_DESCRIPTION = "Liquidation de TVA %s"
COLLECTED, DEDUCTIBLE = '44571', '44566'
TO_PAY, CREDIT = '44551', '44567'

# The CA3 (3310-CA3-SD) boxes from account_fr's tax codes, by the XML id
# of their templates.  Taxable operations: (box, base code, tax code).
CA3_TAXABLE = [
    ('08', 'tax_code_0207b', 'tax_code_0207'),
    ('09', 'tax_code_0105b', 'tax_code_0105'),
    ('9B', 'tax_code_0151b', 'tax_code_0151'),
    ('10', 'tax_code_0201b', 'tax_code_0201'),
    ('11', 'tax_code_0100b', 'tax_code_0100'),
    ('13', 'tax_code_0900b', 'tax_code_0900'),
    ('14', 'tax_code_0950b', 'tax_code_0950'),
    ]
# Former rates (19,6 %, 7 %) still counted in line 13 when regularised
CA3_FORMER = ['tax_code_0206', 'tax_code_0150']
CA3_REPAY = 'tax_code_0600'  # line 15: VAT deducted before, to repay
# Deductible VAT: (box, tax code)
CA3_DEDUCTIBLE = [
    ('19', 'tax_code_0703'),  # on fixed assets
    ('20', 'tax_code_0702'),  # on other goods and services
    ('21', 'tax_code_0059'),  # other (credit notes to customers)
    ('22', 'tax_code_0058'),  # credit carried from the last return
    ]


def company_tax(company, xml_id):
    "The tax of company made from account_fr's template xml_id"
    pool = Pool()
    Tax = pool.get('account.tax')
    ModelData = pool.get('ir.model.data')
    taxes = Tax.search([
            ('company', '=', company.id),
            ('template', '=', ModelData.get_id('account_fr', xml_id)),
            ], limit=1)
    if not taxes:
        raise BookkeepingError(gettext(
                'hub_bookkeeping.msg_vat_no_tax',
                company=company.rec_name, tax=xml_id))
    return taxes[0]


def taxed_lines(tax, account, base, sale=True):
    """The move lines of an amount base (excluding VAT) on account and of
    its VAT on the tax's account, each with its tax line as an invoice
    posts them (amounts positive for a sale or a purchase, negative for
    their credit notes); returns (lines, VAT)"""
    pool = Pool()
    Line = pool.get('account.move.line')
    TaxLine = pool.get('account.tax.line')
    vat = tax.company.currency.round(base * tax.rate)
    side, other = ('credit', 'debit') if sale else ('debit', 'credit')
    lines = []
    for line_account, amount, type_ in [
            (account, base, 'base'), (tax.invoice_account, vat, 'tax')]:
        line = Line(account=line_account, **{side: amount, other: 0})
        line.tax_lines = [TaxLine(type=type_, tax=tax, amount=amount)]
        lines.append(line)
    return lines, vat


class Member(metaclass=PoolMeta):
    __name__ = 'hub.member'

    @classmethod
    def settle_vats(cls, date=None, members=None):
        """Settle the VAT of each VAT-liable member's standard period
        containing date"""
        date = date or Pool().get('ir.date').today()
        return cls._batch('settle_vat', members, cls._settle_vat, date)

    @classmethod
    def _settle_vat(cls, member, date):
        pool = Pool()
        Date = pool.get('ir.date')
        Move = pool.get('account.move')
        Journal = pool.get('account.journal')
        Account = pool.get('account.account')
        Line = pool.get('account.move.line')

        if not member.vat_liable:
            return 'not_applicable', gettext(
                'hub_bookkeeping.msg_vat_not_liable')
        company = member.company
        period = cls._period_at(member, date)
        if Move.search([
                    ('company', '=', company.id),
                    ('origin', '=', str(period)),
                    ('state', '=', 'posted'),
                    ], limit=1):
            return 'skipped', period.name
        with Transaction().set_context(company=company.id):
            today = Date.today()
        if period.end_date >= today:
            raise BookkeepingError(gettext(
                    'hub_bookkeeping.msg_vat_period_not_ended',
                    member=member.rec_name, period=period.name,
                    date=format_date(period.end_date)))
        if period.state != 'open':
            raise BookkeepingError(gettext(
                    'hub_bookkeeping.msg_vat_period_closed',
                    member=member.rec_name, period=period.name))
        drafts = Move.search([
                ('company', '=', company.id),
                ('period', '=', period.id),
                ('state', '=', 'draft'),
                ], order=[('date', 'ASC'), ('id', 'ASC')])
        if drafts:
            # A draft move has no number yet: named by its date, description
            # and amount
            raise BookkeepingError(gettext(
                    'hub_bookkeeping.msg_vat_draft_moves',
                    member=member.rec_name, period=period.name,
                    moves='; '.join(', '.join(filter(None, [
                                    m.number, format_date(m.date),
                                    m.description,
                                    format_amount(sum(l.debit
                                            for l in m.lines))]))
                        for m in drafts)))

        collected = cls._vat_balance(period, COLLECTED)
        deductible = cls._vat_balance(period, DEDUCTIBLE)
        # collected is a credit balance (negative), deductible a debit one
        net = -collected - deductible
        if not collected and not deductible:
            return 'not_applicable', gettext(
                'hub_bookkeeping.msg_vat_nothing', period=period.name)

        journal, = Journal.search([('type', '=', 'general')], limit=1)
        lines = []
        # 44571 and 44566 are cleared, the net is credited to 44551 (due)
        # or debited to 44567 (credit): each line is the opposite of a
        # balance, the net one of -(collected + deductible)
        for code, balance in [(COLLECTED, collected), (DEDUCTIBLE, deductible),
                (TO_PAY if net > 0 else CREDIT, net)]:
            if balance:
                zero = company.currency.round(Decimal(0))
                lines.append(Line(
                        account=Account.open_account(company, code),
                        debit=-balance if balance < 0 else zero,
                        credit=balance if balance > 0 else zero))
        move = Move(company=company, journal=journal, period=period,
            date=period.end_date, origin=period, lines=lines,
            description=SETTLEMENT_DESCRIPTION
            % period.start_date.strftime('%m/%Y'))
        move.save()
        Move.post([move])
        return 'done', '%s: %s' % (period.name, move.number)

    @classmethod
    def _vat_balance(cls, period, code):
        """The balance (debit - credit) in period of the posted lines on
        the accounts code and under it"""
        pool = Pool()
        Move = pool.get('account.move')
        Line = pool.get('account.move.line')
        Account = pool.get('account.account')
        line, move = Line.__table__(), Move.__table__()
        account = Account.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*line
            .join(move, condition=line.move == move.id)
            .join(account, condition=line.account == account.id)
            .select(
                Sum(Coalesce(line.debit, 0) - Coalesce(line.credit, 0)),
                where=(move.company == period.company.id)
                & (move.period == period.id)
                & (move.state == 'posted')
                & ((account.code == code) | Like(account.code, code + '_%'))))
        value, = cursor.fetchone()
        return period.company.currency.round(Decimal(str(value or 0)))

    @classmethod
    def ca3_boxes(cls, period):
        """The CA3 boxes of period from account_fr's tax codes: a dict of
        box: (base, tax) for the taxable operations and box: amount for the
        totals (16, 19 to 23, 25 and 28)"""
        pool = Pool()
        TaxCode = pool.get('account.tax.code')
        ModelData = pool.get('ir.model.data')
        ids = [x for _, b, t in CA3_TAXABLE for x in (b, t)]
        ids += CA3_FORMER + [CA3_REPAY] + [c for _, c in CA3_DEDUCTIBLE]
        templates = {ModelData.get_id('account_fr', x): x for x in ids}
        with Transaction().set_context(periods=[period.id]):
            codes = TaxCode.search([
                    ('company', '=', period.company.id),
                    ('template', 'in', list(templates)),
                    ])
            amounts = dict.fromkeys(ids, Decimal(0))
            for code in codes:
                amounts[templates[code.template.id]] = code.amount
        boxes = {}
        for box, base, tax in CA3_TAXABLE:
            boxes[box] = (amounts[base], amounts[tax])
        former = sum(amounts[x] for x in CA3_FORMER)
        boxes['13'] = (boxes['13'][0], boxes['13'][1] + former)
        boxes['15'] = amounts[CA3_REPAY]
        boxes['16'] = sum(t for _, t in (
                boxes[b] for b, _, _ in CA3_TAXABLE)) + boxes['15']
        for box, code in CA3_DEDUCTIBLE:
            boxes[box] = amounts[code]
        boxes['23'] = sum(boxes[b] for b, _ in CA3_DEDUCTIBLE)
        boxes['25'] = max(boxes['23'] - boxes['16'], Decimal(0))
        boxes['28'] = max(boxes['16'] - boxes['23'], Decimal(0))
        return boxes


class Move(metaclass=PoolMeta):
    __name__ = 'account.move'

    @classmethod
    def _get_origin(cls):
        # The VAT settlement of a period has the period as origin
        return super()._get_origin() + ['account.period']


class CA3Start(MemberReportStartMixin, ModelView):
    "CA3 VAT summary of a member"
    __name__ = 'hub.bookkeeping.ca3.start'

    period = fields.Many2One(
        'account.period', "Period", required=True,
        domain=[
            ('company', '=', Eval('company', -1)),
            ('type', '=', 'standard'),
            ],
        # searched in the member's books, whatever the current company
        context={'hub_company': Eval('company', -1)}, depends={'company'})


class CA3Print(MemberPeriodPrintMixin, Wizard):
    "CA3 VAT summary of a member"
    __name__ = 'hub.bookkeeping.ca3.print'

    start = StateView('hub.bookkeeping.ca3.start',
        'hub_bookkeeping.ca3_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Print", 'print_', 'tryton-print', default=True),
            ])
    print_ = StateReport('hub.bookkeeping.ca3')


# Rows of the report: (box, message of its label or None for the tax
# code's name, kind): 'taxable' rows show base and tax, the others a tax
CA3_ROWS = [
    ('08', None, 'taxable'), ('09', None, 'taxable'), ('9B', None, 'taxable'),
    ('10', None, 'taxable'), ('11', None, 'taxable'), ('13', None, 'taxable'),
    ('14', None, 'taxable'),
    ('15', 'msg_ca3_15', 'tax'), ('16', 'msg_ca3_16', 'total'),
    ('19', 'msg_ca3_19', 'tax'), ('20', 'msg_ca3_20', 'tax'),
    ('21', 'msg_ca3_21', 'tax'), ('22', 'msg_ca3_22', 'tax'),
    ('23', 'msg_ca3_23', 'total'),
    ('25', 'msg_ca3_25', 'total'), ('28', 'msg_ca3_28', 'total'),
    ]


class CA3(MemberReport):
    "CA3 VAT summary of a member for a period"
    __name__ = 'hub.bookkeeping.ca3'

    @classmethod
    def get_context(cls, records, header, data):
        pool = Pool()
        Member = pool.get('hub.member')
        Period = pool.get('account.period')
        TaxCode = pool.get('account.tax.code')
        ModelData = pool.get('ir.model.data')
        context = super().get_context(records, header, data)
        # data comes from the client: the member and its period are checked
        member = Member(data['id'])
        period = Period(data['period'])
        Member.check_report_access(member, period=period)
        boxes = Member.ca3_boxes(period)
        names = {}
        for box, base, _ in CA3_TAXABLE:
            codes = TaxCode.search([
                    ('company', '=', period.company.id),
                    ('template', '=', ModelData.get_id('account_fr', base)),
                    ], limit=1)
            names[box] = (codes[0].name.replace(' (base)', '')
                if codes else box)
        rows = []
        for box, message, kind in CA3_ROWS:
            value = boxes[box]
            base, tax = value if kind == 'taxable' else (None, value)
            if kind == 'taxable' and not base and not tax:
                continue  # the rates not used: as the form, left blank
            rows.append({
                    'box': box,
                    'name': (names[box] if message is None
                        else gettext('hub_bookkeeping.%s' % message)),
                    'base': base,
                    'tax': tax,
                    'total': kind == 'total',
                    })
        context['member'] = member
        context['period'] = period
        context['rows'] = rows
        context['currency'] = period.company.currency
        return context

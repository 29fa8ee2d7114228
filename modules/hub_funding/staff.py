# This file is part of Pôle.
"""Staff time on the actions: the cost of a contract's payroll lines
(salaries 641x, bonuses, employer contributions 645x) split over the
actions by a share of the contract, or by its hours on each action in a
month, when the month's payroll is posted.

A contract's shares without a month apply to every month that has none of
its own; a month's shares (a month whose time differed) replace them for
that month.  What the shares leave (under 100 %) stays on the payroll
line's own action.  The split reaches the actions' analytic lines through
the payroll journal's own analytic split (insertion_payroll's totals per
action).
"""
from collections import defaultdict
from decimal import Decimal

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, fields
from trytond.modules.hub.format import format_month, format_number
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Bool, Eval
from trytond.transaction import Transaction

from .exceptions import StaffShareError
from .heading import CENT

HUNDRED = Decimal(100)


class StaffShare(ModelSQL, ModelView):
    "Staff time on an action"
    __name__ = 'hub.funding.staff_share'

    company = fields.Many2One('company.company', "Company", required=True)
    contract = fields.Many2One('insertion.contract', "Contract",
        required=True, ondelete='CASCADE',
        domain=[('company', '=', Eval('company', -1))])
    month = fields.Date("Month",
        help="The first day of the month whose time this share gives; "
        "empty: every month of the contract without shares of its own.")
    action = fields.Many2One('analytic_account.account', "Action",
        required=True,
        domain=[
            ('company', '=', Eval('company', -1)),
            ('type', '=', 'normal'),
            ])
    share = fields.Numeric("Share (%)", digits=(5, 2),
        domain=['OR', ('share', '=', None), ('share', '>', 0)],
        states={
            'required': ~Eval('hours'),
            'invisible': Bool(Eval('hours')),
            },
        help="The part of the contract's cost charged to the action.")
    hours = fields.Numeric("Hours", digits=(16, 2),
        domain=['OR', ('hours', '=', None), ('hours', '>', 0)],
        states={
            'required': ~Eval('share') & Bool(Eval('month')),
            'invisible': Bool(Eval('share')) | ~Eval('month'),
            },
        help="The hours worked on the action in the month: its share is "
        "these hours over the hours worked of the month's payroll line.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('contract', 'ASC'), ('month', 'DESC NULLS FIRST'),
            ('id', 'ASC')]

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    def get_rec_name(self, name):
        return '%s %s %s' % (self.contract.employee.rec_name,
            format_month(self.month) if self.month else '*',
            self.action.rec_name)

    @classmethod
    def _validate(cls, shares, field_names=None):
        # Before the domains' checks: the refusal named, not a domain's
        for share in shares:
            if share.action.company != share.company:
                raise StaffShareError(gettext(
                        'hub_funding.msg_share_other_member',
                        employee=share.contract.employee.rec_name,
                        action=share.action.rec_name,
                        member=share.company.rec_name))
        super()._validate(shares, field_names)

    @classmethod
    def validate_fields(cls, shares, field_names):
        super().validate_fields(shares, field_names)
        cls.check_shares({(s.contract, s.month) for s in shares})

    @classmethod
    def check_modification(cls, mode, shares, values=None, external=False):
        super().check_modification(
            mode, shares, values=values, external=external)
        # The time of a posted month is in the books: changed by a
        # correction of the payroll, not here
        months = {(s.contract, s.month) for s in shares if s.month}
        if values and 'month' in values and values['month']:
            months |= {(s.contract, values['month']) for s in shares}
        cls.check_not_posted(months)

    @classmethod
    def check_not_posted(cls, months):
        Line = Pool().get('insertion.payroll.line')
        for contract, month in months:
            if Line.search([
                        ('contract', '=', contract.id),
                        ('month', '=', month),
                        ('state', '=', 'posted'),
                        ], limit=1):
                raise StaffShareError(gettext(
                        'hub_funding.msg_share_posted',
                        employee=contract.employee.rec_name,
                        month=format_month(month)))

    @classmethod
    def check_shares(cls, keys):
        "The shares of a contract's month add up to 100 % at most"
        Line = Pool().get('insertion.payroll.line')
        for contract, month in keys:
            shares = cls.search([
                    ('contract', '=', contract.id),
                    ('month', '=', month),
                    ])
            lines = Line.search([
                    ('contract', '=', contract.id),
                    ('month', '=', month),
                    ('correction', '=', False),
                    ]) if month else []
            hours = lines[0].hours_worked if lines else None
            cls.total(contract, month, shares, hours)

    @classmethod
    def total(cls, contract, month, shares, hours_worked):
        """The percentages of the shares [(action, %)], hours over
        hours_worked (unknown yet: none), refused over 100 %"""
        percents = []
        for share in shares:
            if share.share is not None:
                percents.append((share.action, share.share))
            elif hours_worked:
                percents.append(
                    (share.action, share.hours * HUNDRED / hours_worked))
        total = sum((p for _, p in percents), Decimal(0))
        if total > HUNDRED:
            raise StaffShareError(gettext('hub_funding.msg_share_over',
                    employee=contract.employee.rec_name,
                    month=format_month(month) if month else gettext(
                        'hub_funding.msg_every_month'),
                    total=format_number(total.quantize(CENT)),
                    actions=', '.join(
                        '%s %s %%' % (a.rec_name,
                            format_number(p.quantize(CENT)))
                        for a, p in percents)))
        return percents

    @classmethod
    def moves(cls, lines):
        """What the shares move off the payroll lines: [(line action id,
        share action id, salary, bonus, employer)], each amount to the cent
        (what a share leaves stays on the line's action)"""
        by_contract = defaultdict(list)
        contract_ids = list({l.contract.id for l in lines})
        for share in cls.search([('contract', 'in', contract_ids)]):
            by_contract[share.contract.id].append(share)
        moved = []
        for line in lines:
            shares = by_contract.get(line.contract.id, [])
            own = [s for s in shares if s.month == line.month]
            shares = own or [s for s in shares if s.month is None]
            if not shares:
                continue
            percents = cls.total(line.contract, line.month if own else None,
                shares, line.hours_worked)
            salary = line.gross - line.bonuses
            for action, percent in percents:
                if action == line.action:
                    continue
                moved.append((line.action.id if line.action else None,
                        action.id,
                        *((a * percent / HUNDRED).quantize(CENT)
                            for a in [salary, line.bonuses,
                                line.employer_contributions])))
        return moved


class PayrollLine(metaclass=PoolMeta):
    __name__ = 'insertion.payroll.line'

    @classmethod
    def totals(cls, company, month):
        "The totals per action, the staff shares' part moved to their action"
        StaffShare = Pool().get('hub.funding.staff_share')
        rows = super().totals(company, month)
        lines = cls.search([
                ('company', '=', company.id),
                ('month', '=', month),
                ('state', '=', 'validated'),
                ])
        moves = StaffShare.moves(lines)
        if not moves:
            return rows
        zero = Decimal(0)
        table = {row[0]: list(row[1:]) for row in rows}
        for source, target, *amounts in moves:
            dest = table.setdefault(target, [zero] * 7)
            for i, amount in enumerate(amounts):
                table[source][i] -= amount
                dest[i] += amount
        return [(action, *values) for action, values in table.items()]

# This file is part of Pôle.
"""The year-end of the members: closing, then allocation of the result.

Closing a year (one batch run over the members, each in its own
transaction): the result of classes 6 and 7 is moved to 120 (excédent) or
129 (déficit) by Tryton's own "Balance Non-Deferral" wizard in an
adjustment period at the year's end, on the situation journal; the year is
closed (Tryton's deferrals: the next year's opening balances) and locked.

After the general assembly, the result of the closed year (its deferral on
120/129: the next year's opening balance) is allocated to 110/119 (report à
nouveau) and 1068 (réserves) by a move in the next year's first period
whose origin is the closing move.  The reports and uses of dedicated
funds of the year (689x/789x) are charges and products of the year, in its
result; the general assembly may also dedicate a part of an excédent to a
dedicated fund (19x), posted with the allocation.
"""
from decimal import Decimal

from trytond.i18n import gettext
from trytond.model import ModelView, fields
from trytond.modules.account.exceptions import FiscalYearCloseError
from trytond.modules.hub.format import format_amount, format_date
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import Transaction
from trytond.wizard import Button, StateTransition, StateView, Wizard

from .bookkeeping import MemberReportStartMixin
from .exceptions import BookkeepingError

# The journal and names the batch writes, in French for French users
# whatever the language of who runs it.
JOURNAL_CODE = 'CLO'
JOURNAL_NAME = "Clôture et affectation"
CLOSING_NAME = "Clôture %s"
ALLOCATION_DESCRIPTION = "Affectation du résultat %s"
# The accounts: (surplus, deficit)
RESULT_ACCOUNTS = ('120', '129')
RETAINED_ACCOUNTS = ('110', '119')
# 1068 where it is open (the association chart's "réserves pour projet de
# l'entité"), else account_fr's 10688 "réserves diverses" (its 1068 is closed)
RESERVES_ACCOUNTS = ('1068', '10688')
# The dedicated funds (fonds dédiés, ANC 2018-06): account_fr_association's
# 19x, a part of an excédent the general assembly dedicates to a project
FUND_PREFIX = '19'
# The tables closing a year or posting its allocation locks (Tryton's
# fiscal year and period close, the next year's creation, posting): locked
# from the start of each member's transaction rather than restarting it on
# the first lock asked
CLOSING_LOCK_TABLES = [
    'account_fiscalyear', 'account_period', 'account_journal_period',
    'account_move', 'account_configuration', 'ir_sequence',
    'ir_sequence_strict']
# The records Tryton reads together while closing (its default: 2000)
CLOSING_READ_SIZE = 200


class Member(metaclass=PoolMeta):
    __name__ = 'hub.member'

    # Closing --------------------------------------------------------------

    @classmethod
    def close_years(cls, date=None, members=None):
        """Close and lock for each member the fiscal year containing date,
        its result moved to 120/129"""
        date = date or Pool().get('ir.date').today()
        return cls._batch('close_year', members, cls._close_year, date,
            lock_tables=CLOSING_LOCK_TABLES)

    @classmethod
    def _close_year(cls, member, date):
        FiscalYear = Pool().get('account.fiscalyear')
        fiscalyear = cls._fiscalyear_at(member, date)
        if fiscalyear.state == 'locked':
            return 'skipped', fiscalyear.name
        # Everything is checked before anything is written
        cls._check_earlier_locked(member, fiscalyear)
        cls._check_no_draft_move(member, fiscalyear)
        cls._ensure_next_fiscalyear(member, fiscalyear)
        if fiscalyear.state == 'open':
            # Tryton's close browses the ~600 accounts of the chart at once
            # and checks each new related record against the whole list
            # (quadratic): smaller read batches close a year 40 % faster
            with Transaction().set_context(
                    _record_cache_size=CLOSING_READ_SIZE):
                if not cls.closing_move(fiscalyear):
                    cls._balance_result(member, fiscalyear)
                cls.close_fiscalyear(member, fiscalyear)
        FiscalYear.lock_([fiscalyear])
        return 'done', gettext('hub_bookkeeping.msg_year_closed',
            fiscalyear=fiscalyear.name,
            result=format_amount(cls.year_result(FiscalYear(fiscalyear.id))))

    @classmethod
    def close_fiscalyear(cls, member, fiscalyear):
        "Tryton's close of the member's fiscal year, its refusal named"
        FiscalYear = Pool().get('account.fiscalyear')
        try:
            FiscalYear.close([fiscalyear])
        except FiscalYearCloseError as error:
            # An account Tryton refuses to close (a class 6/7 balance
            # left by a move posted after the closing one): Tryton
            # names the first account summing it (62 for 626), the
            # batch the accounts carrying it, with the member
            balances = cls.unbalanced_accounts(fiscalyear)
            if not balances:
                raise BookkeepingError(gettext(
                        'hub_bookkeeping.msg_year_end_not_closed',
                        member=member.rec_name,
                        fiscalyear=fiscalyear.name,
                        error=error.message)) from error
            raise BookkeepingError(gettext(
                    'hub_bookkeeping.msg_year_end_account_balance',
                    member=member.rec_name, fiscalyear=fiscalyear.name,
                    accounts='; '.join(
                        cls._account_balance_text(fiscalyear, a, b)
                        for a, b in balances))) from error

    @classmethod
    def unbalanced_accounts(cls, fiscalyear):
        """The accounts whose own lines leave a balance in fiscalyear under
        the accounts Tryton's close refuses (typed, without deferral, a
        balance summed over their children): [(account, balance)] by code"""
        pool = Pool()
        Account = pool.get('account.account')
        company = fiscalyear.company
        # The context of Tryton's close (account.fiscalyear close)
        context = dict(
            fiscalyear=fiscalyear.id, date=None, cumulate=True, journal=None,
            company=company.id)
        with Transaction().set_context(context):
            refused = [a for a in Account.search([
                        ('company', '=', company.id),
                        ('type', '!=', None),
                        ('deferral', '=', False),
                        ])
                if not company.currency.is_zero(a.balance)]
        if not refused:
            return []
        # flat_balance: each account's own lines, not its children's
        with Transaction().set_context(context, flat_balance=True):
            accounts = Account.search([
                    ('company', '=', company.id),
                    ('parent', 'child_of', [a.id for a in refused]),
                    ], order=[('code', 'ASC'), ('id', 'ASC')])
            return [(a, a.balance) for a in accounts
                if not company.currency.is_zero(a.balance)]

    @classmethod
    def _account_balance_text(cls, fiscalyear, account, balance):
        """The account, its balance and the move posted last on it in
        fiscalyear (most often the one posted after the closing move)"""
        Line = Pool().get('account.move.line')
        lines = Line.search([
                ('account', '=', account.id),
                ('move.period.fiscalyear', '=', fiscalyear.id),
                ('move.state', '=', 'posted'),
                ], order=[('move.post_date', 'DESC'), ('id', 'DESC')],
            limit=1)
        last = lines[0].move if lines else None
        return gettext('hub_bookkeeping.msg_year_end_account_'
            + ('debit' if balance > 0 else 'credit'),
            account=account.rec_name, amount=format_amount(abs(balance)),
            date=format_date(last.date) if last else '',
            description=(last.description or '') if last else '')

    @classmethod
    def _check_earlier_locked(cls, member, fiscalyear):
        "Years are locked in their order: the earlier ones first"
        FiscalYear = Pool().get('account.fiscalyear')
        earlier = FiscalYear.search([
                ('company', '=', member.company.id),
                ('end_date', '<', fiscalyear.start_date),
                ('state', '!=', 'locked'),
                ], order=[('start_date', 'ASC')], limit=1)
        if earlier:
            raise BookkeepingError(gettext(
                    'hub_bookkeeping.msg_year_end_earlier_open',
                    member=member.rec_name, fiscalyear=fiscalyear.name,
                    earlier=earlier[0].name))

    @classmethod
    def _check_no_draft_move(cls, member, fiscalyear):
        Move = Pool().get('account.move')
        drafts = Move.search([
                ('company', '=', member.company.id),
                ('period.fiscalyear', '=', fiscalyear.id),
                ('state', '=', 'draft'),
                ], order=[('date', 'ASC'), ('id', 'ASC')], limit=1)
        if drafts:
            move, = drafts
            amount = sum((l.debit for l in move.lines), Decimal(0))
            raise BookkeepingError(gettext(
                    'hub_bookkeeping.msg_year_end_draft_move',
                    member=member.rec_name, fiscalyear=fiscalyear.name,
                    journal=move.journal.rec_name, date=format_date(move.date),
                    amount=format_amount(amount),
                    description=move.description or ''))

    @classmethod
    def _ensure_next_fiscalyear(cls, member, fiscalyear):
        """The next year receives the opening balances: it must have its
        standard periods, opened if missing as the batch opens it"""
        Period = Pool().get('account.period')
        cls._open_next_fiscalyear(member, fiscalyear.end_date)
        if not Period.search([
                    ('company', '=', member.company.id),
                    ('type', '=', 'standard'),
                    ('start_date', '>', fiscalyear.end_date),
                    ], limit=1):
            raise BookkeepingError(gettext(
                    'hub_bookkeeping.msg_year_end_no_next_period',
                    member=member.rec_name, fiscalyear=fiscalyear.name))

    @classmethod
    def closing_move(cls, fiscalyear):
        """The posted move balancing the year's classes 6 and 7: Tryton's
        balance non-deferral gives it the fiscal year as origin"""
        Move = Pool().get('account.move')
        moves = Move.search([
                ('origin', '=', str(fiscalyear)),
                ('state', '=', 'posted'),
                ], limit=1)
        return moves[0] if moves else None

    @classmethod
    def closing_journal(cls):
        "The situation journal of the closing, created if missing"
        Journal = Pool().get('account.journal')
        journals = Journal.search([
                ('code', '=', JOURNAL_CODE),
                ('type', '=', 'situation'),
                ], limit=1)
        if journals:
            return journals[0]
        journal = Journal(
            name=JOURNAL_NAME, code=JOURNAL_CODE, type='situation')
        journal.save()
        return journal

    @classmethod
    def closing_period(cls, fiscalyear):
        "The adjustment period at the year's end, created if missing"
        Period = Pool().get('account.period')
        periods = Period.search([
                ('fiscalyear', '=', fiscalyear.id),
                ('type', '=', 'adjustment'),
                ('start_date', '=', fiscalyear.end_date),
                ('end_date', '=', fiscalyear.end_date),
                ], limit=1)
        if periods:
            return periods[0]
        period = Period(
            name=CLOSING_NAME % fiscalyear.name, fiscalyear=fiscalyear,
            type='adjustment', start_date=fiscalyear.end_date,
            end_date=fiscalyear.end_date)
        period.save()
        return period

    @classmethod
    def _balance_result(cls, member, fiscalyear):
        "Run Tryton's balance non-deferral as the accountant would, post"
        pool = Pool()
        Account = pool.get('account.account')
        Move = pool.get('account.move')
        Balance = pool.get(
            'account.fiscalyear.balance_non_deferral', type='wizard')
        surplus, deficit = (
            Account.open_account(member.company, c) for c in RESULT_ACCOUNTS)
        session_id, _, _ = Balance.create()
        try:
            balance = Balance(session_id)
            balance.start.fiscalyear = fiscalyear
            balance.start.journal = cls.closing_journal()
            balance.start.period = cls.closing_period(fiscalyear)
            balance.start.credit_account = surplus
            balance.start.debit_account = deficit
            move = balance.create_move()
        finally:
            Balance.delete(session_id)
        if move:
            move.description = CLOSING_NAME % fiscalyear.name
            move.save()
            Move.post([move])
        return move

    @classmethod
    def year_result(cls, fiscalyear):
        """The result of the year, signed (> 0 excédent): what its posted
        moves put on 120/129 (its closing move, Tryton's balance
        non-deferral, and any result booked there by hand), not the
        allocation of an earlier year's result (a move whose origin is that
        year's closing move), which the deferral of 120/129 also carries
        while the general assembly has not allocated it."""
        pool = Pool()
        Account = pool.get('account.account')
        Line = pool.get('account.move.line')
        accounts = Account.search([
                ('company', '=', fiscalyear.company.id),
                ['OR'] + [('code', 'like', c + '%') for c in RESULT_ACCOUNTS],
                ('type', '!=', None),
                ])
        lines = Line.search([
                ('account', 'in', [a.id for a in accounts]),
                ('move.period.fiscalyear', '=', fiscalyear.id),
                ('move.state', '=', 'posted'),
                ['OR',
                    ('move.origin', '=', None),
                    ('move.origin', 'not like', 'account.move,%'),
                    ],
                ])
        return sum((l.credit - l.debit for l in lines), Decimal(0))

    # Allocation -----------------------------------------------------------

    @classmethod
    def allocation_move(cls, fiscalyear):
        "The move allocating the result of fiscalyear: its origin the closing"
        Move = Pool().get('account.move')
        closing = cls.closing_move(fiscalyear)
        if not closing:
            return None
        moves = Move.search([('origin', '=', str(closing))], limit=1)
        return moves[0] if moves else None

    @classmethod
    def allocate_results(cls, date=None, members=None):
        """Allocate for each member the result of its closed fiscal year
        containing date wholly to report à nouveau (110/119); the form
        splits it otherwise"""
        date = date or Pool().get('ir.date').today()
        return cls._batch('allocate', members, cls._allocate_whole, date,
            lock_tables=CLOSING_LOCK_TABLES)

    @classmethod
    def _allocate_whole(cls, member, date):
        fiscalyear = cls._fiscalyear_at(member, date)
        if move := cls.allocation_move(fiscalyear):
            return 'skipped', move.description
        result = cls.year_result(fiscalyear)
        if fiscalyear.state != 'open' and not result:
            return 'skipped', gettext(
                'hub_bookkeeping.msg_allocate_nothing',
                fiscalyear=fiscalyear.name)
        move = cls.allocate_result(member, fiscalyear, abs(result), 0)
        return 'done', '%s: %s' % (move.description, format_amount(result))

    @classmethod
    def allocate_result(cls, member, fiscalyear, retained, reserves,
            dedicated=0, fund_account=None):
        """Post the allocation of the result of the closed fiscalyear:
        retained (to 110 or 119), reserves (1068) and dedicated (to the
        dedicated fund account 19x, of an excédent only), amounts >= 0
        adding up to the result (its absolute value)"""
        pool = Pool()
        Account = pool.get('account.account')
        FiscalYear = pool.get('account.fiscalyear')
        Move = pool.get('account.move')
        Line = pool.get('account.move.line')
        Period = pool.get('account.period')
        company = member.company
        if fiscalyear.state == 'open':
            raise BookkeepingError(gettext(
                    'hub_bookkeeping.msg_allocate_not_closed',
                    member=member.rec_name, fiscalyear=fiscalyear.name))
        if move := cls.allocation_move(fiscalyear):
            raise BookkeepingError(gettext(
                    'hub_bookkeeping.msg_allocate_twice',
                    member=member.rec_name, fiscalyear=fiscalyear.name,
                    date=format_date(move.date),
                    description=move.description or ''))
        result = cls.year_result(fiscalyear)
        retained, reserves, dedicated = (Decimal(a or 0)
            for a in [retained, reserves, dedicated])
        total = retained + reserves + dedicated
        if (min(retained, reserves, dedicated) < 0
                or total != abs(result) or not result):
            raise BookkeepingError(gettext(
                    'hub_bookkeeping.msg_allocate_mismatch',
                    member=member.rec_name, fiscalyear=fiscalyear.name,
                    allocated=format_amount(total),
                    result=format_amount(result)))
        if dedicated and result < 0:
            raise BookkeepingError(gettext(
                    'hub_bookkeeping.msg_allocate_fund_deficit',
                    member=member.rec_name, fiscalyear=fiscalyear.name,
                    amount=format_amount(dedicated)))
        if dedicated and (not fund_account
                or fund_account.company != company
                or not fund_account.code.startswith(FUND_PREFIX)):
            raise BookkeepingError(gettext(
                    'hub_bookkeeping.msg_allocate_fund',
                    member=member.rec_name, fiscalyear=fiscalyear.name,
                    amount=format_amount(dedicated),
                    account=fund_account.rec_name if fund_account else ''))
        next_year, = FiscalYear.search([
                ('company', '=', company.id),
                ('start_date', '>', fiscalyear.end_date),
                ], order=[('start_date', 'ASC')], limit=1)
        period, = Period.search([
                ('fiscalyear', '=', next_year.id),
                ('type', '=', 'standard'),
                ], order=[('start_date', 'ASC')], limit=1)
        surplus = result > 0
        code = RESULT_ACCOUNTS[0 if surplus else 1]
        retained_code = RETAINED_ACCOUNTS[0 if surplus else 1]

        def line(code, amount, result_side, account=None):
            # The result account is debited for a surplus (credited for a
            # deficit), its counterparts the other way
            debit = surplus == result_side
            return Line(account=account or Account.open_account(company, code),
                debit=amount if debit else 0, credit=0 if debit else amount)
        lines = [line(code, abs(result), True)]
        reserves_code, = [c for c in RESERVES_ACCOUNTS if Account.search([
                    ('company', '=', company.id), ('code', '=', c),
                    ('type', '!=', None), ('closed', '!=', True),
                    ])][:1] or RESERVES_ACCOUNTS[-1:]
        for code_, amount in [
                (retained_code, retained), (reserves_code, reserves)]:
            if amount:
                lines.append(line(code_, amount, False))
        if dedicated:
            lines.append(line(None, dedicated, False, account=fund_account))
        description = ALLOCATION_DESCRIPTION % fiscalyear.name
        move = Move(company=company, journal=cls.closing_journal(),
            period=period, date=period.start_date,
            origin=cls.closing_move(fiscalyear), description=description,
            lines=lines)
        move.save()
        Move.post([move])
        return move


class AllocateStart(MemberReportStartMixin, ModelView):
    "Allocation of the result of a member"
    __name__ = 'hub.bookkeeping.allocate.start'

    fiscalyear = fields.Many2One(
        'account.fiscalyear', "Fiscal Year", required=True,
        domain=[
            ('company', '=', Eval('company', -1)),
            ('state', 'in', ['closed', 'locked']),
            ],
        help="The closed year whose result the general assembly allocated.")
    result = fields.Function(fields.Numeric(
            "Result", digits=(16, 2),
            help="Positive: excédent (120); negative: déficit (129)."),
        'on_change_with_result')
    retained = fields.Numeric(
        "Retained Earnings", digits=(16, 2), required=True,
        help="To report à nouveau: 110 for an excédent, 119 for a déficit.")
    reserves = fields.Numeric(
        "Reserves", digits=(16, 2), required=True,
        help="To 1068 (autres réserves).")
    dedicated = fields.Numeric(
        "Dedicated Funds", digits=(16, 2), required=True,
        help="Of an excédent, to a dedicated fund account (19x).")
    fund_account = fields.Many2One(
        'account.account', "Fund Account",
        domain=[
            ('company', '=', Eval('company', -1)),
            ('code', 'like', FUND_PREFIX + '%'),
            ('type', '!=', None),
            ('closed', '!=', True),
            ],
        states={
            'required': Eval('dedicated', 0) != 0,
            },
        help="The dedicated fund (19x) receiving the dedicated amount.")

    @classmethod
    def default_retained(cls):
        return Decimal(0)

    @classmethod
    def default_reserves(cls):
        return Decimal(0)

    @classmethod
    def default_dedicated(cls):
        return Decimal(0)

    @fields.depends('fiscalyear')
    def on_change_with_result(self, name=None):
        Member = Pool().get('hub.member')
        if self.fiscalyear:
            return Member.year_result(self.fiscalyear)


class Allocate(Wizard):
    "Allocation of the result of a member"
    __name__ = 'hub.bookkeeping.allocate'

    start = StateView('hub.bookkeeping.allocate.start',
        'hub_bookkeeping.allocate_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Allocate", 'allocate', 'tryton-ok', default=True),
            ])
    allocate = StateTransition()

    def transition_allocate(self):
        Member = Pool().get('hub.member')
        member = self.start.member
        Member.check_report_access(member, fiscalyear=self.start.fiscalyear)
        with Transaction().set_context(company=member.company.id):
            Member.allocate_result(member, self.start.fiscalyear,
                self.start.retained, self.start.reserves,
                self.start.dedicated, self.start.fund_account)
        return 'end'

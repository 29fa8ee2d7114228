# This file is part of Pôle.
"""Bookkeeping across the members of the pôle.

Every batch action runs member by member, each in its own transaction that
is committed on its own: a member whose books are broken is reported with
the reason and rolled back, the others go through.  Each action is
idempotent: what is already done is reported as skipped.
"""
import datetime as dt
import logging
from decimal import Decimal

from sql import Literal
from sql.aggregate import Sum
from sql.conditionals import Case, Coalesce

from trytond.i18n import gettext
from trytond.model import fields
from trytond.model.exceptions import AccessError
from trytond.modules.hub.format import format_date
from trytond.pool import Pool, PoolMeta
from trytond.rpc import RPC
from trytond.transaction import Transaction, TransactionError

from .exceptions import BookkeepingError

logger = logging.getLogger(__name__)

# The default analytic axes of a member: (code, name)
ANALYTIC_AXES = [
    ('ACTIONS', "Actions"),
    ('FINANCEURS', "Financeurs"),
    ]
MAX_RESTARTS = 10


class Member(metaclass=PoolMeta):
    __name__ = 'hub.member'

    analytic_roots = fields.Function(fields.Many2Many(
            'analytic_account.account', None, None, "Analytic Axes"),
        'get_analytic_roots')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__rpc__.update({
                'trial_balance': RPC(readonly=True),
                })

    def get_analytic_roots(self, name):
        """The member's axes, when the user works in its company now (the
        record rules' companies); none otherwise, rather than an access
        error on a member's form opened from another company"""
        pool = Pool()
        Account = pool.get('analytic_account.account')
        User = pool.get('res.user')
        if (Transaction().user
                and self.company.id not in User.get_companies()):
            return []
        return [a.id for a in Account.search([
                    ('company', '=', self.company.id),
                    ('type', '=', 'root'),
                    ])]

    # Onboarding -----------------------------------------------------------

    @classmethod
    def onboard(cls, *args, **kwargs):
        member = super().onboard(*args, **kwargs)
        cls.create_analytic_axes([member])
        return member

    @classmethod
    def create_analytic_axes(cls, members):
        """Create the default analytic axes of the members' companies.

        Idempotent: an axis whose code exists already in the company is
        kept as it is."""
        Account = Pool().get('analytic_account.account')
        to_create = []
        for member in members:
            existing = {a.code for a in Account.search([
                        ('company', '=', member.company.id),
                        ('type', '=', 'root'),
                        ])}
            for code, name in ANALYTIC_AXES:
                if code not in existing:
                    to_create.append(Account(
                            company=member.company, code=code, name=name,
                            type='root', state='opened'))
        Account.save(to_create)
        return to_create

    # Batch actions --------------------------------------------------------

    @classmethod
    def _batch_members(cls, members):
        """The members to run a batch on: all active ones when none is
        given; each must be one whose books the user was given, checked
        before anything is done"""
        if members is None:
            members = cls.search([])
        for member in members:
            cls._check_batch_access(cls(member.id))
        return [m.id for m in members]

    @classmethod
    def _batch(cls, action, members, func, *args, lock_tables=None):
        """Run func(member, *args) for each member in its own transaction.

        func returns (status, detail) with status 'done' or 'skipped'; any
        exception rolls the member's transaction back and is reported as
        'failed' with its message.  Returns a list of dict with keys member
        (its name), member_id, action, status, detail.  lock_tables: the
        tables func is known to lock, locked from the start.
        """
        results = []
        # The tables a member's transaction asked to lock are locked from
        # the start for the next ones: each restart redoes a member's work
        tables = list(lock_tables or [])
        for member_id in cls._batch_members(members):
            name = cls(member_id).rec_name
            result = {
                'member': name, 'member_id': member_id, 'action': action}
            try:
                status, detail = cls._batch_one(
                    member_id, func, *args, tables=tables)
            except Exception as exception:
                logger.info(
                    "%s of %s failed", action, name, exc_info=True)
                status = 'failed'
                detail = (getattr(exception, 'message', None)
                    or str(exception) or repr(exception))
            result.update(status=status, detail=detail)
            results.append(result)
        return results

    @classmethod
    def _batch_one(cls, member_id, func, *args, tables=None):
        """Run func on the member in a new transaction, committed when it
        succeeds, restarted with the locks it asks for (as trytond's
        dispatcher and cron do); the tables locked from the start and those
        it asked for are in tables"""
        transaction = Transaction()
        tables = [] if tables is None else tables
        extras = {'_lock_tables': list(tables)} if tables else {}
        for _ in range(MAX_RESTARTS):
            try:
                with transaction.new_transaction(**extras) as new:
                    try:
                        member = cls(member_id)
                        company_id = member.company.id
                        with new.set_context(
                                company=company_id,
                                _companies=[company_id]):
                            result = func(member, *args)
                        new.commit()
                    except Exception:
                        new.rollback()
                        raise
                return result
            except TransactionError as error:
                error.fix(extras)
                tables.extend(t for t in extras.get('_lock_tables', [])
                    if t not in tables)
                logger.debug("restarted with %s", extras)
        raise BookkeepingError(gettext(
                'hub_bookkeeping.msg_too_many_restarts',
                member=cls(member_id).rec_name))

    @classmethod
    def _check_batch_access(cls, member):
        """The user works only on the books of the companies given to him.
        Whatever the context: the batch wizard runs without access checks.
        The companies given, not only those of the company filter: the
        batch works in each member's company in turn, as the company
        switcher would."""
        pool = Pool()
        User = pool.get('res.user')
        transaction = Transaction()
        if transaction.user:
            user = User(transaction.user)
            if member.company not in user.companies:
                raise AccessError(gettext(
                        'hub_bookkeeping.msg_no_company_access',
                        member=member.rec_name))

    @classmethod
    def check_report_access(cls, member, period=None, fiscalyear=None):
        """A report of member's books (a period or fiscal year of them):
        refused unless its company is given to the user (res.user
        get_companies() with the member's hub_company: what the record
        rules allow in its books), as the wizards and a report's data are
        not checked by Tryton"""
        pool = Pool()
        User = pool.get('res.user')
        with Transaction().set_context(hub_company=member.company.id):
            companies = User.get_companies()
        if Transaction().user and member.company.id not in companies:
            raise AccessError(gettext(
                    'hub_bookkeeping.msg_no_company_access',
                    member=member.rec_name))
        for record in [period, fiscalyear]:
            if record is not None and record.company != member.company:
                raise AccessError(gettext(
                        'hub_bookkeeping.msg_report_other_member',
                        member=member.rec_name, record=record.rec_name))
        if (period is not None and fiscalyear is not None
                and period.fiscalyear != fiscalyear):
            raise AccessError(gettext(
                    'hub_bookkeeping.msg_report_other_member',
                    member=member.rec_name, record=period.rec_name))

    @classmethod
    def _fiscalyear_at(cls, member, date):
        FiscalYear = Pool().get('account.fiscalyear')
        fiscalyears = FiscalYear.search([
                ('company', '=', member.company.id),
                ('start_date', '<=', date),
                ('end_date', '>=', date),
                ], limit=1)
        if not fiscalyears:
            raise BookkeepingError(gettext(
                    'hub_bookkeeping.msg_no_fiscalyear_at_date',
                    member=member.rec_name, date=format_date(date)))
        return fiscalyears[0]

    @classmethod
    def open_next_fiscalyears(cls, date=None, members=None):
        """Open for each member the fiscal year following the one that
        contains date, with its monthly periods and new sequences."""
        date = date or Pool().get('ir.date').today()
        return cls._batch(
            'open_fiscalyear', members, cls._open_next_fiscalyear, date)

    @classmethod
    def open_next_fiscalyears_cron(cls, days=31):
        """Scheduled: open the next fiscal year of the members whose current
        fiscal year ends within days, so that the first invoices of the new
        year can be posted on time.  Failures are logged by member."""
        pool = Pool()
        Date = pool.get('ir.date')
        FiscalYear = pool.get('account.fiscalyear')
        today = Date.today()
        ending = FiscalYear.search([
                ('start_date', '<=', today),
                ('end_date', '>=', today),
                ('end_date', '<=', today + dt.timedelta(days=days)),
                ])
        members = cls.search([
                ('company', 'in', [f.company.id for f in ending]),
                ])
        if not members:
            return []
        results = cls.open_next_fiscalyears(today, members)
        for result in results:
            if result['status'] == 'failed':
                logger.warning("Opening the next fiscal year of %s failed: %s",
                    result['member'], result['detail'])
        return results

    @classmethod
    def _open_next_fiscalyear(cls, member, date):
        pool = Pool()
        FiscalYear = pool.get('account.fiscalyear')
        Renew = pool.get('account.fiscalyear.renew', type='wizard')

        previous = cls._fiscalyear_at(member, date)
        later = FiscalYear.search([
                ('company', '=', member.company.id),
                ('start_date', '>', previous.end_date),
                ], order=[('start_date', 'ASC')], limit=1)
        if later:
            return 'skipped', later[0].name

        # Tryton's own "Renew Fiscal Year" (account_invoice copies and
        # resets the invoice sequences), run as the accountant would.
        session_id, _, _ = Renew.create()
        try:
            renew = Renew(session_id)
            renew.start.company = member.company
            renew.start.previous_fiscalyear = previous
            renew.start.reset_sequences = True
            renew.start.on_change_previous_fiscalyear()
            fiscalyear = renew.create_fiscalyear()
            fiscalyear.save()
        finally:
            Renew.delete(session_id)
        cls._renew_sequence_prefixes(previous, fiscalyear)
        cls._check_new_fiscalyear(member, previous, fiscalyear)
        return 'done', fiscalyear.name

    @classmethod
    def _renew_sequence_prefixes(cls, previous, fiscalyear):
        """The copied sequences keep the previous prefixes (F2026-): give
        them the new year's (F2027-), as onboarding numbers them."""
        Sequence = Pool().get('ir.sequence.strict')
        sequences = {fiscalyear.move_sequence}
        for invoice_sequence in fiscalyear.invoice_sequences:
            for name in ['out_invoice_sequence', 'out_credit_note_sequence',
                    'in_invoice_sequence', 'in_credit_note_sequence']:
                if sequence := getattr(invoice_sequence, name, None):
                    sequences.add(sequence)
        for sequence in sequences:
            if sequence.prefix and previous.name in sequence.prefix:
                sequence.prefix = sequence.prefix.replace(
                    previous.name, fiscalyear.name)
        Sequence.save(list(sequences))

    @classmethod
    def _check_new_fiscalyear(cls, member, previous, fiscalyear):
        "A new fiscal year is complete or not made at all"
        if not fiscalyear.periods:
            raise BookkeepingError(gettext(
                    'hub_bookkeeping.msg_renew_no_periods',
                    member=member.rec_name, fiscalyear=previous.name))
        if not fiscalyear.invoice_sequences:
            raise BookkeepingError(gettext(
                    'hub_bookkeeping.msg_renew_no_invoice_sequences',
                    member=member.rec_name, fiscalyear=previous.name))

    @classmethod
    def close_periods(cls, date=None, members=None):
        "Close for each member its standard period containing date"
        date = date or Pool().get('ir.date').today()
        return cls._batch('close_period', members, cls._close_period, date)

    @classmethod
    def _period_at(cls, member, date):
        "The member's standard period containing date"
        Period = Pool().get('account.period')
        periods = Period.search([
                ('company', '=', member.company.id),
                ('type', '=', 'standard'),
                ('start_date', '<=', date),
                ('end_date', '>=', date),
                ], limit=1)
        if not periods:
            raise BookkeepingError(gettext(
                    'hub_bookkeeping.msg_no_period_at_date',
                    member=member.rec_name, date=format_date(date)))
        return periods[0]

    @classmethod
    def _close_period(cls, member, date):
        Period = Pool().get('account.period')
        period = cls._period_at(member, date)
        if period.state != 'open':
            return 'skipped', period.name
        Period.close([period])
        return 'done', period.name

    @classmethod
    def lock_fiscalyears(cls, date=None, members=None):
        """Close (if still open) and lock for each member the fiscal year
        containing date"""
        date = date or Pool().get('ir.date').today()
        return cls._batch(
            'lock_fiscalyear', members, cls._lock_fiscalyear, date)

    @classmethod
    def _lock_fiscalyear(cls, member, date):
        FiscalYear = Pool().get('account.fiscalyear')
        fiscalyear = cls._fiscalyear_at(member, date)
        if fiscalyear.state == 'locked':
            return 'skipped', fiscalyear.name
        if fiscalyear.state == 'open':
            cls.close_fiscalyear(member, fiscalyear)
        FiscalYear.lock_([fiscalyear])
        return 'done', fiscalyear.name

    # Reports --------------------------------------------------------------

    @classmethod
    def previous_period(cls, period):
        "The standard period of the company just before period"
        Period = Pool().get('account.period')
        periods = Period.search([
                ('company', '=', period.company.id),
                ('type', '=', 'standard'),
                ('end_date', '<', period.start_date),
                ], order=[('end_date', 'DESC')], limit=1)
        return periods[0] if periods else None

    @classmethod
    def trial_balance(cls, period_id, opening=False):
        """Return the trial balance of period beside the previous period.

        A list of dict per account with a posted line in either period,
        ordered by code: code, name, debit, credit, balance (of the period)
        and previous_debit, previous_credit, previous_balance.

        With opening, also the accounts with a line before the period, and
        their opening (the balance before the period: since the start of
        the fiscal year for an account of the income statement, as Tryton's
        deferrals carry only the balance sheet's) and closing balances.
        """
        pool = Pool()
        Period = pool.get('account.period')
        Move = pool.get('account.move')
        Line = pool.get('account.move.line')
        Account = pool.get('account.account')
        ModelAccess = pool.get('ir.model.access')
        # The caller must be allowed to read the move lines and to work in
        # the period's company (its record rule).
        ModelAccess.check(Line.__name__, 'read')
        period = Period(int(period_id))
        member, = cls.search([
                ('company', '=', period.company.id),
                ('active', 'in', [True, False]),
                ]) or [None]
        if member is None:
            raise AccessError(gettext(
                    'hub_bookkeeping.msg_period_no_member',
                    period=period.rec_name))
        cls.check_report_access(member, period=period)
        previous = cls.previous_period(period)
        period_ids = [period.id] + ([previous.id] if previous else [])

        line = Line.__table__()
        move = Move.__table__()
        account = Account.__table__()
        cursor = Transaction().connection.cursor()

        def amount(column, period_):
            if period_ is None:
                return Literal(0)
            return Sum(Case(
                    (move.period == period_.id, Coalesce(column, 0)),
                    else_=0))
        columns = [account.id, account.code, account.name,
            amount(line.debit, period), amount(line.credit, period),
            amount(line.debit, previous), amount(line.credit, previous)]
        where = move.period.in_(period_ids)
        from_ = (line
            .join(move, condition=line.move == move.id)
            .join(account, condition=line.account == account.id))
        if opening:
            AccountType = pool.get('account.account.type')
            type_ = AccountType.__table__()
            from_ = from_.join(type_, 'LEFT',
                condition=account.type == type_.id)
            carried = (move.date < period.start_date) & (
                type_.statement.in_(['balance', 'off-balance'])
                | (move.date >= period.fiscalyear.start_date))
            columns.append(Sum(Case((carried,
                            Coalesce(line.debit, 0) - Coalesce(line.credit, 0)),
                        else_=0)))
            where |= carried
        query = from_.select(*columns,
            where=(move.state == 'posted')
            & (move.company == period.company.id) & where,
            group_by=[account.id, account.code, account.name],
            order_by=[account.code.asc, account.id.asc])
        cursor.execute(*query)
        digits = period.company.currency.digits
        exp = Decimal(1).scaleb(-digits)

        def dec(value):
            return Decimal(str(value or 0)).quantize(exp)
        rows = []
        for _, code, name, debit, credit, p_debit, p_credit, *before in (
                cursor):
            debit, credit = dec(debit), dec(credit)
            p_debit, p_credit = dec(p_debit), dec(p_credit)
            if opening:
                start = dec(before[0])
                if not (start or debit or credit):
                    # Nothing carried nor moved: not in the spreadsheet
                    continue
            rows.append({
                    'code': code,
                    'name': name,
                    'debit': debit,
                    'credit': credit,
                    'balance': debit - credit,
                    'previous_debit': p_debit,
                    'previous_credit': p_credit,
                    'previous_balance': p_debit - p_credit,
                    })
            if opening:
                rows[-1]['opening'] = start
                rows[-1]['closing'] = start + debit - credit
        return rows


def sum_rows(rows):
    "The totals of trial balance rows"
    keys = ['debit', 'credit', 'balance', 'previous_debit',
        'previous_credit', 'previous_balance']
    if rows and 'opening' in rows[0]:
        keys += ['opening', 'closing']
    return {k: sum((r[k] for r in rows), Decimal(0)) for k in keys}

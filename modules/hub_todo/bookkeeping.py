# This file is part of Pôle.
"""VAT left (hub_bookkeeping): the past periods of a VAT-liable member
with VAT collected or deductible posted and no VAT settlement (the posted
move whose origin is the period).  FEC not produced: the fiscal years
closed, locked or ended with no FEC (hub_bookkeeping's record of the files
made) produced since their last posted move was written."""
from sql import Cast, Null
from sql.aggregate import Count, Max, Min
from sql.conditionals import Coalesce
from sql.operators import Concat, Like

from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction

from .todo import today

# The accounts hub_bookkeeping's settlement clears (its vat.py)
COLLECTED, DEDUCTIBLE = '44571', '44566'


class Todo(metaclass=PoolMeta):
    __name__ = 'hub.todo'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.kind.selection += [
            ('vat_unsettled', "VAT periods not settled"),
            ('fec_missing', "FEC not produced"),
            ]

    @classmethod
    def _vat_unsettled(cls):
        "The (company, period, date) of the periods whose VAT is not settled"
        pool = Pool()
        Member = pool.get('hub.member')
        Period = pool.get('account.period')
        FiscalYear = pool.get('account.fiscalyear')
        Move = pool.get('account.move')
        Line = pool.get('account.move.line')
        Account = pool.get('account.account')
        member, period = Member.__table__(), Period.__table__()
        fiscalyear = FiscalYear.__table__()
        move, line, account = (
            Move.__table__(), Line.__table__(), Account.__table__())
        settlement = Move.__table__()
        vat = (account.code == COLLECTED) | (account.code == DEDUCTIBLE) | (
            Like(account.code, COLLECTED + '_%')
            | Like(account.code, DEDUCTIBLE + '_%'))
        # The periods with VAT posted
        with_vat = (line
            .join(move, condition=line.move == move.id)
            .join(account, condition=line.account == account.id)
            .select(move.period.as_('period'),
                where=(move.state == 'posted') & vat,
                group_by=[move.period]))
        settled = settlement.select(
            settlement.origin.as_('origin'),
            where=(settlement.state == 'posted')
            & Like(settlement.origin, 'account.period,%'))
        return (period
            .join(fiscalyear, condition=period.fiscalyear == fiscalyear.id)
            .join(member, condition=(member.company == fiscalyear.company)
                & member.vat_liable)
            .join(with_vat, condition=with_vat.period == period.id)
            .join(settled, 'LEFT', condition=settled.origin == Concat(
                    'account.period,', Cast(period.id, 'VARCHAR')))
            .select(
                fiscalyear.company.as_('company'),
                period.id.as_('period'),
                period.start_date.as_('date'),
                where=(period.type == 'standard')
                & (period.end_date < today()) & (settled.origin == Null)))

    @classmethod
    def _fec_missing(cls):
        """The (company, fiscalyear, date) of the fiscal years closed,
        locked or ended before today with no FEC made at or after the last
        write of their posted moves (a year with none: no FEC at all)"""
        pool = Pool()
        FiscalYear = pool.get('account.fiscalyear')
        Period = pool.get('account.period')
        Move = pool.get('account.move')
        Run = pool.get('hub.bookkeeping.fec')
        fiscalyear, period = FiscalYear.__table__(), Period.__table__()
        move, run = Move.__table__(), Run.__table__()
        written = (move
            .join(period, condition=move.period == period.id)
            .select(period.fiscalyear.as_('fiscalyear'),
                Max(Coalesce(move.write_date, move.create_date)).as_('last'),
                where=move.state == 'posted',
                group_by=[period.fiscalyear]))
        produced = run.select(run.fiscalyear.as_('fiscalyear'),
            Max(run.create_date).as_('last'),
            group_by=[run.fiscalyear])
        return (fiscalyear
            .join(written, 'LEFT',
                condition=written.fiscalyear == fiscalyear.id)
            .join(produced, 'LEFT',
                condition=produced.fiscalyear == fiscalyear.id)
            .select(
                fiscalyear.company.as_('company'),
                fiscalyear.id.as_('fiscalyear'),
                fiscalyear.start_date.as_('date'),
                where=(fiscalyear.state.in_(['closed', 'locked'])
                    | (fiscalyear.end_date < today()))
                & ((produced.last == Null)
                    | ((written.last != Null)
                        & (produced.last < written.last)))))

    @classmethod
    def _counted(cls, query, column):
        "A kind's row per company: the count of column, the oldest date"
        return query.select(
            query.company,
            Count(getattr(query, column)).as_('count'),
            cls._null_amount().as_('amount'),
            Min(query.date).as_('date'),
            group_by=[query.company])

    def _row_ids(self, query, column):
        "The ids of column in the rows of query of the row's member"
        cursor = Transaction().connection.cursor()
        cursor.execute(*query.select(getattr(query, column),
                where=query.company == self.company.id))
        return sorted(i for i, in cursor)

    @classmethod
    def _kinds(cls):
        kinds = super()._kinds()
        kinds['fec_missing'] = cls._counted(cls._fec_missing(), 'fiscalyear')
        kinds['vat_unsettled'] = cls._counted(
            cls._vat_unsettled(), 'period')
        return kinds

    def _open_action(self):
        if self.kind == 'vat_unsettled':
            return 'account.act_period_form', [
                ('id', 'in', self._row_ids(self._vat_unsettled(), 'period'))]
        elif self.kind == 'fec_missing':
            return 'account.act_fiscalyear_form', [
                ('id', 'in',
                    self._row_ids(self._fec_missing(), 'fiscalyear'))]
        return super()._open_action()

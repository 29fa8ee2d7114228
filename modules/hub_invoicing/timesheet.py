# This file is part of Pôle.
"""The "hours" allocation key: the collective's timesheet hours spent on
works done for a member (registered only when timesheet is activated)."""
import datetime as dt
from decimal import Decimal

from sql.aggregate import Sum

from trytond.model import fields
from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction


class Work(metaclass=PoolMeta):
    __name__ = 'timesheet.work'

    hub_member = fields.Many2One(
        'hub.member', "Member Served", ondelete='RESTRICT',
        help="The member for whom the work is done: its hours count in the "
        "member's share of the shared services allocated by hours.")


class Service(metaclass=PoolMeta):
    __name__ = 'hub.service'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.key.selection.append(('hours', "Hours (timesheets)"))

    def _key_values_hours(self, start_date, end_date, members):
        """Hours of the service's company's timesheet lines over the period
        on the works done for each member, in SQL"""
        pool = Pool()
        Line = pool.get('timesheet.line')
        Work = pool.get('timesheet.work')
        line = Line.__table__()
        work = Work.__table__()
        cursor = Transaction().connection.cursor()
        by_id = {m.id: m for m in members}
        if not by_id:
            return {}
        cursor.execute(*line
            .join(work, condition=line.work == work.id)
            .select(
                work.hub_member, Sum(line.duration),
                where=work.hub_member.in_(list(by_id))
                & (line.company == self.company.id)
                & (line.date >= start_date) & (line.date <= end_date),
                group_by=[work.hub_member]))
        values = {}
        for member, duration in cursor:
            # SQLite sums the seconds as a float
            if duration and not isinstance(duration, dt.timedelta):
                duration = dt.timedelta(seconds=duration)
            seconds = Decimal(duration.total_seconds()) if duration else 0
            values[by_id[member]] = (seconds / 3600).quantize(
                Decimal('0.0001'))
        return values

# This file is part of Pôle.
"""The ETP line of the directors' dashboard and the ETP of each member on
the directors' board (registered only when hub_consolidation is
activated)."""
from decimal import Decimal

from sql.aggregate import Sum

from trytond.model import fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval, If
from trytond.transaction import Transaction, without_check_access

ETP_DIGITS = Decimal('0.0001')


class Dashboard(metaclass=PoolMeta):
    __name__ = 'hub.consolidation.dashboard'

    @classmethod
    def indicators(cls, date):
        return super().indicators(date) + cls.etp_indicators(date)

    @classmethod
    def etp_indicators(cls, date):
        """One line per member with an AF over the year to date: the ETP
        consumed since the 1st of January against the conventioned ETP pro
        rata temporis of the same months"""
        lines = [{
                'kind': 'etp',
                'name': company.rec_name,
                'value': consumed,
                'previous': expected,
                } for company, (consumed, expected) in etp_totals(
                    date).items()]
        return sorted(lines, key=lambda l: l['name'])


def etp_totals(date):
    """{company: (consumed, conventioned)}: the ETP of the members' AF over
    the year to date, the hours of the payroll since the 1st of January
    (months counted whole, as in etp_status) against the conventioned ETP
    pro rata temporis of the same months; aggregates, no person"""
    pool = Pool()
    Member = pool.get('hub.member')
    Agreement = pool.get('insertion.agreement')
    Etp = pool.get('insertion.payroll.etp')
    year_start = date.replace(month=1, day=1)
    with without_check_access():
        company_ids = [m.company.id for m in Member.search([])]
        agreements = Agreement.search([
                ('company', 'in', company_ids),
                ('state', 'in', ['valid', 'closed']),
                ('start_date', '<=', date),
                ('end_date', '>=', year_start),
                ])
        if not agreements:
            return {}
        # The hours of the ETP rows, summed per AF in SQL
        etp = Etp.table_query()
        cursor = Transaction().connection.cursor()
        cursor.execute(*etp.select(etp.agreement, Sum(etp.hours),
                where=etp.agreement.in_([a.id for a in agreements])
                & (etp.month >= year_start) & (etp.month <= date),
                group_by=[etp.agreement]))
        hours = {a: Decimal(str(h or 0)) for a, h in cursor}
        totals = {}
        for agreement in agreements:
            consumed, expected = totals.get(
                agreement.company, (Decimal(0), Decimal(0)))
            totals[agreement.company] = (
                consumed + hours.get(agreement.id, Decimal(0))
                / agreement.reference_hours,
                expected + agreement.etp_expected_between(year_start, date))
    return {c: (consumed.quantize(ETP_DIGITS), expected.quantize(ETP_DIGITS))
        for c, (consumed, expected) in totals.items()}


class DashboardMember(metaclass=PoolMeta):
    "The ETP of each member on the directors' board"
    __name__ = 'hub.consolidation.dashboard.member'

    etp = fields.Function(fields.Numeric("ETP Consumed", digits=(16, 4),
            help="The ETP of the insertion payroll since the 1st of "
            "January, all the member's annexes financières together."),
        'get_etp')
    etp_conventioned = fields.Function(fields.Numeric(
            "ETP Conventioned", digits=(16, 4),
            help="The ETP of the annexes financières pro rata temporis of "
            "the months since the 1st of January."),
        'get_etp')

    @classmethod
    def get_etp(cls, records, names):
        totals = etp_totals(cls.date())
        result = {n: {} for n in names}
        for record in records:
            consumed, expected = totals.get(
                record.member.company, (Decimal(0), Decimal(0)))
            for name, value in [
                    ('etp', consumed), ('etp_conventioned', expected)]:
                if name in names:
                    result[name][record.id] = value
        return result


class DashboardLine(metaclass=PoolMeta):
    __name__ = 'hub.consolidation.dashboard.line'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.kind.selection.append(('etp', "ETP Consumed"))
        # ETP are shown to the 1/10 000 as on the annexes financières
        digits = (16, If(Eval('kind') == 'etp', 4, 2))
        cls.value.digits = digits
        cls.previous.digits = digits

# This file is part of Pôle.
"""The State's caps and path lengths of the IAE, dated: a decree that
changes one adds a row from its date, and each rule reads the value in
force at the date it checks (limit.xml holds the values and their
sources)."""
from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Unique, fields
from trytond.modules.hub.format import format_date, format_number
from trytond.pool import Pool
from trytond.transaction import without_check_access

from .exceptions import LimitError

PROLONGATION_REASONS = [
    'senior', 'rqth', 'training', 'difficulties', 'senior_cdi',
    'health_context']
LIMITS = [
    ('pass_days', "PASS IAE: days"),
    ('suspension_months', "Suspension: maximum months"),
    ('suspension_retroactive_days', "Suspension: days back"),
    ] + [
    ('prolongation_once_%s' % r, "Prolongation (%s): maximum days" % r)
    for r in PROLONGATION_REASONS] + [
    ('prolongation_total_%s' % r,
        "Prolongations (%s): cumulative maximum days" % r)
    for r in PROLONGATION_REASONS] + [
    ('cddi_min_months', "CDDI: minimum months"),
    ('path_max_months', "CDDI path: maximum months"),
    ('path_break_months', "Path: break that ends it, in months"),
    ] + [
    ('cddi_exemption_%s' % r,
        "CDDI path with a prolongation (%s): maximum months" % r)
    for r in ['senior', 'rqth', 'difficulties', 'training']] + [
    ('min_weekly_hours', "CDDI: minimum weekly hours"),
    ('max_weekly_hours', "CDDI: maximum weekly hours"),
    ('ai_max_hours', "AI with an ordinary user: maximum hours"),
    ('ai_window_months', "AI with an ordinary user: months counted"),
    ('cdi_inclusion_share', "CDI inclusion: maximum share of the ETP"),
    ('examined_months', "Exit examined (ACI, EI): months"),
    ('examined_hours', "Exit examined (AI, ETTI): hours"),
    ]


class Limit(ModelSQL, ModelView):
    "State limit"
    __name__ = 'insertion.limit'

    code = fields.Selection(LIMITS, "Limit", required=True)
    start_date = fields.Date("Start Date", required=True)
    value = fields.Numeric(
        "Value", digits=(16, 2),
        help="Empty: no limit from the start date.")
    source = fields.Char(
        "Source", required=True,
        help="The legal text or the State's platform it comes from.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('code_date_unique', Unique(t, t.code, t.start_date),
                'insertion.msg_limit_unique'),
            ]
        cls._order = [
            ('code', 'ASC'), ('start_date', 'DESC'), ('id', 'DESC')]

    def get_rec_name(self, name):
        return '%s %s' % (self.code, self.start_date)

    @classmethod
    def get(cls, code, date):
        """The value in force for code at date (None: no limit); an error
        when the table has none at that date"""
        with without_check_access():
            limits = cls.search([
                    ('code', '=', code),
                    ('start_date', '<=', date),
                    ], order=[('start_date', 'DESC')], limit=1)
        if not limits:
            label = dict(LIMITS)[code]
            raise LimitError(gettext(
                    'insertion.msg_limit_missing', limit=label,
                    date=format_date(date)))
        return limits[0].value


def limit(code, date):
    "The State's limit code in force at date: a Decimal, or None"
    return Pool().get('insertion.limit').get(code, date)


def shown(value):
    "A limit or hours as a message shows them: 20, 12,5, not 20.00 nor 2E+1"
    return format_number(value)


def limit_int(code, date):
    "The limit as an integer (days, months), or None"
    value = limit(code, date)
    return int(value) if value is not None else None


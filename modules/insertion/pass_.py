# This file is part of Pôle.
"""The PASS IAE of a person, with its suspensions and prolongations, as
the State's platform (les-emplois) computes them."""
import datetime as dt

from dateutil.relativedelta import relativedelta
from sql.functions import CharLength

from trytond.i18n import gettext
from trytond.model import Check, ModelSQL, ModelView, Unique, fields
from trytond.modules.hub.format import format_date
from trytond.pool import Pool
from trytond.pyson import Eval, If
from trytond.transaction import Transaction, without_check_access

from .limit import limit_int
from .exceptions import PassError, ProlongationError, SuspensionError
from .common import (INSERTION_KINDS, PASS_NUMBER, PROLONGATION_LEGACY_REASONS,
    PROLONGATION_REASONS, PROLONGATION_REASON_KINDS, SUSPENSION_LEGACY_REASONS,
    SUSPENSION_REASONS, SUSPENSION_REASON_KINDS, structure_kind)


class Pass(ModelSQL, ModelView):
    "PASS IAE"
    __name__ = 'insertion.pass'
    _rec_name = 'number'

    # The person's, not a structure's: the structures that employ them
    # share it (the rules of insertion.xml), as the State's platform keeps
    # one PASS IAE per person whoever hires them.
    party = fields.Many2One(
        'party.party', "Person", required=True, ondelete='RESTRICT',
        help="The person the PASS IAE was issued to: every structure of "
        "the pôle that employs them shares it.")
    number = fields.Char(
        "Number", size=12, required=True, strip=True,
        help="12 characters: the 5-character ASP prefix and 7 digits.")
    start_date = fields.Date("Start Date", required=True)
    end_date = fields.Function(
        fields.Date("End Date",
            help="730 days from the start, pushed by each suspension and "
            "prolongation."),
        'get_end_date')
    suspensions = fields.One2Many(
        'insertion.pass.suspension', 'pass_', "Suspensions")
    prolongations = fields.One2Many(
        'insertion.pass.prolongation', 'pass_', "Prolongations")
    status = fields.Function(fields.Selection([
                ('future', "Future"),
                ('valid', "Valid"),
                ('suspended', "Suspended"),
                ('expired', "Expired"),
                ], "Status"), 'get_status')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('number_unique', Unique(t, t.number),
                'insertion.msg_pass_number_unique'),
            ('number_length', Check(t, CharLength(t.number) == 12),
                'insertion.msg_pass_number_length'),
            ]
        cls._order = [('start_date', 'DESC'), ('id', 'DESC')]

    @classmethod
    def __register__(cls, module):
        pool = Pool()
        Employee = pool.get('company.employee')
        table_h = cls.__table_handler__(module)
        migrate = (table_h.column_exist('employee')
            and not table_h.column_exist('party'))
        super().__register__(module)
        if migrate:
            # A PASS was an employee's of one structure: it is the person's
            table = cls.__table__()
            employee = Employee.__table__()
            cursor = Transaction().connection.cursor()
            cursor.execute(*table.update([table.party], [employee.select(
                            employee.party,
                            where=employee.id == table.employee)]))
            table_h.drop_column('employee')
            table_h.drop_column('company')

    @classmethod
    def search_rec_name(cls, name, clause):
        # Counsellors look a PASS up by the person's name as often as by
        # its number
        if clause[1].startswith('!') or clause[1].startswith('not '):
            bool_op = 'AND'
        else:
            bool_op = 'OR'
        return [bool_op,
            ('number',) + tuple(clause[1:]),
            ('party.rec_name',) + tuple(clause[1:]),
            ]

    @property
    def base_end_date(self):
        days = limit_int('pass_days', self.start_date)
        return self.start_date + dt.timedelta(days=days - 1)

    def compute_end_date(self, exclude=None):
        "The end date with the suspensions and prolongations but exclude"
        if not self.start_date:
            return None
        days = sum(
            (r.days for r in list(self.suspensions) + list(self.prolongations)
                if r != exclude and r.days),
            0)
        return self.base_end_date + dt.timedelta(days=days)

    def get_end_date(self, name):
        return self.compute_end_date()

    def status_at(self, date):
        if date < self.start_date:
            return 'future'
        if date > self.end_date:
            return 'expired'
        for suspension in self.suspensions:
            if suspension.start_date <= date <= suspension.end_date:
                return 'suspended'
        return 'valid'

    def get_status(self, name):
        date = Transaction().context.get('date') or Pool().get(
            'ir.date').today()
        return self.status_at(date)

    def covers(self, date):
        "Whether the PASS allows a hiring at date"
        return self.start_date <= date <= self.end_date

    @classmethod
    def validate_fields(cls, passes, field_names):
        super().validate_fields(passes, field_names)
        if field_names and not {'number', 'party', 'start_date'} & (
                field_names):
            return
        for pass_ in passes:
            if not PASS_NUMBER.match(pass_.number or ''):
                raise PassError(gettext(
                        'insertion.msg_pass_number_format',
                        number=pass_.number,
                        employee=pass_.party.rec_name))
            pass_.check_other_pass()

    def check_other_pass(self):
        """One valid PASS IAE per person (les-emplois: a job seeker with a
        valid approval gets no new one): no other PASS of the same party in
        any structure may be valid during this one"""
        with without_check_access():
            others = self.search([
                    ('id', '!=', self.id),
                    ('party', '=', self.party.id),
                    ('start_date', '<=', self.end_date),
                    ])
            others = [o for o in others if o.end_date >= self.start_date]
            if others:
                other = others[0]
                raise PassError(gettext(
                        'insertion.msg_pass_other_valid',
                        employee=self.party.rec_name, number=self.number,
                        other=other.number, start=format_date(other.start_date),
                        end=format_date(other.end_date)))


class PassPeriodMixin:
    """A period of a PASS IAE (suspension or prolongation): its dates, checked
    in the database, and the days it adds to the PASS"""
    __slots__ = ()
    _dates_message = None  # The message of the dates constraint

    pass_ = fields.Many2One(
        'insertion.pass', "PASS IAE", required=True, ondelete='CASCADE')
    start_date = fields.Date("Start Date", required=True)
    end_date = fields.Date(
        "End Date", required=True,
        domain=[If(Eval('start_date'),
                ('end_date', '>=', Eval('start_date')), ())])
    days = fields.Function(fields.Integer(
            "Days Added",
            help="End date minus start date: the days the PASS IAE end "
            "is pushed by (as the State's platform counts)."),
        'get_days')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('dates', Check(t, t.end_date >= t.start_date),
                cls._dates_message),
            ]
        cls._order = [('start_date', 'ASC'), ('id', 'ASC')]

    def get_days(self, name):
        # les-emplois Suspension.duration and Prolongation.duration: end -
        # start; its triggers push the approval's end by that much.
        if self.start_date and self.end_date:
            return (self.end_date - self.start_date).days

    def _error_values(self):
        return {
            'pass_': self.pass_.number,
            'employee': self.pass_.party.rec_name,
            'start': format_date(self.start_date),
            'end': format_date(self.end_date),
            }

    def _reason_string(self):
        return dict(self.fields_get(['reason'])['reason']['selection'])[
            self.reason]

    def check_reason(self, legacy, kinds):
        "Legacy reasons are for history only; some only in some structures"
        values = dict(self._error_values(), reason=self._reason_string())
        if self.reason in legacy:
            raise self._error(gettext(
                    'insertion.msg_pass_period_reason_legacy', **values))
        company = Transaction().context.get('company')
        if self.reason in kinds:
            # The structure recording it: the PASS is shared
            kind = structure_kind(company) if company else None
            if kind not in kinds[self.reason]:
                raise self._error(gettext(
                        'insertion.msg_pass_period_reason_kind',
                        kinds=', '.join(sorted(
                                k.upper() for k in kinds[self.reason])),
                        **values))


class Suspension(PassPeriodMixin, ModelSQL, ModelView):
    "PASS IAE suspension"
    __name__ = 'insertion.pass.suspension'
    _dates_message = 'insertion.msg_suspension_dates'
    _error = SuspensionError

    reason = fields.Selection(SUSPENSION_REASONS, "Reason", required=True)

    @classmethod
    def validate_fields(cls, suspensions, field_names):
        super().validate_fields(suspensions, field_names)
        for suspension in suspensions:
            suspension.check_length()
            suspension.check_overlap()

    def check_length(self):
        # les-emplois Suspension.get_max_end_at: start + 36 months - 1 day
        months = limit_int('suspension_months', self.start_date)
        if self.end_date >= self.start_date + relativedelta(months=months):
            raise SuspensionError(gettext(
                    'insertion.msg_suspension_too_long',
                    months=months, **self._error_values()))

    def check_overlap(self):
        # Both ends inclusive (les-emplois exclude_overlapping_suspensions)
        others = self.search([
                ('pass_', '=', self.pass_.id),
                ('id', '!=', self.id),
                ('start_date', '<=', self.end_date),
                ('end_date', '>=', self.start_date),
                ], limit=1)
        if others:
            other, = others
            raise SuspensionError(gettext(
                    'insertion.msg_suspension_overlap',
                    other_start=format_date(other.start_date),
                    other_end=format_date(other.end_date),
                    **self._error_values()))

    def minimum_start(self, today, referent):
        """The first day the suspension may start (les-emplois
        Suspension.next_min_start_at): after the last suspension ended
        before today, else from the last hiring, and never more than 365
        days before the day the suspension was recorded (today for a new
        one)"""
        pool = Pool()
        Contract = pool.get('insertion.contract')
        start = None
        with without_check_access():
            contracts = Contract.search([
                    ('employee.party', '=', self.pass_.party.id),
                    ('kind', 'in', INSERTION_KINDS),
                    ('start_date', '<=', referent),
                    ], order=[('start_date', 'DESC')], limit=1)
        if contracts:
            start = contracts[0].start_date
        old = [s for s in self.pass_.suspensions
            if s != self and s.end_date < today]
        if referent != today:
            # An edited suspension: only those recorded before it
            old = [s for s in old if s.create_date < self.create_date]
        if old:
            last = max(old, key=lambda s: s.start_date)
            start = last.end_date + dt.timedelta(days=1)
        threshold = referent - dt.timedelta(
            days=limit_int('suspension_retroactive_days', referent))
        if not start or start < threshold:
            return threshold
        return start

    def check_start(self, recorded=False):
        """Never in the future, not before the minimum start, within the PASS;
        recorded: the suspension was recorded before (its dates are edited)"""
        today = Pool().get('ir.date').today()
        referent = today
        if recorded and self.create_date:
            referent = min(today, self.create_date.date())
        values = self._error_values()
        if self.start_date > today:
            raise SuspensionError(gettext(
                    'insertion.msg_suspension_future', **values))
        minimum = self.minimum_start(today, referent)
        if self.start_date < minimum:
            raise SuspensionError(gettext(
                    'insertion.msg_suspension_minimum_start',
                    minimum=format_date(minimum),
                    days=limit_int('suspension_retroactive_days', referent),
                    **values))
        end = self.pass_.compute_end_date(exclude=self)
        if not (self.pass_.start_date <= self.start_date <= end):
            raise SuspensionError(gettext(
                    'insertion.msg_suspension_outside_pass',
                    pass_start=format_date(self.pass_.start_date),
                    pass_end=format_date(end), **values))

    @classmethod
    def on_modification(cls, mode, suspensions, field_names=None):
        super().on_modification(mode, suspensions, field_names=field_names)
        # Dates are checked when they are entered, against the day the
        # suspension was recorded: a suspension recorded last year stays
        # valid.
        if Transaction().context.get('_insertion_unsuspend'):
            # Ended by a hiring (insertion.contract unsuspend_pass)
            pass
        elif mode == 'create' or (mode == 'write' and {
                    'start_date', 'end_date', 'pass_'} & field_names):
            for suspension in suspensions:
                suspension.check_start(recorded=mode == 'write')
        if mode == 'create' or (
                mode == 'write' and 'reason' in field_names):
            for suspension in suspensions:
                suspension.check_reason(
                    SUSPENSION_LEGACY_REASONS, SUSPENSION_REASON_KINDS)


class Prolongation(PassPeriodMixin, ModelSQL, ModelView):
    """PASS IAE prolongation

    As in les-emplois, it starts on the end date of the PASS and its end date
    is the new end of the PASS: [start, end) follow each other."""
    __name__ = 'insertion.pass.prolongation'
    _dates_message = 'insertion.msg_prolongation_dates'
    _error = ProlongationError

    reason = fields.Selection(PROLONGATION_REASONS, "Reason", required=True)

    @classmethod
    def validate_fields(cls, prolongations, field_names):
        super().validate_fields(prolongations, field_names)
        for prolongation in prolongations:
            prolongation.check_maximum()
            prolongation.check_overlap()

    def _error_values(self):
        return dict(super()._error_values(), reason=self._reason_string())

    def maximum_end(self):
        """The last end date allowed (les-emplois: the prolongation form's
        minimum of one prolongation's maximum and what is left of the
        cumulative maximum, counted over all the PASS's prolongations)"""
        once, total = self.maximum_days()
        days = once
        if total is not None:
            used = sum(p.days for p in self.pass_.prolongations if p != self)
            days = min(days, total - used)
        return self.start_date + dt.timedelta(days=days)

    def maximum_days(self):
        """(maximum days of one prolongation, of all the prolongations of
        the PASS or None), at its start (les-emplois
        CommonProlongation.PROLONGATION_RULES)"""
        return (
            limit_int('prolongation_once_%s' % self.reason, self.start_date),
            limit_int('prolongation_total_%s' % self.reason, self.start_date))

    def check_maximum(self):
        values = self._error_values()
        if self.end_date <= self.start_date:
            raise ProlongationError(gettext(
                    'insertion.msg_prolongation_one_day', **values))
        maximum = self.maximum_end()
        if self.end_date > maximum:
            once, total = self.maximum_days()
            raise ProlongationError(gettext(
                    'insertion.msg_prolongation_maximum',
                    maximum=format_date(maximum), once=once,
                    total=total or once,
                    **values))

    def check_overlap(self):
        # [start, end) ranges: one may start on the end of the other
        others = self.search([
                ('pass_', '=', self.pass_.id),
                ('id', '!=', self.id),
                ('start_date', '<', self.end_date),
                ('end_date', '>', self.start_date),
                ], limit=1)
        if others:
            other, = others
            raise ProlongationError(gettext(
                    'insertion.msg_prolongation_overlap',
                    other_start=format_date(other.start_date),
                    other_end=format_date(other.end_date),
                    **self._error_values()))

    def check_start(self):
        "A new prolongation starts on the end date of the PASS"
        end = self.pass_.compute_end_date(exclude=self)
        if self.start_date != end:
            raise ProlongationError(gettext(
                    'insertion.msg_prolongation_start',
                    pass_end=format_date(end), **self._error_values()))

    @classmethod
    def on_modification(cls, mode, prolongations, field_names=None):
        super().on_modification(mode, prolongations, field_names=field_names)
        # Like les-emplois, only for new ones: editing an old one is allowed
        if mode == 'create':
            for prolongation in prolongations:
                prolongation.check_start()
        if mode == 'create' or (
                mode == 'write' and 'reason' in field_names):
            for prolongation in prolongations:
                prolongation.check_reason(
                    PROLONGATION_LEGACY_REASONS, PROLONGATION_REASON_KINDS)

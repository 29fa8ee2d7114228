# This file is part of Pôle.
"""Insertion par l'activité économique: the State's agreements (annexes
financières), the people hired on insertion contracts, their PASS IAE,
contracts and exits.  Rules from the State's platform (les-emplois) and the
Code du travail, summed up in shared/domain.md."""
import datetime as dt
import re
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from sql import Null
from sql.functions import CharLength

from trytond.i18n import gettext
from trytond.model import (
    Check, Index, ModelSQL, ModelView, Unique, Workflow, fields)
from trytond.pool import Pool
from trytond.pyson import Eval, If
from trytond.transaction import Transaction

from .exceptions import (
    AgreementError, ContractError, ExitError, PassError, ProlongationError,
    SuspensionError)

MEASURES = [
    ('aci', "ACI"),
    ('ai', "AI"),
    ('ei', "EI"),
    ('eiti', "EITI"),
    ('etti', "ETTI"),
    ]
# Reference annual hours of one ETP, a setting of each AF (domain.md).
# ACI051170013A0M1: measure, département, year, sequence, avenant, change.
AGREEMENT_NUMBER = re.compile(
    r'^(ACI|AI|EITI|EI|ETTI)(\d{2}[0-9AB])(\d{2})(\d{4})A(\d)M(\d)$')
# 5-character ASP prefix and 7 digits.
PASS_NUMBER = re.compile(r'^[0-9A-Z]{5}\d{7}$')
PASS_DAYS = 730
SUSPENSION_MAX_MONTHS = 36
SUSPENSION_MAX_RETROACTIVE_DAYS = 365

# reason: (maximum months of one prolongation, maximum months in all);
# None: no fixed maximum (until the training ends, until retirement).
PROLONGATION_REASONS = [
    ('senior', "Aged 50 or more"),
    ('rqth', "Disabled worker (RQTH)"),
    ('training', "Completing a training"),
    ('difficulties', "Particular difficulties (AI, ACI)"),
    ('senior_cdi', "CDI inclusion, aged 57 or more"),
    ]
PROLONGATION_MAXIMUM = {
    'senior': (12, 60),
    'rqth': (12, 36),
    'training': (12, None),
    'difficulties': (12, 36),
    'senior_cdi': (None, None),
    }

CONTRACT_KINDS = [
    ('cddi', "CDDI (insertion fixed-term contract)"),
    ('ai_placement', "AI placement (mise à disposition)"),
    ('etti_mission', "ETTI mission"),
    ('cdi_inclusion', "CDI inclusion"),
    ('cdi', "Permanent staff CDI"),
    ('cdd', "Permanent staff CDD"),
    ]
INSERTION_KINDS = ('cddi', 'ai_placement', 'etti_mission', 'cdi_inclusion')
HOURS_RULE_KINDS = ('cddi', 'cdi_inclusion')
CDDI_MIN_MONTHS = 4
PATH_MAX_MONTHS = 24
MIN_WEEKLY_HOURS = Decimal(20)
MAX_WEEKLY_HOURS = Decimal(35)
AI_MAX_HOURS = Decimal(480)
AI_WINDOW_MONTHS = 24
CDI_INCLUSION_SHARE = Decimal('0.20')

EXIT_DESTINATIONS = [
    ('cdi', "CDI"),
    ('cdd_long', "CDD or temporary work of 6 months or more"),
    ('public_post', "Public-service post"),
    ('business', "Business creation"),
    ('cdd_short', "CDD or temporary work under 6 months"),
    ('subsidised', "Subsidised contract with an ordinary employer"),
    ('training', "Qualifying training"),
    ('other_siae', "Hired by another SIAE"),
    ('job_seeker', "Job seeker"),
    ('inactive', "Inactivity"),
    ('other', "Other"),
    ('withdrawn', "Withdrawn (dismissal for serious misconduct, death, "
        "moving away…)"),
    ]
EXIT_CATEGORIES = [
    ('durable', "Durable employment"),
    ('transition', "Transitional employment"),
    ('positive', "Positive exit"),
    ('other', "Other exit"),
    ('withdrawn', "Withdrawn"),
    ]
DESTINATION_CATEGORY = {
    'cdi': 'durable', 'cdd_long': 'durable', 'public_post': 'durable',
    'business': 'durable',
    'cdd_short': 'transition', 'subsidised': 'transition',
    'training': 'positive', 'other_siae': 'positive',
    'job_seeker': 'other', 'inactive': 'other', 'other': 'other',
    'withdrawn': 'withdrawn',
    }
EXAMINED_MONTHS = 3
EXAMINED_HOURS = Decimal(150)


def structure_kind(company):
    "The hub.member kind of the company, None when it is not a member"
    Member = Pool().get('hub.member')
    members = Member.search([
            ('company', '=', company.id),
            ('active', 'in', [True, False]),
            ], limit=1)
    return members[0].kind if members else None


def _company_domain():
    return [
        ('company', '=', Eval('company', -1)),
        ]


class AidRate(ModelSQL, ModelView):
    "Aide au poste rate"
    __name__ = 'insertion.aid.rate'

    measure = fields.Selection(MEASURES, "Measure", required=True)
    start_date = fields.Date("Start Date", required=True)
    amount = fields.Numeric(
        "Amount per ETP", digits=(16, 2),
        states={'required': Eval('confirmed', False)},
        help="The base aid for one ETP and one year.\n"
        "Empty while the rate is not published.")
    confirmed = fields.Boolean(
        "Confirmed", help="Whether the rate is taken from a published arrêté.")
    reference_hours = fields.Numeric(
        "Reference Hours", digits=(16, 2),
        help="The annual hours of one ETP of the measure from this date, "
        "proposed to the new AF (each AF keeps its own).")
    source = fields.Char("Source")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('measure_date_unique', Unique(t, t.measure, t.start_date),
                'insertion.msg_aid_rate_unique'),
            ('amount_positive', Check(t, (t.amount == Null) | (t.amount >= 0)),
                'insertion.msg_aid_rate_positive'),
            ]
        cls._order = [
            ('measure', 'ASC'), ('start_date', 'DESC'), ('id', 'DESC')]

    @staticmethod
    def default_confirmed():
        return False

    def get_rec_name(self, name):
        return '%s %s' % (self.measure.upper(), self.start_date)

    @classmethod
    def get_rate(cls, measure, date):
        "The rate in force for the measure at the date, or None"
        rates = cls.search([
                ('measure', '=', measure),
                ('start_date', '<=', date),
                ], order=[('start_date', 'DESC')], limit=1)
        return rates[0] if rates else None

    @classmethod
    def get_reference_hours(cls, measure, date):
        "The reference hours in force for the measure at the date, or None"
        rates = cls.search([
                ('measure', '=', measure),
                ('start_date', '<=', date),
                ('reference_hours', '!=', None),
                ], order=[('start_date', 'DESC')], limit=1)
        return rates[0].reference_hours if rates else None


class Agreement(Workflow, ModelSQL, ModelView):
    "Annexe financière"
    __name__ = 'insertion.agreement'
    _rec_name = 'number'

    _states = {'readonly': Eval('state') != 'draft'}

    company = fields.Many2One(
        'company.company', "Company", required=True, states=_states)
    number = fields.Char(
        "Number", required=True, strip=True, states=_states,
        help="Like ACI051170013A0M1: measure, département, year, "
        "sequence, avenant and modification.")
    measure = fields.Selection(
        MEASURES, "Measure", required=True, states=_states)
    start_date = fields.Date("Start Date", required=True, states=_states)
    end_date = fields.Date("End Date", required=True, states=_states)
    etp = fields.Numeric(
        "ETP Conventioned", digits=(16, 2), required=True, states=_states)
    reference_hours = fields.Numeric(
        "Reference Hours", digits=(16, 0), required=True, states=_states,
        help="The annual hours of one ETP.")
    base_aid = fields.Function(fields.Numeric(
            "Base Aid per ETP", digits=(16, 2)), 'get_rate')
    rate_confirmed = fields.Function(
        fields.Boolean("Rate Confirmed"), 'get_rate')
    modulation = fields.Numeric(
        "Modulated Part (%)", digits=(4, 2), required=True, states=_states,
        help="Between 0 and 10 % of the base aid.")
    departement_amount = fields.Numeric(
        "Département Co-financing", digits=(16, 2), states=_states)
    total_aid = fields.Function(fields.Numeric(
            "State Aid", digits=(16, 2)), 'get_rate')
    state = fields.Selection([
            ('draft', "Draft"),
            ('valid', "Valid"),
            ('closed', "Closed"),
            ], "State", readonly=True, required=True, sort=False)

    del _states

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('number_unique', Unique(t, t.number),
                'insertion.msg_agreement_number_unique'),
            ('dates', Check(t, t.end_date >= t.start_date),
                'insertion.msg_agreement_dates'),
            ('etp_positive', Check(t, t.etp >= 0),
                'insertion.msg_agreement_etp_positive'),
            ]
        cls._order = [
            ('start_date', 'DESC'), ('number', 'ASC'), ('id', 'ASC')]
        cls._transitions |= {
            ('draft', 'valid'), ('valid', 'draft'), ('valid', 'closed'),
            }
        cls._buttons.update({
                'draft': {'invisible': Eval('state') != 'valid'},
                'validate_agreement': {'invisible': Eval('state') != 'draft'},
                'close': {'invisible': Eval('state') != 'valid'},
                })

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    @staticmethod
    def default_state():
        return 'draft'

    @staticmethod
    def default_modulation():
        return Decimal(0)

    @fields.depends('measure', 'start_date', 'reference_hours')
    def on_change_measure(self):
        pool = Pool()
        Rate = pool.get('insertion.aid.rate')
        Date = pool.get('ir.date')
        if self.measure:
            hours = Rate.get_reference_hours(
                self.measure, self.start_date or Date.today())
            if hours is not None:
                self.reference_hours = hours

    @fields.depends(methods=['on_change_measure'])
    def on_change_start_date(self):
        self.on_change_measure()

    @classmethod
    def get_rate(cls, agreements, names):
        pool = Pool()
        Rate = pool.get('insertion.aid.rate')
        result = {n: {} for n in names}
        for agreement in agreements:
            rate = Rate.get_rate(agreement.measure, agreement.start_date)
            amount = rate.amount if rate else None
            result_ = {
                'base_aid': amount,
                'rate_confirmed': bool(rate and rate.confirmed),
                'total_aid': None,
                }
            if amount is not None:
                result_['total_aid'] = (
                    agreement.etp * amount
                    * (1 + agreement.modulation / 100)).quantize(
                    Decimal('0.01'))
            for name in names:
                result[name][agreement.id] = result_[name]
        return result

    @classmethod
    def validate_fields(cls, agreements, field_names):
        super().validate_fields(agreements, field_names)
        if field_names and not {'number', 'measure', 'modulation'} & (
                field_names):
            return
        for agreement in agreements:
            if not (0 <= agreement.modulation <= 10):
                raise AgreementError(gettext(
                        'insertion.msg_agreement_modulation',
                        number=agreement.number,
                        modulation=agreement.modulation))
            match = AGREEMENT_NUMBER.match(agreement.number)
            if not match:
                raise AgreementError(gettext(
                        'insertion.msg_agreement_number_format',
                        number=agreement.number))
            if match.group(1).lower() != agreement.measure:
                raise AgreementError(gettext(
                        'insertion.msg_agreement_number_measure',
                        number=agreement.number,
                        measure=agreement.measure.upper()))

    @classmethod
    def valid_at(cls, company, measure, date):
        "The valid agreement of the company and measure at date, or None"
        agreements = cls.search([
                ('company', '=', company.id),
                ('measure', '=', measure),
                ('state', 'in', ['valid', 'closed']),
                ('start_date', '<=', date),
                ('end_date', '>=', date),
                ], limit=1)
        return agreements[0] if agreements else None

    @classmethod
    @ModelView.button
    @Workflow.transition('draft')
    def draft(cls, agreements):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('valid')
    def validate_agreement(cls, agreements):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('closed')
    def close(cls, agreements):
        pass


GENDERS = [
    (None, ""),
    ('female', "Woman"),
    ('male', "Man"),
    ]
EDUCATION_LEVELS = [
    (None, ""),
    ('none', "No schooling"),
    ('below_cap', "Left school before CAP/BEP"),
    ('cap', "CAP/BEP"),
    ('bac', "Baccalauréat"),
    ('higher', "Higher education"),
    ]
EDUCATION_BELOW_CAP = ('none', 'below_cap')
SITUATIONS = [
    (None, ""),
    ('job_seeker', "Registered job seeker"),
    ('not_registered', "Unemployed, not registered"),
    ('inactive', "Inactive"),
    ('training', "In training"),
    ('employed', "In employment"),
    ('justice', "Under a justice measure"),
    ('other', "Other"),
    ]


class Profile(ModelSQL, ModelView):
    """Insertion profile of an employee

    The personal data recorded at hiring: only the insertion counsellors of
    the structure read it (see insertion.xml)."""
    __name__ = 'insertion.employee.profile'

    company = fields.Many2One('company.company', "Company", required=True)
    employee = fields.Many2One(
        'company.employee', "Employee", required=True, ondelete='CASCADE',
        domain=_company_domain())
    birth_date = fields.Date("Birth Date", required=True)
    gender = fields.Selection(GENDERS, "Gender")
    eligibility_date = fields.Date(
        "Eligibility Date", required=True,
        help="The day the eligibility criteria were checked.")
    age = fields.Integer(
        "Age at Eligibility", readonly=True,
        help="Computed from the birth date at the eligibility date.")
    # Level 1 criteria
    rsa = fields.Boolean("RSA")
    ass = fields.Boolean("ASS")
    aah = fields.Boolean("AAH")
    very_long_unemployed = fields.Boolean(
        "Very Long-term Unemployed", help="24 months or more.")
    # Level 2 criteria
    long_unemployed = fields.Boolean(
        "Long-term Unemployed", help="12 to 24 months.")
    rqth = fields.Boolean("Disabled Worker (RQTH)")
    qpv = fields.Boolean("QPV Resident")
    zrr = fields.Boolean("ZRR Resident")
    ase = fields.Boolean("Child Welfare Leaver (ASE)")
    refugee = fields.Boolean("Refugee")
    justice = fields.Boolean("Under a Justice Measure")
    education_level = fields.Selection(EDUCATION_LEVELS, "Education Level")
    situation = fields.Selection(SITUATIONS, "Situation Before Hiring")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('employee_unique', Unique(t, t.employee),
                'insertion.msg_profile_employee_unique'),
            ]

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    def get_rec_name(self, name):
        return self.employee.rec_name

    @classmethod
    def search_rec_name(cls, name, clause):
        return [('employee.rec_name',) + tuple(clause[1:])]

    @staticmethod
    def compute_age(birth_date, date):
        if not birth_date or not date:
            return None
        return relativedelta(date, birth_date).years

    def compute_fields(self, field_names=None):
        values = super().compute_fields(field_names=field_names)
        if not field_names or {'birth_date', 'eligibility_date'} & field_names:
            age = self.compute_age(self.birth_date, self.eligibility_date)
            if age != self.age:
                values['age'] = age
        return values


class Pass(ModelSQL, ModelView):
    "PASS IAE"
    __name__ = 'insertion.pass'
    _rec_name = 'number'

    company = fields.Many2One('company.company', "Company", required=True)
    employee = fields.Many2One(
        'company.employee', "Employee", required=True, ondelete='CASCADE',
        domain=_company_domain())
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

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    @property
    def base_end_date(self):
        return self.start_date + dt.timedelta(days=PASS_DAYS - 1)

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
        if field_names and 'number' not in field_names:
            return
        for pass_ in passes:
            if not PASS_NUMBER.match(pass_.number or ''):
                raise PassError(gettext(
                        'insertion.msg_pass_number_format',
                        number=pass_.number,
                        employee=pass_.employee.rec_name))


class PassPeriodMixin:
    """A period of a PASS IAE (suspension or prolongation): its dates, checked
    in the database, and its length in days"""
    __slots__ = ()
    _dates_message = None  # The message of the dates constraint

    pass_ = fields.Many2One(
        'insertion.pass', "PASS IAE", required=True, ondelete='CASCADE')
    start_date = fields.Date("Start Date", required=True)
    end_date = fields.Date(
        "End Date", required=True,
        domain=[If(Eval('start_date'),
                ('end_date', '>=', Eval('start_date')), ())])
    days = fields.Function(fields.Integer("Days"), 'get_days')

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
        if self.start_date and self.end_date:
            return (self.end_date - self.start_date).days + 1


class Suspension(PassPeriodMixin, ModelSQL, ModelView):
    "PASS IAE suspension"
    __name__ = 'insertion.pass.suspension'
    _dates_message = 'insertion.msg_suspension_dates'

    reason = fields.Selection([
            ('contract_suspended', "Contract suspended for more than 15 days"),
            ('contract_broken', "Contract broken off"),
            ('contract_finished', "Contract finished"),
            ('sickness', "Sickness"),
            ('maternity', "Maternity"),
            ('incarceration', "Incarceration"),
            ('trial', "Trial period outside the IAE"),
            ('detoxification', "Detoxification"),
            ('force_majeure', "Force majeure"),
            ], "Reason", required=True)

    @classmethod
    def validate_fields(cls, suspensions, field_names):
        super().validate_fields(suspensions, field_names)
        for suspension in suspensions:
            suspension.check_length()
            suspension.check_overlap()

    def _error_values(self):
        return {
            'pass_': self.pass_.number,
            'employee': self.pass_.employee.rec_name,
            'start': self.start_date,
            'end': self.end_date,
            }

    def check_length(self):
        limit = self.start_date + relativedelta(months=SUSPENSION_MAX_MONTHS)
        if self.end_date >= limit:
            raise SuspensionError(gettext(
                    'insertion.msg_suspension_too_long',
                    months=SUSPENSION_MAX_MONTHS, **self._error_values()))

    def check_overlap(self):
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
                    other_start=other.start_date, other_end=other.end_date,
                    **self._error_values()))

    def check_start(self):
        "Never in the future, at most 365 days back, within the PASS"
        today = Pool().get('ir.date').today()
        values = self._error_values()
        if self.start_date > today:
            raise SuspensionError(gettext(
                    'insertion.msg_suspension_future', **values))
        if self.start_date < today - dt.timedelta(
                days=SUSPENSION_MAX_RETROACTIVE_DAYS):
            raise SuspensionError(gettext(
                    'insertion.msg_suspension_retroactive',
                    days=SUSPENSION_MAX_RETROACTIVE_DAYS, **values))
        end = self.pass_.compute_end_date(exclude=self)
        if not (self.pass_.start_date <= self.start_date <= end):
            raise SuspensionError(gettext(
                    'insertion.msg_suspension_outside_pass',
                    pass_start=self.pass_.start_date, pass_end=end, **values))

    @classmethod
    def on_modification(cls, mode, suspensions, field_names=None):
        super().on_modification(mode, suspensions, field_names=field_names)
        # Dates are checked against today when they are entered only: a
        # suspension recorded last year stays valid.
        if mode == 'create' or (
                mode == 'write' and {'start_date', 'pass_'} & field_names):
            for suspension in suspensions:
                suspension.check_start()


class Prolongation(PassPeriodMixin, ModelSQL, ModelView):
    "PASS IAE prolongation"
    __name__ = 'insertion.pass.prolongation'
    _dates_message = 'insertion.msg_prolongation_dates'

    reason = fields.Selection(PROLONGATION_REASONS, "Reason", required=True)

    @classmethod
    def validate_fields(cls, prolongations, field_names):
        super().validate_fields(prolongations, field_names)
        for prolongation in prolongations:
            prolongation.check_maximum()

    def check_maximum(self):
        once, total = PROLONGATION_MAXIMUM[self.reason]
        reason = dict(self.fields_get(['reason'])['reason']['selection'])[
            self.reason]
        values = {
            'pass_': self.pass_.number,
            'employee': self.pass_.employee.rec_name,
            'reason': reason,
            }
        if once and self.end_date >= self.start_date + relativedelta(
                months=once):
            raise ProlongationError(gettext(
                    'insertion.msg_prolongation_too_long',
                    months=once, **values))
        if total:
            same = [p for p in self.pass_.prolongations
                if p.reason == self.reason and p != self]
            start = min([p.start_date for p in same] + [self.start_date])
            days = sum(p.days for p in same) + self.days
            if start + dt.timedelta(days=days) > start + relativedelta(
                    months=total):
                raise ProlongationError(gettext(
                        'insertion.msg_prolongation_total',
                        months=total, **values))


class Contract(ModelSQL, ModelView):
    "Insertion contract"
    __name__ = 'insertion.contract'

    company = fields.Many2One('company.company', "Company", required=True)
    employee = fields.Many2One(
        'company.employee', "Employee", required=True,
        domain=_company_domain())
    kind = fields.Selection(CONTRACT_KINDS, "Kind", required=True)
    insertion = fields.Function(
        fields.Boolean("Insertion"), 'on_change_with_insertion')
    start_date = fields.Date("Start Date", required=True)
    planned_end_date = fields.Date(
        "Planned End Date",
        states={'required': Eval('kind').in_(
                ['cddi', 'ai_placement', 'etti_mission', 'cdd'])},
        domain=[If(Eval('planned_end_date') & Eval('start_date'),
                ('planned_end_date', '>=', Eval('start_date')), ())])
    end_date = fields.Date(
        "Actual End Date",
        domain=[If(Eval('end_date') & Eval('start_date'),
                ('end_date', '>=', Eval('start_date')), ())])
    weekly_hours = fields.Numeric(
        "Weekly Hours", digits=(4, 2), required=True)
    hours = fields.Numeric(
        "Hours Worked", digits=(16, 2),
        help="The hours worked under the contract (AI and ETTI exits are "
        "examined from 150 hours).")
    renewal_of = fields.Many2One(
        'insertion.contract', "Renewal of",
        domain=[
            ('employee', '=', Eval('employee', -1)),
            ('kind', '=', Eval('kind')),
            ('id', '!=', Eval('id', -1)),
            ])
    first = fields.Many2One(
        'insertion.contract', "First Contract", readonly=True,
        help="The contract that started the path (itself when not a "
        "renewal).")
    user_party = fields.Many2One(
        'party.party', "User",
        context={'company': Eval('company', -1)}, depends={'company'},
        states={
            'invisible': Eval('kind') != 'ai_placement',
            'required': Eval('kind') == 'ai_placement',
            },
        help="The company where the person is placed.")
    user_ordinary = fields.Boolean(
        "Ordinary Employer",
        states={'invisible': Eval('kind') != 'ai_placement'},
        help="Placements with an ordinary company are limited to 480 hours "
        "over 24 months.")
    # Read by the counsellors only (insertion.xml): the reason is often a
    # health one.  The end date depends on no unreadable field, so that the
    # directors' views keep it.
    derogation_reason = fields.Char(
        "Hours Derogation",
        help="Why the weekly hours may be under 20 hours.")
    derogation_end_date = fields.Date(
        "Derogation End",
        help="Required with a derogation reason.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('planned_dates', Check(t, (t.planned_end_date == Null)
                    | (t.planned_end_date >= t.start_date)),
                'insertion.msg_contract_dates'),
            ('dates', Check(t, (t.end_date == Null)
                    | (t.end_date >= t.start_date)),
                'insertion.msg_contract_dates'),
            ('weekly_hours_positive', Check(t, t.weekly_hours > 0),
                'insertion.msg_contract_weekly_hours_positive'),
            ]
        cls._sql_indexes.update({
                Index(t, (t.company, Index.Range()),
                    (t.start_date, Index.Range())),
                Index(t, (t.employee, Index.Range())),
                })
        cls._order = [('start_date', 'DESC'), ('id', 'DESC')]

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    @staticmethod
    def default_user_ordinary():
        return True

    @fields.depends('kind')
    def on_change_with_insertion(self, name=None):
        return self.kind in INSERTION_KINDS

    @property
    def last_date(self):
        "The last day of the contract, None if open-ended"
        return self.end_date or self.planned_end_date

    def get_rec_name(self, name):
        kind = dict(self.fields_get(['kind'])['kind']['selection'])[self.kind]
        return '%s, %s (%s)' % (
            self.employee.rec_name, kind, self.start_date)

    @classmethod
    def search_rec_name(cls, name, clause):
        return [('employee.rec_name',) + tuple(clause[1:])]

    def compute_fields(self, field_names=None):
        "Chain the renewals to the first contract"
        values = super().compute_fields(field_names=field_names)
        if not field_names or 'renewal_of' in field_names:
            first = self.first_of_path()
            if self.first != first:
                values['first'] = first.id
        return values

    @classmethod
    def validate_fields(cls, contracts, field_names):
        super().validate_fields(contracts, field_names)
        if field_names and not field_names & {
                'company', 'employee', 'kind', 'start_date',
                'planned_end_date', 'end_date', 'weekly_hours', 'hours',
                'renewal_of', 'user_party', 'user_ordinary',
                'derogation_reason', 'derogation_end_date'}:
            return
        for contract in contracts:
            if contract.derogation_reason and not contract.derogation_end_date:
                raise ContractError(gettext(
                        'insertion.msg_contract_derogation_end',
                        **contract._error_values()))
            if contract.kind not in INSERTION_KINDS:
                continue
            contract.check_pass()
            contract.check_overlap()
            if contract.kind == 'cddi':
                contract.check_cddi()
            if contract.kind in HOURS_RULE_KINDS:
                contract.check_weekly_hours()
            if contract.kind == 'ai_placement':
                contract.check_ai_hours()
            if contract.kind == 'cdi_inclusion':
                contract.check_cdi_inclusion()

    def _error_values(self):
        return {
            'employee': self.employee.rec_name,
            'start': self.start_date,
            }

    def check_pass(self):
        pool = Pool()
        Pass = pool.get('insertion.pass')
        passes = Pass.search([
                ('employee', '=', self.employee.id),
                ('start_date', '<=', self.start_date),
                ])
        if not any(p.covers(self.start_date) for p in passes):
            raise ContractError(gettext(
                    'insertion.msg_contract_no_pass', **self._error_values()))

    def check_overlap(self):
        end = self.last_date or dt.date.max
        domain = [
            ('id', '!=', self.id),
            ('company', '=', self.company.id),
            ('employee', '=', self.employee.id),
            ('kind', 'in', INSERTION_KINDS),
            ('start_date', '<=', end),
            ['OR',
                [('end_date', '=', None), ('planned_end_date', '=', None)],
                [('end_date', '!=', None),
                    ('end_date', '>=', self.start_date)],
                [('end_date', '=', None),
                    ('planned_end_date', '>=', self.start_date)],
                ],
            ]
        others = self.search(domain, limit=1)
        if others:
            other, = others
            raise ContractError(gettext(
                    'insertion.msg_contract_overlap',
                    other=other.rec_name, **self._error_values()))

    def check_cddi(self):
        pool = Pool()
        Pass = pool.get('insertion.pass')
        values = self._error_values()
        if self.planned_end_date < self.start_date + relativedelta(
                months=CDDI_MIN_MONTHS, days=-1):
            raise ContractError(gettext(
                    'insertion.msg_contract_cddi_too_short',
                    months=CDDI_MIN_MONTHS, **values))
        first = self.first_of_path()
        limit = first.start_date + relativedelta(months=PATH_MAX_MONTHS)
        if (self.last_date or dt.date.max) >= limit:
            prolonged = Pass.search([
                    ('employee', '=', self.employee.id),
                    ('prolongations', '!=', None),
                    ], limit=1)
            if not prolonged:
                raise ContractError(gettext(
                        'insertion.msg_contract_path_too_long',
                        months=PATH_MAX_MONTHS, first=first.start_date,
                        **values))

    def first_of_path(self):
        first, seen = self, {self}
        while first.renewal_of and first.renewal_of not in seen:
            first = first.renewal_of
            seen.add(first)
        return first

    def check_weekly_hours(self):
        hours = self.weekly_hours
        if hours > MAX_WEEKLY_HOURS:
            raise ContractError(gettext(
                    'insertion.msg_contract_hours_too_many',
                    hours=hours, maximum=MAX_WEEKLY_HOURS,
                    **self._error_values()))
        if hours < MIN_WEEKLY_HOURS and not (
                self.derogation_reason
                and self.derogation_end_date
                and self.derogation_end_date >= self.start_date):
            raise ContractError(gettext(
                    'insertion.msg_contract_hours_too_few',
                    hours=hours, minimum=MIN_WEEKLY_HOURS,
                    **self._error_values()))

    def check_ai_hours(self):
        "At most 480 h with one ordinary user over 24 months"
        if not self.user_ordinary or not self.user_party:
            return
        window = self.start_date - relativedelta(months=AI_WINDOW_MONTHS)
        placements = self.search([
                ('employee', '=', self.employee.id),
                ('kind', '=', 'ai_placement'),
                ('user_party', '=', self.user_party.id),
                ('user_ordinary', '=', True),
                ('start_date', '>', window),
                ('start_date', '<=', self.start_date),
                ])
        placements = set(placements) | {self}
        total = sum((p.hours or 0 for p in placements), Decimal(0))
        if total > AI_MAX_HOURS:
            raise ContractError(gettext(
                    'insertion.msg_contract_ai_hours',
                    hours=total, maximum=AI_MAX_HOURS,
                    user=self.user_party.rec_name, **self._error_values()))

    def check_cdi_inclusion(self):
        "CDI inclusion in ETP at most 20 % of the conventioned ETP"
        pool = Pool()
        Agreement = pool.get('insertion.agreement')
        values = self._error_values()
        agreement = Agreement.valid_at(self.company, 'aci', self.start_date)
        if not agreement:
            raise ContractError(gettext(
                    'insertion.msg_contract_cdi_inclusion_no_agreement',
                    **values))
        contracts = self.search([
                ('company', '=', self.company.id),
                ('kind', '=', 'cdi_inclusion'),
                ('start_date', '<=', self.start_date),
                ['OR',
                    ('end_date', '=', None),
                    ('end_date', '>=', self.start_date),
                    ],
                ])
        contracts = set(contracts) | {self}
        etp = sum(c.weekly_hours for c in contracts) / MAX_WEEKLY_HOURS
        maximum = agreement.etp * CDI_INCLUSION_SHARE
        if etp > maximum:
            raise ContractError(gettext(
                    'insertion.msg_contract_cdi_inclusion_share',
                    etp=etp.quantize(Decimal('0.01')),
                    maximum=maximum.quantize(Decimal('0.01')),
                    agreement=agreement.number, **values))


class Exit(ModelSQL, ModelView):
    "Insertion exit"
    __name__ = 'insertion.exit'

    company = fields.Many2One('company.company', "Company", required=True)
    employee = fields.Many2One(
        'company.employee', "Employee", required=True,
        domain=_company_domain())
    date = fields.Date("Date", required=True)
    destination = fields.Selection(
        EXIT_DESTINATIONS, "Destination", required=True)
    category = fields.Selection(
        EXIT_CATEGORIES, "Category", readonly=True,
        help="The ASP category of the destination.")
    entry_date = fields.Date(
        "Entry Date", readonly=True,
        help="The start of the first insertion contract of the path.")
    path_days = fields.Integer("Days in Structure", readonly=True)
    hours = fields.Numeric("Hours Worked", digits=(16, 2), readonly=True)
    examined = fields.Boolean(
        "Examined", readonly=True,
        help="ACI, EI, EITI: 3 months or more in the structure; "
        "AI, ETTI: 150 hours or more.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('date', 'DESC'), ('id', 'DESC')]
        t = cls.__table__()
        cls._sql_indexes.add(
            Index(t, (t.company, Index.Range()), (t.date, Index.Range())))

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    def get_rec_name(self, name):
        return '%s (%s)' % (self.employee.rec_name, self.date)

    @classmethod
    def search_rec_name(cls, name, clause):
        return [('employee.rec_name',) + tuple(clause[1:])]

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        if values.get('destination'):
            values['category'] = DESTINATION_CATEGORY[values['destination']]
        return values

    def compute_fields(self, field_names=None):
        "Store the path of the exit: entry date, length, hours, examined"
        pool = Pool()
        Contract = pool.get('insertion.contract')
        values = super().compute_fields(field_names=field_names)
        if field_names and not {'employee', 'company', 'date'} & field_names:
            return values
        contracts = Contract.search([
                ('employee', '=', self.employee.id),
                ('company', '=', self.company.id),
                ('kind', 'in', INSERTION_KINDS),
                ('start_date', '<=', self.date),
                ])
        if not contracts:
            raise ExitError(gettext(
                    'insertion.msg_exit_no_contract',
                    employee=self.employee.rec_name, date=self.date))
        entry = min(c.start_date for c in contracts)
        hours = sum((c.hours or 0 for c in contracts), Decimal(0))
        kind = structure_kind(self.company)
        if kind in {'ai', 'etti'}:
            examined = hours >= EXAMINED_HOURS
        else:
            examined = self.date >= entry + relativedelta(
                months=EXAMINED_MONTHS)
        computed = {
            'entry_date': entry,
            'path_days': (self.date - entry).days + 1,
            'hours': hours,
            'examined': examined,
            }
        values.update({k: v for k, v in computed.items()
                if getattr(self, k) != v})
        return values

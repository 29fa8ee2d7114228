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
from trytond.transaction import Transaction, without_check_access

from .limit import limit, limit_int, shown
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
SUSPENSION_REASONS = [
    ('contract_suspended', "Contract suspended for more than 15 days"),
    ('contract_broken', "Contract broken off"),
    ('contract_finished', "Contract finished"),
    ('cta_agreement', "Agreement of the CTA members"),
    ('contrat_passerelle', "Contrat passerelle experiment (ACI, EI)"),
    # Kept for history (les-emplois: old reasons, no longer offered)
    ('sickness', "Sickness"),
    ('maternity', "Maternity"),
    ('incarceration', "Incarceration"),
    ('trial', "Trial period outside the IAE"),
    ('detoxification', "Detoxification"),
    ('force_majeure', "Force majeure"),
    ]
SUSPENSION_LEGACY_REASONS = {
    'sickness', 'maternity', 'incarceration', 'trial', 'detoxification',
    'force_majeure'}
SUSPENSION_REASON_KINDS = {'contrat_passerelle': {'aci', 'ei'}}

PROLONGATION_REASONS = [
    ('senior', "Aged 50 or more"),
    ('rqth', "Disabled worker (RQTH)"),
    ('training', "Completing a training"),
    ('difficulties', "Particular difficulties (AI, ACI)"),
    ('senior_cdi', "CDI inclusion, aged 57 or more"),
    ('health_context', "Health context (until 2021-11-30)"),
    ]
# The reasons that lift the 24-month CDDI path (Code du travail L5132-15-1)
CDDI_EXEMPTION_REASONS = {'senior', 'rqth', 'difficulties', 'training'}
PROLONGATION_LEGACY_REASONS = {'health_context'}
PROLONGATION_REASON_KINDS = {'difficulties': {'ai', 'aci'}}

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
# The State's caps and path lengths (CDDI 4 to 24 months, 20 to 35 hours a
# week, AI 480 hours over 24 months...) are dated rows of insertion.limit
# (limit.xml), read at the date each rule checks.

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


def structure_kind(company):
    "The hub.member kind of the company, None when it is not a member"
    Member = Pool().get('hub.member')
    members = Member.search([
            ('company', '=', int(company)),
            ('active', 'in', [True, False]),
            ], limit=1)
    return members[0].kind if members else None


def current_path(
        company, party, date, kinds, exclude=None, exit_domain=None):
    """The person's contracts of kinds in the structure that make the path
    going on at date, whatever "renewal of" says: those started on or
    before date, after the person's last exit recorded before date (an exit
    closes a path), chained without a break longer than the limit
    path_break_months (the waiting period after which the State issues a
    new PASS IAE, hence a new path: les-emplois
    Approval.WAITING_PERIOD_YEARS)"""
    pool = Pool()
    Contract = pool.get('insertion.contract')
    Exit = pool.get('insertion.exit')
    domain = [
        ('company', '=', company.id),
        ('employee.party', '=', party.id),
        ('kind', 'in', kinds),
        ('start_date', '<=', date),
        ]
    if exclude and exclude.id is not None and exclude.id >= 0:
        domain.append(('id', '!=', exclude.id))
    exits = Exit.search([
            ('company', '=', company.id),
            ('employee.party', '=', party.id),
            ('date', '<', date),
            ] + (exit_domain or []), order=[('date', 'DESC')], limit=1)
    if exits:
        domain.append(('start_date', '>', exits[0].date))
    contracts = Contract.search(domain, order=[('start_date', 'DESC')])
    path, start = [], date
    months = limit_int('path_break_months', date)
    for contract in contracts:
        last = contract.last_date or dt.date.max
        if last != dt.date.max and last + relativedelta(
                months=months) < start:
            break
        path.append(contract)
        start = min(start, contract.start_date)
    return path


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


# What a valid or closed AF may no longer change
LOCKED_AGREEMENT_FIELDS = {
    'company', 'number', 'measure', 'start_date', 'end_date', 'etp',
    'reference_hours', 'modulation', 'departement_amount'}


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
            "Base Aid per ETP", digits=(16, 4),
            help="The rate of each month of the AF, averaged."), 'get_rate')
    rate_confirmed = fields.Function(
        fields.Boolean("Rate Confirmed"), 'get_rate')
    modulation = fields.Numeric(
        "Modulated Part (%)", digits=(4, 2), required=True, states=_states,
        help="Between 0 and 10 % of the base aid.")
    departement_amount = fields.Numeric(
        "Département Co-financing", digits=(16, 2), states=_states)
    total_aid = fields.Function(fields.Numeric(
            "State Aid", digits=(16, 2)), 'get_rate')
    # Frozen at validation: a rate edited later changes no valid AF
    frozen_base_aid = fields.Numeric(
        "Frozen Base Aid", digits=(16, 4), readonly=True)
    frozen_total_aid = fields.Numeric(
        "Frozen State Aid", digits=(16, 2), readonly=True)
    frozen_rate_confirmed = fields.Boolean(
        "Frozen Rate Confirmed", readonly=True)
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

    def months(self):
        "The first day of each month of the AF"
        month = self.start_date.replace(day=1)
        while month <= self.end_date:
            yield month
            month += relativedelta(months=1)

    def compute_rate(self):
        """(base aid per ETP and year, confirmed, total aid): the rate of
        each month of the AF by date (23 921 for an ACI from 2024-11-01),
        averaged over its months, as the ASP pays it in twelfths; None when
        a month has no amount"""
        Rate = Pool().get('insertion.aid.rate')
        amounts, confirmed = [], True
        for month in self.months():
            rate = Rate.get_rate(self.measure, month)
            if not rate or rate.amount is None:
                return None, False, None
            amounts.append(rate.amount)
            confirmed &= bool(rate.confirmed)
        base = sum(amounts) / len(amounts)
        total = (self.etp * base * (1 + self.modulation / 100)).quantize(
            Decimal('0.01'))
        return base.quantize(Decimal('0.0001')), confirmed, total

    @classmethod
    def get_rate(cls, agreements, names):
        result = {n: {} for n in names}
        for agreement in agreements:
            if agreement.state == 'draft' or (
                    agreement.frozen_total_aid is None):
                base, confirmed, total = agreement.compute_rate()
            else:
                base = agreement.frozen_base_aid
                confirmed = agreement.frozen_rate_confirmed
                total = agreement.frozen_total_aid
            result_ = {
                'base_aid': base,
                'rate_confirmed': bool(confirmed),
                'total_aid': total,
                }
            for name in names:
                result[name][agreement.id] = result_[name]
        return result

    @classmethod
    def check_modification(cls, mode, agreements, values=None,
            external=False):
        super().check_modification(
            mode, agreements, values=values, external=external)
        if mode == 'write' and set(values) & LOCKED_AGREEMENT_FIELDS:
            for agreement in agreements:
                if agreement.state != 'draft':
                    raise AgreementError(gettext(
                            'insertion.msg_agreement_locked',
                            number=agreement.number))

    @classmethod
    def validate_fields(cls, agreements, field_names):
        super().validate_fields(agreements, field_names)
        if field_names and not {
                'number', 'measure', 'modulation', 'start_date',
                'end_date'} & field_names:
            return
        for agreement in agreements:
            if not (0 <= agreement.modulation <= 10):
                raise AgreementError(gettext(
                        'insertion.msg_agreement_modulation',
                        number=agreement.number,
                        modulation=agreement.modulation))
            if agreement.start_date.year != agreement.end_date.year:
                # Aid, ETP and the ASP's twelfths are yearly
                raise AgreementError(gettext(
                        'insertion.msg_agreement_one_year',
                        number=agreement.number,
                        start=agreement.start_date, end=agreement.end_date))
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
        cls.write(agreements, {
                'frozen_base_aid': None,
                'frozen_total_aid': None,
                'frozen_rate_confirmed': None,
                })

    @classmethod
    @ModelView.button
    @Workflow.transition('valid')
    def validate_agreement(cls, agreements):
        for agreement in agreements:
            base, confirmed, total = agreement.compute_rate()
            cls.write([agreement], {
                    'frozen_base_aid': base,
                    'frozen_total_aid': total,
                    'frozen_rate_confirmed': confirmed,
                    })

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
# les-emplois itou/eligibility/data/administrative_criteria.json: the IAE
# criteria, with their codes; CAP_BEP is "level 3 (CAP, BEP) or below",
# SENIOR 50 or more and JEUNE under 26 at the eligibility date.
LEVEL1_CRITERIA = [
    ('RSA', 'rsa'), ('ASS', 'ass'), ('AAH', 'aah'),
    ('DETLD', 'very_long_unemployed'),
    ]
LEVEL2_CRITERIA = [
    ('ASE', 'ase'), ('DELD', 'long_unemployed'), ('TH', 'rqth'),
    ('PI', 'single_parent'), ('PSH_PR', 'homeless'), ('REF_DA', 'refugee'),
    ('ZRR', 'zrr'), ('QPV', 'qpv'), ('DETENTION_MJ', 'justice'),
    ('FLE', 'french_level'), ('PM', 'mobility'),
    ]
EDUCATION_CAP_OR_BELOW = ('none', 'below_cap', 'cap')
# ADMINISTRATIVE_CRITERIA_LEVEL_2_REQUIRED_FOR_SIAE_KIND (eligibility/enums.py)
LEVEL2_REQUIRED = {'ai': 2, 'etti': 2, 'aci': 3, 'ei': 3, 'eiti': 3}
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
    single_parent = fields.Boolean("Single Parent")
    homeless = fields.Boolean(
        "Homeless or Housed", help="Without housing, housed (hostel, "
        "shelter) or having lived in the street.")
    french_level = fields.Boolean(
        "French Below A1", help="Command of French below level A1.")
    mobility = fields.Boolean("Mobility Problem")
    education_level = fields.Selection(EDUCATION_LEVELS, "Education Level")
    situation = fields.Selection(SITUATIONS, "Situation Before Hiring")
    eligible = fields.Function(fields.Boolean(
            "Eligible",
            help="One level 1 criterion, or enough level 2 criteria for "
            "the kind of structure (2 in AI and ETTI, 3 in ACI, EI, EITI)."),
        'get_eligibility')
    eligibility = fields.Function(
        fields.Char("Eligibility Criteria"), 'get_eligibility')

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

    def criteria(self):
        "The (level 1, level 2) criteria met, as les-emplois names them"
        level1 = [code for code, field in LEVEL1_CRITERIA
            if getattr(self, field)]
        level2 = [code for code, field in LEVEL2_CRITERIA
            if getattr(self, field)]
        if self.education_level in EDUCATION_CAP_OR_BELOW:
            level2.append('CAP_BEP')
        age = self.compute_age(self.birth_date, self.eligibility_date)
        if age is not None and age >= 50:
            level2.append('SENIOR')
        if age is not None and age < 26:
            level2.append('JEUNE')
        return level1, sorted(level2)

    @classmethod
    def get_eligibility(cls, profiles, names):
        result = {n: {} for n in names}
        for profile in profiles:
            level1, level2 = profile.criteria()
            kind = structure_kind(profile.company)
            required = LEVEL2_REQUIRED.get(kind)
            eligible = bool(level1) or (
                required is not None and len(level2) >= required)
            why = gettext('insertion.msg_profile_eligibility',
                level1=', '.join(level1) or '-',
                level2=', '.join(level2) or '-',
                required=required if required is not None else '-',
                kind=(kind or '-').upper())
            values = {'eligible': eligible, 'eligibility': why}
            for name in names:
                result[name][profile.id] = values[name]
        return result

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
                        other=other.number, start=other.start_date,
                        end=other.end_date))


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
            'start': self.start_date,
            'end': self.end_date,
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
                    other_start=other.start_date, other_end=other.end_date,
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
                    minimum=minimum,
                    days=limit_int('suspension_retroactive_days', referent),
                    **values))
        end = self.pass_.compute_end_date(exclude=self)
        if not (self.pass_.start_date <= self.start_date <= end):
            raise SuspensionError(gettext(
                    'insertion.msg_suspension_outside_pass',
                    pass_start=self.pass_.start_date, pass_end=end, **values))

    @classmethod
    def on_modification(cls, mode, suspensions, field_names=None):
        super().on_modification(mode, suspensions, field_names=field_names)
        # Dates are checked when they are entered, against the day the
        # suspension was recorded: a suspension recorded last year stays
        # valid.
        if mode == 'create' or (mode == 'write' and {
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
                    maximum=maximum, once=once, total=total or once,
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
                    other_start=other.start_date, other_end=other.end_date,
                    **self._error_values()))

    def check_start(self):
        "A new prolongation starts on the end date of the PASS"
        end = self.pass_.compute_end_date(exclude=self)
        if self.start_date != end:
            raise ProlongationError(gettext(
                    'insertion.msg_prolongation_start',
                    pass_end=end, **self._error_values()))

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
        # The PASS belongs to the person: one recorded by another structure
        # of the pôle counts (a person keeps it when moving)
        with without_check_access():
            passes = Pass.search([
                    ('party', '=', self.employee.party.id),
                    ('start_date', '<=', self.start_date),
                    ])
            covered = any(p.covers(self.start_date) for p in passes)
        if not covered:
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
        values = self._error_values()
        minimum = limit_int('cddi_min_months', self.start_date)
        if self.planned_end_date < self.start_date + relativedelta(
                months=minimum, days=-1):
            raise ContractError(gettext(
                    'insertion.msg_contract_cddi_too_short',
                    months=minimum, **values))
        start = self.path_start()
        months = limit_int('path_max_months', start)
        last_day = start + relativedelta(months=months, days=-1)
        last = self.last_date or dt.date.max
        if last > last_day:
            last_day, reason = self.exemption_limit(start)
            if last > last_day:
                raise ContractError(gettext(
                        'insertion.msg_contract_path_too_long',
                        months=months, first=start, limit=last_day,
                        **values))

    def path_start(self):
        "The start of the current path of CDDI in the structure"
        contracts = current_path(
            self.company, self.employee.party, self.start_date, [self.kind],
            exclude=self)
        return min([c.start_date for c in contracts] + [self.start_date])

    def exemption_limit(self, start):
        """The last day a CDDI path from start may reach with the
        exemption of a prolongation of the PASS IAE (Code du travail
        L5132-15-1): 50 or more, RQTH or particular difficulties up to
        60 months, a training until it ends; never after the prolongation's
        end.  (limit, reason), the 24-month limit when none applies"""
        pool = Pool()
        Pass = pool.get('insertion.pass')
        last_day = start + relativedelta(
            months=limit_int('path_max_months', start), days=-1)
        reason = None
        with without_check_access():
            passes = Pass.search([
                    ('party', '=', self.employee.party.id),
                    ])
        for pass_ in passes:
            for prolongation in pass_.prolongations:
                if prolongation.reason not in CDDI_EXEMPTION_REASONS:
                    continue
                # None: until the end of the prolongation (a training)
                months = limit_int(
                    'cddi_exemption_%s' % prolongation.reason, start)
                end = prolongation.end_date
                if months is not None:
                    end = min(end, start + relativedelta(
                            months=months, days=-1))
                if end > last_day:
                    last_day, reason = end, prolongation.reason
        return last_day, reason

    def first_of_path(self):
        first, seen = self, {self}
        while first.renewal_of and first.renewal_of not in seen:
            first = first.renewal_of
            seen.add(first)
        return first

    def check_weekly_hours(self):
        hours = self.weekly_hours
        maximum = limit('max_weekly_hours', self.start_date)
        minimum = limit('min_weekly_hours', self.start_date)
        if hours > maximum:
            raise ContractError(gettext(
                    'insertion.msg_contract_hours_too_many',
                    hours=hours, maximum=shown(maximum),
                    **self._error_values()))
        if hours < minimum and not (
                self.derogation_reason
                and self.derogation_end_date
                and self.derogation_end_date >= self.start_date):
            raise ContractError(gettext(
                    'insertion.msg_contract_hours_too_few',
                    hours=hours, minimum=shown(minimum),
                    **self._error_values()))

    def check_ai_hours(self):
        """At most 480 h with one ordinary user over any 24 months: every
        placement with the user, before and after this one, counts"""
        if not self.user_ordinary or not self.user_party:
            return
        window = relativedelta(
            months=limit_int('ai_window_months', self.start_date))
        maximum = limit('ai_max_hours', self.start_date)
        placements = self.search([
                ('employee', '=', self.employee.id),
                ('kind', '=', 'ai_placement'),
                ('user_party', '=', self.user_party.id),
                ('user_ordinary', '=', True),
                ('start_date', '>', self.start_date - window),
                ('start_date', '<', self.start_date + window),
                ])
        placements = set(placements) | {self}
        for first in placements:
            total = sum((p.hours or 0 for p in placements
                    if first.start_date <= p.start_date
                    < first.start_date + window), Decimal(0))
            if total > maximum:
                raise ContractError(gettext(
                        'insertion.msg_contract_ai_hours',
                        hours=total, maximum=shown(maximum),
                        user=self.user_party.rec_name,
                        **self._error_values()))

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
        etp = sum(c.weekly_hours for c in contracts) / limit(
            'max_weekly_hours', self.start_date)
        maximum = agreement.etp * limit(
            'cdi_inclusion_share', self.start_date)
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
        values = super().compute_fields(field_names=field_names)
        if field_names and not {'employee', 'company', 'date'} & field_names:
            return values
        if self.id is not None and self.id >= 0:
            exclude = [('id', '!=', self.id)]
        else:
            exclude = []
        # The current path, not the first contract ever: an earlier exit
        # closed the earlier path (current_path states the rule)
        contracts = current_path(
            self.company, self.employee.party, self.date, INSERTION_KINDS,
            exit_domain=exclude)
        if not contracts:
            raise ExitError(gettext(
                    'insertion.msg_exit_no_contract',
                    employee=self.employee.rec_name, date=self.date))
        entry = min(c.start_date for c in contracts)
        hours = sum((c.hours or 0 for c in contracts), Decimal(0))
        kind = structure_kind(self.company)
        if kind in {'ai', 'etti'}:
            examined = hours >= limit('examined_hours', self.date)
        else:
            examined = self.date >= entry + relativedelta(
                months=limit_int('examined_months', self.date))
        computed = {
            'entry_date': entry,
            'path_days': (self.date - entry).days + 1,
            'hours': hours,
            'examined': examined,
            }
        values.update({k: v for k, v in computed.items()
                if getattr(self, k) != v})
        return values

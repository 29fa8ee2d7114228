# This file is part of Pôle.
"""The insertion profile of a person: the eligibility criteria the State
asks (counsellors only)."""

from dateutil.relativedelta import relativedelta

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Unique, fields
from trytond.transaction import Transaction

from .common import _company_domain, structure_kind


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

# This file is part of Pôle.
"""The board's indicators: aggregates per structure and for the whole pôle
over a period, computed by one SQL query (table_query).  They name nobody:
board members read them and nothing else of the insertion data."""
import datetime as dt

from sql import Cast, Literal, Null, With
from sql.aggregate import Count, Sum
from sql.conditionals import Case, Coalesce

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, fields
from trytond.pool import Pool
from trytond.report import Report
from trytond.transaction import Transaction
from trytond.wizard import Button, StateReport, StateView, Wizard

from .insertion import EDUCATION_BELOW_CAP, INSERTION_KINDS, MEASURES

SIAE_KINDS = [m for m, _ in MEASURES]
# The counts of the indicator, in the order of the report
COUNTS = [
    'people', 'entries', 'women', 'men', 'under_26', 'over_50', 'rsa', 'ass',
    'aah', 'rqth', 'qpv', 'zrr', 'long_unemployed', 'below_cap',
    'exits', 'exits_durable', 'exits_transition', 'exits_positive',
    'exits_other', 'exits_withdrawn', 'exits_examined', 'exits_dynamic',
    'path_days',
    ]


def default_period(today=None):
    today = today or Pool().get('ir.date').today()
    return today.replace(month=1, day=1), today.replace(month=12, day=31)


class IndicatorContext(ModelView):
    "Insertion indicators context"
    __name__ = 'insertion.indicator.context'

    from_date = fields.Date("From Date", required=True)
    to_date = fields.Date("To Date", required=True)

    @classmethod
    def default_from_date(cls):
        return Transaction().context.get('from_date') or default_period()[0]

    @classmethod
    def default_to_date(cls):
        return Transaction().context.get('to_date') or default_period()[1]


class Indicator(ModelSQL, ModelView):
    "Insertion indicators"
    __name__ = 'insertion.indicator'

    company = fields.Many2One(
        'company.company', "Structure",
        help="Empty for the whole pôle.")
    people = fields.Integer(
        "People", help="People who worked on an insertion contract.")
    entries = fields.Integer("Entries", help="Renewals are not counted.")
    women = fields.Integer("Women")
    men = fields.Integer("Men")
    under_26 = fields.Integer("Under 26")
    over_50 = fields.Integer("50 or More")
    rsa = fields.Integer("RSA")
    ass = fields.Integer("ASS")
    aah = fields.Integer("AAH")
    rqth = fields.Integer("RQTH")
    qpv = fields.Integer("QPV")
    zrr = fields.Integer("ZRR")
    long_unemployed = fields.Integer(
        "Long-term Unemployed", help="12 months or more.")
    below_cap = fields.Integer("Education Below CAP")
    exits = fields.Integer("Exits")
    exits_durable = fields.Integer("Durable Employment")
    exits_transition = fields.Integer("Transitional Employment")
    exits_positive = fields.Integer("Positive Exits")
    exits_other = fields.Integer("Other Exits")
    exits_withdrawn = fields.Integer("Withdrawn")
    exits_examined = fields.Integer(
        "Exits Examined", help="Withdrawn exits are not examined.")
    exits_dynamic = fields.Integer(
        "Dynamic Exits",
        help="Examined exits to durable or transitional employment or "
        "positive.")
    path_days = fields.Integer("Days of Paths Ended")
    dynamic_rate = fields.Function(
        fields.Float("Dynamic Exit Rate (%)", digits=(16, 1)), 'get_ratio')
    average_path = fields.Function(
        fields.Float("Average Path (months)", digits=(16, 1),
            help="The average time in the structure of the people who "
            "left."),
        'get_ratio')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        # The pôle first (id 1), then the structures (company × 2)
        cls._order = [('id', 'ASC')]

    @classmethod
    def period(cls):
        context = Transaction().context
        from_date, to_date = default_period()
        return (
            context.get('from_date') or from_date,
            context.get('to_date') or to_date)

    @classmethod
    def table_query(cls):
        pool = Pool()
        Contract = pool.get('insertion.contract')
        Exit = pool.get('insertion.exit')
        Profile = pool.get('insertion.employee.profile')
        Member = pool.get('hub.member')
        from_date, to_date = cls.period()

        # The structures' rows, computed once (a common table expression),
        # and the pôle's row summed from them
        per_structure = With('company', *COUNTS,
            query=cls._structure_query(
                Contract.__table__(), Exit.__table__(), Profile.__table__(),
                Member.__table__(), from_date, to_date))
        structures = per_structure.select(
            (per_structure.company * 2).as_('id'),
            per_structure.company.as_('company'),
            *[Coalesce(getattr(per_structure, c), 0).as_(c) for c in COUNTS])
        pole = per_structure.select(
            Cast(Literal(1), 'INTEGER').as_('id'),
            Cast(Literal(None), 'INTEGER').as_('company'),
            *[Coalesce(Sum(getattr(per_structure, c)), 0).as_(c)
                for c in COUNTS])
        union = structures | pole
        union.all_ = True
        union.with_ = [per_structure]
        # Sums of counts are numeric on PostgreSQL: the fields are integers
        return union.select(
            union.id, union.company,
            *[Cast(getattr(union, c), 'INTEGER').as_(c) for c in COUNTS],
            Cast(Literal(0), 'INTEGER').as_('create_uid'),
            Cast(Literal(None), cls.create_date.sql_type().base).as_(
                'create_date'),
            Cast(Literal(None), 'INTEGER').as_('write_uid'),
            Cast(Literal(None), cls.write_date.sql_type().base).as_(
                'write_date'))

    @classmethod
    def search(cls, domain, offset=0, limit=None, order=None, count=False,
            query=False):
        # A client lists the rows (search) then reads them: the ids are known
        # without computing the aggregates, which the read computes once.
        if (not domain and not offset and limit is None and not order
                and not count and not query):
            return cls.browse(cls._all_ids())
        return super().search(domain, offset=offset, limit=limit,
            order=order, count=count, query=query)

    @classmethod
    def _all_ids(cls):
        "The ids of table_query's rows: the pôle's and one per SIAE member"
        pool = Pool()
        Member = pool.get('hub.member')
        member = Member.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*member.select(
                member.company, where=member.kind.in_(SIAE_KINDS)))
        return [1] + sorted(company * 2 for company, in cursor)

    @classmethod
    def _structure_query(
            cls, contract, exit, profile, member, from_date, to_date):
        "One row per SIAE member with the counts of the period"
        worked = (
            contract.kind.in_(INSERTION_KINDS)
            & (contract.start_date <= to_date)
            & (Coalesce(contract.end_date, contract.planned_end_date, to_date)
                >= from_date))
        entry = (
            (contract.renewal_of == Null)
            & (contract.start_date >= from_date)
            & (contract.start_date <= to_date))
        person = contract.select(
            contract.company, contract.employee,
            Count(Case((entry, contract.id))).as_('entries'),
            where=worked,
            group_by=[contract.company, contract.employee])

        # Counting a column (never a constant): PostgreSQL must know the
        # type of every parameter
        def per_person(condition):
            return Count(Case((condition, person.employee)))

        def per_exit(condition):
            return Count(Case((condition, exit.id)))

        def true(column):
            return column == Literal(True)

        people = person.join(
            profile, 'LEFT', condition=profile.employee == person.employee
            ).select(
            person.company,
            Count(person.employee).as_('people'),
            Sum(person.entries).as_('entries'),
            per_person(profile.gender == 'female').as_('women'),
            per_person(profile.gender == 'male').as_('men'),
            per_person(profile.age < 26).as_('under_26'),
            per_person(profile.age >= 50).as_('over_50'),
            per_person(true(profile.rsa)).as_('rsa'),
            per_person(true(profile.ass)).as_('ass'),
            per_person(true(profile.aah)).as_('aah'),
            per_person(true(profile.rqth)).as_('rqth'),
            per_person(true(profile.qpv)).as_('qpv'),
            per_person(true(profile.zrr)).as_('zrr'),
            per_person(true(profile.long_unemployed)
                | true(profile.very_long_unemployed)).as_('long_unemployed'),
            per_person(profile.education_level.in_(EDUCATION_BELOW_CAP)).as_(
                'below_cap'),
            group_by=[person.company])

        examined = true(exit.examined) & (exit.category != 'withdrawn')
        exits = exit.select(
            exit.company,
            Count(exit.id).as_('exits'),
            per_exit(exit.category == 'durable').as_('exits_durable'),
            per_exit(exit.category == 'transition').as_('exits_transition'),
            per_exit(exit.category == 'positive').as_('exits_positive'),
            per_exit(exit.category == 'other').as_('exits_other'),
            per_exit(exit.category == 'withdrawn').as_('exits_withdrawn'),
            per_exit(examined).as_('exits_examined'),
            per_exit(examined & exit.category.in_(
                    ['durable', 'transition', 'positive'])).as_(
                'exits_dynamic'),
            Sum(exit.path_days).as_('path_days'),
            where=(exit.date >= from_date) & (exit.date <= to_date),
            group_by=[exit.company])

        people_columns = [
            'people', 'entries', 'women', 'men', 'under_26', 'over_50',
            'rsa', 'ass', 'aah', 'rqth', 'qpv', 'zrr', 'long_unemployed',
            'below_cap']
        exit_columns = [c for c in COUNTS if c not in people_columns]
        return member.join(
            people, 'LEFT', condition=people.company == member.company
            ).join(exits, 'LEFT', condition=exits.company == member.company
            ).select(
            member.company.as_('company'),
            *[getattr(people, c).as_(c) for c in people_columns],
            *[getattr(exits, c).as_(c) for c in exit_columns],
            where=member.kind.in_(SIAE_KINDS))

    @classmethod
    def get_ratio(cls, indicators, names):
        result = {n: {} for n in names}
        for indicator in indicators:
            if 'dynamic_rate' in names:
                result['dynamic_rate'][indicator.id] = (
                    round(100 * indicator.exits_dynamic
                        / indicator.exits_examined, 1)
                    if indicator.exits_examined else None)
            if 'average_path' in names:
                # Days to months: 365.25 / 12 days a month
                result['average_path'][indicator.id] = (
                    round(indicator.path_days / indicator.exits
                        / (365.25 / 12), 1)
                    if indicator.exits else None)
        return result

    def get_rec_name(self, name):
        if self.company:
            return self.company.rec_name
        return gettext('insertion.msg_whole_pole')


class BoardReportStart(ModelView):
    "Insertion board report"
    __name__ = 'insertion.board_report.start'

    company = fields.Many2One(
        'company.company', "Structure",
        help="Leave empty for the whole pôle.")
    year = fields.Integer("Year", required=True)

    @classmethod
    def default_year(cls):
        return Pool().get('ir.date').today().year


class BoardReportPrint(Wizard):
    "Insertion board report"
    __name__ = 'insertion.board_report.print'

    start = StateView('insertion.board_report.start',
        'insertion.board_report_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Print", 'print_', 'tryton-print', default=True),
            ])
    print_ = StateReport('insertion.board_report')

    def do_print_(self, action):
        return action, {
            'company': self.start.company.id if self.start.company else None,
            'year': self.start.year,
            }


class BoardReport(Report):
    "Insertion board report"
    __name__ = 'insertion.board_report'

    @classmethod
    def rows(cls, year, company_id=None):
        "The indicators of the year: the structure's, or the pôle's"
        Indicator = Pool().get('insertion.indicator')
        with Transaction().set_context(
                from_date=dt.date(year, 1, 1), to_date=dt.date(year, 12, 31)):
            indicators = Indicator.search([])
            if company_id:
                return [i for i in indicators
                    if i.company and i.company.id == company_id]
            return indicators

    @classmethod
    def bars(cls, indicator, width=40):
        "Text bars of the exits by category, scaled to width characters"
        values = [
            ('durable', indicator.exits_durable),
            ('transition', indicator.exits_transition),
            ('positive', indicator.exits_positive),
            ('other', indicator.exits_other),
            ('withdrawn', indicator.exits_withdrawn),
            ]
        top = max([v for _, v in values] + [1])
        return [(k, v, '█' * round(width * v / top)) for k, v in values]

    @classmethod
    def get_context(cls, records, header, data):
        pool = Pool()
        Company = pool.get('company.company')
        context = super().get_context(records, header, data)
        year = data['year']
        company = Company(data['company']) if data.get('company') else None
        context['year'] = year
        context['structure'] = company
        context['rows'] = cls.rows(
            year, company.id if company else None)
        context['bars'] = cls.bars
        context['structure_name'] = (
            company.party.name if company else gettext(
                'insertion.msg_whole_pole'))
        context['name'] = lambda row: (
            row.company.party.name if row.company else gettext(
                'insertion.msg_whole_pole'))
        context['labels'] = dict(
            Pool().get('insertion.exit').fields_get(
                ['category'])['category']['selection'])
        return context

    @classmethod
    def execute(cls, ids, data):
        # The report works on the indicators, not on records
        return super().execute([], data)

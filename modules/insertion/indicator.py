# This file is part of Pôle.
"""The board's indicators: aggregates per structure and for the whole pôle
over a period, computed by one SQL query (counts_query) for every row at
once; the rows themselves (table_query) are the members.  They name nobody,
and no figure of fewer than 5 people is shown to whoever may not read the
people themselves (statistical secrecy, see secret_cells and
doc/index.rst)."""
import datetime as dt

from sql import Cast, Literal, Null, Select, With
from sql.aggregate import Count, Sum
from sql.conditionals import Case, Coalesce

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, fields
from trytond.modules.hub.format import format_date
from trytond.pool import Pool
from trytond.report import Report
from trytond.transaction import Transaction
from trytond.wizard import Button, StateReport, StateView, Wizard

from .exceptions import IndicatorError
from .common import INSERTION_KINDS, MEASURES
from .profile import EDUCATION_BELOW_CAP

SIAE_KINDS = [m for m, _ in MEASURES]
# The counts of the indicator, in the order of the report
COUNTS = [
    'people', 'entries', 'women', 'men', 'under_26', 'over_50', 'rsa', 'ass',
    'aah', 'rqth', 'qpv', 'zrr', 'long_unemployed', 'below_cap',
    'exits', 'exits_durable', 'exits_transition', 'exits_positive',
    'exits_other', 'exits_withdrawn', 'exits_examined', 'exits_dynamic',
    'path_days',
    ]
RATES = ['dynamic_rate', 'average_path']

# Statistical secrecy: a count of 1 to 4 people is never shown but to the
# structure's counsellors; nor is any figure that would give it back by
# subtraction.
THRESHOLD = 5
CRITERIA = [
    'rsa', 'ass', 'aah', 'rqth', 'qpv', 'zrr', 'long_unemployed', 'below_cap']
EXIT_CATEGORY_COUNTS = [
    'exits_durable', 'exits_transition', 'exits_positive', 'exits_other',
    'exits_withdrawn']
# The breakdowns of a row: (total, parts, complement).  The parts add up to
# the total, with the people they leave out when complement (never shown,
# but worked out by subtraction).  Gender has no complement: it is taken as
# always recorded, so that one gender gives the other.
BREAKDOWNS = [
    ('people', ['entries'], True),
    ('people', ['women', 'men'], False),
    ('people', ['under_26', 'over_50'], True),
    *(('people', [c], True) for c in CRITERIA),
    ('exits', EXIT_CATEGORY_COUNTS, False),
    ('exits', ['exits_examined'], True),
    ('exits_examined', ['exits_dynamic'], True),
    ]
# path_days is a sum of days, not of people: secret with the exits
PEOPLE_COUNTS = [c for c in COUNTS if c != 'path_days']


def sensitive(value):
    "Whether a count names too few people to be shown"
    return value is not None and 0 < value < THRESHOLD


def _smallest(candidates, value):
    "The candidate of smallest value, zeros last (hiding them hides little)"
    return min(candidates, key=lambda c: (value(c) == 0, value(c)))


def secret_cells(table, readable, exact=()):
    """The cells of the indicators to hide from a reader

    table: {company id: {count: value}} of every structure, and the pôle's
    row under None; readable: the companies of the reader (their rows and the
    pôle's are the ones they see); exact: the readable ones they see exact
    (a counsellor's).  Return {row: set of counts} for the pôle and the
    readable structures but the exact ones.

    Classic primary and secondary suppression: a count of 1 to 4 is hidden,
    and so is everything of a breakdown whose total is; then, in each
    breakdown of a row and in each column (the pôle is the sum of the
    structures), no hidden figure may be the only unknown (unless the total
    is 0: all are 0 whatever is hidden), else one more is hidden, the
    smallest, until nothing changes.  The structures the reader cannot read are
    one unknown of the column, worked out as the pôle minus the readable
    ones (which the reader may know otherwise: contracts, their own
    people): the pôle's cell is hidden when that rest is of 1 to 4 people,
    or is a single structure.  The pôle of structures all read exact is
    exact.
    """
    structures = sorted(k for k in table if k is not None)
    shown = [k for k in structures if k in readable and k not in exact]
    others = [k for k in structures if k not in readable]
    if not shown and not others:
        # The pôle is the sum of what they read exact
        return {None: set()}
    shown.append(None)
    hidden = {k: set() for k in shown}

    for key in shown:
        values = table[key]
        hidden[key].update(c for c in PEOPLE_COUNTS if sensitive(values[c]))
        for total, parts, _ in BREAKDOWNS:
            if sensitive(values[total]):
                hidden[key].update(parts)
        if sensitive(values['exits']):
            hidden[key].add('path_days')

    def rest(count):
        "The pôle minus the readable structures"
        return table[None][count] - sum(
            table[k][count] for k in structures if k in readable)

    changed = True
    while changed:
        changed = False
        for key in shown:
            values, secret = table[key], hidden[key]
            for total, parts, complement in BREAKDOWNS:
                unknown = [p for p in parts if p in secret]
                if total in secret:
                    unknown.append(total)
                left_out = values[total] - sum(values[p] for p in parts)
                if complement:
                    unknown.append(None)
                if len(unknown) != 1 or (
                        unknown == [None] and not sensitive(left_out)):
                    continue
                if total not in secret and not values[total]:
                    # All of nobody: nothing to work out
                    continue
                published = [p for p in parts if p not in secret]
                if published:
                    secret.add(_smallest(published, values.__getitem__))
                    changed = True
                elif total not in secret:
                    secret.add(total)
                    changed = True
        for count in COUNTS:
            if others:
                size = rest('exits' if count == 'path_days' else count)
                if (count not in hidden[None]
                        and (len(others) == 1 or sensitive(size))):
                    hidden[None].add(count)
                    changed = True
                continue
            unknown = [k for k in shown if count in hidden[k]]
            if len(unknown) != 1 or (
                    None not in unknown and not table[None][count]):
                continue
            published = [k for k in shown
                if k is not None and count not in hidden[k]]
            if published:
                hidden[_smallest(
                            published, lambda k: table[k][count])].add(count)
                changed = True
            elif count not in hidden[None]:
                hidden[None].add(count)
                changed = True
            # else the pôle is the only unknown, but the reader reads every
            # structure exact: nothing to keep from them
    return hidden


def default_period(today=None):
    today = today or Pool().get('ir.date').today()
    return today.replace(month=1, day=1), today.replace(month=12, day=31)


# Left eighth blocks: 1/8 to 7/8 of a character
EIGHTHS = ' ▏▎▍▌▋▊▉'


class IndicatorContext(ModelView):
    "Insertion indicators context"
    __name__ = 'insertion.indicator.context'

    from_date = fields.Date(
        "From Date", required=True,
        help="The first day of a month: the indicators are given for whole "
        "calendar months.")
    to_date = fields.Date(
        "To Date", required=True,
        help="The last day of a month.")

    @classmethod
    def default_from_date(cls):
        return Transaction().context.get('from_date') or default_period()[0]

    @classmethod
    def default_to_date(cls):
        return Transaction().context.get('to_date') or default_period()[1]


class Indicator(ModelSQL, ModelView):
    """Insertion indicators

    The counts are None where they are secret for the reader (secret_cells),
    and each figure has its text, "< 5" or "hidden" there."""
    __name__ = 'insertion.indicator'

    company = fields.Many2One(
        'company.company', "Structure",
        help="Empty for the whole pôle.")
    # The row's label: the pôle's row has no company to show
    label = fields.Function(fields.Char(
            "Structure", help="The structure, or the whole pôle."),
        'get_rec_name')
    people = fields.Function(fields.Integer(
            "People", help="People who worked on an insertion contract."),
        'get_figures')
    entries = fields.Function(fields.Integer(
            "Entries", help="Renewals are not counted."), 'get_figures')
    women = fields.Function(fields.Integer("Women"), 'get_figures')
    men = fields.Function(fields.Integer("Men"), 'get_figures')
    under_26 = fields.Function(fields.Integer("Under 26"), 'get_figures')
    over_50 = fields.Function(fields.Integer("50 or More"), 'get_figures')
    rsa = fields.Function(fields.Integer("RSA"), 'get_figures')
    ass = fields.Function(fields.Integer("ASS"), 'get_figures')
    aah = fields.Function(fields.Integer("AAH"), 'get_figures')
    rqth = fields.Function(fields.Integer("RQTH"), 'get_figures')
    qpv = fields.Function(fields.Integer("QPV"), 'get_figures')
    zrr = fields.Function(fields.Integer("ZRR"), 'get_figures')
    long_unemployed = fields.Function(fields.Integer(
            "Long-term Unemployed", help="12 months or more."),
        'get_figures')
    below_cap = fields.Function(fields.Integer(
            "Education Below CAP"), 'get_figures')
    exits = fields.Function(fields.Integer("Exits"), 'get_figures')
    exits_durable = fields.Function(fields.Integer(
            "Durable Employment"), 'get_figures')
    exits_transition = fields.Function(fields.Integer(
            "Transitional Employment"), 'get_figures')
    exits_positive = fields.Function(fields.Integer(
            "Positive Exits"), 'get_figures')
    exits_other = fields.Function(fields.Integer(
            "Other Exits"), 'get_figures')
    exits_withdrawn = fields.Function(fields.Integer(
            "Withdrawn"), 'get_figures')
    exits_examined = fields.Function(fields.Integer(
            "Exits Examined", help="Withdrawn exits are not examined."),
        'get_figures')
    exits_dynamic = fields.Function(fields.Integer(
            "Dynamic Exits",
            help="Examined exits to durable or transitional employment or "
            "positive."),
        'get_figures')
    path_days = fields.Function(fields.Integer(
            "Days of Paths Ended"), 'get_figures')
    dynamic_rate = fields.Function(
        fields.Float("Dynamic Exit Rate (%)", digits=(16, 1)), 'get_figures')
    average_path = fields.Function(
        fields.Float("Average Path (months)", digits=(16, 1),
            help="The average time in the structure of the people who "
            "left."),
        'get_figures')
    # The texts of the figures for the list, the form and the report
    for _name in COUNTS + RATES:
        locals()[_name + '_text'] = fields.Function(fields.Char(
                locals()[_name].string,
                help=(locals()[_name].help + '\n' if locals()[_name].help
                    else '') + '"< 5": fewer than 5 people; "hidden": hidden '
                'so that such a figure cannot be worked out by subtraction.'),
            'get_figures')
    del _name

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
    def check_period(cls):
        """Whole calendar months only: the indicators of a day minus those
        of the day before would describe whoever started that day"""
        from_date, to_date = cls.period()
        if (from_date.day != 1 or (to_date + dt.timedelta(days=1)).day != 1
                or to_date < from_date):
            raise IndicatorError(gettext(
                    'insertion.msg_indicator_period',
                    from_date=format_date(from_date),
                    to_date=format_date(to_date)))

    @classmethod
    def table_query(cls):
        "The rows: the pôle's (id 1) and one per SIAE member (company × 2)"
        pool = Pool()
        Member = pool.get('hub.member')
        member = Member.__table__()
        structures = member.select(
            (member.company * 2).as_('id'), member.company.as_('company'),
            where=member.kind.in_(SIAE_KINDS))
        pole = Select([
                Cast(Literal(1), 'INTEGER').as_('id'),
                Cast(Literal(None), 'INTEGER').as_('company')])
        union = structures | pole
        union.all_ = True
        return union.select(
            union.id, union.company,
            Cast(Literal(0), 'INTEGER').as_('create_uid'),
            Cast(Literal(None), cls.create_date.sql_type().base).as_(
                'create_date'),
            Cast(Literal(None), 'INTEGER').as_('write_uid'),
            Cast(Literal(None), cls.write_date.sql_type().base).as_(
                'write_date'))

    @classmethod
    def counts_query(cls):
        """The counts of every row over the period, in one statement: only
        the figures read them (_figures), so that nobody gets a count but
        through the secrecy, nor searches them"""
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
            *[Cast(getattr(union, c), 'INTEGER').as_(c) for c in COUNTS])

    @classmethod
    def search(cls, domain, offset=0, limit=None, order=None, count=False,
            query=False):
        if Transaction().user:
            cls.check_period()
            cls.check_search(domain, order)
        return super().search(domain, offset=offset, limit=limit,
            order=order, count=count, query=query)

    @classmethod
    def check_search(cls, domain, order):
        """Rows are found by structure only: a search on a figure would give
        a secret one back"""
        def fields_of(domain):
            if not domain:
                return
            if isinstance(domain, (list, tuple)) and isinstance(
                    domain[0], str) and domain[0] not in {'AND', 'OR'}:
                yield domain[0]
                return
            for clause in domain:
                if not isinstance(clause, str):
                    yield from fields_of(clause)

        names = {n.split('.', 1)[0] for n in fields_of(domain)}
        names.update(o.split('.', 1)[0] for o, _ in order or [])
        forbidden = sorted(names - {'id', 'company'})
        if forbidden:
            raise IndicatorError(gettext(
                    'insertion.msg_indicator_search',
                    field=cls.__names__(forbidden[0])['field']))

    @classmethod
    def get_figures(cls, indicators, names):
        figures = cls._figures()
        return {n: {i.id: figures[i.id][n] for i in indicators}
            for n in names}

    @classmethod
    def _figures(cls):
        """The figures of every row as the user may see them: {id: {name:
        value}}, exact for root"""
        pool = Pool()
        Lang = pool.get('ir.lang')
        ModelData = pool.get('ir.model.data')
        User = pool.get('res.user')
        transaction = Transaction()
        lang = Lang.get()
        cursor = transaction.connection.cursor()
        cursor.execute(*cls.counts_query())
        rows = [dict(zip(['id', 'company'] + COUNTS, r)) for r in cursor]
        if not transaction.user:
            return {r['id']: cls._publish(r, set(), lang) for r in rows}
        cls.check_period()
        user = User(transaction.user)
        readable = {c.id for c in user.companies}
        exact = set()
        if ModelData.get_id('insertion', 'group_counsellor') in (
                User.get_groups()):
            exact = readable
        hidden = secret_cells(
            {r['company']: r for r in rows}, readable, exact)
        # The rows of others' structures, which the rule keeps from the
        # user's searches, have no figure either
        return {
            r['id']: cls._publish(r, hidden.get(r['company'], set())
                if r['company'] is None or r['company'] in readable
                else set(COUNTS), lang)
            for r in rows}

    @classmethod
    def _publish(cls, values, hidden, lang):
        "The counts, rates and texts of a row, without its hidden counts"
        result = {}
        for count in COUNTS:
            value = values[count]
            if count in hidden:
                result[count] = None
                # "< 5" in every language
                result[count + '_text'] = '< %s' % THRESHOLD if (
                    value < THRESHOLD) else gettext(
                    'insertion.msg_indicator_hidden')
            else:
                result[count] = value
                # Grouping digits is slow, and for thousands only
                result[count + '_text'] = (lang.format('%d', value, True)
                    if value >= 1000 else str(value))
        rates = {'dynamic_rate': None, 'average_path': None}
        if values['exits_examined']:
            rates['dynamic_rate'] = round(
                100 * values['exits_dynamic'] / values['exits_examined'], 1)
        if values['exits']:
            # Days to months: 365.25 / 12 days a month
            rates['average_path'] = round(
                values['path_days'] / values['exits'] / (365.25 / 12), 1)
        depends = {
            'dynamic_rate': {'exits_dynamic', 'exits_examined'},
            'average_path': {'path_days', 'exits'},
            }
        for rate, value in rates.items():
            if depends[rate] & hidden:
                result[rate] = None
                result[rate + '_text'] = gettext(
                    'insertion.msg_indicator_hidden')
            else:
                result[rate] = value
                result[rate + '_text'] = (
                    lang.format('%.1f', value) if value is not None else '')
        return result

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
        pool = Pool()
        Company = pool.get('company.company')
        Indicator = pool.get('insertion.indicator')
        # French number formats ("70,0"): the report is for French boards
        with Transaction().set_context(
                from_date=dt.date(year, 1, 1), to_date=dt.date(year, 12, 31),
                language='fr'):
            indicators = Indicator.search([])
            if company_id:
                indicators = [i for i in indicators
                    if i.company and i.company.id == company_id]
                if not indicators:
                    raise IndicatorError(gettext(
                            'insertion.msg_board_report_structure',
                            structure=Company(company_id).rec_name))
            return indicators

    @staticmethod
    def bar(value, top, width=30):
        """A bar of value out of top, width characters for top, in eighths
        of a character so that close values differ (2 and 3 of 50 are 10
        and 14 eighths)"""
        if value is None or top <= 0:
            return ''
        eighths = round(8 * width * value / top)
        if value and not eighths:
            eighths = 1  # A figure that is not 0 shows
        full, part = divmod(eighths, 8)
        return '█' * full + (EIGHTHS[part] if part else '')

    @classmethod
    def bars(cls, indicator, width=30):
        """The bars of the exits by category, proportional to the largest
        and never wrapped (30 characters fit the column); a hidden figure
        has no bar"""
        values = [(k, getattr(indicator, 'exits_' + k)) for k in [
                'durable', 'transition', 'positive', 'other', 'withdrawn']]
        top = max([v for _, v in values if v is not None] + [1])
        return [(k, getattr(indicator, 'exits_%s_text' % k),
                cls.bar(v, top, width))
            for k, v in values]

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

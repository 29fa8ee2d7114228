# This file is part of Pôle.
from decimal import Decimal

from stdnum.fr import siret as stdnum_siret

from trytond.i18n import gettext
from trytond.model import (
    DeactivableMixin, ModelSQL, ModelView, Unique, fields)
from trytond.pool import Pool
from trytond.transaction import Transaction, without_check_access
from trytond.wizard import Button, StateAction, StateTransition, StateView, \
    Wizard

from . import chart, chart_template
from .exceptions import InvalidSIRET, MemberDatesError, OnboardingError
from .lock import lock_tables

# The language of the books when a member's party has none
BOOKS_LANGUAGE = 'fr'
KINDS = [
    ('aci', "ACI (insertion worksite)"),
    ('ai', "AI (intermediary association)"),
    ('ei', "EI (insertion enterprise)"),
    ('eiti', "EITI (independent workers)"),
    ('etti', "ETTI (temporary work)"),
    ('training', "Training centre"),
    ('other', "Other"),
    ]
# The journals every member's books need; Tryton shares journals between
# companies, each company numbers its moves with its own fiscal year sequence.
REQUIRED_JOURNALS = ['revenue', 'expense', 'cash', 'general']
# The tables an onboarding locks: the chart's nested set (two charts made
# at once would overlap), the configurations created with the first member,
# the fiscal year and periods (PostgreSQL checks their overlap under lock).
ONBOARDING_LOCK_TABLES = [
    'account_account', 'account_configuration', 'hub_configuration',
    'account_fiscalyear', 'account_period']


class Member(DeactivableMixin, ModelSQL, ModelView):
    "Member association of the pôle"
    __name__ = 'hub.member'

    company = fields.Many2One(
        'company.company', "Company", required=True, ondelete='RESTRICT')
    kind = fields.Selection(KINDS, "Structure Kind", required=True)
    # size 17: the 14 digits as a Kbis prints them ("412 345 027 00012"),
    # stored without the spaces
    siret = fields.Char(
        "SIRET", size=17, required=True, strip=True,
        help="The 14-digit SIRET of the association's establishment.")
    siren = fields.Function(fields.Char("SIREN"), 'on_change_with_siren')
    vat_liable = fields.Boolean(
        "VAT Liable", help="Whether the association charges and deducts VAT.")
    joined = fields.Date("Joined", required=True)
    left = fields.Date("Left")
    account_template = fields.Many2One(
        'account.account.template', "Chart of Accounts", readonly=True,
        ondelete='RESTRICT', help="The chart template the books were made from.")
    collective = fields.Function(
        fields.Boolean("Collective"), 'get_collective')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('company_unique', Unique(t, t.company),
                'hub.msg_member_company_unique'),
            ('siret_unique', Unique(t, t.siret),
                'hub.msg_member_siret_unique'),
            ]
        cls._order = [('company.party.name', 'ASC'), ('id', 'ASC')]

    @staticmethod
    def default_joined():
        return Pool().get('ir.date').today()

    @staticmethod
    def default_vat_liable():
        return False

    @fields.depends('siret')
    def on_change_with_siren(self, name=None):
        # The form may still show the SIRET with its spaces
        return compact_siret(self.siret)[:9] or None

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        if values.get('siret'):
            values['siret'] = compact_siret(values['siret'])
        return values

    def get_rec_name(self, name):
        return self.company.rec_name

    @classmethod
    def search_rec_name(cls, name, clause):
        return [('company.rec_name',) + tuple(clause[1:])]

    @classmethod
    def get_collective(cls, members, name):
        Configuration = Pool().get('hub.configuration')
        collective = Configuration(1).collective
        return {m.id: m.company == collective for m in members}

    @classmethod
    def validate_fields(cls, members, field_names):
        super().validate_fields(members, field_names)
        for member in members:
            if not field_names or 'siret' in field_names:
                check_siret(member.siret, member.rec_name)
            if not field_names or 'company' in field_names:
                # The combined statements add the members' amounts as
                # they are: a member keeps its books in euros
                Pool().get('company.company').check_member_currency(
                    [member.company])
            if (not field_names or {'joined', 'left'} & field_names) and (
                    member.left and member.left < member.joined):
                raise MemberDatesError(gettext(
                        'hub.msg_member_left_before_joined',
                        member=member.rec_name))

    @classmethod
    def on_modification(cls, mode, members, field_names=None):
        super().on_modification(mode, members, field_names=field_names)
        if mode == 'create':
            Pool().get('res.user').grant_member_companies()

    @classmethod
    def books_language(cls, company):
        """The language of what batches, crons and scripts write in the
        company's books (move and invoice descriptions): its party's, else
        French, whatever the language of who runs them, as the books, their
        FEC and their readers are French"""
        lang = company.party.lang if company and company.party else None
        return lang.code if lang else BOOKS_LANGUAGE

    @classmethod
    def onboard(cls, name, siret, kind, account_template, fiscalyear_start,
            fiscalyear_end, street=None, postal_code=None, city=None,
            country=None, vat_liable=False, joined=None, collective=False):
        """Create a member association with its books, in one go.

        It is all or nothing: any error raises a UserError and the caller's
        transaction is rolled back.  The wizard and the demo both come here.
        """
        pool = Pool()
        Company = pool.get('company.company')
        Configuration = pool.get('hub.configuration')
        User = pool.get('res.user')

        name = (name or '').strip()
        siret = compact_siret(siret)
        check_siret(siret, name)
        if not fiscalyear_start or not fiscalyear_end:
            raise OnboardingError(gettext(
                    'hub.msg_onboard_fiscalyear_dates', member=name))
        if fiscalyear_end <= fiscalyear_start:
            raise OnboardingError(gettext(
                    'hub.msg_onboard_fiscalyear_order', member=name))
        if not account_template:
            raise OnboardingError(gettext(
                    'hub.msg_onboard_template', member=name))
        lock_tables(*ONBOARDING_LOCK_TABLES)
        with without_check_access():
            if others := cls.search(
                    [('siret', '=', siret)], limit=1):
                raise OnboardingError(gettext(
                        'hub.msg_member_siret_used', siret=siret,
                        member=name, other=others[0].rec_name))
            if Company.search([('party.name', 'ilike', name)], limit=1):
                raise OnboardingError(gettext(
                        'hub.msg_onboard_company_name', member=name))
            cls._check_journals(name)

            company = cls._onboard_company(
                name, siret, street, postal_code, city, country)
            cls._onboard_chart(company, account_template)
            cls._onboard_fiscalyear(company, fiscalyear_start, fiscalyear_end)
            member = cls(
                company=company, kind=kind, siret=siret,
                vat_liable=bool(vat_liable), account_template=account_template,
                joined=joined or fiscalyear_start)
            member.save()
            # Whoever onboards keeps working on the new member's books.
            user_id = Transaction().user
            if user_id and company not in User(user_id).companies:
                user = User(user_id)
                values = {'companies': [('add', [company.id])]}
                if not user.company:
                    values['company'] = company.id
                User.write([user], values)
            if collective:
                config = Configuration(1)
                config.collective = company
                config.save()
        return member

    @classmethod
    def _check_journals(cls, name):
        Journal = Pool().get('account.journal')
        for type_ in REQUIRED_JOURNALS:
            if not Journal.search([('type', '=', type_)], limit=1):
                raise OnboardingError(gettext(
                        'hub.msg_onboard_journal_missing', member=name,
                        type=type_))

    @classmethod
    def _onboard_company(
            cls, name, siret, street, postal_code, city, country):
        pool = Pool()
        Party = pool.get('party.party')
        Address = pool.get('party.address')
        Identifier = pool.get('party.identifier')
        Company = pool.get('company.company')
        Currency = pool.get('currency.currency')

        party = Party(name=name)
        party.identifiers = [Identifier(type='fr_siren', code=siret[:9])]
        party.addresses = [Address(
                street=street, postal_code=postal_code, city=city,
                country=country)]
        party.save()
        address, = party.addresses
        Identifier(
            party=party, address=address, type='fr_siret',
            code=siret).save()

        currencies = Currency.search([('code', '=', 'EUR')], limit=1)
        if currencies:
            euro, = currencies
        else:
            euro = Currency(
                name="Euro", code='EUR', symbol='€', numeric_code='978',
                rounding=Decimal('0.01'), digits=2)
            euro.save()
        company = Company(party=party, currency=euro, timezone='Europe/Paris')
        company.save()
        return company

    @classmethod
    def _onboard_chart(cls, company, account_template, copy=True,
            wizard=False):
        """Copy the chart of one of the last members made from
        account_template (chart.py), else make it from the templates
        (chart_template.py), else, or when wizard, run account's own chart
        wizard; then the wizard's properties (default receivable and
        payable accounts)"""
        pool = Pool()
        CreateChart = pool.get('account.create_chart', type='wizard')
        Account = pool.get('account.account')

        sources = chart.source_companies(account_template, exclude=company)
        session_id, _, _ = CreateChart.create()
        try:
            create = CreateChart(session_id)
            create.account.company = company
            create.account.account_template = account_template
            made = False
            for source in (sources if copy else []):
                try:
                    with Transaction().set_context(company=company.id):
                        chart.copy_chart(source, company)
                    made = True
                    break
                except chart.NotCopiable:
                    continue
            if not made and not wizard:
                try:
                    with Transaction().set_context(company=company.id):
                        chart_template.create_chart(company, account_template)
                    made = True
                except chart.NotCopiable:
                    pass
            if not made:
                create.transition_create_account()
            defaults = create.default_properties(None)
            for name, value in defaults.items():
                if name != 'company' and value is not None:
                    defaults[name] = Account(value)
            for name in ['category_account_revenue',
                    'category_account_expense']:
                if defaults.get(name) is None:
                    defaults[name] = cls._default_category_account(
                        company, name.rsplit('_', 1)[1])
            defaults['company'] = company
            for name, value in defaults.items():
                setattr(create.properties, name, value)
            create.transition_create_properties()
        finally:
            CreateChart.delete(session_id)

    @classmethod
    def _default_category_account(cls, company, kind):
        "706 services sold / 604 services bought: what associations use most"
        Account = Pool().get('account.account')
        code = {'revenue': '706', 'expense': '604'}[kind]
        accounts = Account.search([
                ('company', '=', company.id),
                ('code', '=', code),
                ('type.%s' % kind, '=', True),
                ], limit=1)
        return accounts[0] if accounts else None

    @classmethod
    def ensure_fiscalyears(cls, company, dates):
        "Open, as onboarding does, the calendar years of dates not covered"
        FiscalYear = Pool().get('account.fiscalyear')
        for date in sorted(dates):
            if not FiscalYear.search([
                        ('company', '=', company.id),
                        ('start_date', '<=', date),
                        ('end_date', '>=', date),
                        ], limit=1):
                cls._onboard_fiscalyear(company,
                    date.replace(month=1, day=1),
                    date.replace(month=12, day=31))

    @classmethod
    def _onboard_fiscalyear(cls, company, start, end):
        pool = Pool()
        FiscalYear = pool.get('account.fiscalyear')
        SequenceStrict = pool.get('ir.sequence.strict')
        InvoiceSequence = pool.get('account.fiscalyear.invoice_sequence')
        ModelData = pool.get('ir.model.data')

        name = str(start.year) if start.year == end.year else (
            '%s-%s' % (start.year, end.year))

        # Named in the books' language (French), not the onboarding user's:
        # other modules' error messages quote these names to the accountants.
        language = cls.books_language(company)

        def sequence(type_xml_id, message, prefix):
            seq = SequenceStrict(
                name=gettext(message, language, fiscalyear=name),
                company=company,
                sequence_type=ModelData.get_id(*type_xml_id.split('.')),
                prefix=prefix, padding=5)
            seq.save()
            return seq
        move = 'account.sequence_type_account_move'
        invoice = 'account_invoice.sequence_type_account_invoice'
        fiscalyear = FiscalYear(
            name=name, company=company, start_date=start, end_date=end,
            move_sequence=sequence(
                move, 'hub.msg_sequence_move', '%s-' % name),
            invoice_sequences=[])
        fiscalyear.save()
        # French legal numbering: one gapless series for customer invoices
        # and credit notes, one for supplier invoices and credit notes.
        customer = sequence(
            invoice, 'hub.msg_sequence_customer_invoice', 'F%s-' % name)
        supplier = sequence(
            invoice, 'hub.msg_sequence_supplier_invoice', 'A%s-' % name)
        InvoiceSequence(
            company=company, fiscalyear=fiscalyear,
            out_invoice_sequence=customer, out_credit_note_sequence=customer,
            in_invoice_sequence=supplier, in_credit_note_sequence=supplier,
            ).save()
        FiscalYear.create_period([fiscalyear])
        return fiscalyear


def compact_siret(siret):
    "The SIRET without the spaces it is printed with (any white space)"
    return ''.join((siret or '').split())


def check_siret(siret, name):
    if not siret or not stdnum_siret.is_valid(siret):
        raise InvalidSIRET(gettext(
                'hub.msg_invalid_siret', siret=siret or '', member=name))


class OnboardStart(ModelView):
    "Onboard a member association"
    __name__ = 'hub.member.onboard.start'

    name = fields.Char("Name", required=True)
    # As printed on a Kbis: 14 digits in groups of 3, 3, 3 and 5.
    siret = fields.Char("SIRET", size=17, required=True)
    street = fields.Text("Street")
    postal_code = fields.Char("Postal Code")
    city = fields.Char("City")
    country = fields.Many2One('country.country', "Country")
    kind = fields.Selection(KINDS, "Structure Kind", required=True)
    vat_liable = fields.Boolean("VAT Liable")
    joined = fields.Date("Joined", required=True)
    account_template = fields.Many2One(
        'account.account.template', "Chart of Accounts", required=True,
        domain=[('parent', '=', None)],
        help="The chart of accounts template to create the books from.")
    fiscalyear_start = fields.Date("Fiscal Year Start", required=True)
    fiscalyear_end = fields.Date("Fiscal Year End", required=True)
    collective = fields.Boolean(
        "Collective", help="Check if this member runs the pôle.")

    @staticmethod
    def default_kind():
        return 'aci'

    @staticmethod
    def default_joined():
        return Pool().get('ir.date').today()

    @staticmethod
    def default_fiscalyear_start():
        return Pool().get('ir.date').today().replace(month=1, day=1)

    @staticmethod
    def default_fiscalyear_end():
        return Pool().get('ir.date').today().replace(month=12, day=31)

    @staticmethod
    def default_account_template():
        return Pool().get('ir.model.data').get_id('account_fr', 'root')

    @staticmethod
    def default_country():
        Country = Pool().get('country.country')
        countries = Country.search([('code', '=', 'FR')], limit=1)
        return countries[0].id if countries else None

    @staticmethod
    def default_collective():
        Configuration = Pool().get('hub.configuration')
        return not Configuration(1).collective


class Onboard(Wizard):
    "Onboard a member association"
    __name__ = 'hub.member.onboard'
    start = StateView('hub.member.onboard.start',
        'hub.member_onboard_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Onboard", 'onboard', 'tryton-ok', default=True),
            ])
    onboard = StateTransition()
    open_ = StateAction('hub.act_member_form')

    def transition_onboard(self):
        Member = Pool().get('hub.member')
        Member.onboard(**self.get_onboard_values())
        return 'open_'

    def get_onboard_values(self):
        """The keyword arguments of hub.member's onboard, from the form:
        modules that add fields to the form add their values here"""
        start = self.start
        return dict(
            name=start.name, siret=start.siret, kind=start.kind,
            account_template=start.account_template,
            fiscalyear_start=start.fiscalyear_start,
            fiscalyear_end=start.fiscalyear_end,
            street=start.street, postal_code=start.postal_code,
            city=start.city, country=start.country,
            vat_liable=start.vat_liable, joined=start.joined,
            collective=start.collective)

    def do_open_(self, action):
        Member = Pool().get('hub.member')
        member, = Member.search(
            [('siret', '=', compact_siret(self.start.siret))])
        action['res_id'] = [member.id]
        action['views'].reverse()
        return action, {}

# This file is part of Pôle.
import datetime as dt

from trytond.modules.hub.tests.tools import (
    HubCompanyTestMixin, chart_snapshot, create_company)
from trytond.modules.currency.tests import create_currency
from trytond.model.exceptions import AccessError
from trytond.modules.account.tests.test_module import get_fiscalyear
from trytond.pool import Pool
from trytond.tests.test_tryton import ModuleTestCase, with_transaction
from trytond.transaction import Transaction

from ..chart import CHART_MODELS
from ..exceptions import InvalidSIRET, MemberCurrencyError, MemberDatesError
from ..member import check_siret
from .test_concurrency import nested_set_errors


class HubTestCase(HubCompanyTestMixin, ModuleTestCase):
    "Test Hub module"
    module = 'hub'

    @with_transaction()
    def test_siret_check_digit(self):
        "A member's SIRET is checked with its Luhn check digit"
        pool = Pool()
        Member = pool.get('hub.member')

        company = create_company("Atelier")

        for siret in ['41234502700013', '4123450270001', 'A1234502700012']:
            with self.assertRaisesRegex(InvalidSIRET, siret):
                check_siret(siret, "Atelier")
        member = Member(company=company, kind='aci', siret='41234502700012',
            joined=dt.date(2020, 1, 1))
        member.save()
        with self.assertRaisesRegex(InvalidSIRET, '41234502700013'):
            Member.write([member], {'siret': '41234502700013'})
        self.assertEqual(member.siren, '412345027')
        self.assertEqual(member.rec_name, "Atelier")

        member.left = dt.date(2019, 12, 31)
        with self.assertRaises(MemberDatesError):
            member.save()

    @with_transaction()
    def test_siret_spaced(self):
        "A SIRET typed as a Kbis prints it is stored without its spaces"
        pool = Pool()
        Member = pool.get('hub.member')

        company = create_company("Atelier")
        member = Member(company=company, kind='aci', siret='41234502700012',
            joined=dt.date(2020, 1, 1))
        member.save()
        Member.write([member], {'siret': '412 345 027 00020'})
        self.assertEqual(member.siret, '41234502700020')
        self.assertEqual(member.siren, '412345027')
        # Spaced, the SIRET is still checked: the check digit is wrong
        with self.assertRaisesRegex(InvalidSIRET, '41234502700013'):
            Member.write([member], {'siret': '412 345 027 00013'})
        other = Member(company=create_company("Recyclerie"), kind='ai',
            siret='412 345 027 00012', joined=dt.date(2020, 1, 1))
        self.assertEqual(other.on_change_with_siren(), '412345027')
        other.save()
        self.assertEqual(other.siret, '41234502700012')

    @with_transaction()
    def test_member_currency_euro(self):
        "A member's company keeps the euro; other companies may change"
        pool = Pool()
        Member = pool.get('hub.member')
        Company = pool.get('company.company')
        euro = create_currency('EUR')
        dollar = create_currency('USD')
        company = create_company("Atelier", currency=euro)
        other = create_company("Hors pôle", currency=euro)
        Member(company=company, kind='aci', siret='41234502700012',
            joined=dt.date(2020, 1, 1)).save()

        with self.assertRaisesRegex(MemberCurrencyError, 'Atelier'):
            Company.write([company], {'currency': dollar.id})
        Company.write([other], {'currency': dollar.id})
        self.assertEqual(Company(other.id).currency, dollar)

        # Nor may a company in dollars become a member
        with self.assertRaisesRegex(MemberCurrencyError, 'Hors pôle.*USD'):
            Member(company=other, kind='ai', siret='41234502700020',
                joined=dt.date(2020, 1, 1)).save()

    @with_transaction()
    def test_books_language(self):
        "Batches write a member's books in its party's language, else French"
        pool = Pool()
        Member = pool.get('hub.member')
        Lang = pool.get('ir.lang')
        company = create_company("Atelier")
        self.assertEqual(Member.books_language(company), 'fr')
        english, = Lang.search([('code', '=', 'en')])
        company.party.lang = english
        company.party.save()
        self.assertEqual(Member.books_language(company), 'en')

    @with_transaction()
    def test_employee_company_rule(self):
        "Employees are filtered by the user's companies"
        pool = Pool()
        Rule = pool.get('ir.rule')
        rules = Rule.search([
                ('rule_group.model', '=', 'company.employee'),
                ('rule_group.global_p', '=', True),
                ])
        self.assertEqual(
            [r.domain for r in rules],
            ['[["company", "in", {"__class__": "Eval", "d": [], '
                '"v": "companies"}]]'])


    @with_transaction()
    def test_companies_of_a_field_context(self):
        """hub_company in the context adds one of the user's companies to
        those the record rules allow (a field pointing into another
        member's books); never a company not given to the user"""
        pool = Pool()
        User = pool.get('res.user')
        Employee = pool.get('company.employee')
        Party = pool.get('party.party')
        alpha, beta, gamma = (
            create_company(n) for n in ["Alpha", "Beta", "Gamma"])
        user, = User.create([{'login': 'claire', 'name': "Claire",
                    'companies': [('add', [alpha.id, beta.id])],
                    'company': alpha.id, 'company_filter': 'one'}])
        # an employee in each: records under the companies' rule
        for company in [alpha, beta, gamma]:
            party, = Party.create([{'name': "Staff " + company.rec_name}])
            Employee.create([{'party': party.id, 'company': company.id}])
        transaction = Transaction()
        with transaction.set_user(user.id), \
                transaction.set_context(_check_access=True):
            def visible(**context):
                with transaction.set_context(context):
                    return (list(User.get_companies()), sorted(
                            e.company.rec_name
                            for e in Employee.search([])))
            self.assertEqual(visible(), ([alpha.id], ["Alpha"]))
            self.assertEqual(visible(hub_company=beta.id),
                ([alpha.id, beta.id], ["Alpha", "Beta"]))
            self.assertEqual(visible(hub_company=gamma.id),
                ([alpha.id], ["Alpha"]))
            self.assertEqual(visible(hub_company=-1), ([alpha.id], ["Alpha"]))

    @with_transaction()
    def test_period_names_of_given_companies(self):
        """The name (only) of a period or fiscal year of one of the user's
        companies is read whatever the current company, as the web client
        reads a chosen record's name; nothing of a company not given"""
        pool = Pool()
        User = pool.get('res.user')
        FiscalYear = pool.get('account.fiscalyear')
        Period = pool.get('account.period')
        companies = [create_company(n) for n in ["Alpha", "Beta", "Gamma"]]
        alpha, beta, gamma = companies
        user, = User.create([{'login': 'claire', 'name': "Claire",
                    'companies': [('add', [alpha.id, beta.id])],
                    'company': alpha.id, 'company_filter': 'one'}])
        years = {}
        for company in companies:
            year = get_fiscalyear(company, today=dt.date(2026, 6, 1))
            year.save()
            FiscalYear.create_period([year])
            years[company.rec_name] = year
        march = {name: Period.search([('fiscalyear', '=', y.id),
                    ('start_date', '=', dt.date(2026, 3, 1))])[0]
            for name, y in years.items()}
        transaction = Transaction()
        with transaction.set_user(user.id), \
                transaction.set_context(_check_access=True):
            self.assertEqual(Period.read([march['Beta'].id], ['rec_name']),
                [{'id': march['Beta'].id, 'rec_name': march['Beta'].name}])
            self.assertEqual(
                FiscalYear.read([years['Beta'].id], ['rec_name'])[0][
                    'rec_name'], '2026')
            for model, ids, names in [
                    (Period, [march['Beta'].id], ['rec_name', 'start_date']),
                    (Period, [march['Gamma'].id], ['rec_name']),
                    (FiscalYear, [years['Gamma'].id], ['rec_name'])]:
                with self.assertRaises(AccessError):
                    model.read(ids, names)

    @with_transaction()
    def test_account_nested_set(self):
        "The nested set of accounts stays right as charts are added"
        pool = Pool()
        Account = pool.get('account.account')

        def chart(name):
            company = create_company(name)
            # root > 6 > 60 > (601, 602), root > 7 > 70, created by level
            # as account's chart wizard does
            root, = Account.create([{'name': name, 'company': company}])
            c6, c7 = Account.create([
                    {'name': '6', 'code': '6', 'company': company,
                        'parent': root},
                    {'name': '7', 'code': '7', 'company': company,
                        'parent': root}])
            c60, c70 = Account.create([
                    {'name': '60', 'code': '60', 'company': company,
                        'parent': c6},
                    {'name': '70', 'code': '70', 'company': company,
                        'parent': c7}])
            Account.create([
                    {'name': code, 'code': code, 'company': company,
                        'parent': c60} for code in ['601', '602']])
            return root, c6

        roots = [chart(n) for n in ["Alpha", "Beta", "Gamma"]]
        accounts = Account.search([])
        self.assertEqual(len(accounts), 21)
        by_id = {a.id: a for a in accounts}

        def ancestors(account):
            while account.parent:
                account = by_id[account.parent.id]
                yield account.id

        def descendants(account):
            return {a.id for a in accounts if account.id in ancestors(a)}
        for account in accounts:
            inside = {a.id for a in accounts
                if account.left < a.left and a.right < account.right}
            self.assertEqual(inside, descendants(account))
            self.assertEqual(
                (account.right - account.left - 1) // 2, len(inside))
            if account.parent:
                parent = by_id[account.parent.id]
                self.assertTrue(parent.left < account.left < account.right
                    < parent.right)
        for root, c6 in roots:
            self.assertEqual(sorted(a.code for a in Account.search(
                        [('parent', 'child_of', [c6.id])])),
                ['6', '60', '601', '602'])
            self.assertEqual(len(Account.search(
                        [('parent', 'child_of', [root.id])])), 7)


    @with_transaction()
    def test_chart_copy(self):
        """A chart made from the templates and one copied from a member's
        equal the wizard's, translations included; update chart runs"""
        pool = Pool()
        Member = pool.get('hub.member')
        Account = pool.get('account.account')
        Template = pool.get('account.account.template')
        ModelData = pool.get('ir.model.data')
        Configuration = pool.get('account.configuration')
        UpdateChart = pool.get('account.update_chart', type='wizard')
        template = Template(ModelData.get_id('account_fr', 'root'))
        year = dict(fiscalyear_start=dt.date(2026, 1, 1),
            fiscalyear_end=dt.date(2026, 12, 31))
        # No member before the first: its chart is made from the templates
        first = Member.onboard("Atelier Premier", '41234504300019', 'aci',
            template, **year)
        # The second's is copied from the first's
        second = Member.onboard("Jardin Second", '41234505000014', 'aci',
            template, **year)
        # account's own wizard, for a company of no member
        witness = Member._onboard_company(
            "Témoin", '41234506800008', None, None, None, None)
        Member._onboard_chart(witness, template, copy=False, wizard=True)

        made = chart_snapshot(witness)
        self.assertGreater(len(made['account.account']), 1000)
        self.assertGreater(len(made['account.tax']), 0)
        # the ORM writes the translations of the taxes' descriptions
        self.assertGreater(sum(len(v['translations'])
                for v in made['account.tax'].values()), 50)
        for company in [first.company, second.company]:
            other = chart_snapshot(company)
            for name, _ in CHART_MODELS:
                self.assertEqual(other[name], made[name], name)
            self.assertEqual(
                len(Account.search([('company', '=', company.id)])),
                len(made['account.account']))
        cursor = Transaction().connection.cursor()
        self.assertEqual(nested_set_errors(cursor), [])
        for company in [first.company, second.company, witness]:
            with Transaction().set_context(company=company.id):
                config = Configuration(1)
                self.assertEqual(config.default_account_receivable.company,
                    company)
                self.assertEqual(config.default_account_receivable.code,
                    '4111')

        # Stock update chart runs on both and changes nothing
        for company in [first.company, second.company]:
            root, = Account.search([
                    ('company', '=', company.id), ('parent', '=', None)])
            session_id, _, _ = UpdateChart.create()
            update = UpdateChart(session_id)
            update.start.account = root
            self.assertEqual(update.transition_update(), 'succeed')
            UpdateChart.delete(session_id)
            # never written: a write is a change update made
            for name, owner in CHART_MODELS:
                prefix = '' if owner is None else owner + '.'
                self.assertEqual(pool.get(name).search([
                            (prefix + 'company', '=', company.id),
                            ('write_date', '!=', None),
                            ]), [], name)
        self.assertEqual(nested_set_errors(cursor), [])

del ModuleTestCase

# This file is part of Pôle.
import datetime as dt

from trytond.modules.hub.tests.tools import HubCompanyTestMixin, create_company
from trytond.modules.currency.tests import create_currency
from trytond.pool import Pool
from trytond.tests.test_tryton import ModuleTestCase, with_transaction

from ..exceptions import InvalidSIRET, MemberCurrencyError, MemberDatesError
from ..member import check_siret


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


del ModuleTestCase

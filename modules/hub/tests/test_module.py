# This file is part of Pôle.
import datetime as dt

from trytond.modules.company.tests import CompanyTestMixin
from trytond.pool import Pool
from trytond.tests.test_tryton import ModuleTestCase, with_transaction

from ..exceptions import InvalidSIRET, MemberDatesError
from ..member import check_siret


class HubTestCase(CompanyTestMixin, ModuleTestCase):
    "Test Hub module"
    module = 'hub'

    @property
    def _skip_company_rule(self):
        # The collective is a setting of the whole pôle, and the directory
        # of members (names, SIRET: public in the SIRENE register) is shown
        # to every user of the pôle; their books are what is restricted.
        return super()._skip_company_rule | {
            ('hub.configuration', 'collective'),
            ('hub.member', 'company'),
            }

    @with_transaction()
    def test_siret_check_digit(self):
        "A member's SIRET is checked with its Luhn check digit"
        pool = Pool()
        Member = pool.get('hub.member')
        Company = pool.get('company.company')
        Party = pool.get('party.party')
        Currency = pool.get('currency.currency')

        currency = Currency(name="Euro", code='EUR', symbol='€')
        currency.save()
        party = Party(name="Atelier")
        party.save()
        company = Company(party=party, currency=currency)
        company.save()

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


del ModuleTestCase

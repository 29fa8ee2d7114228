# This file is part of Pôle.
import datetime as dt
from decimal import Decimal as D

from trytond.pool import Pool
from trytond.modules.hub.tests.tools import (
    HubCompanyTestMixin, onboard_member)
from trytond.tests.test_tryton import ModuleTestCase, with_transaction
from trytond.transaction import Transaction

START, END = dt.date(2026, 1, 1), dt.date(2026, 12, 31)


def onboard(name, siret):
    "An AI on account_fr's chart, the calendar year 2026"
    return onboard_member(name, siret, 'ai', START, END)


class HubDunningTestCase(HubCompanyTestMixin, ModuleTestCase):
    "Test Hub Dunning module"
    module = 'hub_dunning'


    @with_transaction()
    def test_overdue_invoice_reminders(self):
        """An AI's invoice of 600,00 to a user, due on 02/03/2026 (no
        payment term: due on its payment term date, the invoice's): no reminder on 10/03 (8 days),
        level 1 on 20/03 (18 days >= 15), level 2 on 20/04 (49 days >= 45)"""
        pool = Pool()
        Account = pool.get('account.account')
        Address = pool.get('party.address')
        Dunning = pool.get('account.dunning')
        Invoice = pool.get('account.invoice')
        Line = pool.get('account.invoice.line')
        Party = pool.get('party.party')

        member = onboard("Val Services", '41234505000014')
        company = member.company
        # today is later: the warning of a due date in the past, skipped
        with Transaction().set_context(company=company.id,
                _companies=[company.id], _skip_warnings=True):
            customer = Party(name="Mme Lefèvre",
                addresses=[Address(city="Reims")])
            customer.save()
            self.assertEqual(
                customer.dunning_procedure.name, "Customer Reminders")
            self.assertEqual([l.overdue.days
                    for l in customer.dunning_procedure.levels], [15, 45])
            revenue = Account.open_account(company, '706')
            invoice = Invoice(company=company, type='out', party=customer,
                invoice_date=dt.date(2026, 3, 2), currency=company.currency,
                payment_term_date=dt.date(2026, 3, 2))
            invoice.on_change_type()
            invoice.on_change_party()
            invoice.lines = [Line(type='line', account=revenue,
                    description="Ménage de février", quantity=1,
                    unit_price=D('600.00'))]
            invoice.save()
            Invoice.post([invoice])
            line, = invoice.lines_to_pay
            self.assertEqual(line.maturity_date, dt.date(2026, 3, 2))

            Dunning.generate_dunnings(dt.date(2026, 3, 10))
            self.assertEqual(Dunning.search([]), [])

            Dunning.generate_dunnings(dt.date(2026, 3, 20))
            dunning, = Dunning.search([])
            self.assertEqual((dunning.company, dunning.line, dunning.amount),
                (company, line, D('600.00')))
            self.assertEqual(dunning.level.overdue.days, 15)
            Dunning.process([dunning])
            self.assertEqual(dunning.state, 'waiting')

            # Still level 1 before the 45 days; level 2 after
            Dunning.generate_dunnings(dt.date(2026, 4, 10))
            self.assertEqual(Dunning(dunning.id).level.overdue.days, 15)
            Dunning.generate_dunnings(dt.date(2026, 4, 20))
            dunning = Dunning(dunning.id)
            self.assertEqual(
                (dunning.level.overdue.days, dunning.state), (45, 'draft'))
            self.assertEqual(Dunning.search([], count=True), 1)


del ModuleTestCase

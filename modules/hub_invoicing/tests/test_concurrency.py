# This file is part of Pôle.
"Two postings between the same pair at once, in real transactions"
import datetime as dt
import threading
import unittest
from decimal import Decimal

from trytond import backend
from trytond.modules.hub.tests.tools import run_restarted
from trytond.pool import Pool
from trytond.tests.test_tryton import (
    DB_NAME, USER, activate_module, drop_db)
from trytond.transaction import Transaction


@unittest.skipUnless(
    backend.name == 'postgresql', "needs concurrent transactions")
class ConcurrentPostingTestCase(unittest.TestCase):
    "Two members' postings at once keep numbers and mirrors consistent"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Committed data: a database of its own, dropped afterwards
        drop_db()
        # The module test's modules: one database cached for both
        activate_module(['hub_invoicing', 'timesheet'])

    @classmethod
    def tearDownClass(cls):
        drop_db()
        super().tearDownClass()

    def test_two_postings_same_pair(self):
        invoice_ids, target_company = self._setup()
        errors = []
        barrier = threading.Barrier(2)

        def post(invoice_id):
            def post_in(pool):
                Invoice = pool.get('account.invoice')
                invoice = Invoice(invoice_id)
                with Transaction().set_context(
                        company=invoice.company.id, _skip_warnings=True):
                    Invoice.post([invoice])
            try:
                barrier.wait()
                # The pair may be locked by the other posting
                run_restarted(post_in, user=USER, attempts=20,
                    pause=lambda attempt: 0.2 * (attempt + 1))
            except Exception as exception:
                errors.append(exception)

        threads = [threading.Thread(target=post, args=(i,))
            for i in invoice_ids]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertEqual(errors, [])

        with Transaction().start(DB_NAME, USER, readonly=True):
            Invoice = Pool().get('account.invoice')
            invoices = Invoice.browse(invoice_ids)
            self.assertEqual(
                sorted(i.number for i in invoices),
                ['F2026-00001', 'F2026-00002'])
            mirrors = Invoice.search(
                [('company', '=', target_company)], order=[('number', 'ASC')])
            self.assertEqual(len(mirrors), 2)
            # Each posting's mirror carries its own source number, and the
            # target's supplier numbers are gapless
            self.assertEqual(
                sorted((m.mirror_of.number, m.reference) for m in mirrors),
                [('F2026-00001', 'F2026-00001'),
                    ('F2026-00002', 'F2026-00002')])
            self.assertEqual(
                [m.number for m in mirrors], ['A2026-00001', 'A2026-00002'])
            self.assertEqual(
                [m.total_amount for m in mirrors],
                [Decimal('120.00'), Decimal('120.00')])

    def _setup(self):
        return run_restarted(
            lambda pool: self._setup_data(Transaction()), user=USER,
            attempts=20)

    def _setup_data(self, transaction):
        "Two members, a posted-mirror mapping and two draft invoices"
        if True:
            pool = Pool()
            Member = pool.get('hub.member')
            ModelData = pool.get('ir.model.data')
            Template = pool.get('account.account.template')
            Account = pool.get('account.account')
            Mapping = pool.get('hub.invoicing.mapping')
            Invoice = pool.get('account.invoice')
            Line = pool.get('account.invoice.line')
            Party = pool.get('party.party')
            template = Template(ModelData.get_id('account_fr', 'root'))
            start, end = dt.date(2026, 1, 1), dt.date(2026, 12, 31)
            source = Member.onboard(
                "Atelier Concurrent", '41234504300019', 'aci', template,
                start, end)
            target = Member.onboard(
                "Jardin Concurrent", '41234505000014', 'aci', template,
                start, end)

            def account(member, code):
                account, = Account.search([
                        ('company', '=', member.company.id),
                        ('code', '=', code)])
                return account
            # Onboarding made the default mapping (604): posted at once
            Mapping.write(Mapping.search([('target', '=', target.id)]),
                {'mirror_state': 'posted'})
            invoices = []
            with transaction.set_context(company=source.company.id):
                party = Party(target.company.party.id)
                for _ in range(2):
                    invoice = Invoice(
                        company=source.company, type='out', party=party,
                        invoice_date=dt.date(2026, 3, 10),
                        currency=source.company.currency)
                    invoice.on_change_party()
                    invoice.on_change_type()
                    invoice.lines = [Line(
                            type='line', company=source.company,
                            currency=source.company.currency,
                            invoice_type='out', party=party,
                            description="Carpentry", quantity=1,
                            unit_price=Decimal('120.00'),
                            account=account(source, '706'))]
                    invoices.append(invoice)
                Invoice.save(invoices)
            return [i.id for i in invoices], target.company.id

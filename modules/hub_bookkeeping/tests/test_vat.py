# This file is part of Pôle.
"""VAT of a VAT-liable member: CA3 boxes from account_fr's tax codes and the
settlement of a period, with figures worked by hand."""
import datetime as dt
import unittest
from decimal import Decimal as D

from trytond.modules.company.tests import set_company
from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, with_transaction

from ..exceptions import BookkeepingError
from ..vat import company_tax, taxed_lines

# account_fr's taxes (XML ids of their templates)
SALE_20 = 'tva_vente_services_20'
SALE_5_5 = 'tva_vente_biens_5_5'
PURCHASE_20 = 'tva_achat_services_20'


class VatTestCase(unittest.TestCase):
    "VAT of the VAT-liable members"

    @classmethod
    def setUpClass(cls):
        activate_module('hub_bookkeeping')

    def onboard(self, name="SCOP", siret='41234503500015'):
        "A VAT-liable SCOP and a non-liable workshop, both on 2025"
        pool = Pool()
        Member = pool.get('hub.member')
        ModelData = pool.get('ir.model.data')
        Template = pool.get('account.account.template')
        template = Template(ModelData.get_id('account_fr', 'root'))
        start, end = dt.date(2025, 1, 1), dt.date(2025, 12, 31)
        scop = Member.onboard(
            name, siret, 'ei', template, start, end, vat_liable=True)
        atelier = None
        if name == "SCOP":
            atelier = Member.onboard(
                "Atelier", '41234502700012', 'aci', template, start, end)
        return scop, atelier

    def move(self, company, date, description, operations, post=True):
        """A move of date paid on the bank: operations are (tax, account
        code, base, sale)"""
        pool = Pool()
        Account = pool.get('account.account')
        Move = pool.get('account.move')
        Line = pool.get('account.move.line')
        Journal = pool.get('account.journal')
        Period = pool.get('account.period')
        lines, bank = [], D(0)
        for tax_id, code, base, sale in operations:
            tax = company_tax(company, tax_id)
            taxed, vat = taxed_lines(
                tax, Account.open_account(company, code), base, sale=sale)
            lines += taxed
            bank += (base + vat) if sale else -(base + vat)
        lines.append(Line(account=Account.open_account(company, '5121'),
                debit=max(bank, 0), credit=max(-bank, 0)))
        journal, = Journal.search([('type', '=', 'revenue')], limit=1)
        move = Move(company=company, journal=journal, date=date,
            period=Period.find(company, date=date), description=description,
            lines=lines)
        move.save()
        if post:
            Move.post([move])
        return move

    def settlement(self, company, period_name):
        "The settlement move of the period: {account code: (debit, credit)}"
        Move = Pool().get('account.move')
        moves = Move.search([
                ('company', '=', company.id),
                ('origin.name', '=', period_name, 'account.period'),
                ])
        if not moves:
            return None
        move, = moves
        self.assertEqual(move.state, 'posted')
        return move.description, {
            l.account.code: (l.debit, l.credit) for l in move.lines}

    @with_transaction()
    def test_month_due(self):
        """Sales at 20 % and 5,5 % and a purchase at 20 %: the CA3 boxes
        and the settlement to 44551; a rerun is skipped"""
        pool = Pool()
        Member = pool.get('hub.member')
        Period = pool.get('account.period')
        scop, atelier = self.onboard()
        company = scop.company
        with set_company(company):
            november = dt.date(2025, 11, 30)
            self.move(company, dt.date(2025, 11, 10), "Ventes", [
                    (SALE_20, '706', D('1000.00'), True),
                    (SALE_5_5, '707', D('400.00'), True),
                    ])
            self.move(company, dt.date(2025, 11, 20), "Achats", [
                    (PURCHASE_20, '604', D('300.00'), False),
                    ])
            period = Period.find(company, date=november)
            boxes = Member.ca3_boxes(period)
            # 08: 1 000.00 x 20 % = 200.00; 09: 400.00 x 5,5 % = 22.00
            self.assertEqual(boxes['08'], (D('1000.00'), D('200.00')))
            self.assertEqual(boxes['09'], (D('400.00'), D('22.00')))
            self.assertEqual(boxes['9B'], (D(0), D(0)))
            # 16 = 200.00 + 22.00; 20 = 23 = 300.00 x 20 % = 60.00
            # 28 = 222.00 - 60.00 = 162.00, no credit
            self.assertEqual(
                {b: boxes[b] for b in ['16', '19', '20', '21', '22', '23',
                        '25', '28']},
                {'16': D('222.00'), '19': D(0), '20': D('60.00'),
                    '21': D(0), '22': D(0), '23': D('60.00'),
                    '25': D(0), '28': D('162.00')})

            status, detail = Member._settle_vat(scop, november)
            self.assertEqual(status, 'done')
            self.assertTrue(detail.startswith('2025-11: '), detail)
            # 44571 cleared by its 222.00, 44566 by its 60.00, the 162.00
            # due on 44551
            self.assertEqual(self.settlement(company, '2025-11'), (
                    "Liquidation de TVA 11/2025", {
                        '44571': (D('222.00'), D(0)),
                        '44566': (D(0), D('60.00')),
                        '44551': (D(0), D('162.00')),
                        }))
            self.assertEqual(Member._vat_balance(period, '44571'), D(0))
            self.assertEqual(Member._vat_balance(period, '44566'), D(0))
            # The boxes stay those of the operations
            self.assertEqual(Member.ca3_boxes(period)['28'], D('162.00'))

            # Rerun: already settled
            self.assertEqual(
                Member._settle_vat(scop, dt.date(2025, 11, 2)),
                ('skipped', '2025-11'))
        # The workshop is not liable to VAT: nothing to do
        with set_company(atelier.company):
            status, _ = Member._settle_vat(atelier, november)
            self.assertEqual(status, 'not_applicable')
            self.assertIsNone(self.settlement(atelier.company, '2025-11'))

    @with_transaction()
    def test_month_credit(self):
        "More deductible than collected VAT: the credit goes to 44567"
        pool = Pool()
        Member = pool.get('hub.member')
        Period = pool.get('account.period')
        scop, _ = self.onboard()
        company = scop.company
        with set_company(company):
            december = dt.date(2025, 12, 31)
            self.move(company, dt.date(2025, 12, 5), "Ventes", [
                    (SALE_20, '706', D('100.00'), True)])
            self.move(company, dt.date(2025, 12, 6), "Achats", [
                    (PURCHASE_20, '604', D('500.00'), False)])
            boxes = Member.ca3_boxes(Period.find(company, date=december))
            # 16 = 100.00 x 20 % = 20.00; 23 = 500.00 x 20 % = 100.00
            # 25 = 100.00 - 20.00 = 80.00 of credit, nothing due
            self.assertEqual(boxes['08'], (D('100.00'), D('20.00')))
            self.assertEqual(
                [boxes[b] for b in ['16', '23', '25', '28']],
                [D('20.00'), D('100.00'), D('80.00'), D(0)])
            self.assertEqual(
                Member._settle_vat(scop, december)[0], 'done')
            self.assertEqual(self.settlement(company, '2025-12'), (
                    "Liquidation de TVA 12/2025", {
                        '44571': (D('20.00'), D(0)),
                        '44567': (D('80.00'), D(0)),
                        '44566': (D(0), D('100.00')),
                        }))

    @with_transaction()
    def test_refused(self):
        """A period with a draft move (named) or not ended is refused,
        nothing written"""
        pool = Pool()
        Member = pool.get('hub.member')
        Move = pool.get('account.move')
        Date = pool.get('ir.date')
        # Other names: this test once saw the SCOP of an earlier test
        # (not understood yet, see the report to the lead)
        scop, _ = self.onboard("SCOP Refus", '41234501900019')
        company = scop.company
        with set_company(company):
            self.move(company, dt.date(2025, 10, 3), "Ventes", [
                    (SALE_20, '706', D('1000.00'), True)])
            self.move(company, dt.date(2025, 10, 8), "Achats", [
                    (PURCHASE_20, '604', D('50.00'), False)], post=False)
            moves = Move.search([])
            with self.assertRaisesRegex(BookkeepingError,
                    r'"2025-10" of "SCOP Refus" has draft moves: .*: '
                    r'08/10/2025, Achats, 60,00\.'):
                Member._settle_vat(scop, dt.date(2025, 10, 31))
            self.assertEqual(Move.search([]), moves)

            # The period of today is not over
            today = Date.today()
            Member.ensure_fiscalyears(company, [today])
            with self.assertRaisesRegex(BookkeepingError,
                    r'"%s" of "SCOP Refus" can be settled only after its end' %
                    today.strftime('%Y-%m')):
                Member._settle_vat(scop, today)
            self.assertEqual(Move.search([]), moves)

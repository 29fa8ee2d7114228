# This file is part of Pôle.
"""An inter-member transfer on both members' statements, with hub_invoicing
activated (its mirrors are the invoices matched): not a ModuleTestCase, so
that the module's generic tests run once, in test_module."""
import datetime as dt
import os
import unittest
from decimal import Decimal as D

from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, with_transaction
from trytond.transaction import Transaction

from ..statement import import_statement
from .test_module import CAMT, IBAN_ATELIER, IBAN_SCOP, onboard, read

CAMT_SCOP = os.path.join(os.path.dirname(__file__), 'camt053_scop.xml')


class HubBankTransferTestCase(unittest.TestCase):
    "Inter-member transfers recognised and reconciled"

    @classmethod
    def setUpClass(cls):
        activate_module(['hub_bank', 'hub_invoicing'])

    @with_transaction()
    def test_transfer_both_sides(self):
        """The SCOP invoices Atelier 100.00 (no tax), mirrored in Atelier's
        books as a posted supplier invoice.  Atelier's statement pays the
        SCOP 100.00 from its account; the SCOP's receives 100.00 from
        Atelier's: each line gets the other member as party, the invoice's
        receivable or payable account and the invoice; validated, both
        invoices are reconciled, 0.00 left to pay on each side; both
        statements post."""
        pool = Pool()
        Account = pool.get('account.account')
        Invoice = pool.get('account.invoice')
        InvoiceLine = pool.get('account.invoice.line')
        Mapping = pool.get('hub.invoicing.mapping')
        Statement = pool.get('account.statement')

        atelier = onboard("Atelier", '41234502700012', iban=IBAN_ATELIER)
        scop = onboard("SCOP", '41234503500015', iban=IBAN_SCOP)

        def account(member, code):
            account, = Account.search([
                    ('company', '=', member.company.id), ('code', '=', code)])
            return account

        # Onboarding made Atelier's default mapping (604): posted at once
        Mapping.write(Mapping.search([('target', '=', atelier.id)]),
            {'mirror_state': 'posted'})
        with Transaction().set_context(company=scop.company.id):
            invoice = Invoice(type='out', company=scop.company,
                invoice_date=dt.date(2026, 3, 12))
            invoice.on_change_type()  # its revenue journal
            invoice.party = atelier.company.party
            invoice.on_change_party()
            invoice.lines = [InvoiceLine(type='line', company=scop.company,
                    description="Menuiserie", account=account(scop, '706'),
                    quantity=1, unit_price=D('100.00'))]
            invoice.save()
            Invoice.post([invoice])
        mirror, = invoice.mirrors
        self.assertEqual(
            (mirror.company, mirror.type, mirror.state, mirror.total_amount),
            (atelier.company, 'in', 'posted', D('100.00')))

        statements = []
        for data, name in [(read(CAMT), 'mars.xml'),
                (read(CAMT_SCOP), 'scop-mars.xml')]:
            statement, = import_statement(data, name)
            Statement.apply_rules([statement])
            statements.append(Statement(statement.id))
        ours, theirs = statements

        # Atelier: the ASP and URSSAF lines by the pôle's rules, the third
        # (-100.00 to the SCOP's IBAN) the mirror's payable
        transfer = ours.lines[-1]
        self.assertEqual(
            (transfer.amount, transfer.party, transfer.account,
                transfer.related_to),
            (D('-100.00'), scop.company.party, mirror.account, mirror))
        line, = theirs.lines
        self.assertEqual(
            (line.amount, line.party, line.account, line.related_to),
            (D('100.00'), atelier.company.party, invoice.account, invoice))

        # Validated, each side's payment is reconciled with its invoice
        # (the invoices' "paid" state is set by account_invoice's queued
        # process, not run here); then both statements post
        Statement.validate_statement(statements)
        for paid in [Invoice(invoice.id), Invoice(mirror.id)]:
            self.assertEqual(paid.amount_to_pay, D('0'))
            self.assertTrue(paid.reconciled)
        # One member at a time: stock Move.post of moves of two companies
        # in one call fails (its loop rebinds its table variable "move")
        for statement in statements:
            Statement.post([statement])
        self.assertEqual([s.state for s in Statement.browse(statements)],
            ['posted', 'posted'])

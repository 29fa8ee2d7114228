# This file is part of Pôle.
"""SEPA credit transfers of a member, on stock account_payment(_sepa).

One database for the module (ModuleTestCase), two onboardings in all: the
Atelier (IBAN and BIC: its journal made at onboarding) and the SCOP (IBAN
without BIC: its journal made by the button once its bank is known)."""
import datetime as dt
import os
from decimal import Decimal as D

from lxml import etree

from trytond.i18n import gettext
from trytond.model.exceptions import DomainValidationError
from trytond.modules import account_payment_sepa
from trytond.modules.hub_bank.tests.test_module import (
    IBAN_ATELIER, IBAN_SCOP, load_french, onboard)
from trytond.pool import Pool
from trytond.modules.hub.tests.tools import HubCompanyTestMixin
from trytond.tests.test_tryton import ModuleTestCase, with_transaction
from trytond.transaction import Transaction, check_access

from ..exceptions import PaymentBankError, PaymentJournalError

XSD = os.path.join(os.path.dirname(account_payment_sepa.__file__),
    'tests', 'pain.001.001.03.xsd')
NS = {'p': 'urn:iso:std:iso:20022:tech:xsd:pain.001.001.03'}
PAY_DATE = dt.date(2026, 3, 31)
# Valid French IBANs (RIB keys and check digits computed)
IBAN_GARDEN = 'FR76 1027 8000 0100 0203 4567 872'
IBAN_PRINTER = 'FR76 3000 4000 3000 1234 5654 040'
IBAN_EMPLOYEE = 'FR76 1751 5000 0080 0123 4567 055'
IBAN_SAWMILL = 'FR76 3000 3012 3400 0500 0123 471'


def party(name, iban=None, bic=None):
    "A party of the member, with its bank account (IBAN at BIC's bank)"
    pool = Pool()
    Party = pool.get('party.party')
    Account = pool.get('bank.account')
    Number = pool.get('bank.account.number')
    Member = pool.get('hub.member')
    Address = pool.get('party.address')
    party = Party(name=name, addresses=[Address(city="Reims")])
    party.save()
    if iban:
        Account(owners=[party], bank=Member._bank_from_bic(bic),
            numbers=[Number(type='iban', number=iban)]).save()
    return party


def account(company, code):
    Account = Pool().get('account.account')
    return Account.open_account(company, code)


def supplier_invoice(company, supplier, amount, date, reference):
    "A supplier invoice on 604 (no VAT: the member is not liable), posted"
    Invoice = Pool().get('account.invoice')
    Line = Pool().get('account.invoice.line')
    invoice = Invoice(company=company, type='in', party=supplier,
        invoice_date=date, reference=reference, currency=company.currency)
    invoice.on_change_type()
    invoice.on_change_party()
    invoice.lines = [Line(type='line', account=account(company, '604'),
            description=reference, quantity=1, unit_price=D(amount))]
    invoice.save()
    Invoice.post([invoice])
    line, = invoice.lines_to_pay
    return line


def salary_account(company):
    """4211, the net pay owed to each employee (a party): of a payable
    type, so that stock Pay takes its lines, a child of 421's type in the
    balance sheet; under 42, as stock wants a child of 421 (closed by
    account_fr, to be detailed) of 421's own type"""
    pool = Pool()
    Account = pool.get('account.account')
    Type = pool.get('account.account.type')
    staff, net = Account.search([
            ('company', '=', company.id), ('code', 'in', ['42', '421'])],
        order=[('code', 'ASC')])
    type_ = Type(name="Rémunérations dues au personnel", company=company,
        parent=net.type, statement='balance', payable=True)
    type_.save()
    salaries = Account(company=company, parent=staff, code='4211',
        name="Personnel - Rémunérations nettes dues", type=type_,
        party_required=True, reconcile=True)
    salaries.save()
    return salaries


def salary_line(company, employee, gross, social, date):
    "March's pay of an employee: 6411 = 431 + 4211 (net), posted"
    pool = Pool()
    Journal = pool.get('account.journal')
    Move = pool.get('account.move')
    Line = pool.get('account.move.line')
    Period = pool.get('account.period')
    journal, = Journal.search([('type', '=', 'general')], limit=1)
    net = D(gross) - D(social)
    with Transaction().set_context(company=company.id):
        period = Period.find(company, date=date)
    move = Move(company=company, journal=journal, period=period, date=date,
        description="Salaires de mars", lines=[
            Line(account=account(company, '6411'), debit=D(gross)),
            Line(account=account(company, '431'), credit=D(social)),
            Line(account=salary_account(company), party=employee,
                credit=net, maturity_date=date),
            ])
    move.save()
    Move.post([move])
    line, = [l for l in move.lines if l.party]
    return line


def pay(lines, journal, date=PAY_DATE):
    """Stock Pay on the lines (their member's journal asked), then each
    payment submitted and approved, as the accountant clicks"""
    pool = Pool()
    PayLine = pool.get('account.move.line.pay', type='wizard')
    Payment = pool.get('account.payment')
    with Transaction().set_context(active_model='account.move.line',
            active_ids=[l.id for l in lines], active_id=lines[0].id):
        session_id, _, _ = PayLine.create()
        wizard = PayLine(session_id)
        wizard.start.date = date
        wizard.ask_journal.journal = journal
        wizard.ask_journal.journals = []
        _, data = wizard.do_pay(None)
        PayLine.delete(session_id)
    payments = Payment.browse(data['res_id'])
    Payment.submit(payments)
    Payment.approve(payments)
    return payments


def process(payments):
    "Stock Process Payments: the payment group, its SEPA message"
    pool = Pool()
    Process = pool.get('account.payment.process', type='wizard')
    Group = pool.get('account.payment.group')
    with Transaction().set_context(active_model='account.payment',
            active_ids=[p.id for p in payments], active_id=payments[0].id):
        session_id, _, _ = Process.create()
        _, data = Process(session_id).do_process(None)
        Process.delete(session_id)
    group, = Group.browse(data['res_id'])
    return group


class HubPaymentTestCase(HubCompanyTestMixin, ModuleTestCase):
    "Test Hub Payment module"
    module = 'hub_payment'


    @with_transaction()
    def test_sepa_transfers(self):
        """The Atelier pays two supplier invoices and a net salary in one
        pain.001, valid against the ISO 20022 schema; the SCOP's journal
        by the button; no IBAN, another member's line: refused"""
        pool = Pool()
        Journal = pool.get('account.payment.journal')
        Member = pool.get('hub.member')
        Payment = pool.get('account.payment')
        Bank = pool.get('bank.account')
        load_french()

        atelier = onboard("Atelier", '41234502700012',
            iban=IBAN_ATELIER, bic='AGRIFRPP')
        scop = onboard("SCOP", '41234503500015', iban=IBAN_SCOP)

        # The Atelier's journal, made at onboarding, named in French
        journal, = Journal.search([('company', '=', atelier.company.id)])
        self.assertEqual(journal.name, "Virements SEPA")
        self.assertEqual(journal.process_method, 'sepa')
        self.assertEqual(journal.sepa_payable_flavor, 'pain.001.001.03')
        self.assertEqual(journal.sepa_bank_account_number.number_compact,
            IBAN_ATELIER.replace(' ', ''))

        # The SCOP has no BIC: no journal, the button says why; once its
        # bank is known, the button makes it, and only once
        self.assertEqual(
            Journal.search([('company', '=', scop.company.id)]), [])
        with self.assertRaisesRegex(PaymentJournalError,
                'Impossible de créer le journal de virements SEPA de '
                '« SCOP » : le compte bancaire '
                'FR14 2004 1010 0505 0001 3M02 606 n\'a pas de banque'):
            with Transaction().set_context(language='fr'):
                Member.create_payment_journal([scop])
        scop_account, = Bank.search([('owners', '=', scop.company.party.id)])
        scop_account.bank = Member._bank_from_bic('CCOPFRPP')
        scop_account.save()
        Member.create_payment_journal([scop])
        Member.create_payment_journal([scop])
        scop_journal, = Journal.search([('company', '=', scop.company.id)])

        company = atelier.company
        with Transaction().set_context(company=company.id):
            garden = party("Jardinerie Martin", IBAN_GARDEN, 'CMCIFRPP')
            printer = party("Imprimerie Leroy", IBAN_PRINTER, 'BNPAFRPP')
            employee = party("Karim Benali", IBAN_EMPLOYEE, 'PSSTFRPP')
            lines = [
                supplier_invoice(company, garden, '1250.00',
                    dt.date(2026, 3, 2), "Plants de mars"),
                supplier_invoice(company, printer, '349.90',
                    dt.date(2026, 3, 9), "Affiches"),
                # gross 2 000,00 - contributions 387,60 = net 1 612,40
                salary_line(company, employee, '2000.00', '387.60',
                    dt.date(2026, 3, 31)),
                ]
            payments = pay(lines, journal)
            self.assertEqual(sorted(p.amount for p in payments),
                [D('349.90'), D('1250.00'), D('1612.40')])
            group = process(payments)

        self.assertEqual(group.company, company)
        self.assertEqual(group.kind, 'payable')
        message, = group.sepa_messages
        xml = etree.fromstring(bytes(message.message))
        etree.XMLSchema(etree.parse(XSD)).assertValid(xml)
        header = xml.find('.//p:GrpHdr', NS)
        # 3 transfers: 1 250,00 + 349,90 + 1 612,40 = 3 212,30
        self.assertEqual(header.findtext('p:NbOfTxs', namespaces=NS), '3')
        self.assertEqual(header.findtext('p:CtrlSum', namespaces=NS),
            '3212.30')
        info, = xml.findall('.//p:PmtInf', NS)
        self.assertEqual(info.findtext('p:ReqdExctnDt', namespaces=NS),
            '2026-03-31')
        self.assertEqual(info.findtext('p:Dbtr/p:Nm', namespaces=NS),
            "Atelier")
        self.assertEqual(
            info.findtext('p:DbtrAcct/p:Id/p:IBAN', namespaces=NS),
            IBAN_ATELIER.replace(' ', ''))
        self.assertEqual(
            info.findtext('p:DbtrAgt/p:FinInstnId/p:BIC', namespaces=NS),
            'AGRIFRPP')
        self.assertEqual(sorted(
                (t.findtext('p:Cdtr/p:Nm', namespaces=NS),
                    t.findtext('p:CdtrAcct/p:Id/p:IBAN', namespaces=NS),
                    t.findtext('p:Amt/p:InstdAmt', namespaces=NS))
                for t in info.findall('p:CdtTrfTxInf', NS)), [
                ("Imprimerie Leroy", IBAN_PRINTER.replace(' ', ''),
                    '349.90'),
                ("Jardinerie Martin", IBAN_GARDEN.replace(' ', ''),
                    '1250.00'),
                ("Karim Benali", IBAN_EMPLOYEE.replace(' ', ''), '1612.40'),
                ])

        # Another member's line goes neither into the Atelier's payments
        # nor into its group (stock domains: the line's company, the
        # group's company and journal)
        with Transaction().set_context(company=scop.company.id):
            scop_supplier = party("Scierie Durand", IBAN_SAWMILL,
                'SOGEFRPP')
            scop_line = supplier_invoice(scop.company, scop_supplier,
                '500.00', dt.date(2026, 3, 5), "Planches")
        with self.assertRaises(DomainValidationError):
            Payment(company=company, journal=journal, kind='payable',
                party=scop_supplier, line=scop_line, amount=D('500.00'),
                date=PAY_DATE).save()
        with Transaction().set_context(company=scop.company.id,
                _companies=[scop.company.id]):
            scop_payment, = pay([scop_line], scop_journal)
        with self.assertRaises(DomainValidationError):
            Payment.write([scop_payment], {'group': group.id})
        # A user given the Atelier only sees its journal and group
        user = self._user(atelier)
        with Transaction().set_user(user.id), Transaction().set_context(
                company=company.id), check_access():
            self.assertEqual(Journal.search([]), [journal])
            self.assertEqual(
                pool.get('account.payment.group').search([]), [group])

        # A creditor without IBAN: the group is refused by name
        with Transaction().set_context(company=company.id):
            hardware = party("Quincaillerie Petit")
            line = supplier_invoice(company, hardware, '80.00',
                dt.date(2026, 3, 20), "Outils")
            payments = pay([line], journal)
            with self.assertRaisesRegex(PaymentBankError,
                    'Impossible d\'envoyer les virements de « Atelier » : '
                    'le créancier « Quincaillerie Petit » \\(80,00 € le '
                    '31/03/2026\\) n\'a pas de compte bancaire avec IBAN'):
                with Transaction().set_context(language='fr'):
                    process(payments)

    def _user(self, member):
        pool = Pool()
        User = pool.get('res.user')
        ModelData = pool.get('ir.model.data')
        user = User(login='compta_atelier', name="Compta Atelier",
            companies=[member.company], company=member.company,
            groups=[ModelData.get_id('account_payment', 'group_payment'),
                ModelData.get_id('hub', 'group_hub_accountant')])
        user.save()
        return user

    @with_transaction()
    def test_messages_french(self):
        "Every message of the module has its French"
        load_french()
        self.assertEqual(
            gettext('hub_payment.msg_journal_name', 'fr'), "Virements SEPA")


del ModuleTestCase

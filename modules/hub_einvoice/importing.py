# This file is part of Pôle.
"""Received e-invoices: a UBL (stock parser of edocument_ubl) or CII file
(parsed here: the stock edocument_uncefact only renders) becomes a draft
supplier invoice of the member it is addressed to, found by the buyer's
SIRET, SIREN or VAT number.  All or nothing: a malformed file, a buyer that
is no VAT-liable member, a file or invoice already booked (the mirror of an
inter-member invoice included), totals that differ from the file's are
refused by name and nothing is written."""
import datetime as dt
import hashlib
from decimal import Decimal
from itertools import chain

from lxml import etree

from trytond.i18n import gettext
from trytond.model import ModelView, fields
from trytond.modules.hub.format import format_amount
from trytond.modules.product import round_price
from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction, without_check_access
from trytond.wizard import Button, StateAction, StateTransition, StateView, \
    Wizard

from .edocument import RAM, RSM
from .exceptions import EInvoiceImportError
from .member import french_vat

UBL_NAMESPACES = {
    'urn:oasis:names:specification:ubl:schema:xsd:Invoice-2',
    'urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2',
    }
PURCHASE_TAX = ['OR',
    ('group.kind', 'in', ['purchase', 'both']),
    ('parent.group.kind', 'in', ['purchase', 'both']),
    ]


def top_taxes(taxes):
    """The invoice line's taxes: account_fr's rates are children of a
    "Taux Normal" tax without rate, and a line takes only top-level taxes"""
    result = []
    for tax in taxes:
        while tax.parent:
            tax = tax.parent
        if tax not in result:
            result.append(tax)
    return result


def find_member(codes, name):
    """The member whose SIRET, SIREN or VAT number is one of codes, else
    an error naming the buyer"""
    Member = Pool().get('hub.member')
    codes = {(c or '').replace(' ', '').upper() for c in codes} - {''}
    with without_check_access():
        for member in Member.search([]):
            siren = member.siret[:9]
            if codes & {member.siret, siren, french_vat(siren)}:
                if not member.vat_liable:
                    raise EInvoiceImportError(gettext(
                            'hub_einvoice.msg_import_not_vat_liable',
                            member=member.rec_name))
                return member.company
    raise EInvoiceImportError(gettext(
            'hub_einvoice.msg_import_unknown_buyer',
            buyer=name or '?', identifiers=', '.join(sorted(codes)) or '-'))


def save_supplier(party):
    """Save a supplier party made from a file: the identifiers that name an
    establishment (party_siret's SIRET, required on an address) go on its
    first address, made empty when the file gives none"""
    pool = Pool()
    Address = pool.get('party.address')
    Identifier = pool.get('party.identifier')
    placed = Identifier._type_addresses()
    identifiers = list(getattr(party, 'identifiers', None) or [])
    party.identifiers = [i for i in identifiers if i.type not in placed]
    if not getattr(party, 'addresses', None):
        party.addresses = [Address()]
    party.save()
    address = party.addresses[0]
    Identifier.save([Identifier(party=party, address=address,
                type=i.type, code=i.code)
            for i in identifiers if i.type in placed])
    return party


class UBLInvoice(metaclass=PoolMeta):
    __name__ = 'edocument.ubl.invoice'

    @classmethod
    def _parse_2_supplier(cls, supplier_party, create=False):
        # A new supplier's SIRET on its address (stock saves it without)
        party = super()._parse_2_supplier(supplier_party, create=False)
        if not party and create:
            party = save_supplier(
                cls._create_2_party(supplier_party.find('./{*}Party')))
        return party

    @classmethod
    def _parse_2_company(cls, customer_party):
        party_el = customer_party.find('./{*}Party')
        codes = [e.text for e in chain(
                party_el.iterfind('./{*}EndpointID'),
                party_el.iterfind('./{*}PartyIdentification/{*}ID'),
                party_el.iterfind('./{*}PartyTaxScheme/{*}CompanyID'),
                party_el.iterfind('./{*}PartyLegalEntity/{*}CompanyID'))]
        name = (party_el.findtext('./{*}PartyLegalEntity/{*}RegistrationName')
            or party_el.findtext('./{*}PartyName/{*}Name'))
        return find_member(codes, name)

    @classmethod
    def _parse_2_tax_category(cls, tax_category):
        # account_fr's rates are children of a "Taux Normal" tax without
        # rate: any level, of the purchase groups (the children have none)
        domain = [c for c in super()._parse_2_tax_category(tax_category)
            if c != ('parent', '=', None)]
        domain.append(PURCHASE_TAX)
        return domain

    @classmethod
    def _parse_invoice_2_line(cls, invoice_line, *args, **kwargs):
        line = super()._parse_invoice_2_line(invoice_line, *args, **kwargs)
        line.taxes = top_taxes(line.taxes)
        return line

    @classmethod
    def _parse_credit_note_2_line(cls, credit_note_line, *args, **kwargs):
        line = super()._parse_credit_note_2_line(
            credit_note_line, *args, **kwargs)
        line.taxes = top_taxes(line.taxes)
        return line


class CIIParser:
    "A received UN/CEFACT CII invoice (16B, EN 16931) as a supplier invoice"

    def __init__(self, root):
        self.root = root

    def find(self, path, element=None):
        return (self.root if element is None else element).find(
            path.replace('ram:', '{%s}' % RAM).replace('rsm:', '{%s}' % RSM))

    def findall(self, path, element=None):
        return (self.root if element is None else element).findall(
            path.replace('ram:', '{%s}' % RAM).replace('rsm:', '{%s}' % RSM))

    def text(self, path, element=None):
        found = self.find(path, element)
        return found.text.strip() if found is not None and found.text else None

    def amount(self, path, element=None):
        text = self.text(path, element)
        return Decimal(text) if text else Decimal(0)

    def date(self, path):
        text = self.text(path + '/{urn:un:unece:uncefact:data:standard:'
            'UnqualifiedDataType:100}DateTimeString')
        return dt.datetime.strptime(text, '%Y%m%d').date() if text else None

    def party_codes(self, party):
        return [e.text for e in chain(
                self.findall('ram:ID', party),
                self.findall('ram:GlobalID', party),
                self.findall('ram:SpecifiedLegalOrganization/ram:ID', party),
                self.findall('ram:SpecifiedTaxRegistration/ram:ID', party))
            if e.text]

    def parse(self):
        pool = Pool()
        Invoice = pool.get('account.invoice')
        Currency = pool.get('currency.currency')
        settlement = self.find(
            'rsm:SupplyChainTradeTransaction/'
            'ram:ApplicableHeaderTradeSettlement')
        agreement = self.find(
            'rsm:SupplyChainTradeTransaction/'
            'ram:ApplicableHeaderTradeAgreement')
        if settlement is None or agreement is None:
            raise ValueError("no trade transaction")
        type_code = self.text('rsm:ExchangedDocument/ram:TypeCode')
        sign = {'380': 1, '381': -1}.get(type_code)
        if sign is None:
            raise EInvoiceImportError(gettext(
                    'hub_einvoice.msg_import_type_code', code=type_code))
        buyer = self.find('ram:BuyerTradeParty', agreement)
        seller = self.find('ram:SellerTradeParty', agreement)
        invoice = Invoice(type='in')
        invoice.company = find_member(
            self.party_codes(buyer), self.text('ram:Name', buyer))
        invoice.reference = self.text('rsm:ExchangedDocument/ram:ID')
        invoice.invoice_date = self.date(
            'rsm:ExchangedDocument/ram:IssueDateTime')
        invoice.party = self.supplier(seller)
        invoice.set_journal()
        invoice.on_change_party()
        code = self.text('ram:InvoiceCurrencyCode', settlement)
        currencies = Currency.search([('code', '=', code)], limit=1)
        if not currencies:
            raise EInvoiceImportError(gettext(
                    'hub_einvoice.msg_import_currency', code=code))
        invoice.currency, = currencies
        invoice.lines = [self.line(item, invoice, sign) for item in
            self.findall('rsm:SupplyChainTradeTransaction/'
                'ram:IncludedSupplyChainTradeLineItem')]
        summation = self.find(
            'ram:SpecifiedTradeSettlementHeaderMonetarySummation', settlement)
        invoice.source_untaxed_amount = sign * self.amount(
            'ram:TaxBasisTotalAmount', summation)
        invoice.source_tax_amount = sign * self.amount(
            'ram:TaxTotalAmount', summation)
        invoice.source_total_amount = sign * self.amount(
            'ram:GrandTotalAmount', summation)
        return invoice

    def supplier(self, seller):
        pool = Pool()
        Party = pool.get('party.party')
        Identifier = pool.get('party.identifier')
        codes = self.party_codes(seller)
        for code in codes:
            parties = Party.search([('identifiers', 'where', [
                            ('code_compact', '=', code.replace(' ', ''))])])
            if len(parties) == 1:
                return parties[0]
        party = Party(name=self.text('ram:Name', seller))
        identifiers = []
        siret = self.text('ram:SpecifiedLegalOrganization/ram:ID', seller)
        if siret and len(siret) == 14:
            identifiers.append(Identifier(type='fr_siret', code=siret))
        vat = self.text('ram:SpecifiedTaxRegistration/ram:ID', seller)
        if vat:
            identifiers.append(Identifier(type='eu_vat', code=vat))
        party.identifiers = identifiers
        address = self.find('ram:PostalTradeAddress', seller)
        if address is not None:
            party.addresses = [self.address(address)]
        return save_supplier(party)

    def address(self, element):
        "The party address of a CII PostalTradeAddress"
        pool = Pool()
        Address = pool.get('party.address')
        Country = pool.get('country.country')
        address = Address(
            street_unstructured='\n'.join(filter(None, (
                        self.text('ram:Line' + n, element)
                        for n in ['One', 'Two', 'Three']))),
            postal_code=self.text('ram:PostcodeCode', element),
            city=self.text('ram:CityName', element))
        if code := self.text('ram:CountryID', element):
            countries = Country.search([('code', '=', code)], limit=1)
            if countries:
                address.country, = countries
        return address

    def line(self, item, invoice, sign):
        pool = Pool()
        Line = pool.get('account.invoice.line')
        Tax = pool.get('account.tax')
        UoM = pool.get('product.uom')
        Configuration = pool.get('account.configuration')
        line = Line(type='line', company=invoice.company,
            currency=invoice.currency, invoice_type='in')
        quantity = self.find(
            'ram:SpecifiedLineTradeDelivery/ram:BilledQuantity', item)
        line.quantity = sign * float(quantity.text)
        unit_code = quantity.get('unitCode')
        units = UoM.search([('unece_code', '=', unit_code)], limit=1) if (
            unit_code) else []
        line.unit = units[0] if units else None
        line.product = None
        line.description = self.text(
            'ram:SpecifiedTradeProduct/ram:Name', item)
        line.account = Configuration(1).get_multivalue(
            'default_category_account_expense', company=invoice.company.id)
        total = self.amount('ram:SpecifiedLineTradeSettlement/'
            'ram:SpecifiedTradeSettlementLineMonetarySummation/'
            'ram:LineTotalAmount', item)
        line.unit_price = round_price(
            total / Decimal(str(abs(line.quantity) or 1)))
        taxes = []
        for tax in self.findall(
                'ram:SpecifiedLineTradeSettlement/ram:ApplicableTradeTax',
                item):
            domain = [
                ('unece_code', '=', self.text('ram:TypeCode', tax)),
                ('unece_category_code', '=',
                    self.text('ram:CategoryCode', tax)),
                ('company', '=', invoice.company.id),
                PURCHASE_TAX,
                ]
            if rate := self.text('ram:RateApplicablePercent', tax):
                domain += [('type', '=', 'percentage'),
                    ('rate', '=', Decimal(rate) / 100)]
            found = Tax.search(domain, limit=1)
            if not found:
                raise EInvoiceImportError(gettext(
                        'hub_einvoice.msg_import_tax', line=line.description,
                        category=self.text('ram:CategoryCode', tax),
                        rate=rate or '-', member=invoice.company.rec_name))
            taxes.extend(found)
        line.taxes = top_taxes(taxes)
        return line


class Invoice(metaclass=PoolMeta):
    __name__ = 'account.invoice'

    @classmethod
    def hub_import_einvoice(cls, data, filename):
        "Book the e-invoice file data as a draft supplier invoice"
        pool = Pool()
        UBL = pool.get('edocument.ubl.invoice')
        digest = hashlib.sha256(data).hexdigest()
        parser = etree.XMLParser(
            resolve_entities=False, no_network=True, huge_tree=False)
        try:
            root = etree.fromstring(data, parser=parser)
        except etree.XMLSyntaxError as exception:
            raise EInvoiceImportError(gettext(
                    'hub_einvoice.msg_import_malformed',
                    filename=filename, error=str(exception)))
        with without_check_access():
            booked = cls.search([('einvoice_digest', '=', digest)], limit=1)
        if booked:
            raise EInvoiceImportError(gettext(
                    'hub_einvoice.msg_import_duplicate_file',
                    filename=filename, invoice=booked[0].rec_name,
                    member=booked[0].company.rec_name))
        namespace = etree.QName(root).namespace
        try:
            if namespace in UBL_NAMESPACES:
                invoice, attachments = UBL.parser(namespace)(root)
            elif namespace == RSM:
                invoice, attachments = CIIParser(root).parse(), []
            else:
                raise ValueError(namespace)
        except (ValueError, TypeError, AttributeError, ArithmeticError) as e:
            # an element or a value the format requires is missing or wrong
            raise EInvoiceImportError(gettext(
                    'hub_einvoice.msg_import_malformed',
                    filename=filename, error=repr(e)))
        cls._hub_check_company(invoice, filename)
        cls._hub_check_booked(invoice, filename)
        invoice.einvoice_digest = digest
        invoice.save()
        cls.update_taxes([invoice])
        for attachment in attachments:
            attachment.resource = invoice
            attachment.save()
        invoice = cls(invoice.id)
        for field in ['untaxed_amount', 'tax_amount', 'total_amount']:
            source = getattr(invoice, 'source_' + field)
            if source is not None and source != getattr(invoice, field):
                raise EInvoiceImportError(gettext(
                        'hub_einvoice.msg_import_total_differs',
                        filename=filename,
                        field=cls.fields_get([field])[field]['string'],
                        invoice=invoice.reference,
                        amount=format_amount(getattr(invoice, field)),
                        source=format_amount(source)))
        return invoice

    @classmethod
    def _hub_check_company(cls, invoice, filename):
        "Only the books the user keeps (res.user companies)"
        User = Pool().get('res.user')
        user_id = Transaction().user
        if not user_id or Transaction().context.get('_check_access') is False:
            return
        if invoice.company not in User(user_id).companies:
            raise EInvoiceImportError(gettext(
                    'hub_einvoice.msg_import_other_member',
                    filename=filename, member=invoice.company.rec_name))

    @classmethod
    def _hub_check_booked(cls, invoice, filename):
        """Refuse an invoice the member has already booked: same supplier and
        reference, or the mirror of the supplier member's customer invoice"""
        with without_check_access():
            booked = cls.search([
                    ('company', '=', invoice.company.id),
                    ('type', '=', 'in'),
                    ('party', '=', invoice.party.id),
                    ('reference', '=', invoice.reference),
                    ('state', '!=', 'cancelled'),
                    ], limit=1)
        if booked:
            booked, = booked
            message = ('hub_einvoice.msg_import_mirrored'
                if getattr(booked, 'mirror_of', None)
                else 'hub_einvoice.msg_import_duplicate_invoice')
            raise EInvoiceImportError(gettext(message,
                    filename=filename, reference=invoice.reference,
                    supplier=invoice.party.rec_name,
                    member=invoice.company.rec_name,
                    invoice=booked.number or booked.rec_name))


class ImportStart(ModelView):
    "Import E-Invoice"
    __name__ = 'hub.einvoice.import.start'

    file = fields.Binary("File", required=True, filename='filename')
    filename = fields.Char("File Name")
    invoice = fields.Many2One('account.invoice', "Invoice", readonly=True)


class Import(Wizard):
    "Import E-Invoice"
    __name__ = 'hub.einvoice.import'

    start = StateView('hub.einvoice.import.start',
        'hub_einvoice.import_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Import", 'import_', 'tryton-ok', default=True),
            ])
    import_ = StateTransition()
    open_ = StateAction('account_invoice.act_invoice_in_form')

    def transition_import_(self):
        Invoice = Pool().get('account.invoice')
        invoice = Invoice.hub_import_einvoice(
            self.start.file, self.start.filename or '?')
        self.start.file = None  # no need to keep it in the session
        self.start.invoice = invoice
        return 'open_'

    def do_open_(self, action):
        action['res_id'] = [self.start.invoice.id]
        action['views'].reverse()
        return action, {}

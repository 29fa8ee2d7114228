# This file is part of Pôle.
"""Test helpers of e-invoicing: the schemas shipped with the stock modules
and a check of EN 16931 business rules on a CII invoice."""
import os
from decimal import Decimal

from lxml import etree

import trytond.modules.edocument_ubl as edocument_ubl
import trytond.modules.edocument_uncefact as edocument_uncefact

CII_XSD = os.path.join(os.path.dirname(edocument_uncefact.__file__),
    'tests', '16B-CII', 'data', 'standard', 'CrossIndustryInvoice_100pD16B.xsd')
UBL_XSD = os.path.join(os.path.dirname(edocument_ubl.__file__),
    'tests', '2.4', 'maindoc', 'UBL-Invoice-2.4.xsd')
NS = {
    'rsm': 'urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100',
    'ram': 'urn:un:unece:uncefact:data:standard:'
    'ReusableAggregateBusinessInformationEntity:100',
    'udt': 'urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100',
    'cbc': 'urn:oasis:names:specification:ubl:schema:xsd:'
    'CommonBasicComponents-2',
    'cac': 'urn:oasis:names:specification:ubl:schema:xsd:'
    'CommonAggregateComponents-2',
    }


def public_buyer(seller):
    """The Conseil départemental du Doubs, flagged for Chorus Pro (service
    code DSI-ACHATS, engagement EJ-2026-0042), its SIRET on its invoice
    address; the seller's address in Besançon, France (proteus)"""
    from proteus import Model
    Country = Model.get('country.country')
    Party = Model.get('party.party')
    france = Country(name="France", code='FR')
    france.save()
    address, = seller.company.party.addresses
    address.street, address.postal_code, address.city = (
        "12 rue des Ateliers", '25000', "Besançon")
    address.country = france
    address.save()
    buyer = Party(name="Conseil départemental du Doubs")
    buyer.chorus = True
    buyer.chorus_service_code = 'DSI-ACHATS'
    buyer.chorus_engagement = 'EJ-2026-0042'
    buyer_address, = buyer.addresses
    buyer_address.street, buyer_address.postal_code = (
        "7 avenue de la Gare d'Eau", '25000')
    buyer_address.city, buyer_address.country = "Besançon", france
    buyer.save()
    siret = buyer.identifiers.new(type='fr_siret', code='22500001700007')
    siret.address, = buyer.addresses
    buyer.save()
    return buyer


def validate(data, xsd):
    "The parsed XML of data once valid against the schema xsd"
    root = etree.fromstring(data)
    etree.XMLSchema(etree.parse(xsd)).assertValid(root)
    return root


def xpath(root, path):
    return root.xpath(path, namespaces=NS)


def text(root, path):
    found = xpath(root, path)
    return found[0].text.strip() if found and found[0].text else None


def amount(root, path):
    return Decimal(text(root, path) or 0)


def cii_totals(root):
    "BT-106, BT-109, BT-110, BT-112, BT-115 of a CII invoice"
    s = ('//ram:ApplicableHeaderTradeSettlement/'
        'ram:SpecifiedTradeSettlementHeaderMonetarySummation/ram:')
    return tuple(amount(root, s + name) for name in [
            'LineTotalAmount', 'TaxBasisTotalAmount', 'TaxTotalAmount',
            'GrandTotalAmount', 'DuePayableAmount'])


def ubl_totals(root):
    "TaxExclusive, TaxAmount, TaxInclusive, Payable of a UBL invoice"
    return (amount(root, '/*/cac:LegalMonetaryTotal/cbc:TaxExclusiveAmount'),
        amount(root, '/*/cac:TaxTotal/cbc:TaxAmount'),
        amount(root, '/*/cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount'),
        amount(root, '/*/cac:LegalMonetaryTotal/cbc:PayableAmount'))


# (rule, XPath that must find a non-empty value)
MANDATORY = [
    ('BR-01', '//rsm:ExchangedDocumentContext/'
        'ram:GuidelineSpecifiedDocumentContextParameter/ram:ID'),
    ('BR-02', '//rsm:ExchangedDocument/ram:ID'),
    ('BR-03', '//rsm:ExchangedDocument/ram:IssueDateTime/udt:DateTimeString'),
    ('BR-04', '//rsm:ExchangedDocument/ram:TypeCode'),
    ('BR-05', '//ram:ApplicableHeaderTradeSettlement/'
        'ram:InvoiceCurrencyCode'),
    ('BR-06', '//ram:SellerTradeParty/ram:Name'),
    ('BR-07', '//ram:BuyerTradeParty/ram:Name'),
    ('BR-09', '//ram:SellerTradeParty/ram:PostalTradeAddress/'
        'ram:CountryID'),
    ('BR-11', '//ram:BuyerTradeParty/ram:PostalTradeAddress/'
        'ram:CountryID'),
    ('BR-16', '//ram:IncludedSupplyChainTradeLineItem'),
    ]
LINE_MANDATORY = [
    ('BR-21', 'ram:AssociatedDocumentLineDocument/ram:LineID'),
    ('BR-22', 'ram:SpecifiedLineTradeDelivery/ram:BilledQuantity'),
    ('BR-23', 'ram:SpecifiedLineTradeDelivery/ram:BilledQuantity/@unitCode'),
    ('BR-24', 'ram:SpecifiedLineTradeSettlement/'
        'ram:SpecifiedTradeSettlementLineMonetarySummation/'
        'ram:LineTotalAmount'),
    ('BR-25', 'ram:SpecifiedTradeProduct/ram:Name'),
    ('BR-26', 'ram:SpecifiedLineTradeAgreement/'
        'ram:NetPriceProductTradePrice/ram:ChargeAmount'),
    ('BR-CO-04', 'ram:SpecifiedLineTradeSettlement/'
        'ram:ApplicableTradeTax/ram:CategoryCode'),
    ]


def en16931_errors(root):
    """The EN 16931 rules the CII invoice root breaks: its mandatory fields
    and the totals' rules BR-CO-10, 13, 14, 15, 16 and BR-S-08, 09"""
    errors = []
    for rule, path in MANDATORY:
        found = xpath(root, path)
        if not found or (isinstance(found[0], etree._Element)
                and not len(found[0]) and not (found[0].text or '').strip()):
            errors.append(rule)
    lines = xpath(root, '//ram:IncludedSupplyChainTradeLineItem')
    for line in lines:
        for rule, path in LINE_MANDATORY:
            found = xpath(line, path)
            if not found or not str(
                    found[0] if isinstance(found[0], str)
                    else found[0].text or '').strip():
                errors.append(rule)
    # BR-CO-26: the seller has an identifier, legal registration or VAT
    if not (xpath(root, '//ram:SellerTradeParty/ram:ID')
            or xpath(root, '//ram:SellerTradeParty/'
                'ram:SpecifiedLegalOrganization/ram:ID')
            or xpath(root, '//ram:SellerTradeParty/'
                'ram:SpecifiedTaxRegistration/ram:ID')):
        errors.append('BR-CO-26')
    line_total, basis, tax_total, grand, due = cii_totals(root)
    net = [amount(line, './/ram:SpecifiedTradeSettlementLineMonetarySummation'
            '/ram:LineTotalAmount') for line in lines]
    if sum(net) != line_total:
        errors.append('BR-CO-10')
    settlement = '//ram:ApplicableHeaderTradeSettlement/'
    allowances = sum(amount(a, 'ram:ActualAmount') for a in xpath(root,
            settlement + 'ram:SpecifiedTradeAllowanceCharge'
            '[ram:ChargeIndicator/udt:Indicator="false"]'))
    charges = sum(amount(a, 'ram:ActualAmount') for a in xpath(root,
            settlement + 'ram:SpecifiedTradeAllowanceCharge'
            '[ram:ChargeIndicator/udt:Indicator="true"]'))
    if basis != line_total - allowances + charges:
        errors.append('BR-CO-13')
    header_taxes = xpath(root, settlement + 'ram:ApplicableTradeTax')
    if tax_total != sum(amount(t, 'ram:CalculatedAmount')
            for t in header_taxes):
        errors.append('BR-CO-14')
    if grand != basis + tax_total:
        errors.append('BR-CO-15')
    prepaid = amount(root, settlement
        + 'ram:SpecifiedTradeSettlementHeaderMonetarySummation/'
        'ram:TotalPrepaidAmount')
    if due != grand - prepaid:
        errors.append('BR-CO-16')
    for tax in header_taxes:
        if text(tax, 'ram:CategoryCode') != 'S':
            continue
        rate = text(tax, 'ram:RateApplicablePercent')
        lines_basis = sum(amount(line, './/ram:LineTotalAmount')
            for line in lines if any(
                text(t, 'ram:RateApplicablePercent') == rate
                for t in xpath(line, './/ram:ApplicableTradeTax')))
        if amount(tax, 'ram:BasisAmount') != lines_basis:
            errors.append('BR-S-08')
        expected = (amount(tax, 'ram:BasisAmount') * Decimal(rate) / 100
            ).quantize(Decimal('0.01'))
        if abs(amount(tax, 'ram:CalculatedAmount') - expected) > Decimal(
                '0.01'):
            errors.append('BR-S-09')
    return errors

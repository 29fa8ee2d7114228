# This file is part of Pôle.
"""What the stock CII and UBL invoices lack for EN 16931 and Chorus Pro,
added to the XML they render (their templates stay the stock ones):

- the specification identifier (BT-24), mandatory;
- the seller's and buyer's SIRET as legal registration (BT-30, BT-47);
- the buyer's reference (BT-10), the Chorus Pro service code, and the
  purchase order reference (BT-13), the engagement number;
- the item name (BT-153) of lines without product, their description,
  and the unit (BT-130) of lines without unit: C62, one.
"""
from lxml import etree

from trytond.pool import PoolMeta

EN16931 = 'urn:cen.eu:en16931:2017'
RSM = 'urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100'
RAM = ('urn:un:unece:uncefact:data:standard:'
    'ReusableAggregateBusinessInformationEntity:100')
CBC = 'urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2'
CAC = ('urn:oasis:names:specification:ubl:schema:xsd:'
    'CommonAggregateComponents-2')


def chorus_references(invoice):
    "The (service code, engagement number) of the invoice, else its party's"
    party = invoice.party
    return (
        invoice.chorus_service_code or party.chorus_service_code or None,
        invoice.chorus_engagement or party.chorus_engagement or None)


def _xml(tree):
    return etree.tostring(
        tree, xml_declaration=True, encoding='utf-8')


class UNCEFACTInvoice(metaclass=PoolMeta):
    __name__ = 'edocument.uncefact.invoice'

    @classmethod
    def party_legal_ids(cls, party, address):
        ids = super().party_legal_ids(party, address)
        # LegalOrganization has one ID: account_fr_chorus puts the SIRET
        # with its scheme "1" when sending to Chorus Pro
        if not ids and address and address.siret:
            ids.append((address.siret.code_compact, {'schemeID': '0009'}))
        return ids

    def render(self, template):
        data = super().render(template)
        root = etree.fromstring(data)
        ram = '{%s}' % RAM
        context = root.find('{%s}ExchangedDocumentContext' % RSM)
        if context.find(ram + 'GuidelineSpecifiedDocumentContextParameter'
                ) is None:
            parameter = etree.SubElement(
                context, ram + 'GuidelineSpecifiedDocumentContextParameter')
            etree.SubElement(parameter, ram + 'ID').text = EN16931
        for party in root.iter(ram + 'SpecifiedLegalOrganization'):
            if not len(party):
                party.getparent().remove(party)
        agreement = root.find(
            './/{%s}ApplicableHeaderTradeAgreement' % RAM)
        service_code, engagement = chorus_references(self.invoice)
        if service_code:
            reference = etree.Element(ram + 'BuyerReference')
            reference.text = service_code
            agreement.insert(0, reference)
        for order in agreement.findall(
                ram + 'BuyerOrderReferencedDocument'):
            issuer_id = order.find(ram + 'IssuerAssignedID')
            if engagement:
                issuer_id.text = engagement
            elif not (issuer_id.text or '').strip():
                agreement.remove(order)
        for item, line in zip(
                root.iter(ram + 'IncludedSupplyChainTradeLineItem'),
                self.lines):
            if item.find(ram + 'SpecifiedTradeProduct') is None:
                product = etree.Element(ram + 'SpecifiedTradeProduct')
                etree.SubElement(product, ram + 'Name').text = (
                    (line.description or '-').splitlines() or ['-'])[0]
                item.insert(1, product)
            quantity = item.find(
                ram + 'SpecifiedLineTradeDelivery/' + ram + 'BilledQuantity')
            if quantity is not None and not quantity.get('unitCode'):
                # BR-23: a line without unit counts units ("one", C62)
                quantity.set('unitCode', 'C62')
        return _xml(root)


class UBLInvoice(metaclass=PoolMeta):
    __name__ = 'edocument.ubl.invoice'

    def render(self, template, specification=None):
        data = super().render(template, specification=specification)
        if specification:
            return data
        root = etree.fromstring(data)
        cbc, cac = '{%s}' % CBC, '{%s}' % CAC
        version = root.find(cbc + 'UBLVersionID')
        if root.find(cbc + 'CustomizationID') is None:
            customization = etree.Element(cbc + 'CustomizationID')
            customization.text = EN16931
            version.addnext(customization)
        service_code, engagement = chorus_references(self.invoice)
        if service_code:
            reference = root.find(cbc + 'BuyerReference')
            if reference is None:
                reference = etree.Element(cbc + 'BuyerReference')
                root.find(cac + 'OrderReference').addprevious(reference)
            reference.text = service_code
        if engagement:
            root.find(cac + 'OrderReference').find(cbc + 'ID').text = (
                engagement)
        return _xml(root)

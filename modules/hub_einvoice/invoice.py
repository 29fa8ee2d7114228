# This file is part of Pôle.
"""What an invoice of a VAT-liable member carries for e-invoicing: the
buyer's Chorus Pro service code and engagement number, the Chorus Pro
sending status, the digest of the received file it was imported from."""
from trytond.model import fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Bool, Eval
from trytond.transaction import without_check_access


class Invoice(metaclass=PoolMeta):
    __name__ = 'account.invoice'

    hub_vat_liable = fields.Function(fields.Boolean("VAT Liable Member"),
        'on_change_with_hub_vat_liable')
    chorus_service_code = fields.Char(
        "Chorus Pro Service Code",
        states={
            'invisible': ~Eval('hub_vat_liable', False),
            'readonly': Eval('state') != 'draft',
            })
    chorus_engagement = fields.Char(
        "Chorus Pro Engagement Number",
        states={
            'invisible': ~Eval('hub_vat_liable', False),
            'readonly': Eval('state') != 'draft',
            })
    chorus_state = fields.Function(fields.Selection([
                (None, ""),
                ('draft', "Queued"),
                ('sent', "Sent"),
                ('done', "Done"),
                ('exception', "Exception"),
                ], "Chorus Pro Status",
            states={'invisible': ~Bool(Eval('chorus_state'))}),
        'get_chorus_state')
    einvoice_digest = fields.Char(
        "E-Invoice Digest", readonly=True, strip=False,
        states={'invisible': ~Eval('hub_vat_liable', False)},
        help="The SHA-256 of the received e-invoice file "
        "the invoice was imported from.")

    @fields.depends('company')
    def on_change_with_hub_vat_liable(self, name=None):
        Member = Pool().get('hub.member')
        if not self.company:
            return False
        with without_check_access():
            members = Member.search(
                [('company', '=', self.company.id)], limit=1)
        return bool(members and members[0].vat_liable)

    @classmethod
    def get_chorus_state(cls, invoices, name):
        InvoiceChorus = Pool().get('account.invoice.chorus')
        result = {i.id: None for i in invoices}
        with without_check_access():
            for record in InvoiceChorus.search(
                    [('invoice', 'in', [i.id for i in invoices])]):
                result[record.invoice.id] = record.state
        return result

    @fields.depends('party', 'type')
    def on_change_party(self):
        super().on_change_party()
        if self.party and self.type == 'out' and self.party.chorus:
            self.chorus_service_code = self.party.chorus_service_code
            self.chorus_engagement = self.party.chorus_engagement

    @classmethod
    def _post(cls, invoices):
        "Chorus Pro only for the VAT-liable members' invoices"
        InvoiceChorus = Pool().get('account.invoice.chorus')
        super()._post(invoices)
        outside = [i.id for i in invoices
            if i.type == 'out' and not i.hub_vat_liable]
        if outside:
            with without_check_access():
                InvoiceChorus.delete(InvoiceChorus.search([
                            ('invoice', 'in', outside),
                            ('state', '=', 'draft'),
                            ('number', '=', None),
                            ]))

    @classmethod
    def copy(cls, invoices, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('einvoice_digest', None)
        return super().copy(invoices, default=default)


class InvoiceChorus(metaclass=PoolMeta):
    __name__ = 'account.invoice.chorus'

    @classmethod
    def default_syntax(cls):
        # CII (16B), the only syntax of account_fr_chorus 8.0, when the
        # member's accounting configuration names none
        return super().default_syntax() or 'edocument.uncefact.invoice'

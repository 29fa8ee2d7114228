# This file is part of Pôle.
"""Mirrored inter-member invoices.

When a member posts a customer invoice whose party is another member's
company party, the supplier invoice is created in the other member's books
in the same transaction, from an explicit mapping (accounts and taxes of the
target member); the pair then keeps a paired lifecycle (cancel, credit note,
clearing payment) and every move of it is flagged with
``consolidation_company`` so that combined statements eliminate it.
"""
from collections import defaultdict
from decimal import Decimal

from trytond.i18n import gettext
from trytond.model import fields
from trytond.modules.hub.format import format_amount, format_date
from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction, without_check_access

from .allocation import allocate
from .exceptions import MirrorCancelError, MirrorError

class Invoice(metaclass=PoolMeta):
    __name__ = 'account.invoice'

    mirror_of = fields.Many2One(
        'account.invoice', "Mirror of", readonly=True, ondelete='RESTRICT',
        help="The other member's customer invoice this invoice mirrors.")
    mirrors = fields.One2Many(
        'account.invoice', 'mirror_of', "Mirrors", readonly=True)
    # What the form shows: mirror_of and mirrors are in another member's
    # books, which the company rules hide under the current company (an
    # access error in the client, or nothing).
    mirror_of_label = fields.Function(fields.Char("Mirror of",
            help="The other member's customer invoice this invoice "
            "mirrors, shown to the users of that member."),
        'get_mirror_labels')
    mirrors_label = fields.Function(fields.Char("Mirrors",
            help="The other members' supplier invoices that mirror this "
            "invoice, shown to the users of those members."),
        'get_mirror_labels')

    @classmethod
    def get_mirror_labels(cls, invoices, names):
        """The number and member of the invoices paired with each invoice,
        whatever the current company, for those of the companies the user
        works in (res.user companies); nothing of the others"""
        pool = Pool()
        User = pool.get('res.user')
        user_id = Transaction().user
        result = {n: {i.id: None for i in invoices} for n in names}
        with without_check_access():
            entitled = ({c.id for c in User(user_id).companies}
                if user_id else None)

            def label(others):
                return ', '.join('%s (%s)' % (
                            o.number or o.rec_name, o.company.rec_name)
                    for o in others
                    if entitled is None or o.company.id in entitled) or None
            for invoice in cls.browse(invoices):
                if 'mirror_of_label' in names and invoice.mirror_of:
                    result['mirror_of_label'][invoice.id] = label(
                        [invoice.mirror_of])
                if 'mirrors_label' in names:
                    result['mirrors_label'][invoice.id] = label(
                        invoice.mirrors)
        return result

    @classmethod
    def copy(cls, invoices, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('mirror_of', None)
        default.setdefault('mirrors', None)
        return super().copy(invoices, default=default)

    @classmethod
    def _hub_pairs(cls, invoices):
        """Return {invoice: (source member, target member)} for the customer
        invoices between members that have no mirror yet"""
        pool = Pool()
        Member = pool.get('hub.member')
        candidates = [i for i in invoices if i.type == 'out' and not i.mirrors]
        if not candidates:
            return {}
        with without_check_access(), \
                Transaction().set_context(active_test=False):
            members = Member.search([])
        by_company = {m.company: m for m in members}
        by_party = {m.company.party: m for m in members}
        pairs = {}
        for invoice in candidates:
            target = by_party.get(invoice.party)
            source = by_company.get(invoice.company)
            if target and source and target != source:
                pairs[invoice] = (source, target)
        return pairs

    @classmethod
    def _hub_check_pairs(cls, pairs):
        """Check every mirror can be made before anything is written and
        lock the mappings so that postings of a pair are serialized.
        Return {invoice: mapping}."""
        pool = Pool()
        Mapping = pool.get('hub.invoicing.mapping')
        Date = pool.get('ir.date')
        mappings = {}
        for invoice, (source, target) in pairs.items():
            if not target.active:
                raise MirrorError(gettext(
                        'hub_invoicing.msg_mirror_target_inactive',
                        invoice=invoice._hub_label(), member=target.rec_name))
            mapping = Mapping.get_mapping(source, target)
            if not mapping:
                raise MirrorError(gettext(
                        'hub_invoicing.msg_mirror_no_mapping',
                        invoice=invoice._hub_label(), member=target.rec_name,
                        source=source.rec_name))
            # The mirror's move is dated as the source's: its accounting
            # date, else its invoice date
            with Transaction().set_context(company=invoice.company.id):
                date = (invoice.accounting_date or invoice.invoice_date
                    or Date.today())
            cls._hub_check_period(invoice, target, date)
            mappings[invoice] = mapping
        if mappings:
            Mapping.lock(sorted(set(mappings.values()), key=lambda m: m.id))
        return mappings

    @classmethod
    def _hub_check_period(cls, invoice, target, date):
        Period = Pool().get('account.period')
        with without_check_access():
            periods = Period.search([
                    ('company', '=', target.company.id),
                    ('start_date', '<=', date),
                    ('end_date', '>=', date),
                    ('type', '=', 'standard'),
                    ('state', '=', 'open'),
                    ('fiscalyear.state', '=', 'open'),
                    ], limit=1)
        if not periods:
            raise MirrorError(gettext(
                    'hub_invoicing.msg_mirror_no_period',
                    invoice=invoice._hub_label(), member=target.rec_name,
                    date=format_date(date)))

    def _hub_label(self):
        """The invoice named by its party, date and amount, for the errors
        of its posting: a draft has no number (its id means nothing) and the
        number given by a posting that fails is not kept"""
        date = self.accounting_date or self.invoice_date
        return gettext('hub_invoicing.msg_invoice_label',
            party=self.party.rec_name if self.party else '',
            date=format_date(date),
            amount=format_amount(self.total_amount or 0))

    @classmethod
    def _hub_check_own_party(cls, invoices):
        "Refuse an invoice of a company to its own party"
        for invoice in invoices:
            if invoice.party == invoice.company.party:
                raise MirrorError(gettext(
                        'hub_invoicing.msg_invoice_own_party',
                        invoice=invoice._hub_label(),
                        company=invoice.company.rec_name))

    @classmethod
    def _hub_check_mirrorable(cls, invoices):
        """Raise the error posting invoices would raise for their mirrors
        (mapping, period, accounts, taxes), writing nothing"""
        cls._hub_check_own_party(invoices)
        pairs = cls._hub_pairs(invoices)
        mappings = cls._hub_check_pairs(pairs)
        with without_check_access():
            for invoice, (source, target) in pairs.items():
                with Transaction().set_context(company=target.company.id):
                    invoice._hub_mirror_invoice(
                        source, target, mappings[invoice])

    @classmethod
    def _post(cls, invoices):
        cls._hub_check_own_party(invoices)
        pairs = cls._hub_pairs(invoices)
        mappings = cls._hub_check_pairs(pairs)
        super()._post(invoices)
        if mappings:
            cls._hub_mirror(pairs, mappings)

    @classmethod
    def _hub_mirror(cls, pairs, mappings, force_post=False):
        "Create (and post) the mirrors of the posted invoices"
        mirrors, to_post = [], []
        with without_check_access():
            for invoice in pairs:
                source, target = pairs[invoice]
                mapping = mappings[invoice]
                with Transaction().set_context(company=target.company.id):
                    mirror = invoice._hub_mirror_invoice(
                        source, target, mapping)
                mirrors.append(mirror)
                if force_post or mapping.mirror_state == 'posted':
                    to_post.append(mirror)
            cls.save(mirrors)
            cls.update_taxes(mirrors)
            for invoice, mirror in zip(pairs, mirrors):
                if mirror.total_amount != invoice.total_amount:
                    raise MirrorError(gettext(
                            'hub_invoicing.msg_mirror_amount_differs',
                            invoice=invoice._hub_label(),
                            member=pairs[invoice][1].rec_name,
                            source_amount=format_amount(invoice.total_amount),
                            mirror_amount=format_amount(mirror.total_amount)))
            # One call per company: stock account.move.post of 8.0 fails on
            # moves of several companies at once (its loop variable shadows
            # the move table).
            by_company = defaultdict(list)
            for mirror in to_post:
                by_company[mirror.company].append(mirror)
            with Transaction().set_context(_skip_warnings=True):
                for company_mirrors in by_company.values():
                    cls.post(company_mirrors)
        return mirrors

    def _hub_mirror_invoice(self, source, target, mapping):
        "Return the target's supplier invoice mirroring self (not saved)"
        pool = Pool()
        Party = pool.get('party.party')
        Journal = pool.get('account.journal')
        party = Party(self.company.party.id)
        mirror = self.__class__(
            company=target.company, type='in', party=party,
            currency=self.currency, mirror_of=self,
            consolidation_company=self.company,
            reference=self.number, description=self.description,
            invoice_date=self.invoice_date,
            accounting_date=self.accounting_date,
            payment_term=None)
        mirror.invoice_address = party.address_get(type='invoice')
        # The target's own payable account, never the source's.
        mirror.account = party.account_payable_used
        journals = Journal.search([('type', '=', 'expense')], limit=1)
        mirror.journal = journals[0] if journals else None
        lines = []
        vat = self._hub_vat_as_cost() if not target.vat_liable else {}
        for line in self.lines:
            lines.extend(line._hub_mirror_lines(
                    mirror, source, target, mapping, vat.get(line)))
        mirror.lines = lines
        return mirror

    def _hub_vat_as_cost(self):
        """Return {line: tax amount}: each tax of the invoice spread over
        its lines by the tax Tryton computes for each line (line._get_taxes:
        the line carries the parent tax, the invoice tax the child, matched
        by the key of the tax line), largest remainder: the parts add up to
        the invoice's tax exactly (three lines of 20.004 of a tax of 60.01
        give 20.01, 20.00, 20.00)."""
        amounts = defaultdict(Decimal)
        exp = Decimal(1).scaleb(-self.currency.digits)
        lines = [l for l in self.lines if l.type == 'line']
        computed = defaultdict(list)
        for line in lines:
            for key, tax_line in line._get_taxes().items():
                if tax_line.amount:
                    computed[key].append((line, abs(tax_line.amount)))
        for tax in self.taxes:
            if not tax.amount:
                continue
            weights = computed.get(tax._key) if not tax.manual else None
            if not weights:
                # A manual tax: on the first line
                weights = [(l, Decimal(1)) for l in lines[:1]]
            for line, amount in allocate(tax.amount, weights, exp).items():
                amounts[line] += amount
        return amounts

    @classmethod
    def cancel(cls, invoices):
        "Cancel the draft mirrors with their source, refuse if posted"
        to_cancel, refunded = [], []
        for invoice in invoices:
            for mirror in invoice.mirrors:
                if mirror.state == 'cancelled':
                    continue
                if invoice.cancel_move and invoice.state == 'posted':
                    # A refund: the credit note's mirror cancels the mirror
                    refunded.append((invoice, mirror))
                elif mirror.state in {'draft', 'validated'}:
                    to_cancel.append(mirror)
                else:
                    raise MirrorCancelError(gettext(
                            'hub_invoicing.msg_cancel_mirror_posted',
                            invoice=invoice.rec_name,
                            member=mirror.company.rec_name,
                            mirror=mirror.rec_name))
        super().cancel(invoices)
        with without_check_access():
            if to_cancel:
                cls.cancel(to_cancel)
            for invoice, mirror in refunded:
                cls._hub_refund_mirror(invoice, mirror)

    @classmethod
    def _hub_refund_mirror(cls, invoice, mirror):
        """The source was refunded by a credit note: refund the mirror by the
        credit note's mirror, as Tryton does for the source"""
        credit_notes = cls.search([('move', '=', invoice.cancel_move.id)])
        credit_mirrors = [m for c in credit_notes for m in c.mirrors
            if m.state != 'cancelled']
        if not credit_mirrors or mirror.state == 'paid':
            return
        credit_mirror, = credit_mirrors
        to_post = [i for i in [mirror, credit_mirror]
            if i.state in {'draft', 'validated'}]
        if to_post:
            with Transaction().set_context(
                    company=mirror.company.id, _skip_warnings=True):
                cls.post(to_post)
        mirror = cls(mirror.id)
        credit_mirror = cls(credit_mirror.id)
        if credit_mirror.state != 'posted' or mirror.state != 'posted':
            return
        mirror.cancel_move = credit_mirror.move
        mirror.save()
        with Transaction().set_context(company=mirror.company.id):
            cls.cancel([mirror])


class InvoiceLine(metaclass=PoolMeta):
    __name__ = 'account.invoice.line'

    mirror_of = fields.Many2One(
        'account.invoice.line', "Mirror of", readonly=True,
        ondelete='RESTRICT')
    hub_vat_as_cost = fields.Boolean(
        "Non-deductible VAT", readonly=True,
        help="The VAT of an inter-member invoice borne as a cost by a "
        "member that is not VAT-liable: a cost of the pôle, never "
        "eliminated in the combined statements.")

    @classmethod
    def copy(cls, lines, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('mirror_of', None)
        return super().copy(lines, default=default)

    def get_move_lines(self):
        lines = super().get_move_lines()
        if self.hub_vat_as_cost:
            for line in lines:
                line.hub_vat_as_cost = True
        return lines

    def _hub_mirror_lines(self, mirror, source, target, mapping, vat=None):
        "Return the lines of the target's mirror for self"
        line = self.__class__(
            invoice=mirror, type=self.type, sequence=self.sequence,
            description=self.description, mirror_of=self,
            company=mirror.company, currency=mirror.currency,
            party=mirror.party, invoice_type='in', note=self.note)
        if self.type != 'line':
            return [line]
        account = mapping.target_account(self.account)
        if not account:
            raise MirrorError(gettext(
                    'hub_invoicing.msg_mirror_no_account',
                    invoice=self.invoice._hub_label(),
                    member=target.rec_name,
                    account=self.account.rec_name))
        if account.company != target.company:
            raise MirrorError(gettext(
                    'hub_invoicing.msg_mirror_account_company',
                    invoice=self.invoice._hub_label(),
                    member=target.rec_name,
                    account=account.rec_name))
        line.account = account
        line.quantity = self.quantity
        line.unit = self.unit
        line.unit_price = self.unit_price
        line.taxes_date = self.tax_date
        if isinstance(self.origin, self.__class__):
            origins = self.__class__.search([
                    ('mirror_of', '=', self.origin.id),
                    ('invoice.state', '!=', 'cancelled'),
                    ], limit=1)
            if origins:
                line.origin, = origins
        lines = [line]
        if target.vat_liable:
            taxes = []
            for tax in self.taxes:
                target_taxes = mapping.target_taxes(tax)
                if not target_taxes:
                    raise MirrorError(gettext(
                            'hub_invoicing.msg_mirror_no_tax',
                            invoice=self.invoice._hub_label(),
                            member=target.rec_name, tax=tax.rec_name))
                taxes.extend(target_taxes)
            line.taxes = taxes
        else:
            # Not VAT-liable: the VAT paid is a cost, on the same account
            line.taxes = []
            if vat:
                lines.append(self.__class__(
                        invoice=mirror, type='line', sequence=self.sequence,
                        description=gettext(
                            'hub_invoicing.msg_mirror_vat_as_cost',
                            Pool().get('hub.member').books_language(
                                mirror.company),
                            description=self.description or ''),
                        company=mirror.company, currency=mirror.currency,
                        party=mirror.party, invoice_type='in',
                        account=account, unit=None, taxes=[],
                        hub_vat_as_cost=True,
                        quantity=1 if vat > 0 else -1, unit_price=abs(vat)))
        return lines


class MoveLine(metaclass=PoolMeta):
    __name__ = 'account.move.line'

    hub_vat_as_cost = fields.Boolean(
        "Non-deductible VAT", readonly=True,
        help="The VAT of an inter-member invoice borne as a cost: "
        "never eliminated in the combined statements.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._check_modify_exclude.add('hub_vat_as_cost')

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

from sql import Cast, Literal, Null
from sql.aggregate import Sum
from sql.conditionals import Case, Coalesce
from sql.functions import Abs, Round

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Unique, fields
from trytond.model.exceptions import AccessError
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import Transaction, without_check_access
from trytond.wizard import Button, StateTransition, StateView, Wizard

from .allocation import allocate
from .exceptions import ClearingError, MirrorCancelError, MirrorError


class Mapping(ModelSQL, ModelView):
    "Inter-member Invoicing Mapping"
    __name__ = 'hub.invoicing.mapping'

    target = fields.Many2One(
        'hub.member', "Target Member", required=True, ondelete='CASCADE',
        help="The member whose books receive the mirrored supplier invoices.")
    source = fields.Many2One(
        'hub.member', "Source Member", ondelete='CASCADE',
        help="The member issuing the invoices; "
        "leave empty for every member invoicing the target.")
    target_company = fields.Function(fields.Many2One(
            'company.company', "Target Company"),
        'on_change_with_target_company')
    mirror_state = fields.Selection([
            ('draft', "Draft, for review"),
            ('posted', "Posted"),
            ], "Mirror State", required=True,
        help="Whether the mirrored supplier invoice is left in draft for the "
        "target member's review or posted at once.")
    expense_account = fields.Many2One(
        'account.account', "Default Expense Account",
        domain=[
            ('company', '=', Eval('target_company', -1)),
            ('type.expense', '=', True),
            ],
        help="Used for the lines whose source account is not mapped.")
    accounts = fields.One2Many(
        'hub.invoicing.mapping.account', 'mapping', "Accounts")
    taxes = fields.One2Many('hub.invoicing.mapping.tax', 'mapping', "Taxes")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('target_source_unique', Unique(t, t.target, t.source),
                'hub_invoicing.msg_mapping_unique'),
            ]

    @staticmethod
    def default_mirror_state():
        return 'draft'

    @fields.depends('target')
    def on_change_with_target_company(self, name=None):
        return self.target.company if self.target else None

    def get_rec_name(self, name):
        if self.source:
            return '%s → %s' % (self.source.rec_name, self.target.rec_name)
        return '* → %s' % self.target.rec_name

    @classmethod
    def get_mapping(cls, source, target):
        "Return the mapping for the pair, or the target's default one"
        with without_check_access():
            for clause in [('source', '=', source.id), ('source', '=', None)]:
                mappings = cls.search(
                    [('target', '=', target.id), clause], limit=1)
                if mappings:
                    return mappings[0]

    def target_account(self, source_account):
        for line in self.accounts:
            if line.source_account == source_account:
                return line.target_account
        return self.expense_account

    def target_taxes(self, source_tax):
        return [l.target_tax for l in self.taxes if l.source_tax == source_tax]


class MappingAccount(ModelSQL, ModelView):
    "Inter-member Invoicing Account Mapping"
    __name__ = 'hub.invoicing.mapping.account'

    mapping = fields.Many2One(
        'hub.invoicing.mapping', "Mapping", required=True, ondelete='CASCADE')
    source_account = fields.Many2One(
        'account.account', "Source Account", required=True,
        help="The revenue account of the issuing member's invoice line.")
    target_account = fields.Many2One(
        'account.account', "Target Account", required=True,
        domain=[('type.expense', '=', True)],
        help="The expense account of the target member.")


class MappingTax(ModelSQL, ModelView):
    "Inter-member Invoicing Tax Mapping"
    __name__ = 'hub.invoicing.mapping.tax'

    mapping = fields.Many2One(
        'hub.invoicing.mapping', "Mapping", required=True, ondelete='CASCADE')
    source_tax = fields.Many2One(
        'account.tax', "Source Tax", required=True,
        help="The tax on the issuing member's invoice line.")
    target_tax = fields.Many2One(
        'account.tax', "Target Tax", required=True,
        help="The deductible tax of the target member.")


class Member(metaclass=PoolMeta):
    __name__ = 'hub.member'

    clearing_method = fields.Many2One(
        'account.invoice.payment.method', "Inter-member Clearing Method",
        domain=[('company', '=', Eval('company', -1))],
        help="The payment method (journal and clearing account) used to "
        "settle invoices between members.")


class Invoice(metaclass=PoolMeta):
    __name__ = 'account.invoice'

    mirror_of = fields.Many2One(
        'account.invoice', "Mirror of", readonly=True, ondelete='RESTRICT',
        help="The other member's customer invoice this invoice mirrors.")
    mirrors = fields.One2Many(
        'account.invoice', 'mirror_of', "Mirrors", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        # A button for its groups and the record rules over RPC; not on
        # the form: the Inter-member Clearing wizard asks the date.
        cls._buttons.update({
                'hub_clear': {},
                })

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
                    date=date))

    def _hub_label(self):
        """The invoice named by its party, date and amount, for the errors
        of its posting: a draft has no number (its id means nothing) and the
        number given by a posting that fails is not kept"""
        Lang = Pool().get('ir.lang')
        lang = Lang.get()
        date = self.accounting_date or self.invoice_date
        return gettext('hub_invoicing.msg_invoice_label',
            party=self.party.rec_name if self.party else '',
            date=lang.strftime(date) if date else '',
            amount=lang.currency(self.total_amount or 0, self.currency))

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
                            source_amount=invoice.total_amount,
                            mirror_amount=mirror.total_amount))
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

    @classmethod
    @ModelView.button
    def hub_clear(cls, invoices, date=None):
        """Settle inter-member invoices through the members' clearing
        methods: pays and reconciles the source and its mirror (on date,
        today by default).  Both sides must be books the user works in."""
        pool = Pool()
        Move = pool.get('account.move')
        Line = pool.get('account.move.line')
        Member = pool.get('hub.member')
        Date = pool.get('ir.date')
        date = date or Date.today()
        to_process = []
        cls._hub_check_clear_access(invoices)
        with without_check_access():
            for invoice in invoices:
                source = invoice.mirror_of or invoice
                mirrors = [m for m in source.mirrors
                    if m.state in {'posted', 'paid'}]
                if source.state != 'posted' or len(mirrors) != 1 \
                        or mirrors[0].state != 'posted':
                    raise ClearingError(gettext(
                            'hub_invoicing.msg_clearing_not_posted',
                            invoice=source.rec_name))
                mirror, = mirrors
                if source.amount_to_pay != mirror.amount_to_pay:
                    raise ClearingError(gettext(
                            'hub_invoicing.msg_clearing_amounts_differ',
                            invoice=source.rec_name, mirror=mirror.rec_name,
                            source_amount=source.amount_to_pay,
                            mirror_amount=mirror.amount_to_pay))
                for side, other in [(source, mirror), (mirror, source)]:
                    member, = Member.search(
                        [('company', '=', side.company.id)])
                    if not member.clearing_method:
                        raise ClearingError(gettext(
                                'hub_invoicing.msg_clearing_no_method',
                                invoice=source.rec_name,
                                member=member.rec_name))
                    with Transaction().set_context(
                            company=side.company.id):
                        side = cls(side.id)
                        amount = side.amount_to_pay
                        lines = side.pay_invoice(
                            amount, member.clearing_method, date,
                            description=gettext(
                                'hub_invoicing.msg_clearing_description',
                                Member.books_language(side.company),
                                invoice=source.number))
                        move = lines[0].move
                        move.consolidation_company = other.company
                        Move.save([move])
                        side = cls(side.id)
                        to_reconcile = [l for l in side.lines_to_pay
                            + tuple(side.payment_lines)
                            if not l.reconciliation]
                        Line.reconcile(to_reconcile)
                        to_process.append(side)
            cls.process(to_process)

    @classmethod
    def _hub_check_clear_access(cls, invoices):
        """Refuse a pair with a side in books the user does not work in
        (res.user get_companies(), what the record rules allow): the
        wizard runs without access checks, and the button checks only the
        invoices given, not their other side."""
        User = Pool().get('res.user')
        if Transaction().user == 0:
            return
        companies = set(User.get_companies())
        with without_check_access():
            for invoice in invoices:
                source = invoice.mirror_of or invoice
                for side in (source,) + tuple(source.mirrors):
                    if side.company.id not in companies:
                        raise AccessError(gettext(
                                'hub_invoicing.msg_clearing_company_access',
                                invoice=source.rec_name,
                                company=side.company.rec_name))


class ClearStart(ModelView):
    "Inter-member Clearing"
    __name__ = 'hub.invoicing.clear.start'

    date = fields.Date(
        "Date", required=True,
        help="The date of the clearing payments in both members' books.")

    @classmethod
    def default_date(cls):
        return Pool().get('ir.date').today()


class Clear(Wizard):
    "Settle the selected inter-member invoices through the clearing methods"
    __name__ = 'hub.invoicing.clear'
    start = StateView('hub.invoicing.clear.start',
        'hub_invoicing.clear_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Clear", 'clear', 'tryton-ok', default=True),
            ])
    clear = StateTransition()

    def transition_clear(self):
        Invoice = Pool().get('account.invoice')
        Invoice.hub_clear(self.records, self.start.date)
        return 'end'


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


class Exception_(ModelSQL, ModelView):
    "Inter-member Invoicing Exception"
    __name__ = 'hub.invoicing.exception'

    source = fields.Many2One('account.invoice', "Source Invoice")
    source_company = fields.Many2One('company.company', "Source Member")
    target_company = fields.Many2One('company.company', "Target Member")
    mirror = fields.Many2One('account.invoice', "Mirror")
    source_state = fields.Selection(
        'get_states', "Source State")
    mirror_state = fields.Selection('get_states', "Mirror State")
    source_amount = fields.Numeric("Source Amount", digits=(16, 2))
    mirror_amount = fields.Numeric("Mirror Amount", digits=(16, 2))
    reason = fields.Selection([
            ('missing', "No mirror"),
            ('review', "Mirror awaiting review"),
            ('cancelled', "Cancelled on one side only"),
            ('paid', "Paid on one side only"),
            ('amount', "Amounts differ"),
            ], "Reason")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('source', 'DESC'), ('id', 'DESC')]

    @classmethod
    def get_states(cls):
        Invoice = Pool().get('account.invoice')
        return Invoice.fields_get(['state'])['state']['selection']

    @classmethod
    def _invoice_amounts(cls):
        "Query of (invoice, total amount) computed from lines and taxes"
        pool = Pool()
        Line = pool.get('account.invoice.line')
        Tax = pool.get('account.invoice.tax')
        line = Line.__table__()
        tax = Tax.__table__()
        lines = line.select(
            line.invoice.as_('invoice'),
            Round(Cast(line.quantity * line.unit_price, 'NUMERIC'), 2).as_(
                'amount'),
            where=line.type == 'line')
        taxes = tax.select(
            tax.invoice.as_('invoice'), tax.amount.as_('amount'))
        union = lines | taxes
        union.all_ = True
        return union.select(
            union.invoice.as_('invoice'),
            Sum(union.amount).as_('amount'),
            group_by=[union.invoice])

    @classmethod
    def table_query(cls):
        pool = Pool()
        Invoice = pool.get('account.invoice')
        Member = pool.get('hub.member')
        Company = pool.get('company.company')
        source = Invoice.__table__()
        mirror = Invoice.__table__()
        member = Member.__table__()
        target_member = Member.__table__()
        company = Company.__table__()
        source_amount = cls._invoice_amounts()
        mirror_amount = cls._invoice_amounts()

        mirror_state = mirror.state
        reason = Case(
            (mirror.id == Null, Literal('missing')),
            ((source.state == 'cancelled') != (mirror_state == 'cancelled'),
                Literal('cancelled')),
            ((source.state == 'posted') & mirror_state.in_(
                    ['draft', 'validated']), Literal('review')),
            ((source.state == 'paid') != (mirror_state == 'paid'),
                Literal('paid')),
            (Abs(Coalesce(source_amount.amount, 0)
                    - Coalesce(mirror_amount.amount, 0)) >= Decimal('0.01'),
                Literal('amount')),
            else_=Null)
        query = (source
            .join(member, condition=member.company == source.company)
            .join(company, condition=company.party == source.party)
            .join(target_member,
                condition=target_member.company == company.id)
            .join(mirror, 'LEFT', condition=mirror.mirror_of == source.id)
            .join(source_amount, 'LEFT',
                condition=source_amount.invoice == source.id)
            .join(mirror_amount, 'LEFT',
                condition=mirror_amount.invoice == mirror.id)
            .select(
                Coalesce(mirror.id * 2, source.id * 2 + 1).as_('id'),
                source.id.as_('source'),
                source.company.as_('source_company'),
                company.id.as_('target_company'),
                mirror.id.as_('mirror'),
                source.state.as_('source_state'),
                mirror.state.as_('mirror_state'),
                source_amount.amount.as_('source_amount'),
                mirror_amount.amount.as_('mirror_amount'),
                reason.as_('reason'),
                where=(source.type == 'out')
                & source.state.in_(['posted', 'paid', 'cancelled'])
                & (member.company != company.id)))
        # Both cancelled is no exception: filter on the computed reason
        return query.select(
            *[getattr(query, n) for n in [
                    'id', 'source', 'source_company', 'target_company',
                    'mirror', 'source_state', 'mirror_state',
                    'source_amount', 'mirror_amount', 'reason']],
            Literal(0).as_('create_uid'),
            Literal(None).as_('create_date'),
            Literal(None).as_('write_uid'),
            Literal(None).as_('write_date'),
            where=(query.reason != Null)
            & ~((query.source_state == 'cancelled')
                & (query.reason == 'missing')))


class Balance(ModelSQL, ModelView):
    "Inter-member Balance"
    __name__ = 'hub.invoicing.balance'

    company = fields.Many2One('company.company', "Member")
    counterpart = fields.Many2One('company.company', "Counterpart")
    receivable = fields.Numeric(
        "Owed by Counterpart", digits=(16, 2),
        help="What the counterpart owes the member, in the member's books.")
    payable = fields.Numeric(
        "Owed to Counterpart", digits=(16, 2),
        help="What the member owes the counterpart, in the member's books.")
    net = fields.Numeric(
        "Net", digits=(16, 2),
        help="Netting proposal: positive, the counterpart pays the member "
        "this amount and both sides are settled; negative, the member pays.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [
            ('company', 'ASC'), ('counterpart', 'ASC'), ('id', 'ASC')]

    @classmethod
    def table_query(cls):
        pool = Pool()
        Line = pool.get('account.move.line')
        Move = pool.get('account.move')
        Account = pool.get('account.account')
        AccountType = pool.get('account.account.type')
        Member = pool.get('hub.member')
        Company = pool.get('company.company')
        Period = pool.get('account.period')
        Date = pool.get('ir.date')
        line = Line.__table__()
        move = Move.__table__()
        period = Period.__table__()
        account = Account.__table__()
        type_ = AccountType.__table__()
        member = Member.__table__()
        counterpart = Company.__table__()
        counterpart_member = Member.__table__()
        date = Transaction().context.get('date') or Date.today()
        amount = line.debit - line.credit
        return (line
            .join(move, condition=line.move == move.id)
            .join(period, condition=move.period == period.id)
            .join(account, condition=line.account == account.id)
            .join(type_, condition=account.type == type_.id)
            .join(member, condition=member.company == move.company)
            .join(counterpart, condition=counterpart.party == line.party)
            .join(counterpart_member,
                condition=counterpart_member.company == counterpart.id)
            .select(
                (move.company * 1000000 + counterpart.id).as_('id'),
                move.company.as_('company'),
                counterpart.id.as_('counterpart'),
                Sum(Case((type_.receivable, amount), else_=0)).as_(
                    'receivable'),
                (-Sum(Case((type_.payable, amount), else_=0))).as_(
                    'payable'),
                Sum(amount).as_('net'),
                Literal(0).as_('create_uid'),
                Literal(None).as_('create_date'),
                Literal(None).as_('write_uid'),
                Literal(None).as_('write_date'),
                # Posted moves of standard periods: no draft, no closing
                where=(type_.receivable | type_.payable)
                & (move.state == 'posted') & (period.type == 'standard')
                & (move.date <= date)
                & (counterpart.id != move.company),
                group_by=[move.company, counterpart.id],
                having=(Sum(Case((type_.receivable, amount), else_=0)) != 0)
                | (Sum(Case((type_.payable, amount), else_=0)) != 0)))


class BalanceContext(ModelView):
    "Inter-member Balance Context"
    __name__ = 'hub.invoicing.balance.context'

    date = fields.Date("Date", required=True)

    @classmethod
    def default_date(cls):
        return Pool().get('ir.date').today()

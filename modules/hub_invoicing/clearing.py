# This file is part of Pôle.
"""Inter-member clearing: the source invoice and its mirror paid and
reconciled together through the members' clearing methods, the payment
moves flagged for elimination."""
from trytond.i18n import gettext
from trytond.model import ModelView, fields
from trytond.model.exceptions import AccessError
from trytond.modules.hub.format import format_amount
from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction, without_check_access
from trytond.wizard import Button, StateTransition, StateView, Wizard

from .exceptions import ClearingError


class Invoice(metaclass=PoolMeta):
    __name__ = 'account.invoice'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        # A button for its groups and the record rules over RPC; not on
        # the form: the Inter-member Clearing wizard asks the date.
        cls._buttons.update({
                'hub_clear': {},
                })

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
                            source_amount=format_amount(source.amount_to_pay),
                            mirror_amount=format_amount(mirror.amount_to_pay)))
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

# This file is part of Pôle.
"""French numbering follows the dates: a customer invoice cannot be dated
before the last one numbered in its series.  account_invoice refuses it
naming a draft by its id (« (9) ») and the series by the name stored in
the database; this check, made first, names the invoice by its party, date
and amount, the later invoice by its number and date, and the series in
words of the message (the customer invoices of the fiscal year)."""
from trytond.i18n import gettext
from trytond.modules.account_invoice.exceptions import InvoiceNumberError
from trytond.modules.hub.format import format_date
from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction


class Invoice(metaclass=PoolMeta):
    __name__ = 'account.invoice'

    @classmethod
    def set_number(cls, invoices):
        cls._hub_check_number_dates(invoices)
        super().set_number(invoices)

    @classmethod
    def _hub_check_number_dates(cls, invoices):
        "Refuse a customer invoice dated before its series' last one"
        pool = Pool()
        Date = pool.get('ir.date')
        Period = pool.get('account.period')
        checked = set()
        for invoice in invoices:
            if (invoice.type != 'out' or invoice.number
                    or invoice.state in {'posted', 'paid', 'cancelled'}):
                continue
            date = invoice.invoice_date
            if not date:
                with Transaction().set_context(company=invoice.company.id):
                    date = Date.today()
            # The series and date account_invoice numbers it with
            invoice.invoice_date = date
            sequence, _ = invoice._number_sequence()
            if (sequence, date) in checked:
                continue
            checked.add((sequence, date))
            later = cls.search([
                    ('sequence', '=', sequence.id),
                    ('invoice_date', '>', date),
                    ], limit=1,
                order=[('invoice_date', 'DESC'), ('number', 'DESC')])
            if later:
                later, = later
                fiscalyear = Period.find(invoice.company,
                    date=invoice.accounting_date or date).fiscalyear
                raise InvoiceNumberError(gettext(
                        'hub_invoicing.msg_invoice_number_after',
                        invoice=invoice._hub_label(),
                        date=format_date(date),
                        number=later.number,
                        later_date=format_date(later.invoice_date),
                        fiscalyear=fiscalyear.name,
                        company=invoice.company.rec_name))

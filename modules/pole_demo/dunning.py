# This file is part of Pôle.
"""Demo reminders (hub_dunning): the AI's users who have not paid, four
customer invoices of the AI posted 80, 50, 25 and 5 days before today
without a payment term (due on their date), and the pôle's procedure run a
month ago (processed: the first reminders sent) and today (left in draft
for the accountant to send); built once."""
import datetime as dt
from decimal import Decimal

from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction

# (customer, days before today, amount)
INVOICES = [
    ("Mairie de Reims", 80, Decimal('1440.00')),
    ("Reims Habitat", 50, Decimal('960.00')),
    ("Association Quartier Wilson", 25, Decimal('300.00')),
    ("Résidence Les Tilleuls", 5, Decimal('500.00')),
    ]
FIRST_RUN = 30  # days before today


class Demo(metaclass=PoolMeta):
    __name__ = 'hub.demo'

    @classmethod
    def build(cls, definition, today=None):
        result = super().build(definition, today=today)
        today = today or Pool().get('ir.date').today()
        result['dunning'] = cls.build_dunning(result['members'], today)
        return result

    @classmethod
    def build_dunning(cls, members, today):
        """The AI's overdue invoices and its two dunning runs; once.
        Return {(customer, days overdue of the level, state)} of its
        dunnings"""
        pool = Pool()
        Account = pool.get('account.account')
        Dunning = pool.get('account.dunning')
        Invoice = pool.get('account.invoice')
        InvoiceLine = pool.get('account.invoice.line')
        Member = pool.get('hub.member')
        Party = pool.get('party.party')
        Address = pool.get('party.address')
        ais = [m for m in members.values() if m.kind == 'ai']
        if not ais:
            return {}
        member = ais[0]
        company = member.company
        with Transaction().set_context(company=company.id):
            if not Dunning.search([('company', '=', company.id)], limit=1):
                Member.ensure_fiscalyears(company, [
                        today - dt.timedelta(days=d) for _, d, _ in INVOICES])
                revenue = Account.open_account(company, '706')
                invoices = []
                for name, days, amount in INVOICES:
                    party = Party(name=name, addresses=[Address()])
                    party.save()
                    invoice = Invoice(company=company, type='out',
                        party=party, currency=company.currency,
                        invoice_date=today - dt.timedelta(days=days),
                        payment_term=None)
                    invoice.on_change_type()
                    invoice.on_change_party()
                    invoice.payment_term = None
                    invoice.lines = [InvoiceLine(type='line',
                            company=company, currency=company.currency,
                            invoice_type='out', party=party, quantity=1,
                            description="Mise à disposition de personnel",
                            unit_price=amount, account=revenue)]
                    invoices.append(invoice)
                Invoice.save(invoices)
                Invoice.post(invoices)
                Dunning.generate_dunnings(
                    today - dt.timedelta(days=FIRST_RUN))
                Dunning.process(Dunning.search(
                        [('company', '=', company.id)]))
                Dunning.generate_dunnings(today)
            return {(d.party.name, d.level.overdue.days, d.state)
                for d in Dunning.search([('company', '=', company.id)])}

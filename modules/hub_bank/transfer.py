# This file is part of Pôle.
"""An inter-member transfer recognised on each member's statement: a line
whose counterpart account is another member's (its party is that member's)
is matched with the open mirrored invoice between the two members of its
amount, and reconciled with it when the statement is validated (stock).
Registered with hub_invoicing, whose mirrors are the open invoices."""
from trytond.pool import Pool, PoolMeta
from trytond.transaction import without_check_access


class Statement(metaclass=PoolMeta):
    __name__ = 'account.statement'

    def _apply_rules(self, rules):
        # The rules first: an origin they leave may be a transfer
        matched = set()
        for line in super()._apply_rules(rules):
            matched.add(line.origin)
            yield line
        for origin in self.origins:
            if origin in matched or origin.lines:
                continue
            line = origin.hub_transfer_line()
            if line:
                yield line


class StatementOrigin(metaclass=PoolMeta):
    __name__ = 'account.statement.origin'

    def hub_transfer_line(self):
        """The statement line paying the open mirrored invoice of the other
        member the origin's party is, else None"""
        Line = Pool().get('account.statement.line')
        invoice = self.hub_transfer_invoice()
        if not invoice:
            return None
        return Line(statement=self.statement, origin=self,
            number=self.number, description=self.description,
            date=self.date, amount=self.amount, party=invoice.party,
            account=invoice.account, related_to=invoice)

    def hub_transfer_invoice(self):
        """The posted invoice of the origin's company with the other member,
        mirrored (a customer invoice with its mirror, or a mirror), whose
        amount to pay is the origin's: the one its remittance names, else
        the only one"""
        pool = Pool()
        Member = pool.get('hub.member')
        Invoice = pool.get('account.invoice')
        if not self.party or not self.amount:
            return None
        with without_check_access():
            if not Member.search([
                        ('company.party', '=', self.party.id),
                        ('company', '!=', self.company.id),
                        ], limit=1):
                return None
        # Money in pays our customer invoice; money out our supplier's
        kind = 'out' if self.amount > 0 else 'in'
        mirrored = (('mirrors', '!=', None) if kind == 'out'
            else ('mirror_of', '!=', None))
        invoices = Invoice.search([
                ('company', '=', self.company.id),
                ('party', '=', self.party.id),
                ('type', '=', kind),
                ('state', '=', 'posted'),
                mirrored,
                ])
        invoices = [i for i in invoices
            if i.amount_to_pay == abs(self.amount)]
        text = ' '.join(filter(None, [self.description]
                + list((self.information or {}).values()))).upper()
        named = [i for i in invoices
            if any(n and n.upper() in text for n in [i.number, i.reference])]
        if len(named) == 1:
            return named[0]
        if len(invoices) == 1:
            return invoices[0]
        return None

# This file is part of Pôle.
"""Inter-member invoices left (hub_invoicing's exceptions): a mirror to
make or to review falls to the member who receives the invoice, the other
differences to the member who issued it."""
from sql.aggregate import Count, Min, Sum
from sql.conditionals import Case

from trytond.pool import Pool, PoolMeta

# The exceptions whose work is in the receiving member's books
TARGET_REASONS = ['missing', 'review']


class Todo(metaclass=PoolMeta):
    __name__ = 'hub.todo'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.kind.selection += [
            ('invoice_mirror', "Inter-member invoices to mirror or review"),
            ]

    @classmethod
    def _kinds(cls):
        pool = Pool()
        Exception_ = pool.get('hub.invoicing.exception')
        Invoice = pool.get('account.invoice')
        kinds = super()._kinds()
        exception = Exception_.table_query()
        invoice = Invoice.__table__()
        company = Case(
            (exception.reason.in_(TARGET_REASONS), exception.target_company),
            else_=exception.source_company)
        # Grouped outside: PostgreSQL would not match the CASE of the
        # select to that of a GROUP BY, their parameters being distinct
        rows = (exception
            .join(invoice, condition=exception.source == invoice.id)
            .select(
                company.as_('company'),
                exception.id.as_('id'),
                exception.source_amount.as_('amount'),
                invoice.invoice_date.as_('date')))
        kinds['invoice_mirror'] = rows.select(
            rows.company,
            Count(rows.id).as_('count'),
            Sum(rows.amount).as_('amount'),
            Min(rows.date).as_('date'),
            group_by=[rows.company])
        return kinds

    def _open_action(self):
        company = self.company.id
        if self.kind == 'invoice_mirror':
            return 'hub_invoicing.act_exception_form', ['OR', [
                    ('reason', 'in', TARGET_REASONS),
                    ('target_company', '=', company),
                    ], [
                    ('reason', 'not in', TARGET_REASONS),
                    ('source_company', '=', company),
                    ]]
        return super()._open_action()

# This file is part of Pôle.
"""The e-invoicing menus only under a VAT-liable member: the others
(associations outside VAT) never see them, whatever the user's groups."""
from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction, without_check_access

MENUS = [
    ('hub_einvoice', 'menu_import'),
    ('account_fr_chorus', 'menu_invoice_chorus_form'),
    ]


def company_vat_liable(company_id):
    "Whether the company is a VAT-liable member (True when no member)"
    Member = Pool().get('hub.member')
    with without_check_access():
        members = Member.search([('company', '=', company_id)], limit=1)
    return not members or members[0].vat_liable


class Menu(metaclass=PoolMeta):
    __name__ = 'ir.ui.menu'

    @classmethod
    def search(cls, domain, offset=0, limit=None, order=None, count=False,
            query=False):
        result = super().search(domain, offset=offset, limit=limit,
            order=order, count=count, query=query)
        transaction = Transaction()
        company = transaction.context.get('company')
        # as the stock filter of the menus by their actions' access: not
        # when the records are only checked (references to menus)
        if (count or query or not transaction.check_access or not company
                or company_vat_liable(company)):
            return result
        ModelData = Pool().get('ir.model.data')
        hidden = {ModelData.get_id(module, fs_id) for module, fs_id in MENUS}
        return [m for m in result if m.id not in hidden]

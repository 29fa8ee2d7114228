# This file is part of Pôle.
"""Demo fixed assets (hub_asset): the first ACI of the demo buys a van and
a tool from suppliers on the first day of the twelve complete months before
today, each an account_asset asset depreciated monthly, straight line; the
depreciation is posted up to the end of the last complete month (the
year-end batch posts what is left of a year); built once."""
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction

# (category, asset / depreciation account, product, months, supplier,
# price): a van of 18 000.00 over 5 years (300.00 a month) and a tool of
# 2 160.00 over 3 years (60.00 a month)
ASSETS = [
    ("Véhicules", '2182', '28182', "Camionnette benne", 60,
        "Garage du Val", Decimal('18000.00')),
    ("Outillage", '2154', '28154', "Motoculteur", 36,
        "Outillage Champenois", Decimal('2160.00')),
    ]
# Dotations aux amortissements des immobilisations corporelles (6811 is
# closed in account_fr, to be detailed)
EXPENSE = '68112'


class Demo(metaclass=PoolMeta):
    __name__ = 'hub.demo'

    @classmethod
    def build(cls, definition, today=None):
        result = super().build(definition, today=today)
        today = today or Pool().get('ir.date').today()
        result['assets'] = cls.build_assets(result['members'], today)
        return result

    @classmethod
    def build_assets(cls, members, today):
        """The van and the tool of the first ACI, bought, running and
        depreciated to the last complete month; once.  Return the
        (asset, value, depreciation posted)"""
        pool = Pool()
        Account = pool.get('account.account')
        Asset = pool.get('account.asset')
        Category = pool.get('product.category')
        Invoice = pool.get('account.invoice')
        InvoiceLine = pool.get('account.invoice.line')
        Member = pool.get('hub.member')
        ModelData = pool.get('ir.model.data')
        Party = pool.get('party.party')
        Address = pool.get('party.address')
        Product = pool.get('product.product')
        Template = pool.get('product.template')
        Uom = pool.get('product.uom')
        acis = [m for m in members.values() if m.kind == 'aci']
        if not acis:
            return []
        member = acis[0]
        company = member.company
        last = today.replace(day=1) - relativedelta(days=1)
        first = (last + relativedelta(days=1)) - relativedelta(months=12)
        unit = Uom(ModelData.get_id('product', 'uom_unit'))
        with Transaction().set_context(company=company.id):
            if Asset.search([('company', '=', company.id)], limit=1):
                return []
            Member.ensure_fiscalyears(company, [first])

            def account(code):
                return Account.open_account(company, code)
            assets = []
            for (category_name, asset_code, depreciation_code, name, months,
                    supplier_name, price) in ASSETS:
                category = Category(name=category_name, accounting=True,
                    account_asset=account(asset_code),
                    account_depreciation=account(depreciation_code),
                    account_expense=account(EXPENSE))
                category.save()
                template = Template(name=name, type='assets',
                    default_uom=unit, account_category=category,
                    depreciable=True, depreciation_duration=months,
                    products=[Product()])
                template.save()
                product, = template.products
                supplier = Party(name=supplier_name, addresses=[Address()])
                supplier.save()
                invoice = Invoice(company=company, type='in',
                    party=supplier, invoice_date=first,
                    currency=company.currency)
                invoice.on_change_type()
                invoice.on_change_party()
                line = InvoiceLine(invoice=invoice, type='line',
                    product=product, quantity=1, unit_price=price)
                line.on_change_product()
                invoice.lines = [line]
                invoice.save()
                Invoice.post([invoice])
                asset = Asset(company=company, product=product,
                    supplier_invoice_line=invoice.lines[0], unit=unit,
                    frequency='monthly', residual_value=Decimal(0))
                asset.on_change_supplier_invoice_line()
                asset.account_journal = Asset.default_account_journal()
                asset.save()
                assets.append(asset)
            Asset.run(assets)
            Member.depreciate_assets(member, last)
        return [(a.rec_name, a.value, sum(l.depreciation for l in a.lines
                    if l.move)) for a in Asset.browse(assets)]

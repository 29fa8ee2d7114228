# This file is part of Pôle.
"""The UN/ECE codes of account_fr's VAT: the EN 16931 invoices name each
tax by its scheme (VAT) and category (S standard rate, K intra-community,
G export), and the stock parser of received invoices finds the member's
tax by them.  account_fr's templates have none; they are set when a
member's chart is created or updated from the templates."""
from trytond.pool import PoolMeta

# Template name prefixes of account_fr (tax_fr.xml): the plain sales and
# purchases of goods and services, not fixed assets nor intra-community
# acquisitions (reverse charge: two opposite taxes for one line)
UNECE_CODES = [
    ('T.V.A. Vente de ', ('VAT', 'S')),
    ('T.V.A. Achat de ', ('VAT', 'S')),
    ('Exonération de TVA sur ventes intracommunautaires', ('VAT', 'K')),
    ('Exonération de TVA sur ventes de biens hors communauté', ('VAT', 'G')),
    ('Exonération de TVA sur ventes de services hors communauté',
        ('VAT', 'G')),
    ]


def unece_codes(name):
    "The (code, category) of account_fr's tax template named name, or None"
    for prefix, codes in UNECE_CODES:
        if (name or '').startswith(prefix):
            return codes


class TaxTemplate(metaclass=PoolMeta):
    __name__ = 'account.tax.template'

    def _get_tax_value(self, tax=None):
        value = super()._get_tax_value(tax=tax)
        codes = None if self.unece_code else unece_codes(self.name)
        if codes:
            code, category = codes
            if not tax or tax.unece_code != code:
                value['unece_code'] = code
            if not tax or tax.unece_category_code != category:
                value['unece_category_code'] = category
        return value

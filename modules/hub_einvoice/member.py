# This file is part of Pôle.
"""A VAT-liable member's company carries its French VAT number (computed
from its SIREN when missing), as EN 16931 invoices name the seller's
(BT-31) and buyer's (BT-48) VAT identifiers."""
from trytond.pool import Pool, PoolMeta
from trytond.transaction import without_check_access


def french_vat(siren):
    "The intra-community VAT number of a French SIREN: FR, key, SIREN"
    return 'FR%02d%s' % (int(siren + '12') % 97, siren)


class Member(metaclass=PoolMeta):
    __name__ = 'hub.member'

    @classmethod
    def create(cls, vlist):
        members = super().create(vlist)
        cls._hub_einvoice_vat_identifiers(members)
        return members

    @classmethod
    def write(cls, *args):
        super().write(*args)
        cls._hub_einvoice_vat_identifiers(sum(args[::2], []))

    @classmethod
    def _hub_einvoice_vat_identifiers(cls, members):
        Identifier = Pool().get('party.identifier')
        to_save = []
        with without_check_access():
            for member in cls.browse(members):
                if not member.vat_liable:
                    continue
                party = member.company.party
                if any(i.type == 'eu_vat' for i in party.identifiers):
                    continue
                to_save.append(Identifier(
                        party=party, type='eu_vat',
                        code=french_vat(member.siret[:9])))
            Identifier.save(to_save)

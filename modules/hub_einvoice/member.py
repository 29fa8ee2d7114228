# This file is part of Pôle.
"""A VAT-liable member's company carries its French VAT number (computed
from its SIREN when missing), as EN 16931 invoices name the seller's
(BT-31) and buyer's (BT-48) VAT identifiers, and is registered on the
stock Chorus Pro crons (send every 15 minutes, update every hour)."""
from trytond.pool import Pool, PoolMeta
from trytond.transaction import without_check_access


CHORUS_CRONS = ['cron_invoice_send', 'cron_invoice_update']


def french_vat(siren):
    "The intra-community VAT number of a French SIREN: FR, key, SIREN"
    return 'FR%02d%s' % (int(siren + '12') % 97, siren)


class Member(metaclass=PoolMeta):
    __name__ = 'hub.member'

    @classmethod
    def create(cls, vlist):
        members = super().create(vlist)
        cls._hub_einvoice_setup(members)
        return members

    @classmethod
    def write(cls, *args):
        super().write(*args)
        cls._hub_einvoice_setup(sum(args[::2], []))

    @classmethod
    def _hub_einvoice_setup(cls, members):
        pool = Pool()
        Identifier = pool.get('party.identifier')
        Cron = pool.get('ir.cron')
        ModelData = pool.get('ir.model.data')
        to_save = []
        with without_check_access():
            members = [m for m in cls.browse(members) if m.vat_liable]
            crons = Cron.browse([ModelData.get_id('account_fr_chorus', x)
                    for x in CHORUS_CRONS])
            for cron in crons:
                missing = {m.company for m in members} - set(cron.companies)
                if missing:
                    Cron.write([cron], {
                            'companies': [('add', [c.id for c in missing])]})
            for member in members:
                party = member.company.party
                if any(i.type == 'eu_vat' for i in party.identifiers):
                    continue
                to_save.append(Identifier(
                        party=party, type='eu_vat',
                        code=french_vat(member.siret[:9])))
            Identifier.save(to_save)

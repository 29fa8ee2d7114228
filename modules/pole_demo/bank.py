# This file is part of Pôle.
"""Demo bank accounts (hub_bank): each member's company gets a bank
account at the demo's bank, with its IBAN (a valid French RIB made from the
member's SIRET) and its statement journal; built once."""
from stdnum import iban as stdnum_iban

from trytond.pool import Pool, PoolMeta

# The demo's bank: a French bank code and branch, and its BIC
BANK_CODE, BRANCH_CODE, BIC = '30004', '01234', 'BNPAFRPP'


def demo_iban(siret):
    """The IBAN of the member of SIRET: bank and branch of the demo, the
    account number the SIREN and two zeros (11 digits), its RIB key
    (97 - (89 bank + 15 branch + 3 account) mod 97) and IBAN check digits"""
    account = siret[:9] + '00'
    key = 97 - (89 * int(BANK_CODE) + 15 * int(BRANCH_CODE)
        + 3 * int(account)) % 97
    bban = '%s%s%s%02d' % (BANK_CODE, BRANCH_CODE, account, key)
    return 'FR%s%s' % (stdnum_iban.calc_check_digits('FR00' + bban), bban)


class Demo(metaclass=PoolMeta):
    __name__ = 'hub.demo'

    @classmethod
    def build(cls, definition, today=None):
        result = super().build(definition, today=today)
        result['bank'] = cls.build_bank(result['members'])
        return result

    @classmethod
    def build_bank(cls, members):
        """A bank account with the member's IBAN (demo_iban) at the demo's
        bank, and its statement journal, for each member without it;
        return {member key: IBAN}"""
        pool = Pool()
        Member = pool.get('hub.member')
        Number = pool.get('bank.account.number')
        ibans = {}
        for key, member in members.items():
            number = demo_iban(member.siret)
            if not Number.search([('type', '=', 'iban'),
                        ('number_compact', '=', number)], limit=1):
                number, bic = Member.check_bank_numbers(
                    member.rec_name, number, BIC)
                Member.create_bank_account(member, number, bic)
            ibans[key] = number
        return ibans

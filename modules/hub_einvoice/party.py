# This file is part of Pôle.
"""The public buyer's Chorus Pro identifiers: the flag "Chorus Pro" and
the SIRET of the invoice address are account_fr_chorus' (party_siret); the
hub adds the service code (code service) and the engagement number the
buyer asks for, copied on its invoices."""
from trytond.model import fields
from trytond.pool import PoolMeta
from trytond.pyson import Eval


class Party(metaclass=PoolMeta):
    __name__ = 'party.party'

    chorus_service_code = fields.Char(
        "Chorus Pro Service Code",
        states={'invisible': ~Eval('chorus', False)},
        help="The buyer's service (code service) the invoices are sent to.")
    chorus_engagement = fields.Char(
        "Chorus Pro Engagement Number",
        states={'invisible': ~Eval('chorus', False)},
        help="The buyer's engagement (purchase order or contract) number "
        "its invoices quote, when it gives one for all of them.")

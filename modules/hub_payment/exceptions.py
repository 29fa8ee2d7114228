# This file is part of Pôle.
from trytond.exceptions import UserError


class PaymentJournalError(UserError):
    "A member's SEPA payment journal cannot be created"


class PaymentBankError(UserError):
    "A payment of a SEPA group whose creditor has no IBAN or no bank"

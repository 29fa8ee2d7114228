# This file is part of Pôle.
from trytond.exceptions import UserError


class BankAccountError(UserError):
    "A member's IBAN or BIC cannot be its bank account"


class StatementFileError(UserError):
    "A bank statement file that is not imported, nothing written"

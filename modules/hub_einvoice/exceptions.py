# This file is part of Pôle.
from trytond.exceptions import UserError


class EInvoiceImportError(UserError):
    "A received e-invoice file that cannot be booked"


class EInvoiceNotVATLiable(UserError):
    "A member outside e-invoicing (not VAT-liable)"

# This file is part of Pôle.
from trytond.exceptions import UserError


class ConsolidationError(UserError):
    "The combined statements cannot be made as asked"

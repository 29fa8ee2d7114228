# This file is part of Pôle.
from trytond.exceptions import UserError


class BookkeepingError(UserError):
    pass

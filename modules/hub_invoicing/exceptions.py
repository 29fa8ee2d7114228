# This file is part of Pôle.
from trytond.exceptions import UserError


class MirrorError(UserError):
    "An inter-member invoice cannot be mirrored in the other member's books"


class MirrorCancelError(UserError):
    "The mirror of an inter-member invoice prevents its cancellation"


class ClearingError(UserError):
    "An inter-member clearing cannot be recorded"


class AllocationError(UserError):
    "A shared service cannot be allocated over the members"


class BillingError(UserError):
    "A billing run cannot be completed"

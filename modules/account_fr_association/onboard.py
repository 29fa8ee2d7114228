# This file is part of Pôle.
"""With the hub: onboarding proposes the association chart to associations
(ACI, AI, training centres, others) and the plain PCG to the commercial
structures (EI, EITI, ETTI), as most members of a pôle are associations."""
from trytond.model import fields
from trytond.pool import Pool, PoolMeta

# Structure kinds that are companies, not associations, as a rule
COMMERCIAL_KINDS = {'ei', 'eiti', 'etti'}


class OnboardStart(metaclass=PoolMeta):
    __name__ = 'hub.member.onboard.start'

    @classmethod
    def default_account_template(cls):
        return cls._template_for(cls.default_kind())

    @fields.depends('kind')
    def on_change_kind(self):
        if hasattr(super(), 'on_change_kind'):
            super().on_change_kind()
        self.account_template = self._template_for(self.kind)

    @staticmethod
    def _template_for(kind):
        ModelData = Pool().get('ir.model.data')
        if kind in COMMERCIAL_KINDS:
            return ModelData.get_id('account_fr', 'root')
        return ModelData.get_id('account_fr_association', 'root')

# This file is part of Pôle.
"""The pôle's reminders for the members' customers: its dunning procedure
(15 and 45 days after the due date) is the default of new customers once a
member is onboarded, unless the accountant chose another."""
from trytond.pool import Pool, PoolMeta
from trytond.transaction import without_check_access


class Member(metaclass=PoolMeta):
    __name__ = 'hub.member'

    @classmethod
    def onboard(cls, *args, **kwargs):
        member = super().onboard(*args, **kwargs)
        cls.ensure_dunning_procedure()
        return member

    @classmethod
    def ensure_dunning_procedure(cls):
        """The pôle's procedure as the default of new customers when none is
        set (account_dunning's default is shared by the companies)"""
        pool = Pool()
        Configuration = pool.get('account.configuration')
        ModelData = pool.get('ir.model.data')
        Procedure = pool.get('account.dunning.procedure')
        with without_check_access():
            config = Configuration(1)
            if not config.default_dunning_procedure:
                config.default_dunning_procedure = Procedure(
                    ModelData.get_id('hub_dunning', 'procedure_customers'))
                config.save()

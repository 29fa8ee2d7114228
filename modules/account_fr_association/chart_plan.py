# This file is part of Pôle.
"""With the hub: a chart extending another made from its templates in SQL
(hub's chart_template.py), planned as create_type and create_account of
account.py make it: the base chart first, the templates standing for a
base record mapped to it (an override's values and types over the base's),
then the extension's own templates; the taxes, tax codes and rules of every
chart it extends."""
from trytond.pool import PoolMeta

from .account import chart_ids

TYPE_FIELDS = ['type', 'debit_type', 'credit_type']


class TypeTemplate(metaclass=PoolMeta):
    __name__ = 'account.account.type.template'

    def hub_plan_types(self, plan):
        if not self.extends_chart:
            return super().hub_plan_types(plan)
        self.base_template.hub_plan_types(plan)
        overrides = []
        for link in self.base_links():
            entry = plan.alias('account.account.type', link, link.base_template)
            if link.base_override:
                entry.values.update(link._get_type_value())
                overrides.append((link, entry))
        super().hub_plan_types(plan)
        # An override may move its type under a new type of the extension
        for link, entry in overrides:
            entry.refs['parent'] = link.parent.id if link.parent else None


class AccountTemplate(metaclass=PoolMeta):
    __name__ = 'account.account.template'

    def hub_plan_accounts(self, plan):
        if not self.extends_chart:
            return super().hub_plan_accounts(plan)
        self.base_template.hub_plan_accounts(plan)
        for link in self.base_links():
            entry = plan.alias('account.account', link, link.base_template)
            if link.base_override:
                entry.values.update(link._get_account_value())
                for name in TYPE_FIELDS:
                    target = getattr(link, name)
                    entry.refs[name] = target.id if target else None
            # update_account2 goes through the extension's templates too
            entry.taxes.extend(t.id for t in link.taxes)
            if link.replaced_by:
                entry.refs['replaced_by'] = link.replaced_by.id
        super().hub_plan_accounts(plan)

    def hub_chart_ids(self):
        return chart_ids(self.id)

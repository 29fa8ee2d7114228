# This file is part of Pôle.
"""Charts of accounts that extend another chart.

Tryton's account and type templates form trees with one parent each, and a
chart is the tree under a root template.  The association plan (ANC 2018-06)
is the French PCG plus a few dozen accounts and types, so it cannot be a
second root sharing account_fr's templates, and copying them is not an option.

Here a chart template (a root ``account.account.template`` and its root
``account.account.type.template``) may name the chart it extends with
``base_template``.  Creating a company's chart from it creates the base chart
first, exactly as if the base had been chosen, and then the extension.  Inside
the extension tree, a template with a ``base_template`` stands for that
template of the base chart:

* a *placeholder* (``base_override`` unchecked) only says where the templates
  under it go; nothing is created from it, it maps to the base's record;
* an *override* (``base_override`` checked) makes the base's record from the
  extension's values instead (same code, the association's name and type);
  the extension root is one, so the company's root carries the extension
  template and the update wizard finds the whole chart from it.

Every other extension template is created as usual under its parent (a
placeholder, an override or another extension template), with its
``template`` link, so the update chart wizard works unchanged: its
``create_type``/``create_account`` calls go through the same extension, and
the parent of every record is found through ``template2type`` and
``template2account``, where placeholders and overrides are mapped to the
base's records.  Taxes, tax codes and tax rules of the base chart are created
for the extension chart too.
"""
from trytond.i18n import gettext
from trytond.model import fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval

from .exceptions import BaseTemplateError


def chart_ids(account_template_id):
    "The ids of the chart template and of the charts it extends, base first"
    Template = Pool().get('account.account.template')
    ids = []
    template = Template(account_template_id)
    while template is not None and template.id not in ids:
        ids.insert(0, template.id)
        template = (template.base_template
            if template.parent is None else None)
    return ids


class BaseTemplateMixin:
    __slots__ = ()

    @classmethod
    def default_base_override(cls):
        return False

    @property
    def extends_chart(self):
        "Whether this template is the root of a chart extending another"
        return self.parent is None and self.base_template is not None

    def base_links(self):
        "The templates of this extension that stand for base templates"
        return self.search([
                ('parent', 'child_of', [self.id]),
                ('base_template', '!=', None),
                ], order=[('id', 'ASC')])

    @classmethod
    def validate_fields(cls, templates, field_names):
        super().validate_fields(templates, field_names)
        if field_names and not (
                {'base_template', 'base_override', 'parent'} & field_names):
            return
        for template in templates:
            if template.base_override and not template.base_template:
                raise BaseTemplateError(gettext(
                        'account_fr_association.msg_base_override_without_base',
                        template=template.rec_name))
            base = template.base_template
            if base and ((template.parent is None) != (base.parent is None)):
                raise BaseTemplateError(gettext(
                        'account_fr_association.msg_base_template_level',
                        template=template.rec_name, base=base.rec_name))


class TypeTemplate(BaseTemplateMixin, metaclass=PoolMeta):
    __name__ = 'account.account.type.template'
    base_template = fields.Many2One(
        'account.account.type.template', "Base Template", ondelete='RESTRICT',
        help="On a root: the type chart this one extends.\n"
        "Inside an extension: the type of the base chart this template "
        "stands for.")
    base_override = fields.Boolean(
        "Override Base",
        states={
            'invisible': ~Eval('base_template'),
            },
        help="Make the base type from this template instead of only "
        "placing the children of this template under it.")

    def create_type(self, company_id, template2type=None):
        if not self.extends_chart:
            return super().create_type(company_id, template2type=template2type)
        Type = Pool().get('account.account.type')
        if template2type is None:
            template2type = {}

        links = self.base_links()
        # When updating, the overridden types are known by our templates
        for link in links:
            if link.id in template2type:
                template2type.setdefault(
                    link.base_template.id, template2type[link.id])
        self.base_template.create_type(company_id, template2type=template2type)

        overrides, to_write = [], []
        for link in links:
            type_id = template2type[link.base_template.id]
            template2type[link.id] = type_id
            if link.base_override:
                type_ = Type(type_id)
                overrides.append((link, type_))
                if values := link._get_type_value(type=type_):
                    to_write.extend(([type_], values))
        if to_write:
            Type.write(*to_write)

        # Placeholders and overrides are mapped: only ours are created
        super().create_type(company_id, template2type=template2type)

        # An override may move its type under a new type of the extension
        to_write = []
        for link, type_ in overrides:
            parent = template2type[link.parent.id] if link.parent else None
            if (type_.parent.id if type_.parent else None) != parent:
                to_write.extend(([type_], {'parent': parent}))
        if to_write:
            Type.write(*to_write)


class AccountTemplate(BaseTemplateMixin, metaclass=PoolMeta):
    __name__ = 'account.account.template'
    base_template = fields.Many2One(
        'account.account.template', "Base Template", ondelete='RESTRICT',
        help="On a root: the chart this one extends.\n"
        "Inside an extension: the account of the base chart this template "
        "stands for.")
    base_override = fields.Boolean(
        "Override Base",
        states={
            'invisible': ~Eval('base_template'),
            },
        help="Make the base account from this template (same code, this "
        "name and type) instead of only placing the children of this "
        "template under it.")

    def _get_account_types(self, template2type, account=None):
        "The type values of the account made from this template"
        values = {}
        for name in ['type', 'debit_type', 'credit_type']:
            template = getattr(self, name)
            value = template2type.get(template.id) if template else None
            current = getattr(account, name, None) if account else None
            if value != (current.id if current else None):
                values[name] = value
        return values

    def create_account(self, company_id, template2account=None,
            template2type=None):
        if not self.extends_chart:
            return super().create_account(company_id,
                template2account=template2account, template2type=template2type)
        Account = Pool().get('account.account')
        if template2account is None:
            template2account = {}
        if template2type is None:
            template2type = {}

        links = self.base_links()
        # When updating, the overridden accounts are known by our templates
        for link in links:
            if link.id in template2account:
                template2account.setdefault(
                    link.base_template.id, template2account[link.id])
        self.base_template.create_account(company_id,
            template2account=template2account, template2type=template2type)

        to_write = []
        for link in links:
            account_id = template2account[link.base_template.id]
            template2account[link.id] = account_id
            if link.base_override:
                account = Account(account_id)
                values = link._get_account_value(account=account)
                values.update(link._get_account_types(template2type, account))
                if values:
                    to_write.extend(([account], values))
        if to_write:
            Account.write(*to_write)

        # Placeholders and overrides are mapped: only ours are created
        super().create_account(company_id,
            template2account=template2account, template2type=template2type)

    def update_account2(self, template2account, template2tax,
            template_done=None):
        if self.extends_chart:
            if template_done is None:
                template_done = []
            self.base_template.update_account2(
                template2account, template2tax, template_done=template_done)
        return super().update_account2(
            template2account, template2tax, template_done=template_done)


class TaxTemplate(metaclass=PoolMeta):
    __name__ = 'account.tax.template'

    @classmethod
    def create_tax(cls, account_id, company_id, template2account,
            template2tax=None):
        "Create the taxes of the base charts too"
        if template2tax is None:
            template2tax = {}
        for chart_id in chart_ids(account_id):
            super().create_tax(chart_id, company_id, template2account,
                template2tax=template2tax)


class TaxCodeTemplate(metaclass=PoolMeta):
    __name__ = 'account.tax.code.template'

    @classmethod
    def create_tax_code(cls, account_id, company_id, template2tax_code=None):
        "Create the tax codes of the base charts too"
        if template2tax_code is None:
            template2tax_code = {}
        for chart_id in chart_ids(account_id):
            super().create_tax_code(chart_id, company_id,
                template2tax_code=template2tax_code)


class TaxCodeLineTemplate(metaclass=PoolMeta):
    __name__ = 'account.tax.code.line.template'

    @classmethod
    def create_tax_code_line(cls, account_id, template2tax, template2tax_code,
            template2tax_code_line=None):
        "Create the tax code lines of the base charts too"
        if template2tax_code_line is None:
            template2tax_code_line = {}
        for chart_id in chart_ids(account_id):
            super().create_tax_code_line(chart_id, template2tax,
                template2tax_code,
                template2tax_code_line=template2tax_code_line)


class TaxRuleTemplate(metaclass=PoolMeta):
    __name__ = 'account.tax.rule.template'

    @classmethod
    def create_rule(cls, account_id, company_id, template2rule=None):
        "Create the tax rules of the base charts too"
        if template2rule is None:
            template2rule = {}
        for chart_id in chart_ids(account_id):
            super().create_rule(chart_id, company_id,
                template2rule=template2rule)


class TaxRuleLineTemplate(metaclass=PoolMeta):
    __name__ = 'account.tax.rule.line.template'

    @classmethod
    def create_rule_line(cls, account_id, template2tax, template2rule,
            template2rule_line=None):
        "Create the tax rule lines of the base charts too"
        if template2rule_line is None:
            template2rule_line = {}
        for chart_id in chart_ids(account_id):
            super().create_rule_line(chart_id, template2tax, template2rule,
                template2rule_line=template2rule_line)


class CreateChart(metaclass=PoolMeta):
    __name__ = 'account.create_chart'

    def default_properties(self, fields):
        "Default to what the base chart proposes (4111 and 4011 for the PCG)"
        defaults = super().default_properties(fields)
        template = self.account.account_template
        if template and template.extends_chart:
            self.account.account_template = template.base_template
            try:
                base = self.default_properties(fields)
            finally:
                self.account.account_template = template
            for name, value in base.items():
                if defaults.get(name) is None:
                    defaults[name] = value
        return defaults

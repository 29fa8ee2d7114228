# This file is part of Pôle.
"""The explicit mapping of a source member's accounts and taxes to a
target member's, which mirroring an inter-member invoice follows."""
from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Unique, fields
from trytond.model.exceptions import ValidationError
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import without_check_access


class Mapping(ModelSQL, ModelView):
    "Inter-member Invoicing Mapping"
    __name__ = 'hub.invoicing.mapping'

    target = fields.Many2One(
        'hub.member', "Target Member", required=True, ondelete='CASCADE',
        help="The member whose books receive the mirrored supplier invoices.")
    source = fields.Many2One(
        'hub.member', "Source Member", ondelete='CASCADE',
        help="The member issuing the invoices; "
        "leave empty for every member invoicing the target.")
    target_company = fields.Function(fields.Many2One(
            'company.company', "Target Company"),
        'on_change_with_target_company')
    mirror_state = fields.Selection([
            ('draft', "Draft, for review"),
            ('posted', "Posted"),
            ], "Mirror State", required=True,
        help="Whether the mirrored supplier invoice is left in draft for the "
        "target member's review or posted at once.")
    expense_account = fields.Many2One(
        'account.account', "Default Expense Account",
        domain=[
            ('company', '=', Eval('target_company', -1)),
            ('type.expense', '=', True),
            ],
        help="Used for the lines whose source account is not mapped.")
    accounts = fields.One2Many(
        'hub.invoicing.mapping.account', 'mapping', "Accounts")
    taxes = fields.One2Many('hub.invoicing.mapping.tax', 'mapping', "Taxes")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('target_source_unique', Unique(t, t.target, t.source),
                'hub_invoicing.msg_mapping_unique'),
            ]

    @staticmethod
    def default_mirror_state():
        return 'draft'

    @classmethod
    def validate(cls, mappings):
        super().validate(mappings)
        # SQL's UNIQUE lets NULLs repeat: one default mapping per target
        defaults = [m for m in mappings if not m.source]
        for mapping in defaults:
            if cls.search([
                        ('target', '=', mapping.target.id),
                        ('source', '=', None),
                        ('id', '!=', mapping.id),
                        ], limit=1):
                raise ValidationError(gettext(
                        'hub_invoicing.msg_mapping_default_unique',
                        member=mapping.target.rec_name))

    @fields.depends('target')
    def on_change_with_target_company(self, name=None):
        return self.target.company if self.target else None

    def get_rec_name(self, name):
        if self.source:
            return '%s → %s' % (self.source.rec_name, self.target.rec_name)
        return '* → %s' % self.target.rec_name

    @classmethod
    def get_mapping(cls, source, target):
        "Return the mapping for the pair, or the target's default one"
        with without_check_access():
            for clause in [('source', '=', source.id), ('source', '=', None)]:
                mappings = cls.search(
                    [('target', '=', target.id), clause], limit=1)
                if mappings:
                    return mappings[0]

    def target_account(self, source_account):
        for line in self.accounts:
            if line.source_account == source_account:
                return line.target_account
        return self.expense_account

    def target_taxes(self, source_tax):
        return [l.target_tax for l in self.taxes if l.source_tax == source_tax]


class MappingAccount(ModelSQL, ModelView):
    "Inter-member Invoicing Account Mapping"
    __name__ = 'hub.invoicing.mapping.account'

    mapping = fields.Many2One(
        'hub.invoicing.mapping', "Mapping", required=True, ondelete='CASCADE')
    source_account = fields.Many2One(
        'account.account', "Source Account", required=True,
        help="The revenue account of the issuing member's invoice line.")
    target_account = fields.Many2One(
        'account.account', "Target Account", required=True,
        domain=[('type.expense', '=', True)],
        help="The expense account of the target member.")


class MappingTax(ModelSQL, ModelView):
    "Inter-member Invoicing Tax Mapping"
    __name__ = 'hub.invoicing.mapping.tax'

    mapping = fields.Many2One(
        'hub.invoicing.mapping', "Mapping", required=True, ondelete='CASCADE')
    source_tax = fields.Many2One(
        'account.tax', "Source Tax", required=True,
        help="The tax on the issuing member's invoice line.")
    target_tax = fields.Many2One(
        'account.tax', "Target Tax", required=True,
        help="The deductible tax of the target member.")


class Member(metaclass=PoolMeta):
    __name__ = 'hub.member'

    clearing_method = fields.Many2One(
        'account.invoice.payment.method', "Inter-member Clearing Method",
        domain=[('company', '=', Eval('company', -1))],
        help="The payment method (journal and clearing account) used to "
        "settle invoices between members.")

    @classmethod
    def onboard(cls, *args, **kwargs):
        member = super().onboard(*args, **kwargs)
        cls._onboard_mapping(member)
        return member

    @classmethod
    def _onboard_mapping(cls, member):
        """The new member's default mapping: the invoices of any member
        mirrored on its default expense account (604), left in draft for
        its review, so that the next billing run can bill it at once"""
        Mapping = Pool().get('hub.invoicing.mapping')
        with without_check_access():
            Mapping(target=member, source=None, mirror_state='draft',
                expense_account=cls._default_category_account(
                    member.company, 'expense')).save()

# This file is part of Pôle.
"""The depreciation of the members' fixed assets (account_asset), posted by
the year-end batch before the year's result is computed: the charges
(681x) of the year are in the result moved to 120/129."""
from trytond.pool import Pool, PoolMeta


class Member(metaclass=PoolMeta):
    __name__ = 'hub.member'

    @classmethod
    def _close_year(cls, member, date):
        """Depreciate the member's running assets up to the year's end, in
        the member's transaction (a refusal of the closing rolls it back),
        unless the result is already balanced"""
        fiscalyear = cls._fiscalyear_at(member, date)
        if fiscalyear.state == 'open' and not cls.closing_move(fiscalyear):
            cls.depreciate_assets(member, fiscalyear.end_date)
        return super()._close_year(member, date)

    @classmethod
    def depreciate_assets(cls, member, date):
        """Post stock account_asset's depreciation moves of the member's
        running assets dated up to date (safe to run twice: a line gets
        its move once)"""
        Asset = Pool().get('account.asset')
        assets = Asset.search([
                ('company', '=', member.company.id),
                ('state', '=', 'running'),
                ])
        if assets:
            Asset.create_moves(assets, date)
        return assets

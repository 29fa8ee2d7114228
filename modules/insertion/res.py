# This file is part of Pôle.
from sql import Table

from trytond.pool import PoolMeta
from trytond.transaction import Transaction

# The counsellor's records that hub defined until s11: {hub's XML id:
# insertion's}
MOVED_FROM_HUB = {
    'group_hub_counsellor': 'group_counsellor',
    'role_counsellor': 'role_counsellor',
    'role_counsellor_hub': 'role_counsellor_group',
    'menu_hub_group_counsellor': 'menu_hub_group_counsellor',
    'menu_party_group_counsellor': 'menu_party_group_counsellor',
    'access_employee_counsellor': 'access_employee_counsellor',
    }


class Group(metaclass=PoolMeta):
    __name__ = 'res.group'

    @classmethod
    def __register__(cls, module_name):
        if module_name == 'insertion':
            cls._move_counsellor_from_hub()
        super().__register__(module_name)

    @classmethod
    def _move_counsellor_from_hub(cls):
        """Give insertion the counsellor's records of a database made when
        hub defined them, before insertion's XML is read: the XML then
        updates them, and hub's update does not delete them (which would
        take the role and the group from the counsellors)"""
        cursor = Transaction().connection.cursor()
        model_data = Table('ir_model_data')
        for old_id, new_id in MOVED_FROM_HUB.items():
            cursor.execute(*model_data.select(model_data.id,
                    where=(model_data.module == 'insertion')
                    & (model_data.fs_id == new_id)))
            if cursor.fetchone():
                continue
            cursor.execute(*model_data.update(
                    columns=[model_data.module, model_data.fs_id],
                    values=['insertion', new_id],
                    where=(model_data.module == 'hub')
                    & (model_data.fs_id == old_id)))

# This file is part of Pôle.
"""A folder of statements for all members: each CAMT.053 or OFX file
imported for the member it names, all or nothing per file, and a report
(done, skipped, refused with the reason).  A file already imported (the
same name and content) is skipped: the batch is safe to run twice."""
import os

from trytond.exceptions import UserError
from trytond.i18n import gettext
from trytond.model.exceptions import AccessError
from trytond.pool import Pool
from trytond.transaction import without_check_access

from .statement import import_statement

# The files of a folder the batch reads (by their extension)
EXTENSIONS = ('.xml', '.ofx', '.qfx')


def folder_files(folder):
    "The statement files of the folder, by name, as (name, path)"
    return [(name, os.path.join(folder, name))
        for name in sorted(os.listdir(folder))
        if name.lower().endswith(EXTENSIONS)
        and os.path.isfile(os.path.join(folder, name))]


def already_imported(name, data):
    "The statements imported from the same file (name and content)"
    Statement = Pool().get('account.statement')
    with without_check_access():
        statements = Statement.search([('file_name', '=', name)])
        return [s for s in statements
            if bytes(s.origin_file or b'') == bytes(data)]


def import_file(name, data):
    """Import one file; return (status, message) where status is 'done',
    'skipped' or 'refused' and the message says what or why, in the
    language of the user.  A refused file has nothing written: every
    check of the import comes before it writes."""
    done = already_imported(name, data)
    if done:
        return 'skipped', gettext('hub_bank.msg_batch_skipped',
            file=name, statements=', '.join(s.name for s in done),
            member=done[0].company.rec_name)
    try:
        statements = import_statement(data, name)
    except (UserError, AccessError) as exception:
        return 'refused', exception.message
    return 'done', gettext('hub_bank.msg_batch_done',
        file=name, statements=', '.join(s.name for s in statements),
        member=statements[0].company.rec_name,
        lines=sum(len(s.origins) for s in statements))


def import_files(files):
    "Import the (name, data) files one by one; the reports, in order"
    return [(name,) + import_file(name, data) for name, data in files]

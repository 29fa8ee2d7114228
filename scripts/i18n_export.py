"""Refresh a module's locale/<lang>.po from its current English strings.

Usage: python scripts/i18n_export.py DATABASE MODULE [LANG]
The database must have the module activated and up to date
(trytond-admin -d DATABASE -u MODULE).  Strings already translated in the
.po file are kept; new ones come with an empty msgstr to fill in; strings
gone from the code are dropped.
"""
import pathlib
import sys

from trytond.config import update_etc

ROOT = pathlib.Path(__file__).resolve().parent.parent


def main(database, module, lang='fr'):
    update_etc(str(ROOT / 'config' / 'trytond.conf'))
    from trytond.pool import Pool
    from trytond.transaction import Transaction

    import polib

    Pool(database).init()
    # Tryton's "Set Translations" records the strings of views and reports.
    with Transaction().start(database, 0) as transaction:
        TranslationSet = Pool(database).get(
            'ir.translation.set', type='wizard')
        session_id, _, _ = TranslationSet.create()
        TranslationSet(session_id).transition_set_()
        TranslationSet.delete(session_id)
        transaction.commit()
    with Transaction().start(database, 0, readonly=True):
        Translation = Pool(database).get('ir.translation')
        template = polib.pofile(
            Translation.translation_export('en', module).decode('utf-8'))
    path = ROOT / 'modules' / module / 'locale' / f'{lang}.po'
    done = {}
    if path.exists():
        done = {(e.msgctxt, e.msgid): e.msgstr for e in polib.pofile(str(path))}
    for entry in template:
        entry.msgstr = done.get((entry.msgctxt, entry.msgid), '')
    template.sort(key=lambda e: (e.msgctxt, e.msgid))
    path.parent.mkdir(exist_ok=True)
    template.save(str(path))
    missing = [e for e in template if not e.msgstr]
    print(f"wrote {path}: {len(template)} strings, {len(missing)} to translate")


if __name__ == '__main__':
    main(*sys.argv[1:])

"""Every module speaks French: each user-facing message and label of
modules/<name> has a French translation in locale/fr.po, with the same
placeholders as the English text.

The .po files are refreshed from the code by scripts/i18n_export.py, which
adds any new string with an empty msgstr: an empty one fails here.
"""
import pathlib
import re

import polib
import pytest

MODULES = sorted(
    p.parent for p in (
        pathlib.Path(__file__).resolve().parent.parent / 'modules').glob(
        '*/tryton.cfg'))
PLACEHOLDER = re.compile(r'%\(\w+\)s|\$\{\w+\}')
# What a user must never read: the project's internal files, placeholders
# of texts not written yet
INTERNAL = re.compile(
    r'\.md\b|shared/|not published yet|to confirm|à confirmer|TODO|FIXME',
    re.I)


def messages(module):
    "The ir.message records of message.xml: {xml id: English text}"
    path = module / 'message.xml'
    if not path.exists():
        return {}
    return dict(re.findall(
            r'<record model="ir.message" id="(\w+)">\s*'
            r'<field name="text">(.*?)</field>',
            path.read_text(encoding='utf-8'), re.S))


@pytest.mark.parametrize('module', MODULES, ids=lambda m: m.name)
def test_french(module):
    path = module / 'locale' / 'fr.po'
    assert path.exists(), f"{module.name} has no locale/fr.po"
    entries = polib.pofile(str(path))
    untranslated = [e.msgctxt for e in entries if not e.msgstr]
    assert untranslated == []
    translated = {(e.msgctxt, e.msgid): e.msgstr for e in entries}
    for xml_id, text in messages(module).items():
        text = text.replace('&quot;', '"').replace('&amp;', '&')
        msgstr = translated.get((f'model:ir.message,text:{xml_id}', text))
        assert msgstr, f"{module.name}.{xml_id} has no French translation"
    for entry in entries:
        assert sorted(PLACEHOLDER.findall(entry.msgid)) == sorted(
            PLACEHOLDER.findall(entry.msgstr)), entry.msgctxt
        for text in [entry.msgid, entry.msgstr]:
            assert not INTERNAL.search(text), (entry.msgctxt, text)

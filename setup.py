"""Install every modules/<name> as trytond.modules.<name>.

A new module only needs its own folder (with a tryton.cfg): it is found
here, registered in the "trytond.modules" entry point group, and the Tryton
modules it depends on are required in their 8.0 LTS series (optional ones,
extras_depend, too: installed, their activation stays optional).
"""
import configparser
from pathlib import Path

from setuptools import setup

HERE = Path(__file__).parent
MODULES = sorted(
    p.parent.name for p in (HERE / 'modules').glob('*/tryton.cfg'))

SERIES = '~=8.0.0'  # Tryton 8.0 LTS: never 8.2
# Modules that come with trytond itself
CORE = {'ir', 'res'}


def depends(name):
    "The modules name depends on, optional ones (extras_depend) included"
    config = configparser.ConfigParser()
    config.read(HERE / 'modules' / name / 'tryton.cfg')
    return (config.get('tryton', 'depends', fallback='').split()
        + config.get('tryton', 'extras_depend', fallback='').split())


requires = {
    f'trytond{SERIES}', f'proteus{SERIES}', 'python-sql>=1.5',
    'python-stdnum', 'polib',
    # the countries of the demo (Tryton's trytond_import_countries reads it)
    'pycountry'}
for name in MODULES:
    requires.update(
        'trytond-%s%s' % (dep.replace('_', '-'), SERIES)
        for dep in depends(name) if dep not in CORE and dep not in MODULES)

packages, package_dir, package_data = [], {}, {}
for name in MODULES:
    root = HERE / 'modules' / name
    for init in sorted(root.rglob('__init__.py')):
        sub = init.parent.relative_to(root).parts
        pkg = '.'.join(('trytond', 'modules', name) + sub)
        packages.append(pkg)
        package_dir[pkg] = '/'.join(('modules', name) + sub)
        package_data[pkg] = [
            '*.cfg', '*.xml', '*.rst', '*.json', '*.fodt', '*.fods', '*.ods',
            '*.dsn', '*.ofx', 'view/*.xml', 'locale/*.po', 'doc/*',
            'icons/*.svg']

setup(
    install_requires=sorted(requires),
    packages=packages,
    package_dir=package_dir,
    package_data=package_data,
    entry_points={
        'trytond.modules': [
            f'{name} = trytond.modules.{name}' for name in MODULES],
        },
    )

"""The project installed as a wheel (not editable) carries every file of the
modules that git tracks: a report template or a view left out of
package_data works in the checkout and breaks in production."""
import pathlib
import shutil
import subprocess
import sys
import zipfile

ROOT = pathlib.Path(__file__).resolve().parent.parent


def test_wheel_has_every_module_file(tmp_path):
    tracked = subprocess.run(
        ['git', 'ls-files'], cwd=ROOT, check=True,
        capture_output=True, text=True).stdout.splitlines()
    # Built from a copy of the tracked files: a build/ folder left in the
    # checkout would otherwise hide a missing pattern.
    source = tmp_path / 'src'
    for path in tracked:
        if (ROOT / path).is_file():
            (source / path).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / path, source / path)
    subprocess.run(
        [sys.executable, '-m', 'pip', 'wheel', '--no-deps',
            '--disable-pip-version-check', '-q', '-w', str(tmp_path),
            str(source)],
        check=True, capture_output=True)
    wheel, = tmp_path.glob('pole-*.whl')
    with zipfile.ZipFile(wheel) as zip_:
        packaged = set(zip_.namelist())
    expected = {'trytond/' + p for p in tracked if p.startswith('modules/')}
    assert len(expected) > 100
    assert sorted(expected - packaged) == []
    # Every module is a trytond.modules entry point, the demo's too
    info, = [n for n in packaged if n.endswith('.dist-info/entry_points.txt')]
    with zipfile.ZipFile(wheel) as zip_:
        entry_points = zip_.read(info).decode()
    modules = sorted(p.parent.name for p in (ROOT / 'modules').glob(
            '*/tryton.cfg'))
    assert 'pole_demo' in modules
    for name in modules:
        assert f'{name} = trytond.modules.{name}\n' in entry_points


def test_demo_only_in_pole_demo():
    """The demo is its own module: no other module registers the demo's
    model or depends on pole_demo, so a database of the production modules
    has no hub.demo"""
    import configparser
    for cfg in sorted((ROOT / 'modules').glob('*/tryton.cfg')):
        name = cfg.parent.name
        config = configparser.ConfigParser()
        config.read(cfg)
        depends = (config.get('tryton', 'depends', fallback='').split()
            + config.get('tryton', 'extras_depend', fallback='').split())
        assert 'pole_demo' not in depends, name
        demo = [p.name for p in cfg.parent.glob('*.py')
            if "'hub.demo'" in p.read_text(encoding='utf-8')]
        if name == 'pole_demo':
            assert demo, name
        else:
            assert demo == [], name

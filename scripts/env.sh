# Sourced by the scripts: where things are, and a venv with the project.
# Needs only Python 3.11 (and npm for the web client).
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${POLE_VENV:-$ROOT/.venv}"
PYTHON="${PYTHON:-python3.11}"
command -v "$PYTHON" >/dev/null 2>&1 || PYTHON=python3
# trytond wants an absolute SQLite path; the config file leaves it to us.
export TRYTOND_DATABASE__PATH="${TRYTOND_DATABASE__PATH:-$ROOT/var/db}"
mkdir -p "$TRYTOND_DATABASE__PATH"

# Install the project (editable) and its extras into the venv when missing
# or when pyproject.toml, setup.py or the modules' tryton.cfg changed.
ensure_venv() {
    local extras="${1:-test}"
    local stamp="$VENV/.pole-installed"
    local hash want
    # pyproject.toml, setup.py and every module's tryton.cfg (its depends)
    hash="$(cat "$ROOT/pyproject.toml" "$ROOT/setup.py" \
        "$ROOT"/modules/*/tryton.cfg | sha1sum | cut -c1-16)"
    want="$extras $hash"
    if [ ! -x "$VENV/bin/python" ]; then
        "$PYTHON" -m venv "$VENV"
    fi
    # One line per set of extras installed (scripts/demo wants test,
    # scripts/serve --production wants production): alternating them does
    # not reinstall; lines of an older project state are dropped.
    if ! grep -qxF "$want" "$stamp" 2>/dev/null; then
        echo "Installing the project into $VENV..." >&2
        local log="$VENV/pip.log"
        if ! { "$VENV/bin/python" -m pip install --disable-pip-version-check \
                    --upgrade pip \
                && "$VENV/bin/python" -m pip install \
                    --disable-pip-version-check -e "$ROOT[$extras]"
                } >"$log" 2>&1; then
            tail -n 40 "$log" >&2
            return 1
        fi
        { grep -v -xF "$want" "$stamp" 2>/dev/null | grep " $hash\$" || true
            echo "$want"; } > "$stamp.new"
        mv "$stamp.new" "$stamp"
    fi
}

# The web client (sao) under var/sao, from the npm registry.
SAO_ROOT="$ROOT/var/sao/node_modules/tryton-sao"
ensure_sao() {
    if [ ! -d "$SAO_ROOT/dist" ]; then
        command -v npm >/dev/null 2>&1 || {
            echo "npm is needed to install the web client (tryton-sao)" >&2
            return 1
        }
        mkdir -p "$ROOT/var/sao"
        npm install --prefix "$ROOT/var/sao" --no-audit --no-fund \
            --loglevel=error tryton-sao@8.0 >&2
    fi
    # index.html loads its dependencies from node_modules/ next to itself,
    # npm put them in the parent node_modules/.
    if [ ! -e "$SAO_ROOT/node_modules" ]; then
        ln -s .. "$SAO_ROOT/node_modules"
    fi
}

# shellcheck shell=bash
#
# Shared helpers for scripts/test.sh and Compose/run-local.sh: logging, and installing the
# Debian packages Rapport needs, only when they are missing.
#
# Source it (do not execute it):   source scripts/lib/install-deps.sh
#
#   rapport_install_deps hiredis redis ...   install what is missing among the named components
#   rapport_ensure_python_module aiosmtpd    best effort: pip, then the Debian package
#   rapport_ensure_python_module MODULE PIP_NAME DEBIAN_PACKAGE  when the names differ
#   rapport_require_swift                    stop with a clear message when swift is absent
#
# Components: hiredis (libhiredis-dev), redis (redis-server + redis-tools), compose
# (docker-compose), pkg-config, curl, openssl, libcurl-dev (libcurl4-openssl-dev).
# apt-get update runs at most once per shell, and only when something must be installed.
# Not root: sudo is used when it exists. DEBIAN_FRONTEND=noninteractive throughout.

RAPPORT_APT_UPDATED="${RAPPORT_APT_UPDATED:-no}"

rapport_step() { printf '\n==> %s\n' "$*"; }
rapport_info() { printf '    %s\n' "$*"; }
rapport_warn() { printf 'warning: %s\n' "$*" >&2; }
rapport_die() {
    printf 'error: %s\n' "$*" >&2
    exit 1
}

# Run a command as root: directly when we are root, else through sudo when it exists.
rapport_as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        rapport_die "root is needed to run '$*' and sudo is not installed; install the packages named above yourself, then run this again"
    fi
}

_rapport_can_be_root() {
    [ "$(id -u)" -eq 0 ] || command -v sudo >/dev/null 2>&1
}

_rapport_have_hiredis() {
    if dpkg -s libhiredis-dev >/dev/null 2>&1; then
        return 0
    fi
    # Installed some other way (built from source, another distribution): the header and a
    # pkg-config entry are what the CHiredis target needs.
    [ -f /usr/include/hiredis/hiredis.h ] || [ -f /usr/local/include/hiredis/hiredis.h ] || return 1
    command -v pkg-config >/dev/null 2>&1 && pkg-config --exists hiredis
}

_rapport_have_libcurl_dev() {
    dpkg -s libcurl4-openssl-dev >/dev/null 2>&1 && return 0
    command -v pkg-config >/dev/null 2>&1 && pkg-config --exists libcurl
}

# Print the Debian packages missing for the named components, one per line.
rapport_missing_packages() {
    local want
    local -a out=()
    for want in "$@"; do
        case "$want" in
        hiredis) _rapport_have_hiredis || out+=(libhiredis-dev) ;;
        redis)
            command -v redis-server >/dev/null 2>&1 || out+=(redis-server)
            command -v redis-cli >/dev/null 2>&1 || out+=(redis-tools)
            ;;
        compose) command -v docker-compose >/dev/null 2>&1 || out+=(docker-compose) ;;
        pkg-config) command -v pkg-config >/dev/null 2>&1 || out+=(pkg-config) ;;
        curl) command -v curl >/dev/null 2>&1 || out+=(curl) ;;
        openssl) command -v openssl >/dev/null 2>&1 || out+=(openssl) ;;
        libcurl-dev) _rapport_have_libcurl_dev || out+=(libcurl4-openssl-dev) ;;
        *)
            rapport_warn "unknown component '$want'"
            return 1
            ;;
        esac
    done
    if [ "${#out[@]}" -gt 0 ]; then
        printf '%s\n' "${out[@]}" | awk '!seen[$0]++'
    fi
}

_rapport_apt_get() {
    rapport_as_root env DEBIAN_FRONTEND=noninteractive apt-get "$@"
}

rapport_install_deps() {
    local missing
    missing="$(rapport_missing_packages "$@")" || rapport_die "cannot work out the packages to install"
    if [ -z "$missing" ]; then
        rapport_info "system packages present: $*"
        return 0
    fi
    local -a packages
    mapfile -t packages <<<"$missing"
    if ! command -v apt-get >/dev/null 2>&1; then
        rapport_die "missing: ${packages[*]}; this is not a Debian-like system (no apt-get), install them with your package manager"
    fi
    rapport_info "missing: ${packages[*]}"
    if [ "$RAPPORT_APT_UPDATED" != yes ]; then
        rapport_info "apt-get update"
        _rapport_apt_get update -q
        RAPPORT_APT_UPDATED=yes
    fi
    rapport_info "apt-get install ${packages[*]}"
    _rapport_apt_get install -y -q --no-install-recommends "${packages[@]}"
    local still
    still="$(rapport_missing_packages "$@")"
    if [ -n "$still" ]; then
        rapport_die "still missing after install: $(echo "$still" | tr '\n' ' ')"
    fi
}

# Best effort: a Python module some tests use (aiosmtpd: a local SMTP server for the
# notification tests). Never fails the caller; warns instead.
rapport_ensure_python_module() {
    local module="$1" pip_name="${2:-$1}" debian_package="${3:-python3-$1}"
    if ! command -v python3 >/dev/null 2>&1; then
        rapport_warn "python3 not found: tests that need the Python module '$module' will fail"
        return 0
    fi
    if python3 -c "import $module" >/dev/null 2>&1; then
        rapport_info "python module present: $module"
        return 0
    fi
    rapport_info "python3 -m pip install $pip_name"
    if PIP_ROOT_USER_ACTION=ignore PIP_DISABLE_PIP_VERSION_CHECK=1 python3 -m pip install -q "$pip_name"; then
        return 0
    fi
    # Debian's own python3 refuses pip installs into the system (PEP 668); its package works.
    if [ "$(command -v python3)" = /usr/bin/python3 ] && command -v apt-get >/dev/null 2>&1 &&
        _rapport_can_be_root; then
        rapport_info "pip failed; trying the Debian package $debian_package"
        if [ "$RAPPORT_APT_UPDATED" != yes ]; then
            _rapport_apt_get update -q && RAPPORT_APT_UPDATED=yes
        fi
        if _rapport_apt_get install -y -q --no-install-recommends "$debian_package" &&
            python3 -c "import $module" >/dev/null 2>&1; then
            return 0
        fi
    fi
    rapport_warn "could not install the Python module '$module'; only the notification tests that need it will fail"
    return 0
}

rapport_require_swift() {
    if ! command -v swift >/dev/null 2>&1; then
        rapport_die "swift not found on PATH: install a Swift 6.2 or newer toolchain (it is not a Debian package), then run this again"
    fi
}

#!/usr/bin/env bash
# Install the Debian packages the tests use, when missing (idempotent; one apt-get run).
#   scripts/system-packages.sh            chromium (browser tests, PDF), poppler-utils (PDF checks)
# As root only; elsewhere it says what is missing, and CI treats that as an error.
set -euo pipefail
packages=(chromium poppler-utils)
missing=()
for package in "${packages[@]}"; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ]; then
    echo "system-packages: installing Debian's ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq "${missing[@]}" >/dev/null
elif [ "${CI:-}" = "true" ]; then
    echo "system-packages: ${missing[*]} missing and this is not root" >&2
    exit 1
else
    echo "system-packages: missing ${missing[*]} (sudo apt-get install ${missing[*]}); those tests skip" >&2
fi

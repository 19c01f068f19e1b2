#!/bin/sh
# Back up Pandu's database into DIR as pandu-YYYYmmddTHHMMSS.backup and keep the newest KEEP.
# Usage: deploy/backup.sh DIR [KEEP]   (run from the Pandu checkout, with its settings in the environment)
set -eu
dir=${1:?usage: backup.sh DIR [KEEP]}
keep=${2:-14}
here=$(cd "$(dirname "$0")/.." && pwd)
python=${PANDU_PYTHON:-$here/.venv/bin/python}
mkdir -p "$dir"
file="$dir/pandu-$(date -u +%Y%m%dT%H%M%SZ).backup"
cd "$here"
"$python" -m bot db backup "$file"
# Oldest first; drop all but the newest $keep (names sort by time).
ls -1 "$dir"/pandu-*.backup | sort | head -n "-$keep" | while read -r old; do rm -f -- "$old"; done

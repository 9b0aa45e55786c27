#!/usr/bin/env bash
# Writes a man page from a program's --help with help2man; a program with commands gets a
# COMMANDS section made of each command's --help.
# Usage: make-man.sh PROGRAM VERSION OUTPUT "one-line description"
set -euo pipefail
program=$1 version=$2 output=$3 name=$4
include=$(mktemp)
trap 'rm -f "$include"' EXIT
commands=$("$program" --help | awk '/^Subcommands:/{on=1; next} on && /^  [a-z]/{print $1}')
if [[ -n $commands ]]; then
  echo "[COMMANDS]" >>"$include"
  for c in $commands; do
    printf '.SS %s\n.nf\n' "$c" >>"$include"
    "$program" "$c" --help | sed 's/\\/\\\\/g; s/^\./\\\&./' >>"$include"
    printf '.fi\n' >>"$include"
  done
fi
printf '[SEE ALSO]\nThe documentation in docs/ of the hubmap source (README.md, docs/*.md).\n' >>"$include"
help2man --no-info --no-discard-stderr --version-string="$version" --name="$name" --include="$include" \
  --output="$output" "$program"

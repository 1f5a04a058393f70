#!/usr/bin/env bash
# Fails when a C++ file does not follow .clang-format (Qt's style).
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(git ls-files --cached --others --exclude-standard -- '*.cpp' '*.h' | sort -u)
[ ${#files[@]} -gt 0 ] || { echo "check-format: no C++ files found" >&2; exit 1; }
existing=()
for f in "${files[@]}"; do [ -f "$f" ] && existing+=("$f"); done
clang-format --dry-run --Werror "${existing[@]}"
echo "check-format: ${#existing[@]} files follow .clang-format"

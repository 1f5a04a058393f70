# Check helpers shared by the cosctl shell tests (sourced). The sourcing script sets $cosctl
# and $tmp (a scratch folder) and reads $failures at the end.
failures=0

pass() { echo "PASS - $1"; }
fail() {
    echo "FAIL - $1"
    failures=$((failures + 1))
}

# run NAME EXPECTED_CODE ARGS... : runs cosctl, output in $tmp/out and $tmp/err.
run() {
    local name=$1 expected=$2
    shift 2
    "$cosctl" "$@" >"$tmp/out" 2>"$tmp/err"
    local code=$?
    if [ "$code" = "$expected" ]; then
        pass "$name (exit $code)"
    else
        fail "$name: exit $code, expected $expected; stderr: $(head -c 600 "$tmp/err")"
    fi
}
# contains NAME FILE TEXT / lacks NAME FILE TEXT
contains() { if grep -qF -- "$3" "$2"; then pass "$1"; else fail "$1: '$3' not in $(head -c 400 "$2")"; fi; }
lacks() { if grep -qF -- "$3" "$2"; then fail "$1: '$3' found"; else pass "$1"; fi; }
# same NAME FILE1 FILE2: the files have the same bytes.
same() { if cmp -s "$2" "$3"; then pass "$1"; else fail "$1: $2 and $3 differ"; fi; }

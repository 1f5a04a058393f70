#!/usr/bin/env bash
# The engine's folders are layers: a file in cos/<layer>/ includes engine headers only from its
# own layer or a lower one, always written from the repository root ("cos/net/job.h").
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
layers=(core signing protocol digest net transfer)
fail=0
count=0
for i in "${!layers[@]}"; do
    layer=${layers[$i]}
    allowed=("${layers[@]:0:$((i + 1))}")
    for f in "$root"/cos/"$layer"/*.h "$root"/cos/"$layer"/*.cpp; do
        [ -e "$f" ] || continue
        count=$((count + 1))
        rel=${f#"$root"/}
        while IFS= read -r inc; do
            path=$(sed -E 's/^\s*#\s*include\s*"([^"]+)".*/\1/' <<<"$inc")
            case $path in
                cos/*/*.h)
                    target=$(cut -d/ -f2 <<<"$path")
                    ok=0
                    for a in "${allowed[@]}"; do [ "$a" = "$target" ] && ok=1; done
                    if [ $ok -eq 0 ]; then
                        echo "FAIL $rel includes $path: layer '$layer' may not use '$target'"
                        fail=1
                    fi
                    [ -e "$root/$path" ] || { echo "FAIL $rel includes $path, which does not exist"; fail=1; }
                    ;;
                *)
                    echo "FAIL $rel: include \"$path\" is not written from the repository root"
                    fail=1
                    ;;
            esac
        done < <(grep -E '^\s*#\s*include\s*"' "$f")
    done
done
stray=$(find "$root/cos" -maxdepth 1 -name '*.h' -o -maxdepth 1 -name '*.cpp')
if [ -n "$stray" ]; then
    echo "FAIL engine sources outside a layer folder:"; echo "$stray"; fail=1
fi
# Everything else includes engine headers by their root-relative path, too.
bare=$(grep -rnE '^\s*#\s*include\s*[<"][a-z0-9_]+\.h[>"]' "$root"/{app,cli,signer,tests,bench} \
    --include='*.h' --include='*.cpp' | while IFS= read -r hit; do
        name=$(sed -E 's/.*include\s*[<"]([a-z0-9_]+\.h).*/\1/' <<<"$hit")
        [ -n "$(find "$root/cos" -name "$name")" ] && echo "$hit"
    done)
if [ -n "$bare" ]; then
    echo "FAIL engine headers included without their cos/<layer>/ path:"; echo "$bare"; fail=1
fi
[ $fail -eq 0 ] && echo "ok   cos/: $count files in ${#layers[@]} layers, no upward or bare include"
exit $fail

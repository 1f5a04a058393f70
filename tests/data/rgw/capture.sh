#!/usr/bin/env bash
# Captures real response bodies from the sandbox RGW into this directory (see README.md).
# Usage: eval "$(scripts/sandbox.sh start DIR)"; tests/data/rgw/capture.sh
set -euo pipefail
out=$(cd "$(dirname "$0")" && pwd)
: "${COS_ENDPOINT:?run eval \"\$(scripts/sandbox.sh start)\" first}" "${COS_SECRET_ID:?}" "${COS_SECRET_KEY:?}" "${COS_ROLE_ARN:?}"
region=${COS_REGION:-us-east-1}
tmp=$(mktemp -d)
bucket=capture-$(date +%s)-$$
bucket2=$bucket-second

# s3 METHOD PATH [curl args...]: signed with the permanent keys; body on stdout, status on fd 3.
s3() {
    local method=$1 path=$2
    shift 2
    curl -sS -X "$method" -o "$tmp/body" -w '%{http_code}' --aws-sigv4 "aws:amz:$region:s3" \
        -K <(printf 'user = "%s:%s"\n' "$COS_SECRET_ID" "$COS_SECRET_KEY") \
        -H 'x-amz-content-sha256: UNSIGNED-PAYLOAD' "$@" "$COS_ENDPOINT$path" >"$tmp/code"
    cat "$tmp/body"
}
code() { cat "$tmp/code"; }
save() { # NAME EXPECTED_STATUS: keeps the last body
    [ "$(code)" = "$2" ] || {
        echo "capture: $1: HTTP $(code), expected $2" >&2
        cat "$tmp/body" >&2
        exit 1
    }
    cp "$tmp/body" "$out/$1"
    echo "captured $1 (HTTP $(code))"
}
# The upload id, continuation token and ETags come from earlier responses.
xml_value() { sed -n "s|.*<$1>\([^<]*\)</$1>.*|\1|p" | head -n 1; }

# Keys chosen so listings show CommonPrefixes, XML escaping (&) and non-ASCII (UTF-8) names;
# they are written here already percent-encoded, as they go into the request path.
keys=(photos/a.jpg photos/b.jpg photos/c.jpg photos/2024/x.jpg photos/2025/y.jpg
    'docs/a%26b.txt' 'docs/%E4%B8%AD%E6%96%87.txt' readme.txt big/file.bin)
cleanup() {
    s3 GET "/$bucket?uploads=" 2>/dev/null | grep -o '<Key>[^<]*</Key><UploadId>[^<]*</UploadId>' |
        sed 's|<Key>\(.*\)</Key><UploadId>\(.*\)</UploadId>|\1 \2|' |
        while read -r k u; do s3 DELETE "/$bucket/$k?uploadId=$u" >/dev/null; done || true
    for k in "${keys[@]}"; do s3 DELETE "/$bucket/$k" >/dev/null || true; done
    s3 DELETE "/$bucket" >/dev/null || true
    s3 DELETE "/$bucket2" >/dev/null || true
    rm -rf "$tmp"
}
trap cleanup EXIT

s3 PUT "/$bucket" >/dev/null
s3 PUT "/$bucket2" >/dev/null
s3 GET / >/dev/null
save list_buckets.xml 200

for key in "${keys[@]:0:8}"; do
    printf 'content of %s\n' "$key" | s3 PUT "/$bucket/$key" --data-binary @- >/dev/null
    [ "$(code)" = 200 ] || {
        echo "capture: PUT $key: HTTP $(code)" >&2
        exit 1
    }
done

s3 GET "/$bucket?delimiter=%2F&max-keys=3&prefix=photos%2F" >/dev/null
save list_objects_v1.xml 200

s3 GET "/$bucket?list-type=2&max-keys=2" >/dev/null
save list_objects_v2_first_page.xml 200
token=$(xml_value NextContinuationToken <"$out/list_objects_v2_first_page.xml")
s3 GET "/$bucket?continuation-token=$(printf %s "$token" | jq -sRr @uri)&list-type=2&max-keys=3" >/dev/null
save list_objects_v2.xml 200

s3 POST "/$bucket/big/file.bin?uploads=" >/dev/null
save initiate_multipart.xml 200
upload=$(xml_value UploadId <"$out/initiate_multipart.xml")
head -c 1048576 /dev/zero >"$tmp/part1"
head -c 1048576 /dev/zero | tr '\0' 'x' >"$tmp/part2"
printf 'tail\n' >"$tmp/part3"
for n in 1 2 3; do
    curl -sS -o /dev/null -D "$tmp/h$n" -X PUT --aws-sigv4 "aws:amz:$region:s3" \
        -K <(printf 'user = "%s:%s"\n' "$COS_SECRET_ID" "$COS_SECRET_KEY") \
        -H 'x-amz-content-sha256: UNSIGNED-PAYLOAD' --data-binary "@$tmp/part$n" \
        "$COS_ENDPOINT/$bucket/big/file.bin?partNumber=$n&uploadId=$upload"
done
s3 POST "/$bucket/other/second.bin?uploads=" >/dev/null

s3 GET "/$bucket/big/file.bin?max-parts=2&uploadId=$upload" >/dev/null
save list_parts.xml 200

s3 GET "/$bucket?uploads=" >/dev/null
save list_multipart_uploads.xml 200

{
    echo '<CompleteMultipartUpload>'
    for n in 1 2 3; do
        etag=$(sed -n 's/^[Ee][Tt]ag: *\(.*\)\r$/\1/p' "$tmp/h$n")
        echo "<Part><PartNumber>$n</PartNumber><ETag>$etag</ETag></Part>"
    done
    echo '</CompleteMultipartUpload>'
} >"$tmp/complete.xml"
s3 POST "/$bucket/big/file.bin?uploadId=$upload" --data-binary "@$tmp/complete.xml" >/dev/null
save complete_multipart.xml 200

s3 GET "/$bucket/no/such/key.txt" >/dev/null
save error_nosuchkey.xml 404

# STS: AssumeRole with a session policy that only allows writes under allowed/.
policy='{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:PutObject"],"Resource":["arn:aws:s3:::'$bucket'/allowed/*"]}]}'
sts() {
    curl -sS -o "$tmp/body" -w '%{http_code}' --aws-sigv4 "aws:amz:$region:sts" \
        -K <(printf 'user = "%s:%s"\n' "$COS_SECRET_ID" "$COS_SECRET_KEY") \
        --data-urlencode Version=2011-06-15 "$@" "${COS_STS_ENDPOINT:-$COS_ENDPOINT}/" >"$tmp/code"
    cat "$tmp/body"
}
sts --data-urlencode Action=AssumeRole --data-urlencode "RoleArn=$COS_ROLE_ARN" \
    --data-urlencode RoleSessionName=capture-session --data-urlencode DurationSeconds=3600 \
    --data-urlencode "Policy=$policy" >"$tmp/assume.xml"
[ "$(code)" = 200 ] || {
    echo "capture: AssumeRole: HTTP $(code)" >&2
    exit 1
}
tak=$(xml_value AccessKeyId <"$tmp/assume.xml")
tsk=$(xml_value SecretAccessKey <"$tmp/assume.xml")
ttok=$(xml_value SessionToken <"$tmp/assume.xml")

# AccessDenied: the temporary credentials writing outside allowed/.
curl -sS -o "$tmp/body" -w '%{http_code}' -X PUT --aws-sigv4 "aws:amz:$region:s3" \
    -K <(printf 'user = "%s:%s"\n' "$tak" "$tsk") -H "x-amz-security-token: $ttok" \
    -H 'x-amz-content-sha256: UNSIGNED-PAYLOAD' --data-binary 'denied' \
    "$COS_ENDPOINT/$bucket/outside.txt" >"$tmp/code"
save error_accessdenied.xml 403

# Replace the real secret and token by fake strings of the same length and alphabet.
fake() { # LENGTH PATTERN
    local s=$2
    while [ ${#s} -lt "$1" ]; do s=$s$2; done
    printf %s "${s:0:$1}"
}
fake_secret=$(fake ${#tsk} FAKESECRETKEY0)
fake_token=$(fake $((${#ttok} - 2)) 'FAKE+SESSION/TOKEN0')==
sed -e "s|<SecretAccessKey>[^<]*</SecretAccessKey>|<SecretAccessKey>$fake_secret</SecretAccessKey>|" \
    -e "s|<SessionToken>[^<]*</SessionToken>|<SessionToken>$fake_token</SessionToken>|" \
    "$tmp/assume.xml" >"$out/assume_role.xml"
grep -qF "$tsk" "$out/assume_role.xml" && {
    echo "capture: the secret was not replaced" >&2
    exit 1
}
echo "captured assume_role.xml (HTTP 200, secret and token replaced)"

sts --data-urlencode Action=AssumeRole --data-urlencode "RoleArn=arn:aws:iam:::role/no-such-role" \
    --data-urlencode RoleSessionName=capture-session >/dev/null
save error_sts.xml 404

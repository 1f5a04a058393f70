#!/usr/bin/env bash
# cosctl --trace and --trace-signing against the sandbox's RGW: one line per request, the signing
# inputs checked against the SigV4 rules of tests' reference vectors by an independent Python
# implementation, no secret in anything printed; and a SignatureDoesNotMatch from a stand-in
# server that recomputes the canonical request itself (as AWS S3 does), shown next to ours.
# Usage: tst_cosctl_trace.sh PATH/TO/cosctl. Reads the COS_* variables of scripts/sandbox.sh;
# exits 77 (skip) without them, unless COS_SANDBOX_REQUIRED=1.
set -uo pipefail

cosctl=${1:?usage: tst_cosctl_trace.sh PATH/TO/cosctl}
# shellcheck source=tests/support/cosctl_harness.sh
source "$(dirname "$0")/support/cosctl_harness.sh"
command -v python3 >/dev/null || skip "python3 not found"

server_pid=
cleanup_extra() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; }
# Every output of the test, for the secret check at the end.
keep_output() { cat "$tmp/out" "$tmp/err" >>"$tmp/everything"; }

echo hello >"$tmp/hello.txt"
run "mb" 0 mb "$bucket"
run "put" 0 -q put "$tmp/hello.txt" "$bucket/hello.txt"

# --- --trace: one line per request, stdout unchanged --------------------------------------------
"$cosctl" ls "$bucket" >"$tmp/plain" 2>/dev/null
run "ls --trace" 0 --trace ls "$bucket"
keep_output
same "stdout is the same with --trace" "$tmp/plain" "$tmp/out"
contains "trace line" "$tmp/err" "cosctl: trace #1 GET ListObjects ${COS_ENDPOINT%/}/$bucket"
if grep -qE '^cosctl: trace #1 .* -> 200 in [0-9]+ ms, [0-9]+ B received, request id tx' "$tmp/err"; then
    pass "trace line has status, time, bytes and request id"
else
    fail "trace line format: $(head -c 300 "$tmp/err")"
fi
lacks "no signing inputs without --trace-signing" "$tmp/err" "canonical request:"

# --- --trace-signing: the canonical request and string to sign follow the SigV4 rules -----------
run "ls --trace-signing" 0 --trace-signing ls "$bucket"
keep_output
contains "canonical request block" "$tmp/err" "  canonical request:"
contains "string to sign block" "$tmp/err" "  string to sign:"
contains "authorization redacted" "$tmp/err" "Signature=<redacted>"
cp "$tmp/err" "$tmp/signing"
if python3 - "$tmp/signing" "${COS_REGION:-us-east-1}" <<'EOF'; then
# Rebuilds the canonical request from the traced URL and headers with the rules of the sigv4
# reference vectors (not with cosctl's code) and checks both printed texts against it.
import hashlib, re, sys, urllib.parse

text = open(sys.argv[1], encoding="utf-8").read()
region = sys.argv[2]

def block(title):
    m = re.search(r"^  %s:\n((?:    .*\n?)*)" % re.escape(title), text, re.M)
    if not m:
        sys.exit("no block " + title)
    return "\n".join(line[4:] for line in m.group(1).rstrip("\n").split("\n"))

first = re.search(r"^cosctl: trace #\d+ (\S+) \S+ (\S+) ", text, re.M)
method, url = first.group(1), first.group(2)
headers = [tuple(h.split(": ", 1)) for h in block("headers sent").split("\n")]
canonical = block("canonical request")
string_to_sign = block("string to sign")

def esc(s):
    return urllib.parse.quote(s, safe="-_.~")

u = urllib.parse.urlsplit(url)
pairs = urllib.parse.parse_qsl(u.query, keep_blank_values=True)
query = "&".join(sorted(esc(n) + "=" + esc(v) for n, v in pairs))
# The headers a server reads as signed: those SignedHeaders names (as a server does). None of
# the headers the rules leave out may be among them.
hdrs = dict(headers)
names = re.search(r"SignedHeaders=([^,]+)", hdrs["Authorization"]).group(1).split(";")
skip = {"authorization", "cache-control", "connection", "expect", "from", "keep-alive",
        "max-forwards", "pragma", "referer", "te", "trailer", "transfer-encoding", "upgrade",
        "user-agent", "x-amzn-trace-id"}
if any(n in skip or n.startswith(("proxy-", "sec-")) for n in names):
    sys.exit("an unsignable header is signed: " + ";".join(names))
lower = {n.lower(): v for n, v in headers}
signed = sorted((n, " ".join(lower[n].split())) for n in names)
expected = "\n".join([method, u.path, query,
                      "".join("%s:%s\n" % h for h in signed),
                      ";".join(n for n, _ in signed),
                      hdrs["x-amz-content-sha256"]])
if canonical != expected:
    sys.exit("canonical request differs:\n%s\n--- expected ---\n%s" % (canonical, expected))
date = hdrs["x-amz-date"]
expected_sts = "\n".join(["AWS4-HMAC-SHA256", date, "%s/%s/s3/aws4_request" % (date[:8], region),
                          hashlib.sha256(canonical.encode()).hexdigest()])
if string_to_sign != expected_sts:
    sys.exit("string to sign differs:\n%s\n--- expected ---\n%s" % (string_to_sign, expected_sts))
EOF
    pass "canonical request and string to sign follow the SigV4 rules"
else
    fail "signing inputs do not follow the SigV4 rules"
fi

# --- secrets never appear ---------------------------------------------------------------------
run "put --trace-signing" 0 -q --trace-signing put "$tmp/hello.txt" "$bucket/hello.txt"
keep_output
contains "put traced" "$tmp/err" "PutObject"
lacks "no secret key in any output" "$tmp/everything" "$COS_SECRET_KEY"
lacks "no whole key id in any output" "$tmp/everything" "$COS_SECRET_ID"

# --- SignatureDoesNotMatch: ours next to the server's -------------------------------------------
cat >"$tmp/mismatch.py" <<'EOF'
# Answers every request like AWS S3 answers a wrong signature: 403 SignatureDoesNotMatch with
# the canonical request and string to sign it computed itself from what it received.
import hashlib, http.server, sys, urllib.parse
from xml.sax.saxutils import escape

class Handler(http.server.BaseHTTPRequestHandler):
    def answer(self):
        auth = self.headers.get("Authorization", "")
        signed = auth.split("SignedHeaders=")[1].split(",")[0].split(";")
        u = urllib.parse.urlsplit(self.path)
        pairs = urllib.parse.parse_qsl(u.query, keep_blank_values=True)
        esc = lambda s: urllib.parse.quote(s, safe="-_.~")
        query = "&".join(sorted(esc(n) + "=" + esc(v) for n, v in pairs))
        hdrs = "".join("%s:%s\n" % (n, " ".join(self.headers.get(n, "").split())) for n in signed)
        canonical = "\n".join([self.command, u.path, query, hdrs, ";".join(signed),
                               self.headers.get("x-amz-content-sha256", "")])
        date = self.headers.get("x-amz-date", "")
        scope = auth.split("Credential=")[1].split(",")[0].split("/", 1)[1]
        sts = "\n".join(["AWS4-HMAC-SHA256", date, scope,
                         hashlib.sha256(canonical.encode()).hexdigest()])
        body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>SignatureDoesNotMatch"
                "</Code><Message>The request signature we calculated does not match the "
                "signature you provided.</Message><StringToSign>%s</StringToSign>"
                "<CanonicalRequest>%s</CanonicalRequest><RequestId>fake-1</RequestId></Error>"
                % (escape(sts), escape(canonical))).encode()
        self.send_response(403)
        self.send_header("Content-Type", "application/xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    do_GET = do_PUT = do_DELETE = do_HEAD = answer

    def log_message(self, *args):
        pass

server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
EOF
python3 "$tmp/mismatch.py" >"$tmp/port" &
server_pid=$!
for _ in $(seq 50); do [ -s "$tmp/port" ] && break; sleep 0.1; done
port=$(head -1 "$tmp/port")
run "ls against a mismatching server" 4 --endpoint "http://127.0.0.1:$port" ls "$bucket"
contains "error names the code" "$tmp/err" "SignatureDoesNotMatch"
contains "our string to sign" "$tmp/err" "our string to sign:"
contains "the server's string to sign" "$tmp/err" "the server's string to sign:"
contains "the server's canonical request" "$tmp/err" "the server's canonical request:"
contains "equal strings point at the key" "$tmp/err" "the strings to sign are equal: the secret key is probably wrong"
lacks "no secret key in the report" "$tmp/err" "$COS_SECRET_KEY"

# RGW answers a wrong key with a bare AccessDenied: no strings to compare, no report.
COS_SECRET_KEY="wrong$COS_SECRET_KEY" run "wrong key on RGW" 4 ls "$bucket"
lacks "no mismatch report without SignatureDoesNotMatch" "$tmp/err" "our string to sign"

finish

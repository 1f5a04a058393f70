-- wrk script for bench/signer/run.sh: one machine-readable line at the end (latencies in us).
-- Only done() is defined, so wrk keeps its fast path (no per-request Lua calls).
done = function(summary, latency, requests)
    local e = summary.errors
    io.write(string.format(
        "RESULT requests=%d duration_us=%d rps=%.1f p50_us=%d p90_us=%d p99_us=%d max_us=%d "
            .. "connect=%d read=%d write=%d timeout=%d status=%d bytes=%d\n",
        summary.requests, summary.duration, summary.requests / summary.duration * 1e6,
        latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
        e.connect, e.read, e.write, e.timeout, e.status, summary.bytes))
end

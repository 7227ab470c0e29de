-- wrk script: POST the JSON body in BENCH_BODY to the URL wrk was given, and print one
-- machine-readable line at the end:
--   RESULT requests=N seconds=S rps=R p50_us=X p99_us=Y errors=E non2xx=M
-- errors are socket errors and timeouts; non2xx counts HTTP statuses of 400 and above.
wrk.method = "POST"
wrk.body = os.getenv("BENCH_BODY") or "{}"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json"

done = function(summary, latency, requests)
  local e = summary.errors
  local seconds = summary.duration / 1e6
  io.write(string.format(
    "RESULT requests=%d seconds=%.2f rps=%.0f p50_us=%d p99_us=%d errors=%d non2xx=%d\n",
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.timeout, e.status))
end

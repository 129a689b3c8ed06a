-- wrk script: posts pre-signed webhook deliveries, each once, in order (one list per thread).
local lines = {}
local index = 0
local target = "/webhooks/whatsapp"

function init(args)
  target = args[2] or target
  local file = assert(io.open(args[1], "r"))
  local thread_count = tonumber(args[3] or "1")
  local thread_index = tonumber(args[4] or "0")
  local n = 0
  for line in file:lines() do
    if n % thread_count == thread_index then
      local tab = line:find("\t", 1, true)
      lines[#lines + 1] = { line:sub(1, tab - 1), line:sub(tab + 1) }
    end
    n = n + 1
  end
  file:close()
end

function request()
  index = index + 1
  local item = lines[((index - 1) % #lines) + 1]
  return wrk.format("POST", target, {
    ["Content-Type"] = "application/json",
    ["X-Hub-Signature-256"] = item[1],
  }, item[2])
end

function done(summary, latency, requests)
  io.write(string.format("RESULT requests=%d errors_status=%d p50_ms=%.2f p99_ms=%.2f rps=%.1f\n",
    summary.requests, summary.errors.status, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.requests / (summary.duration / 1e6)))
end

-- wrk script: posts each pre-signed delivery of the file (signature TAB body per line) exactly
-- once, in order; once every one has been answered its thread stops sending. wrk itself still
-- waits out -d, so the caller interrupts it (SIGINT) when the deliveries are stored; it then
-- prints "RESULT posted=… refused=… seconds=…" (refused = answers other than 200).
-- Use one thread (-t1).
--   wrk -t1 -c32 -d300s -s once.lua http://127.0.0.1:PORT -- deliveries.txt
local lines = {}
local sent = 0
local verified = false
answered, refused = 0, 0
local threads = {}

function setup(thread) threads[#threads + 1] = thread end

function init(args)
  for line in io.lines(args[1]) do
    local tab = line:find("\t", 1, true)
    lines[#lines + 1] = { line:sub(1, tab - 1), line:sub(tab + 1) }
  end
end

function request()
  -- wrk calls request() once before the run to check it (script_verify_request): that call gets
  -- a /health request, so that no delivery is skipped.
  if not verified then
    verified = true
    return wrk.format("GET", "/health")
  end
  sent = sent + 1
  local item = lines[sent]
  if item == nil then
    return wrk.format("GET", "/health")  -- connections idle past the end ask for nothing costly
  end
  return wrk.format("POST", "/webhooks/whatsapp", {
    ["Content-Type"] = "application/json",
    ["X-Hub-Signature-256"] = item[1],
  }, item[2])
end

function response(status, headers, body)
  if body and body:find('"database"', 1, true) then return end  -- a /health answer
  answered = answered + 1
  if status ~= 200 then refused = refused + 1 end
  if answered >= #lines then wrk.thread:stop() end
end

function done(summary, latency, requests)
  local posted, bad = 0, 0
  for _, thread in ipairs(threads) do
    posted = posted + thread:get("answered")
    bad = bad + thread:get("refused")
  end
  io.write(string.format("RESULT posted=%d refused=%d seconds=%.2f\n", posted, bad, summary.duration / 1e6))
end

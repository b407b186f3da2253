-- A mix of logged-in pages and API calls (wrk). PATHS and AUTH come from the environment via bench/load.py,
-- which writes them into bench/var-load.lua before starting wrk. Non-2xx responses are counted as errors.
local cfg = dofile(os.getenv("KC_LOAD_CONFIG"))
local counter = 0
local errors = 0
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  counter = math.random(1, #cfg.paths)
end

function request()
  counter = counter % #cfg.paths + 1
  local item = cfg.paths[counter]
  local headers = {}
  if item.api then
    headers["Authorization"] = "Bearer " .. cfg.token
  else
    headers["Cookie"] = cfg.cookie
  end
  return wrk.format("GET", item.path, headers)
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    errors = errors + 1
  end
end

function done(summary, latency, requests)
  local total_errors = 0
  for _, t in ipairs(threads) do
    total_errors = total_errors + (t:get("errors") or 0)
  end
  io.write(string.format(
    'KCJSON {"requests": %d, "seconds": %.3f, "rps": %.1f, "p50_ms": %.2f, "p95_ms": %.2f, "p99_ms": %.2f, ' ..
    '"max_ms": %.2f, "non_2xx": %d, "socket_errors": %d}\n',
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, total_errors,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout +
    summary.errors.status))
end

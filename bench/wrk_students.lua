-- wrk script for bench/capacity.py: each connection is one student who reads between actions.
--   wrk -tT -cN -d30s --latency -s bench/wrk_students.lua http://127.0.0.1:PORT \
--       -- FILE THINK_MS N SEED T
-- FILE lists the requests, one a line, "METHOD<TAB>PATH<TAB>BODY<TAB>COOKIE" (BODY
-- url-encoded, may be empty), in the order the students as a whole send them: thread k of
-- the T threads (T divides N) takes lines k+1, k+1+T, ... and deals them out to whichever of
-- its N/T connections is ready next, each sent once. When a thread's lines are spent it
-- stops and prints "spent": the caller must treat the run as void (prepare more).
-- Why threads: wrk keeps a thread's pending delays in a list it walks (reading the clock
-- at each) on every turn of its event loop, so one thread's CPU grows with N x requests;
-- T threads each walk N/T of them.
-- delay(): the first request of each connection waits 0..THINK_MS (arrivals spread over
-- one think time), every later one 0.5x-1.5x THINK_MS (the student reads the page). Every
-- request closes its connection ("Connection: close"), as a browser's request after a long
-- read would find its kept-alive connection closed.
-- done() prints one line the caller parses: "capacity p50 p95 p99 (us) sent spent statuses".
-- Globals, not locals: done() runs in wrk's main Lua state and reads them from the thread.
list, i, think, first, connections = {}, 0, 5000, 0, 0
statuses, spent, delays = {}, false, 0
local threads = {}

function setup(thread)
  -- runs in the main state before the thread's init(): its number, from 0
  thread:set("id", #threads)
  threads[#threads + 1] = thread
end

function init(args)
  local count = tonumber(args[5] or "1")
  id = id or 0
  local n = 0
  for line in io.lines(args[1]) do
    if n % count == id then
      local method, path, body, cookie = line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t(.*)$")
      list[#list + 1] = { method = method, path = path, body = body, cookie = cookie }
    end
    n = n + 1
  end
  think = tonumber(args[2])
  connections = math.floor(tonumber(args[3]) / count)  -- this thread's, as wrk deals them
  math.randomseed(tonumber(args[4] or "1") + id)
end

function delay()
  -- wrk calls delay() before each request; the first `connections` calls are this
  -- thread's connections' first requests (all connect when the thread starts).
  first = first + 1
  delays = delays + 1
  if first <= connections then
    return math.floor(math.random() * think)
  end
  return math.floor(think * (0.5 + math.random()))
end

function request()
  if i >= delays then
    -- No delay() came before: wrk's own check of the script (it calls request() once
    -- before the first thread starts), not a request to send; it takes no line.
    return wrk.format("GET", "/healthz")
  end
  i = i + 1
  if i > #list then
    -- Spent: stop, and send a harmless request in place of a repeated answer.
    spent = true
    wrk.thread:stop()
    i = #list
    return wrk.format("GET", "/healthz", { ["Connection"] = "close" })
  end
  local r = list[i]
  local headers = { ["Connection"] = "close" }
  if r.cookie ~= "" then
    headers["Cookie"] = r.cookie
  end
  local body = nil
  if r.body ~= "" then
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    body = r.body
  end
  return wrk.format(r.method, r.path, headers, body)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local counts, sent, void = {}, 0, false
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses")) do
      counts[status] = (counts[status] or 0) + n
    end
    sent = sent + thread:get("i")
    void = void or thread:get("spent")
  end
  local parts = {}
  for status, n in pairs(counts) do
    parts[#parts + 1] = status .. "=" .. n
  end
  io.write(string.format(
    "capacity %d %d %d %d %s %s\n",
    latency:percentile(50), latency:percentile(95), latency:percentile(99),
    sent, void and "spent" or "ok", table.concat(parts, ",")
  ))
end

-- wrk script for the benchmarks: replays the requests listed in a file, one a line,
-- "METHOD<TAB>PATH<TAB>BODY" (BODY url-encoded, may be empty), with the given Cookie.
--   wrk -t1 -c4 -d10s -s bench/wrk_requests.lua http://127.0.0.1:PORT -- FILE COOKIE [once]
-- With "once", each line is sent at most once (an answer can only be given once): when the
-- list is spent the thread stops, and the caller, who knows how many lines it gave, must
-- treat that run as void (wrk still reports over the whole duration). Otherwise the list
-- is replayed round and round.
local list, i, once, cookie = {}, 0, false, ""

function init(args)
  for line in io.lines(args[1]) do
    local method, path, body = line:match("^([^\t]*)\t([^\t]*)\t?(.*)$")
    list[#list + 1] = { method = method, path = path, body = body }
  end
  cookie = args[2] or ""
  once = args[3] == "once"
end

function request()
  i = i + 1
  if i > #list then
    if once then
      wrk.thread:stop()
    end
    i = 1
  end
  local r = list[i]
  local headers = { ["Cookie"] = cookie, ["Connection"] = "close" }
  local body = nil
  if r.body ~= "" then
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    body = r.body
  end
  return wrk.format(r.method, r.path, headers, body)
end

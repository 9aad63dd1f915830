-- wrk_check.lua - wrk script of the live httpd test: every answer must be a
-- 200 with the body of the file given after "--" (the expected document,
-- written by tests/live/httpd_check.py) and its length as Content-Length.
-- A second argument N pipelines: each connection sends N requests at once
-- (and again when their N answers are in).
-- At the end it prints "wrk-check: R requests, G answers right, W wrong,
-- E socket errors" (wrk's summary counts and the threads' counts together).
--   wrk -t1 -c4 -d3s -s tests/live/wrk_check.lua http://ADDR/PATH -- EXPECTED_FILE [N]
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  local f = assert(io.open(args[1], "rb"))
  expected = f:read("*a")
  f:close()
  expected_length = tostring(#expected)
  right, wrong = 0, 0
  local depth = tonumber(args[2] or "1")
  if depth > 1 then
    local one = wrk.format()
    local all = {}
    for i = 1, depth do all[i] = one end
    pipelined = table.concat(all)
  end
end

function request()
  return pipelined or wrk.format()
end

function response(status, headers, body)
  if status == 200 and body == expected and headers["Content-Length"] == expected_length then
    right = right + 1
  else
    wrong = wrong + 1
  end
end

function done(summary, latency, requests)
  local r, w = 0, 0
  for _, t in ipairs(threads) do
    r = r + t:get("right")
    w = w + t:get("wrong")
  end
  local e = summary.errors
  io.write(string.format("wrk-check: %d requests, %d answers right, %d wrong, %d socket errors\n",
    summary.requests, r, w, e.connect + e.read + e.write + e.status + e.timeout))
end

-- wrk script for the reports benchmark (see reports.sh): every request POSTs the next line of LINES to POST_PATH.
--
--   LINES=file POST_PATH=/v1/reports EXPECT=202 WRK_THREADS=2 wrk -t2 -c32 -d10s --latency -s post-lines.lua URL
--
-- Thread i sends lines i, i+T, i+2T, ... (T = WRK_THREADS), each at most once, then stops (a report token is spent once);
-- with CYCLE=1 it starts again from its first line instead (token requests may be signed any number of times).
-- done() prints the status counts summed over the threads and the first body of each unexpected status:
--   post-status <code> <count> / post-built <n> / post-lines <n> / post-exhausted-threads <n> / post-error <code> <body>

local threads = {}
local counter = 0

function setup(thread)
   thread:set("id", counter)
   table.insert(threads, thread)
   counter = counter + 1
end

function init(args)
   local path = os.getenv("LINES")
   local nthreads = tonumber(os.getenv("WRK_THREADS") or "0")
   if path == nil or nthreads == nil or nthreads < 1 then
      error("set LINES and WRK_THREADS")
   end
   postPath = os.getenv("POST_PATH") or "/v1/reports"
   expect = tonumber(os.getenv("EXPECT") or "202")
   cycle = os.getenv("CYCLE") == "1"
   local mine = {}
   local i = 0
   local total = 0
   for line in io.lines(path) do
      if #line > 0 then
         if i % nthreads == id then
            mine[#mine + 1] = line
         end
         i = i + 1
         total = total + 1
      end
   end
   bodies = mine
   nextIndex = 1
   sent = 0
   lines = total
   exhausted = 0
   statuses = {}
   errors = {}
   headers = { ["Content-Type"] = "application/json" }
end

function request()
   if nextIndex > #bodies then
      if cycle and #bodies > 0 then
         nextIndex = 1
      else
         exhausted = 1
         wrk.thread:stop()
         return wrk.format("GET", "/healthz")
      end
   end
   local body = bodies[nextIndex]
   nextIndex = nextIndex + 1
   sent = sent + 1
   return wrk.format("POST", postPath, headers, body)
end

function response(status, hdrs, body)
   local key = tostring(status)
   if exhausted == 1 and status == 200 and body ~= nil and string.find(body, '"status":"UP"', 1, true) then
      key = "after-exhaustion"
   end
   statuses[key] = (statuses[key] or 0) + 1
   if status ~= expect and key ~= "after-exhaustion" and errors[key] == nil then
      errors[key] = string.sub(body or "", 1, 300)
   end
end

function done(summary, latency, requests)
   local merged = {}
   local errs = {}
   local totalSent = 0
   local totalLines = 0
   local totalExhausted = 0
   for _, t in ipairs(threads) do
      for code, n in pairs(t:get("statuses") or {}) do
         merged[code] = (merged[code] or 0) + n
      end
      for code, body in pairs(t:get("errors") or {}) do
         if errs[code] == nil then
            errs[code] = body
         end
      end
      totalSent = totalSent + (t:get("sent") or 0)
      totalLines = t:get("lines") or totalLines
      totalExhausted = totalExhausted + (t:get("exhausted") or 0)
   end
   for code, n in pairs(merged) do
      io.write(string.format("post-status %s %d\n", code, n))
   end
   io.write(string.format("post-built %d\n", totalSent))
   io.write(string.format("post-lines %d\n", totalLines))
   io.write(string.format("post-exhausted-threads %d\n", totalExhausted))
   for code, body in pairs(errs) do
      io.write(string.format("post-error %s %s\n", code, (body:gsub("\n", " "))))
   end
end

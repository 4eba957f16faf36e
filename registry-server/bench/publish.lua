-- wrk script for the publish benchmark (see run.sh): every request POSTs the next signed bundle to /v1/packages.
--
--   BUNDLES=path/to/bundles.jsonl wrk -t2 -c32 -d20s --latency -s publish.lua http://127.0.0.1:PORT
--
-- BUNDLES is a file with one bundle JSON per line (GenerateBundles.java). Each wrk thread has its own Lua state; setup()
-- numbers the threads, and thread i sends lines i, i+T, i+2T, ... so no bundle is sent twice. When a thread has sent all
-- its lines it stops (and any request after that would be a GET /healthz, counted apart as "after-exhaustion").
-- wrk 4.1 calls request() once on thread 0 before it connects (to count pipelined requests) and discards the result, so
-- one bundle is built but never sent: "publish-built" counts request() calls, not requests on the wire.
-- done() prints the status counts summed over the threads, and the first body of each status other than 201, as lines:
--   publish-status <code> <count>
--   publish-built <n> / publish-lines <n> / publish-exhausted-threads <n>
--   publish-location <path>   the Location of one 201, for a read-back check
--   publish-error <code> <first 300 characters of a body>

local threads = {}
local counter = 0

function setup(thread)
   thread:set("id", counter)
   table.insert(threads, thread)
   counter = counter + 1
end

function init(args)
   local path = os.getenv("BUNDLES")
   if path == nil then
      error("set BUNDLES to the bundles file")
   end
   local nthreads = tonumber(os.getenv("WRK_THREADS") or "0")
   if nthreads == nil or nthreads < 1 then
      error("set WRK_THREADS to wrk's -t value")
   end
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
      exhausted = 1
      wrk.thread:stop()
      return wrk.format("GET", "/healthz")
   end
   local body = bodies[nextIndex]
   nextIndex = nextIndex + 1
   sent = sent + 1
   return wrk.format("POST", "/v1/packages", headers, body)
end

function response(status, hdrs, body)
   local key = tostring(status)
   if exhausted == 1 and status == 200 and body ~= nil and string.find(body, '"status":"UP"', 1, true) then
      key = "after-exhaustion"
   end
   statuses[key] = (statuses[key] or 0) + 1
   if status == 201 and location == nil then
      location = hdrs["Location"] or hdrs["location"]
   end
   if status ~= 201 and key ~= "after-exhaustion" and errors[key] == nil then
      errors[key] = string.sub(body or "", 1, 300)
   end
end

function done(summary, latency, requests)
   local merged = {}
   local errs = {}
   local totalSent = 0
   local totalLines = 0
   local totalExhausted = 0
   local location = nil
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
      location = location or t:get("location")
   end
   for code, n in pairs(merged) do
      io.write(string.format("publish-status %s %d\n", code, n))
   end
   io.write(string.format("publish-built %d\n", totalSent))
   io.write(string.format("publish-lines %d\n", totalLines))
   io.write(string.format("publish-exhausted-threads %d\n", totalExhausted))
   if location ~= nil then
      io.write(string.format("publish-location %s\n", location))
   end
   for code, body in pairs(errs) do
      io.write(string.format("publish-error %s %s\n", code, (body:gsub("\n", " "))))
   end
end

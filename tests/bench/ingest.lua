-- wrk script for the ingest benchmark: every request is a valid, varied
-- after-school-needs submission with its own idempotency key, spread over the
-- schools listed in the SLUGS environment variable (space-separated
-- "slug:first:last", the grades each school teaches).
local slugs = {}
for s in string.gmatch(os.getenv("SLUGS") or "", "%S+") do
  local slug, lo, hi = string.match(s, "^([^:]+):(%d+):(%d+)$")
  if slug then table.insert(slugs, {slug, tonumber(lo), tonumber(hi)})
  else table.insert(slugs, {s, 1, 6}) end
end

local counter = 0
-- RUN (0-99) keeps keys unique across runs against the same database.
local run_no = tonumber(os.getenv("RUN") or "0")
local thread_no = 0
local threads = {}

function setup(thread)
  thread_no = thread_no + 1
  thread:set("tid", thread_no)
  table.insert(threads, thread)
end

function init(args)
  math.randomseed(tid * 7919)
end

local days = {"mon", "tue", "wed", "thu"}
local ends = {"t1700", "t1730", "t1800", "t1830"}
local plain = {"reading", "homework", "psychology", "study_tour"}
local sci = {"science.lecture", "science.experiment", "science.creation", "science.maker", "science.observation"}
local fees = {"free", "standard"}

local function pick(t) return t[math.random(#t)] end

function request()
  counter = counter + 1
  local idem = string.format("%02d%02d%022d", run_no, tid, counter)
  local school = slugs[math.random(#slugs)]
  local b = {"consent=yes", "idem=" .. idem,
    "q.grade=" .. math.random(school[2], school[3]), "q.class=" .. math.random(1, 8), "q.need=yes"}
  for _, d in ipairs(days) do if math.random() < 0.6 then table.insert(b, "q.days=" .. d) end end
  table.insert(b, "q.days=fri")
  table.insert(b, "q.end_time=" .. pick(ends))
  -- Science and two categories without a follow-up question, all three ranked (a ranking
  -- offers only the categories chosen); science's sub-category question is answered.
  local i = math.random(#plain)
  local j = i % #plain + 1
  table.insert(b, "q.categories=science")
  table.insert(b, "q.categories=" .. plain[i])
  table.insert(b, "q.categories=" .. plain[j])
  table.insert(b, "q.science_items=" .. pick(sci))
  local order = {"science", plain[i], plain[j]}
  local k = math.random(3)
  order[1], order[k] = order[k], order[1]
  table.insert(b, "q.top3.1=" .. order[1])
  table.insert(b, "q.top3.2=" .. order[2])
  table.insert(b, "q.top3.3=" .. order[3])
  table.insert(b, "q.fee=" .. pick(fees))
  table.insert(b, "q.summer_care=no")
  local path = "/s/" .. school[1]
  return wrk.format("POST", path, {["Content-Type"] = "application/x-www-form-urlencoded"}, table.concat(b, "&"))
end

function done(summary, latency, requests)
  io.write(string.format("RESULT rps=%.1f p50_ms=%.2f p99_ms=%.2f requests=%d errors=%d non2xx3xx=%d\n",
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.requests,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status))
end

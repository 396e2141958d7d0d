-- GET <prefix>bench-NNNNN for a random enrolled host. Usage: wrk ... -s get.lua URL -- <hosts> [prefix]
-- The prefix is /api/v1/hosts/ (metal3, the default) or /v1/nodes/ (Ironic, which finds a node by its name).
dofile(os.getenv("BENCH_DIR") .. "/report.lua")
local requests = {}
local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("seed", counter)
end
function init(args)
  local n = tonumber(args[1]) or 1000
  local prefix = args[2] or "/api/v1/hosts/"
  for i = 1, n do
    requests[i] = wrk.format("GET", string.format("%sbench-%05d", prefix, i))
  end
  math.randomseed(os.time() + (seed or 0) * 7919)
end
function request()
  return requests[math.random(#requests)]
end

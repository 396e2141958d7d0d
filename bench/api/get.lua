-- GET /api/v1/hosts/bench-NNNNN for a random enrolled host. Usage: wrk ... -s get.lua URL -- <hosts>
dofile(os.getenv("BENCH_DIR") .. "/report.lua")
local requests = {}
local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("seed", counter)
end
function init(args)
  local n = tonumber(args[1]) or 1000
  for i = 1, n do
    requests[i] = wrk.format("GET", string.format("/api/v1/hosts/bench-%05d", i))
  end
  math.randomseed(os.time() + (seed or 0) * 7919)
end
function request()
  return requests[math.random(#requests)]
end

-- GET /api/v1/hosts (all hosts in one page). The Authorization header comes from wrk -H.
dofile(os.getenv("BENCH_DIR") .. "/report.lua")
wrk.method = "GET"
wrk.path = "/api/v1/hosts"

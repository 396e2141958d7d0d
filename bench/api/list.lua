-- GET of one list page: the path and query come from the URL given to wrk (metal3: /api/v1/hosts?limit=N,
-- Ironic: /v1/nodes/detail?limit=N). Headers (authorization, API version) come from wrk -H.
dofile(os.getenv("BENCH_DIR") .. "/report.lua")
wrk.method = "GET"

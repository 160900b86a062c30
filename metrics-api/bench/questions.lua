-- wrk script: each thread asks the paths of the file named by QUESTIONS_FILE (one per line) in turn, so that the
-- load spreads over many distinct /metrics/model questions instead of repeating one.
local paths = {}
for line in io.lines(os.getenv("QUESTIONS_FILE")) do
  paths[#paths + 1] = line
end
local next_path = 0

function init(args)
  -- Threads start at different places in the list.
  next_path = math.random(#paths) - 1
end

function request()
  next_path = next_path % #paths + 1
  return wrk.format("GET", paths[next_path])
end

-- wrk script for the response benchmark: every request submits the answer of another invitation.
-- Tokens come from a file (one per line); thread k takes tokens k, k+n, k+2n, ...
local counter = 0
local threads = {}

function setup(thread)
  thread:set("id", counter)
  table.insert(threads, thread)
  counter = counter + 1
end

function init(args)
  tokens = {}
  for line in io.lines(args[1]) do tokens[#tokens + 1] = line end
  nthreads = tonumber(args[2])
  idx = id
end

function request()
  local i = idx
  idx = idx + nthreads
  local token = tokens[(i % #tokens) + 1]
  local body = "score=" .. (i % 11) .. "&why=Antwoord+" .. i .. "%3A+prima+service&lang=nl"
  return wrk.format("POST", "/s/" .. token, { ["Content-Type"] = "application/x-www-form-urlencoded" }, body)
end

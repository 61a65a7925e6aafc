-- Neovim 0.7.2 end-to-end check of unused grants: the folder holds an iamlint.toml whose
-- [[activity]] table names the fixture CloudTrail logs, and the grant the role never used
-- arrives as a hint on its Action item. Writes what was seen to $IAMLINT_OUT for run.sh.
-- Environment: IAMLINT_BIN, IAMLINT_POLICY (deploy-policy.json next to iamlint.toml), IAMLINT_OUT.

local h = dofile(vim.fn.fnamemodify(debug.getinfo(1, "S").source:sub(2), ":p:h") .. "/harness.lua")
local log, fail, timeout = h.log, h.fail, h.timeout

h.run(function()
  local buf, client = h.start(nil)
  if not client then
    return fail("the server did not start")
  end
  if not vim.wait(timeout, function() return h.diagnostic_with(buf, "UNUSED_GRANT") ~= nil end, 50) then
    return fail("no UNUSED_GRANT diagnostic within " .. timeout .. " ms")
  end
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    if h.code_of(d) == "UNUSED_GRANT" then
      log("hint %d:%d severity=%d %s", d.lnum + 1, d.col + 1, d.severity, vim.split(d.message, " ")[1])
    end
  end
  log("OK")
  h.finish(0)
end)

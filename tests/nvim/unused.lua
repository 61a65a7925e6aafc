-- Neovim 0.7.2 end-to-end check of unused grants: the folder holds an iamlint.toml whose
-- [[activity]] table names the fixture CloudTrail logs, and the grant the role never used
-- arrives as a hint on its Action item. Writes what was seen to $IAMLINT_OUT for run.sh.
-- Environment: IAMLINT_BIN, IAMLINT_POLICY (deploy-policy.json next to iamlint.toml), IAMLINT_OUT.

local h = dofile(vim.fn.fnamemodify(debug.getinfo(1, "S").source:sub(2), ":p:h") .. "/harness.lua")

h.attached(nil, function(buf)
  local found = function() return h.diagnostic_with(buf, "UNUSED_GRANT") ~= nil end
  if not vim.wait(h.timeout, found, 50) then
    return h.fail("no UNUSED_GRANT diagnostic within " .. h.timeout .. " ms")
  end
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    if h.code_of(d) == "UNUSED_GRANT" then
      h.log("hint %d:%d severity=%d %s", d.lnum + 1, d.col + 1, d.severity, vim.split(d.message, " ")[1])
    end
  end
  h.log("OK")
  h.finish(0)
end)

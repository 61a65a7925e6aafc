-- Neovim 0.7.2 end-to-end check of `iamlint lsp` on a Terraform file: the finding inside
-- jsonencode(...) arrives at its line and column in the .tf file, a hover on an action answers,
-- nothing is reported on the computed ARN, and editing the buffer re-checks it. Writes what was
-- seen to $IAMLINT_OUT for run.sh. Environment: IAMLINT_BIN, IAMLINT_POLICY (the .tf), IAMLINT_OUT.

local h = dofile(vim.fn.fnamemodify(debug.getinfo(1, "S").source:sub(2), ":p:h") .. "/harness.lua")
local log, fail, timeout = h.log, h.fail, h.timeout

h.run(function()
  local buf, client = h.start(nil)
  if not client then
    return fail("the server did not start")
  end
  local code_of = h.code_of
  local function diagnostic_with(code)
    return h.diagnostic_with(buf, code)
  end

  -- 1. The finding inside jsonencode(...) arrives, placed in the .tf file.
  if not vim.wait(timeout, function() return diagnostic_with("INVALID_ACTION") ~= nil end, 50) then
    return fail("no INVALID_ACTION diagnostic within " .. timeout .. " ms")
  end
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    log("diagnostic %d:%d %s severity=%d", d.lnum + 1, d.col + 1, code_of(d), d.severity)
  end

  -- 2. Hover on an action of the policy.
  local row = vim.fn.search("s3:ListBucket")
  if row == 0 then
    return fail("action not found in the buffer")
  end
  vim.api.nvim_win_set_cursor(0, { row, vim.fn.col(".") + 2 })
  local hover = client.request_sync(
    "textDocument/hover",
    vim.lsp.util.make_position_params(0, client.offset_encoding),
    timeout,
    buf
  )
  if not hover or hover.err or not hover.result then
    return fail("no hover: " .. vim.inspect(hover))
  end
  log("hover %s", vim.split(hover.result.contents.value, "\n")[1])

  -- 3. Correct the action in the buffer: the server re-checks and the finding goes away.
  local d = diagnostic_with("INVALID_ACTION")
  local line = vim.fn.getline(d.lnum + 1)
  vim.api.nvim_buf_set_lines(buf, d.lnum, d.lnum + 1, false, { (line:gsub("GetObjekt", "GetObject")) })
  if not vim.wait(timeout, function() return diagnostic_with("INVALID_ACTION") == nil end, 50) then
    return fail("INVALID_ACTION still reported after the edit")
  end
  log("after edit: %s", vim.trim(vim.fn.getline(d.lnum + 1)))
  log("OK")
  h.finish(0)
end)

-- Neovim 0.7.2 end-to-end check of `iamlint lsp`: start the server on a policy file, wait for
-- diagnostics, hover an action, apply a quick-fix and the fix-all action, and write what was seen
-- to $IAMLINT_OUT for run.sh to assert on. 0.7 has no vim.lsp.start: use start_client +
-- buf_attach_client. Environment: IAMLINT_BIN (the iamlint binary), IAMLINT_POLICY, IAMLINT_OUT.

local h = dofile(vim.fn.fnamemodify(debug.getinfo(1, "S").source:sub(2), ":p:h") .. "/harness.lua")
local log, fail, timeout = h.log, h.fail, h.timeout

h.run(function()
  local buf, client = h.start({ iamlint = { policyType = "identity" } })
  if not client then
    return fail("the server did not start")
  end
  local code_of = h.code_of
  local function diagnostics_with(code)
    return h.diagnostic_with(buf, code)
  end
  -- What vim.lsp.buf.code_action does with a chosen action: 0.7 declares resolveSupport for
  -- `edit`, so the server lists actions without their edits and codeAction/resolve gives them.
  local function resolved(action)
    if action.edit then
      return action
    end
    local r = client.request_sync("codeAction/resolve", action, timeout, buf)
    if not r or r.err or not r.result or not r.result.edit then
      fail("codeAction/resolve gave no edit: " .. vim.inspect(r))
      return action
    end
    log("resolved %s", action.title)
    return r.result
  end

  -- 1. Diagnostics arrive.
  if not vim.wait(timeout, function() return diagnostics_with("INVALID_EFFECT") ~= nil end, 50) then
    return fail("no INVALID_EFFECT diagnostic within " .. timeout .. " ms")
  end
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    log("diagnostic %d:%d %s severity=%d %s", d.lnum + 1, d.col + 1, code_of(d), d.severity, d.message)
  end

  -- 2. Hover on the action.
  local row = vim.fn.search("s3:GetObject") -- moves the cursor to the match
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
  local first = vim.split(hover.result.contents.value, "\n")[1]
  log("hover %s", first)

  -- 3. Quick-fix on the Effect value, applied.
  local effect = diagnostics_with("INVALID_EFFECT")
  vim.api.nvim_win_set_cursor(0, { effect.lnum + 1, effect.col + 1 })
  local params = vim.lsp.util.make_range_params(0, client.offset_encoding)
  params.context = { diagnostics = {}, only = { "quickfix" } }
  local actions = client.request_sync("textDocument/codeAction", params, timeout, buf)
  if not actions or actions.err or not actions.result or #actions.result == 0 then
    return fail("no code action: " .. vim.inspect(actions))
  end
  for _, a in ipairs(actions.result) do
    log("action %s [%s]%s", a.title, a.kind, a.isPreferred and " preferred" or "")
  end
  vim.lsp.util.apply_workspace_edit(resolved(actions.result[1]).edit, client.offset_encoding)
  log("after quickfix: %s", vim.trim(vim.fn.getline(effect.lnum + 1)))

  -- 4. The server re-checks the edited buffer: INVALID_EFFECT goes away.
  if not vim.wait(timeout, function() return diagnostics_with("INVALID_EFFECT") == nil end, 50) then
    return fail("INVALID_EFFECT still reported after the fix")
  end

  -- 5. Fix-all (source.fixAll.iamlint) adds the missing Version.
  params = vim.lsp.util.make_range_params(0, client.offset_encoding)
  params.context = { diagnostics = {}, only = { "source.fixAll" } }
  local all = client.request_sync("textDocument/codeAction", params, timeout, buf)
  if not all or not all.result or #all.result ~= 1 then
    return fail("no fix-all action: " .. vim.inspect(all))
  end
  log("fixall %s [%s]", all.result[1].title, all.result[1].kind)
  vim.lsp.util.apply_workspace_edit(resolved(all.result[1]).edit, client.offset_encoding)
  if not vim.wait(timeout, function() return diagnostics_with("MISSING_VERSION") == nil end, 50) then
    return fail("MISSING_VERSION still reported after fix-all")
  end
  log("final %s", table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), " "))
  log("remaining %d", #vim.diagnostic.get(buf))
  log("OK")
  h.finish(0)
end)

-- What both Neovim end-to-end scripts need: the log written to $IAMLINT_OUT, ending the run with
-- an exit status, starting `iamlint lsp` on the file $IAMLINT_POLICY, and finding diagnostics by
-- code. Loaded with dofile; Neovim 0.7 has no vim.lsp.start (start_client + buf_attach_client).
local M = {}

M.bin = assert(os.getenv("IAMLINT_BIN"), "IAMLINT_BIN")
M.file = assert(os.getenv("IAMLINT_POLICY"), "IAMLINT_POLICY")
M.timeout = 15000
local out_path = assert(os.getenv("IAMLINT_OUT"), "IAMLINT_OUT")

local lines = {}
function M.log(fmt, ...)
  table.insert(lines, string.format(fmt, ...))
end

function M.finish(code)
  local f = assert(io.open(out_path, "w"))
  f:write(table.concat(lines, "\n") .. "\n")
  f:close()
  if code == 0 then
    vim.cmd("qall!")
  else
    vim.cmd("cquit " .. code)
  end
end

function M.fail(msg)
  M.log("FAIL %s", msg)
  M.finish(1)
end

-- Open the file and attach a new server to it; returns the buffer and the client (nil: failed).
function M.start(settings)
  vim.cmd("edit " .. vim.fn.fnameescape(M.file))
  local buf = vim.api.nvim_get_current_buf()
  local client_id = vim.lsp.start_client({
    name = "iamlint",
    cmd = { M.bin, "lsp" },
    root_dir = vim.fn.fnamemodify(M.file, ":p:h"),
    settings = settings,
  })
  if not client_id then
    return buf, nil
  end
  vim.lsp.buf_attach_client(buf, client_id)
  return buf, vim.lsp.get_client_by_id(client_id)
end

function M.code_of(d)
  if d.code then
    return d.code
  end
  return d.user_data and d.user_data.lsp and d.user_data.lsp.code or "?"
end

function M.diagnostic_with(buf, code)
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    if M.code_of(d) == code then
      return d
    end
  end
  return nil
end

-- Run `body`; any Lua error ends the run with a non-zero exit and a message in the output.
function M.run(body)
  local ok, err = pcall(body)
  if not ok then
    M.fail("error: " .. tostring(err))
  end
end

-- Start the server on the file (with `settings`) and run `body(buf, client)` as M.run does.
function M.attached(settings, body)
  M.run(function()
    local buf, client = M.start(settings)
    if not client then
      return M.fail("the server did not start")
    end
    body(buf, client)
  end)
end

return M

-- Says clearly, once, that the planmark binary cannot be started. Neovim
-- 0.11's `vim.lsp.enable` checks that `cmd` is executable before it calls
-- the config's `root_dir`, and when it is not, it starts nothing and says
-- nothing (the reason goes to the LSP log only). So on 0.11 this watches
-- markdown buffers itself: when a planning file opens and the `cmd` of the
-- resolved `vim.lsp.config.planmark` is not executable, it tells the user.
local paths = require('planmark.paths')

local M = {}

-- Shared by setup() and lsp/planmark.lua, so the user is told once.
M.warned = false
-- How planmark is started ('setup' or 'config'), once a watch is set up:
-- setup() comes first, and lsp/planmark.lua (read later, when the config
-- is resolved) must not turn its advice into the other one.
M.watching = nil

-- How to set the path, for each way of starting planmark.
local how_to = {
  setup = "require('planmark').setup({ cmd = { '/path/to/planmark', 'lsp' } })",
  config = "vim.lsp.config('planmark', { cmd = { '/path/to/planmark', 'lsp' } })",
}

-- True when `cmd[1]` can be run; otherwise warns (once) and returns false.
function M.check(cmd, how)
  if type(cmd) ~= 'table' or cmd[1] == nil or vim.fn.executable(cmd[1]) == 1 then
    return true
  end
  if not M.warned then
    M.warned = true
    vim.notify(
      ("planmark: cannot start the language server: '%s' is not an executable file or on PATH. "
        .. 'Install planmark (cargo install --path . in the planmark repository) or set its path: %s'):format(
        cmd[1],
        how_to[how] or how_to.config
      ),
      vim.log.levels.ERROR
    )
  end
  return false
end

-- `is_planning(bufnr)` says whether a buffer is a planning file (default:
-- planmark's own rules on the buffer's path).
local function default_is_planning(bufnr)
  local name = vim.api.nvim_buf_get_name(bufnr)
  return name ~= '' and not name:match('^%a[%w+.-]*://') and paths.is_planning_file(name)
end

-- Whether `vim.lsp.enable('planmark')` is in force (a config that is only
-- read, by :checkhealth say, starts nothing and needs no warning).
local function enabled()
  if vim.lsp.is_enabled then
    return vim.lsp.is_enabled('planmark')
  end
  local configs = vim.lsp._enabled_configs
  return type(configs) ~= 'table' or configs.planmark ~= nil
end

-- Neovim 0.11+: checks the resolved `vim.lsp.config.planmark` whenever a
-- planning file gets the markdown filetype, and now for the buffers
-- already open.
function M.watch(how, is_planning)
  if not (vim.lsp.config and vim.api.nvim_create_autocmd) or (M.watching and M.watching ~= how) then
    return
  end
  M.watching = how
  is_planning = is_planning or default_is_planning
  local function check_buffer(bufnr)
    if M.warned or not vim.api.nvim_buf_is_valid(bufnr) or (vim.bo[bufnr].filetype ~= 'markdown' and vim.bo[bufnr].filetype ~= 'yaml') then
      return
    end
    if not is_planning(bufnr) or not enabled() then
      return
    end
    local ok, config = pcall(function()
      return vim.lsp.config.planmark
    end)
    if ok and config then
      M.check(config.cmd, how)
    end
  end
  local group = vim.api.nvim_create_augroup('planmark_binary', { clear = true })
  vim.api.nvim_create_autocmd('FileType', {
    group = group,
    pattern = { 'markdown', 'yaml' },
    callback = function(args)
      -- After this event's other handlers, and after the config resolves.
      vim.schedule(function()
        check_buffer(args.buf)
      end)
    end,
  })
  vim.schedule(function()
    for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do
      if vim.api.nvim_buf_is_loaded(bufnr) then
        check_buffer(bufnr)
      end
    end
  end)
end

return M

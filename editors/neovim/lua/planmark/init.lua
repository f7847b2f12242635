-- planmark for Neovim 0.7 and later: `require('planmark').setup(opts)`
-- starts `planmark lsp` for planning markdown files only (issues, stories,
-- roadmap, brief, index, milestone folders), through `vim.lsp.config` and
-- `vim.lsp.enable` on 0.11+, `vim.lsp.start` on 0.8-0.10 and
-- `vim.lsp.start_client` on 0.7.
local paths = require('planmark.paths')
local binary = require('planmark.binary')

local M = {}

M.defaults = {
  -- The server command; the first word must be executable.
  cmd = { 'planmark', 'lsp' },
  -- Sent as `initializationOptions` and answered to `workspace/configuration`.
  settings = { planmark = { diagnostics = { scope = 'workspace' } } },
  -- Extra folders, as in planmark.toml's `[locations]`.
  issues = {},
  stories = {},
  -- Folders holding one of these files are workspace roots.
  root_markers = { 'planmark.toml', '.git' },
  -- Passed to the client as they are.
  on_attach = nil,
  capabilities = nil,
}

M.config = nil
-- 0.7 only: client IDs by root folder.
local clients_by_root = {}

local function buffer_path(bufnr)
  local name = vim.api.nvim_buf_get_name(bufnr)
  if name == '' or name:match('^%a[%w+.-]*://') then
    return nil
  end
  return vim.fn.fnamemodify(name, ':p')
end

local function exists(path)
  return (vim.uv or vim.loop).fs_stat(path) ~= nil
end

-- Whether the buffer is a planning file planmark should attach to.
function M.is_planning_buffer(bufnr)
  local path = buffer_path(bufnr)
  local config = M.config or M.defaults
  return path ~= nil and paths.is_planning_file(path, { issues = config.issues, stories = config.stories })
end

function M.root_dir(bufnr)
  local config = M.config or M.defaults
  return paths.root_for(buffer_path(bufnr), exists, config.root_markers)
end

local function executable(cmd)
  return binary.check(cmd, 'setup')
end

local function client_config(config, root)
  return {
    name = 'planmark',
    cmd = config.cmd,
    root_dir = root,
    workspace_folders = root and { { uri = vim.uri_from_fname(root), name = root } } or nil,
    init_options = config.settings.planmark,
    settings = config.settings,
    on_attach = config.on_attach,
    capabilities = config.capabilities,
    flags = { debounce_text_changes = 50 },
  }
end

-- 0.7: one client per root, attached by hand.
local function attach_0_7(bufnr, config, root)
  local id = clients_by_root[root]
  if id == nil or vim.lsp.get_client_by_id(id) == nil then
    local client = client_config(config, root)
    client.on_exit = function()
      clients_by_root[root] = nil
    end
    id = vim.lsp.start_client(client)
    if id == nil then
      return
    end
    clients_by_root[root] = id
  end
  vim.lsp.buf_attach_client(bufnr, id)
end

-- Attaches planmark to `bufnr` if it is a planning file (0.7-0.10).
function M.attach(bufnr)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  local config = M.config or M.defaults
  if not M.is_planning_buffer(bufnr) or not executable(config.cmd) then
    return
  end
  local root = M.root_dir(bufnr)
  if vim.lsp.start then
    vim.lsp.start(client_config(config, root), { bufnr = bufnr })
  else
    attach_0_7(bufnr, config, root)
  end
end

function M.setup(opts)
  M.config = vim.tbl_deep_extend('force', vim.deepcopy(M.defaults), opts or {})
  local config = M.config
  -- Lists are replaced, not merged index by index.
  for _, key in ipairs({ 'cmd', 'issues', 'stories', 'root_markers' }) do
    if opts and opts[key] then
      config[key] = opts[key]
    end
  end

  if vim.lsp.config and vim.lsp.enable then
    vim.lsp.config('planmark', {
      cmd = config.cmd,
      filetypes = { 'markdown', 'yaml' },
      init_options = config.settings.planmark,
      settings = config.settings,
      on_attach = config.on_attach,
      capabilities = config.capabilities,
      root_dir = function(bufnr, on_dir)
        if M.is_planning_buffer(bufnr) and executable(config.cmd) then
          on_dir(M.root_dir(bufnr))
        end
      end,
    })
    vim.lsp.enable('planmark')
    -- 0.11 drops a config whose `cmd` is not executable before calling
    -- root_dir, silently: say it from a FileType autocmd instead.
    binary.watch('setup', M.is_planning_buffer)
    return
  end

  local group = vim.api.nvim_create_augroup('planmark', { clear = true })
  vim.api.nvim_create_autocmd('FileType', {
    group = group,
    pattern = { 'markdown', 'yaml' },
    callback = function(args)
      M.attach(args.buf)
    end,
  })
  for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do
    local filetype = vim.bo[bufnr].filetype
    if vim.api.nvim_buf_is_loaded(bufnr) and (filetype == 'markdown' or filetype == 'yaml') then
      M.attach(bufnr)
    end
  end
end

return M

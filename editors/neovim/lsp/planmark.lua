-- planmark's configuration for Neovim 0.11+: put this folder on
-- 'runtimepath' (or copy this file to ~/.config/nvim/lsp/planmark.lua and
-- the lua/planmark/ folder to ~/.config/nvim/lua/planmark/) and call
-- `vim.lsp.enable('planmark')`. Set the binary's path with
-- `vim.lsp.config('planmark', { cmd = { '/path/to/planmark', 'lsp' } })`.
-- It attaches to planning files only (issues, stories, roadmap, brief,
-- index, milestone folders, and the dialects' files, Backlog.md's YAML
-- config included); other markdown and YAML files are left alone.
local ok, paths = pcall(require, 'planmark.paths')

-- Neovim skips a config whose `cmd` is not executable without a word:
-- planmark.binary tells the user when a planning file opens.
local has_binary, binary = pcall(require, 'planmark.binary')
if has_binary then
  binary.watch('config')
end

return {
  cmd = { 'planmark', 'lsp' },
  filetypes = { 'markdown', 'yaml' },
  init_options = { diagnostics = { scope = 'workspace' } },
  settings = { planmark = { diagnostics = { scope = 'workspace' } } },
  root_dir = function(bufnr, on_dir)
    local name = vim.api.nvim_buf_get_name(bufnr)
    if name == '' then
      return
    end
    if ok and not paths.is_planning_file(name) then
      return
    end
    if ok then
      on_dir(paths.root_for(name, function(p)
        return vim.uv.fs_stat(p) ~= nil
      end))
    else
      on_dir(vim.fs.root(bufnr, { 'planmark.toml', '.git' }) or vim.fs.dirname(name))
    end
  end,
}

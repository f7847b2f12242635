-- Which markdown files are planning files, after planmark's own rules
-- (src/analysis/parse/mod.rs `classify`). Pure Lua, no editor API, so it
-- works on every Neovim version and can be tested on its own.
local M = {}

M.status_folders = { 'backlog', 'planned', 'in-progress', 'done' }

local function split(path)
  local parts = {}
  for part in path:gsub('\\', '/'):gmatch('[^/]+') do
    parts[#parts + 1] = part
  end
  return parts
end

local function contains(list, value)
  for _, v in ipairs(list) do
    if v:lower() == value then
      return true
    end
  end
  return false
end

local function trim_slashes(dir)
  return (dir:gsub('\\', '/'):gsub('^%./', ''):gsub('/+$', ''))
end

-- True when `path` (absolute or relative, either slash) is a file planmark
-- reads. `opts.issues` and `opts.stories` are extra folders, as in
-- planmark.toml's `[locations]`; `opts.status_folders` replaces the default
-- status folder names.
function M.is_planning_file(path, opts)
  opts = opts or {}
  if type(path) ~= 'string' or not path:lower():match('%.md$') then
    return false
  end
  local normalized = '/' .. path:gsub('\\', '/')
  local parts = split(path)
  local n = #parts
  local name = parts[n]:lower()
  local parent = n >= 2 and parts[n - 1]:lower() or ''
  local grandparent = n >= 3 and parts[n - 2]:lower() or ''
  local statuses = opts.status_folders or M.status_folders
  local function under(dirs)
    for _, dir in ipairs(dirs or {}) do
      if normalized:find('/' .. trim_slashes(dir) .. '/', 1, true) then
        return true
      end
    end
    return false
  end

  -- A template (`000-story-template.md`) shows how items are written: it is
  -- not one.
  if name:find('template', 1, true) then
    return false
  end
  if name == 'issues-list.md' or name == 'roadmap.md' or name == 'project-brief.md' then
    return true
  end
  if contains(statuses, parent) and (grandparent == 'issues' or under(opts.issues)) then
    return true
  end
  if (parent == 'stories' or under(opts.stories)) and (name:match('^%d') or name == 'readme.md') then
    return true
  end
  if grandparent == 'milestones' and parent:match('^m%d+$') then
    return true
  end
  -- A Kiro spec: .kiro/specs/<feature>/requirements.md or tasks.md.
  if n >= 4 and parts[n - 3] == '.kiro' and parts[n - 2] == 'specs'
    and (name == 'requirements.md' or name == 'tasks.md') then
    return true
  end
  return false
end

-- The workspace root for a planning file: the nearest folder holding one of
-- `markers` (default planmark.toml, .git), else the folder above `issues/`
-- or `docs/`, else the file's folder. `exists(path)` says whether a path
-- exists (the caller passes the editor's own function).
function M.root_for(path, exists, markers)
  markers = markers or { 'planmark.toml', '.git' }
  local parts = split(path)
  local absolute = path:sub(1, 1) == '/' and '/' or ''
  local function join(k)
    return absolute .. table.concat(parts, '/', 1, k)
  end
  for k = #parts - 1, 1, -1 do
    for _, marker in ipairs(markers) do
      if exists(join(k) .. '/' .. marker) then
        return join(k)
      end
    end
  end
  for k = #parts - 1, 2, -1 do
    local dir = parts[k]:lower()
    if dir == 'issues' or dir == 'docs' then
      return join(k - 1)
    end
  end
  return join(#parts - 1)
end

return M

-- Which markdown files are planning files, after planmark's own rules
-- (src/analysis/parse/mod.rs `classify`). Pure Lua, no editor API, so it
-- works on every Neovim version and can be tested on its own.
local M = {}

local unpack = table.unpack or unpack

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
-- The role of a path in a Backlog.md backlog (the innermost `backlog` or
-- `.backlog` folder it fits), as the dialect reads it.
local function is_task_name(name)
  return name:match('^%a+%-%d') ~= nil and name:lower():match('%.md$') ~= nil
end

local function is_backlog_file(parts)
  local n = #parts
  -- The project's config, beside the backlog folder.
  if parts[n] == 'backlog.config.yml' then
    return true
  end
  for b = n - 1, 1, -1 do
    if parts[b] == 'backlog' or parts[b] == '.backlog' then
      local rest = { unpack(parts, b + 1) }
      local name = rest[#rest]
      if #rest == 1 and (name == 'config.yml' or name == 'config.yaml') then
        return true
      end
      local folder = rest[1]
      -- Tasks may sit in folders of their own (`tasks/epics/`).
      if #rest >= 2 and (folder == 'tasks' or folder == 'completed' or folder == 'drafts') and is_task_name(name) then
        return true
      end
      if #rest >= 3 and folder == 'archive' and (rest[2] == 'tasks' or rest[2] == 'drafts') and is_task_name(name) then
        return true
      end
      if #rest == 2 and folder == 'decisions' and name:lower():match('^decision%-.*%.md$') then
        return true
      end
      if #rest >= 2 and folder == 'docs' and name:lower():match('^doc%-.*%.md$') then
        return true
      end
    end
  end
  return false
end

-- An OpenSpec file: under an `openspec` folder, a capability's spec, or a
-- change's proposal, tasks or delta spec (archived ones too).
local function is_openspec_file(parts)
  local n = #parts
  for o = n - 1, 1, -1 do
    if parts[o] == 'openspec' then
      local rest = { unpack(parts, o + 1) }
      if #rest == 3 and rest[1] == 'specs' and rest[3] == 'spec.md' then
        return true
      end
      if rest[1] == 'changes' then
        local change = 2
        if rest[2] == 'archive' then
          change = 3
        end
        local tail = { unpack(rest, change + 1) }
        if rest[change] and rest[change] ~= 'archive' then
          if #tail == 1 and (tail[1] == 'proposal.md' or tail[1] == 'tasks.md') then
            return true
          end
          if #tail == 3 and tail[1] == 'specs' and tail[3] == 'spec.md' then
            return true
          end
        end
      end
      return false
    end
  end
  return false
end

-- A spec-kit feature's spec.md, plan.md or tasks.md: `specs/<NNN-name>/`,
-- at least three digits, a dash and a letter or digit (not under `.kiro` or
-- `openspec`).
local function is_speckit_file(parts)
  local n = #parts
  if n < 3 or parts[n - 2] ~= 'specs' then
    return false
  end
  if n >= 4 and (parts[n - 3] == '.kiro' or parts[n - 3] == 'openspec') then
    return false
  end
  local name = parts[n]
  return parts[n - 1]:match('^%d%d%d+%-%w') ~= nil
    and (name == 'spec.md' or name == 'plan.md' or name == 'tasks.md')
end

-- A BMAD-METHOD file: v4 stories (`1.2.slug.story.md`, or `1.2.md` in a
-- `stories/` folder, and `6.x.notes.md` there), v6 stories (`1-2-slug.md`
-- in `implementation-artifacts/` or `sprint-artifacts/`, or unpadded in
-- `stories/`), `epics.md` in `planning-artifacts/`, the PRD (`docs/prd.md`
-- and `docs/prd/*.md`) and `sprint-status.yaml`.
local function is_bmad_file(parts)
  local n = #parts
  local name = parts[n]:lower()
  local parent = n >= 2 and parts[n - 1]:lower() or ''
  local grandparent = n >= 3 and parts[n - 2]:lower() or ''
  if name == 'sprint-status.yaml' or name == 'sprint-status.yml' then
    return true
  end
  if not name:match('%.md$') or name:find('template', 1, true) then
    return false
  end
  local v4 = name:match('^%d+%.%d+%l*%.md$') or name:match('^%d+%.%d+%l*%..*%.md$')
  if v4 and (name:match('%.story%.md$') or parent == 'stories') then
    return true
  end
  if parent == 'stories' and name:match('^%d+%.[^/]*%.md$') then
    return true
  end
  local v6 = name:match('^%d+%-%d+%l*%.md$') or name:match('^%d+%-%d+%l*%-.*%.md$')
  if v6 and (parent == 'implementation-artifacts' or parent == 'sprint-artifacts') then
    return true
  end
  if v6 and parent == 'stories' and not name:match('^0') then
    return true
  end
  if name == 'epics.md' and parent == 'planning-artifacts' then
    return true
  end
  if name == 'prd.md' and parent == 'docs' then
    return true
  end
  return parent == 'prd' and grandparent == 'docs'
end

-- A GSD file: `.planning/{PROJECT,REQUIREMENTS,ROADMAP,STATE}.md`, and the
-- plans and summaries of its phase folders (`phases/03-x/03-01-PLAN.md`),
-- also those of a shipped milestone (`milestones/v1.0-phases/01-x/...`).
local function is_gsd_file(parts)
  local n = #parts
  for b = n - 1, 1, -1 do
    if parts[b] == '.planning' then
      local rest = { unpack(parts, b + 1) }
      local name = rest[#rest]
      if #rest == 1 then
        return name == 'PROJECT.md' or name == 'REQUIREMENTS.md' or name == 'ROADMAP.md' or name == 'STATE.md'
      end
      local dir = #rest >= 2 and rest[#rest - 1] or ''
      local in_phases = (#rest == 3 and rest[1] == 'phases')
        or (#rest == 4 and rest[1] == 'milestones' and rest[2]:match('^.+%-phases$') ~= nil)
      local phase_dir = in_phases
        and (dir:match('^%d[%d.]*$') or dir:match('^%d[%d.]*%-'))
      if phase_dir then
        return name:match('^%d[%d.]*%-%d+%a?%-PLAN%.md$') ~= nil or name:match('^%d[%d.]*%-%d+%a?%-SUMMARY%.md$') ~= nil
      end
      return false
    end
  end
  return false
end

-- A milestone file of the tracking workflow: `.milestones/active/` or
-- `completed/` `milestone-*.yaml`, and `active/dependencies.yaml`.
local function is_milestone_file(parts)
  local n = #parts
  if n < 3 or parts[n - 2] ~= '.milestones' then
    return false
  end
  local stem = parts[n]:lower():gsub('%.ya?ml$', '')
  local folder = parts[n - 1]
  if folder == 'active' and stem == 'dependencies' then
    return true
  end
  return (folder == 'active' or folder == 'completed') and stem:match('^milestone%-') ~= nil
end

function M.is_planning_file(path, opts)
  opts = opts or {}
  if type(path) ~= 'string' then
    return false
  end
  if path:lower():match('%.ya?ml$') then
    local parts = split(path)
    return is_backlog_file(parts) or is_bmad_file(parts) or is_milestone_file(parts)
  end
  if not path:lower():match('%.md$') then
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
  if is_gsd_file(parts) then
    return true
  end
  if is_openspec_file(parts) or is_backlog_file(parts) or is_speckit_file(parts) or is_bmad_file(parts) then
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

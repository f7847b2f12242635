-- Headless end-to-end test of the Neovim integration with a real Neovim
-- (0.7 or later) and a real `planmark lsp`:
--
--   PLANMARK_TEST_CMD=/path/to/planmark PLANMARK_TEST_WORKSPACE=/tmp/copy-of-examples \
--   nvim --headless -u NONE -i NONE --cmd 'set rtp^=editors/neovim' -c 'luafile editors/neovim/test/run.lua'
--
-- It opens sample issues, waits for planmark's diagnostics through
-- vim.diagnostic.get (the cross-file findings of the first file opened, and
-- those of files never opened), asks for a code action, completion in a
-- dependency field, hover, definition, references, rename, document and
-- workspace symbols, folding ranges, code lenses, inlay hints, semantic
-- tokens and document links on a reference, renames an issue the way `grn`
-- does (the file must be renamed on disk), applies a split (the new issue's
-- file must be created on disk), checks that README.md does not attach, and exits non-zero, with `FAIL:` lines on stderr, on any failure.
-- PLANMARK_TEST_MODE=enable (Neovim 0.11+) starts planmark the 0.11 way,
-- `vim.lsp.config` and `vim.lsp.enable('planmark')` with the plugin's
-- lsp/planmark.lua, instead of `require('planmark').setup()`.
-- PLANMARK_TEST_PENDING (comma-separated: completion,hover,codeAction,navigation) names
-- features that may be skipped while the server does not advertise them.

local failures = 0
local timeout = tonumber(os.getenv('PLANMARK_TEST_TIMEOUT_MS') or '') or 20000

local function say(line)
  io.stdout:write(line .. '\n')
  io.stdout:flush()
end

local function fail(message)
  failures = failures + 1
  io.stderr:write('FAIL: ' .. message .. '\n')
  io.stderr:flush()
end

local function finish()
  if failures == 0 then
    say('neovim test: all checks passed')
    vim.cmd('qall!')
  else
    io.stderr:write(('neovim test: %d check(s) failed\n'):format(failures))
    vim.cmd('cquit 1')
  end
end

-- Stops the test at once (later checks would only repeat the failure).
local Abort = {}
local function abort(message)
  fail(message)
  error(Abort)
end

local function clients_of(bufnr)
  if vim.lsp.get_clients then
    return vim.lsp.get_clients({ bufnr = bufnr, name = 'planmark' })
  end
  local found = {}
  for _, client in pairs(vim.lsp.buf_get_clients(bufnr)) do
    if client.name == 'planmark' then
      found[#found + 1] = client
    end
  end
  return found
end

local function code_of(d)
  return d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
end

local function diagnostics_with(bufnr, code)
  local found = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    if code_of(d) == code then
      found[#found + 1] = d
    end
  end
  return found
end

-- The LSP form of a vim.diagnostic entry (with the server's `data`).
local function to_lsp(d)
  local lsp = (d.user_data and d.user_data.lsp) or {}
  return vim.tbl_extend('keep', {
    range = {
      start = { line = d.lnum, character = d.col },
      ['end'] = { line = d.end_lnum or d.lnum, character = d.end_col or d.col },
    },
    severity = d.severity,
    message = d.message,
    source = d.source,
    code = code_of(d),
  }, lsp)
end

local function open(ws, rel)
  vim.cmd('edit ' .. vim.fn.fnameescape(ws .. '/' .. rel))
  return vim.api.nvim_get_current_buf()
end

local function find_line(bufnr, pattern)
  for i, line in ipairs(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)) do
    if line:match(pattern) then
      return i - 1, line
    end
  end
  abort(('no line matching %q in %s'):format(pattern, vim.api.nvim_buf_get_name(bufnr)))
end

local function request(bufnr, method, params)
  local responses, err = vim.lsp.buf_request_sync(bufnr, method, params, timeout)
  if not responses then
    abort(('%s: no answer (%s)'):format(method, tostring(err)))
  end
  for _, response in pairs(responses) do
    if response.err then
      abort(('%s: error %s'):format(method, vim.inspect(response.err)))
    end
    return response.result
  end
  abort(method .. ': no planmark client answered')
end

local function text_of(value)
  if type(value) == 'string' then
    return value
  elseif type(value) ~= 'table' then
    return ''
  elseif value.value then
    return value.value
  end
  local parts = {}
  for _, v in ipairs(value) do
    parts[#parts + 1] = text_of(v)
  end
  return table.concat(parts, '\n')
end

local pending = {}
for name in (os.getenv('PLANMARK_TEST_PENDING') or ''):gmatch('[^,%s]+') do
  pending[name] = true
end

-- Whether to run the check of a feature; false (with a note) only when it
-- is pending and the server does not advertise it.
local function supported(client, feature, capability)
  local caps = client.server_capabilities or {}
  if caps[capability] then
    return true
  end
  if pending[feature] then
    say(('PENDING: the server does not advertise %s yet; the %s check is skipped'):format(capability, feature))
    return false
  end
  fail(('the server does not advertise %s'):format(capability))
  return false
end

-- Headless Neovim drops vim.notify messages: copy them to stderr.
local notify = vim.notify
vim.notify = function(message, level, opts)
  io.stderr:write('notify: ' .. tostring(message) .. '\n')
  io.stderr:flush()
  return notify(message, level, opts)
end

local function run()
  local cmd = os.getenv('PLANMARK_TEST_CMD')
  local ws = os.getenv('PLANMARK_TEST_WORKSPACE')
  if not cmd or not ws then
    abort('set PLANMARK_TEST_CMD (the planmark binary) and PLANMARK_TEST_WORKSPACE (a copy of examples/)')
  end
  say('neovim ' .. tostring(vim.version().major) .. '.' .. vim.version().minor .. '.' .. vim.version().patch)
  vim.cmd('filetype on')
  vim.o.hidden = true
  local mode = os.getenv('PLANMARK_TEST_MODE') or 'setup'
  if mode == 'enable' then
    if not vim.lsp.enable then
      abort('PLANMARK_TEST_MODE=enable needs Neovim 0.11 or later')
    end
    vim.lsp.config('planmark', { cmd = { cmd, 'lsp' } })
    vim.lsp.enable('planmark')
    say("started with vim.lsp.enable('planmark')")
  else
    require('planmark').setup({ cmd = { cmd, 'lsp' } })
    say("started with require('planmark').setup()")
  end

  -- 0. The first file opened gets its cross-file findings (a cycle with a
  -- file that is not open) once the workspace is indexed, without an edit.
  local first = 'issues/backlog/swe-feature-012.md'
  local first_buf = open(ws, first)
  if not vim.wait(5000, function() return #clients_of(first_buf) > 0 end, 20) then
    abort(('no planmark client attached to %s (server command: %s)'):format(first, cmd))
  end
  say('attached: ' .. first)
  if not vim.wait(timeout, function() return #diagnostics_with(first_buf, 'dependency-cycle') > 0 end, 50) then
    abort(('no planmark diagnostics for %s within %d ms (expected dependency-cycle, a cross-file finding of the first file opened; got %d diagnostics)')
      :format(first, timeout, #vim.diagnostic.get(first_buf)))
  end
  say('first file: ' .. diagnostics_with(first_buf, 'dependency-cycle')[1].message)

  -- 1. Diagnostics on an opened issue, and on files that are not open.
  local issue = 'issues/done/swe-feature-004.md'
  local bufnr = open(ws, issue)
  if vim.bo[bufnr].filetype ~= 'markdown' then
    abort(issue .. ' did not get the markdown filetype')
  end
  if not vim.wait(5000, function() return #clients_of(bufnr) > 0 end, 20) then
    abort(('no planmark client attached to %s (server command: %s)'):format(issue, cmd))
  end
  local client = clients_of(bufnr)[1]
  say('attached: ' .. issue)
  if not vim.wait(timeout, function() return #diagnostics_with(bufnr, 'status-folder-mismatch') > 0 end, 50) then
    abort(('no planmark diagnostics for %s within %d ms (expected status-folder-mismatch; got %d diagnostics)')
      :format(issue, timeout, #vim.diagnostic.get(bufnr)))
  end
  local mismatch = diagnostics_with(bufnr, 'status-folder-mismatch')[1]
  if mismatch.lnum ~= 5 or mismatch.source ~= 'planmark' then
    fail(('status-folder-mismatch at line %d from %s, expected line 6 from planmark'):format(mismatch.lnum + 1, tostring(mismatch.source)))
  end
  say('diagnostic: ' .. mismatch.message)

  for _, expected in ipairs({
    { 'issues/backlog/devops-feature-015.md', 'dangling-dependency' },
    { 'issues/issues-list.md', 'index-out-of-sync' },
  }) do
    local rel, code = expected[1], expected[2]
    local unopened = vim.uri_to_bufnr(vim.uri_from_fname(ws .. '/' .. rel))
    if not vim.wait(timeout, function() return #diagnostics_with(unopened, code) > 0 end, 50) then
      fail(('no %s diagnostic for the unopened %s (workspace scope)'):format(code, rel))
    else
      say('workspace diagnostic: ' .. diagnostics_with(unopened, code)[1].message)
    end
  end

  local uri = vim.uri_from_bufnr(bufnr)

  -- 2. A code action on the status-folder-mismatch diagnostic.
  if supported(client, 'codeAction', 'codeActionProvider') then
    local lsp_diag = to_lsp(mismatch)
    local actions = request(bufnr, 'textDocument/codeAction', {
      textDocument = { uri = uri },
      range = lsp_diag.range,
      context = { diagnostics = { lsp_diag }, triggerKind = 1 },
    }) or {}
    local titles = {}
    local usable = false
    for _, action in ipairs(actions) do
      titles[#titles + 1] = action.title
      if not action.edit and not action.command and action.data ~= nil then
        action = request(bufnr, 'codeAction/resolve', action) or action
      end
      if action.title and action.title ~= '' and (action.edit or action.command) then
        usable = true
      end
    end
    if not usable then
      fail('no code action with an edit or command for status-folder-mismatch; got ' .. vim.inspect(titles))
    else
      say('code actions: ' .. table.concat(titles, ' | '))
    end
  end

  local line = find_line(bufnr, '^%*%*Dependencies:%*%*')

  -- 3. Completion in the dependency field offers issue IDs.
  if supported(client, 'completion', 'completionProvider') then
    local prefix = '**Dependencies:** swe-feature-00'
    vim.api.nvim_buf_set_lines(bufnr, line, line + 1, false, { prefix })
    vim.wait(200)
    local result = request(bufnr, 'textDocument/completion', {
      textDocument = { uri = uri },
      position = { line = line, character = #prefix },
    })
    local items = result and (result.items or result) or {}
    local labels, offered = {}, false
    for _, item in ipairs(items) do
      labels[#labels + 1] = item.label
      local text = item.label .. ' ' .. (item.insertText or '') .. ' '
        .. ((item.textEdit and item.textEdit.newText) or '')
      if text:find('swe-feature-001', 1, true) then
        offered = true
      end
    end
    if not offered then
      fail(('completion in **Dependencies:** did not offer swe-feature-001; got %d items: %s')
        :format(#items, table.concat(vim.list_slice(labels, 1, 10), ', ')))
    else
      say(('completion: %d items, first %s'):format(#items, table.concat(vim.list_slice(labels, 1, 5), ', ')))
    end
  end

  -- 4. Hover on a reference shows the referenced issue's title.
  if supported(client, 'hover', 'hoverProvider') then
    local text = '**Dependencies:** swe-feature-001'
    vim.api.nvim_buf_set_lines(bufnr, line, line + 1, false, { text })
    vim.wait(200)
    local result = request(bufnr, 'textDocument/hover', {
      textDocument = { uri = uri },
      position = { line = line, character = #'**Dependencies:** swe-fe' },
    })
    local contents = result and text_of(result.contents) or ''
    if not contents:find('Import shipments from the nightly order export', 1, true) then
      fail('hover on swe-feature-001 does not show its title; got: ' .. vim.inspect(contents))
    else
      say('hover: ' .. contents:gsub('\n.*', ''))
    end
  end

  -- 4b. Navigation, rename, symbols, folding, lenses, hints, tokens and
  -- links, each through this real client's request machinery.
  if supported(client, 'navigation', 'definitionProvider') then
    local text = '**Dependencies:** swe-feature-001'
    vim.api.nvim_buf_set_lines(bufnr, line, line + 1, false, { text })
    vim.wait(200)
    local at = { textDocument = { uri = uri }, position = { line = line, character = #'**Dependencies:** swe-fe' } }
    local function uris_of(result)
      local out = {}
      for _, loc in ipairs(result or {}) do
        out[#out + 1] = loc.uri or loc.targetUri or ''
      end
      if result and (result.uri or result.targetUri) then
        out[#out + 1] = result.uri or result.targetUri
      end
      return out
    end
    local defs = uris_of(request(bufnr, 'textDocument/definition', at))
    if #defs ~= 1 or not defs[1]:find('swe%-feature%-001%.md$') then
      fail('definition of swe-feature-001 did not go to its file; got ' .. vim.inspect(defs))
    else
      say('definition: ' .. defs[1]:gsub('.*/issues/', 'issues/'))
    end
    local refs = uris_of(request(bufnr, 'textDocument/references',
      vim.tbl_extend('force', at, { context = { includeDeclaration = false } })))
    if #refs < 2 then
      fail('references of swe-feature-001: expected several files, got ' .. vim.inspect(refs))
    else
      say(('references: %d'):format(#refs))
    end
    local prepared = request(bufnr, 'textDocument/prepareRename', at)
    local edit = request(bufnr, 'textDocument/rename', vim.tbl_extend('force', at, { newName = 'swe-feature-101' }))
    local files = 0
    for _ in pairs((edit or {}).changes or {}) do
      files = files + 1
    end
    for _ in ipairs((edit or {}).documentChanges or {}) do
      files = files + 1
    end
    if not prepared or files < 2 then
      fail(('rename of swe-feature-001: prepare %s, an edit of %d files'):format(vim.inspect(prepared), files))
    else
      say(('rename: an edit of %d files'):format(files))
    end
    local symbols = request(bufnr, 'textDocument/documentSymbol', { textDocument = { uri = uri } }) or {}
    if #symbols == 0 or not (symbols[1].name or ''):find('swe-feature-004', 1, true) then
      fail('document symbols do not start with the issue; got ' .. vim.inspect(symbols[1]))
    else
      say('document symbol: ' .. symbols[1].name)
    end
    local found = request(bufnr, 'workspace/symbol', { query = 'webhook' }) or {}
    local names = {}
    for _, sym in ipairs(found) do
      names[#names + 1] = sym.name
    end
    if not table.concat(names, ' '):find('swe-feature-002', 1, true) then
      fail('workspace symbols for "webhook" miss swe-feature-002; got ' .. vim.inspect(names))
    else
      say(('workspace symbols for "webhook": %d'):format(#names))
    end
    local folds = request(bufnr, 'textDocument/foldingRange', { textDocument = { uri = uri } }) or {}
    local lenses = request(bufnr, 'textDocument/codeLens', { textDocument = { uri = uri } }) or {}
    local last = vim.api.nvim_buf_line_count(bufnr)
    local hints = request(bufnr, 'textDocument/inlayHint', {
      textDocument = { uri = uri },
      range = { start = { line = 0, character = 0 }, ['end'] = { line = last, character = 0 } },
    }) or {}
    local tokens = request(bufnr, 'textDocument/semanticTokens/full', { textDocument = { uri = uri } }) or {}
    local links = request(bufnr, 'textDocument/documentLink', { textDocument = { uri = uri } }) or {}
    local hint_text = {}
    for _, hint in ipairs(hints) do
      hint_text[#hint_text + 1] = text_of(hint.label)
    end
    local lens_title = lenses[1] and lenses[1].command and lenses[1].command.title or ''
    if #folds == 0 or lens_title == '' or not table.concat(hint_text, ' '):find('done', 1, true)
      or #(tokens.data or {}) == 0 or #links == 0 then
      fail(('folding %d, lens %q, hints %s, tokens %d, links %d'):format(
        #folds, lens_title, vim.inspect(hint_text), #(tokens.data or {}), #links))
    else
      say(('folding ranges %d, lens "%s", inlay hints %s, semantic tokens %d, links %d'):format(
        #folds, lens_title, table.concat(hint_text, ', '), #tokens.data / 5, #links))
    end

    -- 4c. Rename as `grn` (vim.lsp.buf.rename) does it, last since it
    -- changes the workspace: a client announcing the `rename` resource
    -- operation gets the issue's file renamed on disk.
    local caps = vim.lsp.protocol.make_client_capabilities()
    local ops = ((caps.workspace or {}).workspaceEdit or {}).resourceOperations or {}
    local old_path = ws .. '/issues/done/swe-feature-001.md'
    local new_path = ws .. '/issues/done/swe-feature-101.md'
    local function on_disk(path)
      return (vim.uv or vim.loop).fs_stat(path) ~= nil
    end
    vim.api.nvim_win_set_cursor(0, { line + 1, #'**Dependencies:** swe-fe' })
    vim.lsp.buf.rename('swe-feature-101')
    local renamed = vim.wait(timeout, function()
      return on_disk(new_path) and not on_disk(old_path)
    end, 50)
    local referrer = vim.api.nvim_buf_get_lines(bufnr, line, line + 1, false)[1]
    if not referrer:find('swe-feature-101', 1, true) then
      fail('rename did not update the reference in ' .. issue .. ': ' .. referrer)
    elseif not vim.tbl_contains(ops, 'rename') then
      say('rename: references updated (this Neovim does not announce the rename operation)')
    elseif not renamed then
      fail(('rename of swe-feature-001: the file was not renamed on disk (old exists: %s, new exists: %s)')
        :format(tostring(on_disk(old_path)), tostring(on_disk(new_path))))
    else
      say('rename: issues/done/swe-feature-001.md renamed to swe-feature-101.md on disk')
    end

    -- 4d. A split of the oversized swe-feature-011, applied as Neovim
    -- applies a code action's edit: a client announcing the `create`
    -- resource operation gets a CreateFile, and the new issue's file is
    -- created on disk.
    local oversized = open(ws, 'issues/backlog/swe-feature-011.md')
    vim.wait(5000, function() return #clients_of(oversized) > 0 end, 20)
    local split_actions = request(oversized, 'textDocument/codeAction', {
      textDocument = { uri = vim.uri_from_bufnr(oversized) },
      range = { start = { line = 0, character = 2 }, ['end'] = { line = 0, character = 2 } },
      context = { diagnostics = {} },
    }) or {}
    local split
    for _, action in ipairs(split_actions) do
      if (action.title or ''):find('^Split issue') then
        split = action
      end
    end
    local created
    for _, change in ipairs(split and split.edit and split.edit.documentChanges or {}) do
      if change.kind == 'create' then
        created = vim.uri_to_fname(change.uri)
      end
    end
    if not split then
      fail('no "Split issue" code action on swe-feature-011')
    elseif not vim.tbl_contains(ops, 'create') then
      say('split: ' .. split.title .. ' (this Neovim does not announce the create operation)')
    elseif not created then
      fail('the split of swe-feature-011 has no CreateFile: ' .. vim.inspect(split.edit or split.command))
    else
      vim.lsp.util.apply_workspace_edit(split.edit, client.offset_encoding)
      local text = table.concat(vim.api.nvim_buf_get_lines(vim.fn.bufadd(created), 0, -1, false), '\n')
      if not on_disk(created) or not text:find('(part 2)', 1, true) then
        fail(('split: %s on disk: %s; its buffer: %s'):format(created, tostring(on_disk(created)), text:sub(1, 80)))
      else
        say('split: created ' .. vim.fn.fnamemodify(created, ':t') .. ' on disk')
      end
    end
  end

  -- 5. The plugin's path rules agree with planmark's (the Rust test writes
  -- planmark's answer for each path, `1 path` or `0 path`).
  local expected_paths = os.getenv('PLANMARK_TEST_PATHS')
  if expected_paths then
    local paths = require('planmark.paths')
    local checked = 0
    for entry in io.lines(expected_paths) do
      local want, file = entry:match('^([01]) (.+)$')
      if want then
        checked = checked + 1
        if paths.is_planning_file(file) ~= (want == '1') then
          fail(('is_planning_file(%q) is %s, planmark says %s'):format(file, tostring(not (want == '1')), tostring(want == '1')))
        end
      end
    end
    say(('paths: %d agree with planmark'):format(checked))
  end

  -- 6. A markdown file that is not a planning file gets no client.
  local readme = open(ws, 'README.md')
  if vim.bo[readme].filetype ~= 'markdown' then
    fail('README.md did not get the markdown filetype')
  end
  vim.wait(500)
  if #clients_of(readme) > 0 then
    fail('planmark attached to README.md, which is not a planning file')
  else
    say('not attached: README.md')
  end

  -- 7. Before 0.11 the vim.lsp.config path cannot run for real: check what
  -- setup() hands to vim.lsp.config, and lsp/planmark.lua, with stand-ins.
  if not vim.lsp.config then
    local root = vim.fn.fnamemodify(ws, ':p'):gsub('/$', '')
    local function check_root_dir(what, root_dir)
      local got = {}
      root_dir(bufnr, function(dir) got.issue = dir end)
      root_dir(readme, function(dir) got.readme = dir end)
      if got.issue ~= root or got.readme ~= nil then
        fail(('%s: root_dir gave %s for the issue (want %s) and %s for README.md (want nothing)')
          :format(what, tostring(got.issue), root, tostring(got.readme)))
      end
    end
    local captured = {}
    vim.lsp.config = function(name, config) captured[name] = config end
    vim.lsp.enable = function(name) captured.enabled = name end
    vim.uv = vim.uv or vim.loop
    local ok, err = pcall(function()
      require('planmark').setup({ cmd = { cmd, 'lsp' } })
      local config = captured.planmark
      if captured.enabled ~= 'planmark' or not config or config.cmd[1] ~= cmd
        or not vim.tbl_contains(config.filetypes, 'markdown') then
        fail('setup() on 0.11+ does not call vim.lsp.config and vim.lsp.enable for planmark: ' .. vim.inspect(captured))
      else
        check_root_dir('setup() on 0.11+', config.root_dir)
      end
      local file = vim.api.nvim_get_runtime_file('lsp/planmark.lua', false)[1]
      local spec = dofile(file)
      if spec.cmd[1] ~= 'planmark' or not vim.tbl_contains(spec.filetypes, 'markdown') then
        fail('lsp/planmark.lua: unexpected cmd or filetypes: ' .. vim.inspect(spec))
      end
      check_root_dir('lsp/planmark.lua', spec.root_dir)
    end)
    vim.lsp.config, vim.lsp.enable = nil, nil
    if not ok then
      fail('the 0.11+ path: ' .. tostring(err))
    else
      say('0.11+ path (simulated): setup() and lsp/planmark.lua attach to planning files only')
    end
  end
end

local ok, err = xpcall(run, function(e)
  if e == Abort then
    return e
  end
  return debug.traceback(tostring(e), 2)
end)
if not ok and err ~= Abort then
  fail('error: ' .. tostring(err))
end
finish()

// The end-to-end test in real VS Code: packages the extension with the
// planmark binary bundled (stripped), installs the .vsix into code-server
// (VS Code 1.100 served to a browser), opens a copy of examples/ in headless
// Chromium through playwright-core, and checks as a user would see it: the
// Problems panel before any file is open, a hint's faint dots in the editor,
// completion of an issue ID in a dependency field, hover on a dependency, a
// quick fix from the lightbulb, "Split issue here" and rename (F2) of an
// issue ID. Run by
// tests/editors/vscode_real.rs; prints one `ok STEP` or `not ok STEP` line per
// step and exits 1 when a step failed.
//
// Environment:
//   PLANMARK_CODE_SERVER  the code-server launcher (scripts/install-code-server.sh)
//   PLANMARK_BIN          the planmark binary to bundle into the .vsix
//   PLANMARK_SHOTS        where the screenshots go (one PNG per step)
//   PLANMARK_SERVER_PATH  optional: written as `planmark.server.path`, so
//                         the extension starts that instead of the bundled binary
//   PLANMARK_STEPS        optional: the steps to run, comma-separated (default: all)
//   PLANMARK_STEP_TIMEOUT optional: how long one step may wait, in ms (default 60000)
//   CHROMIUM              optional: the browser (default /usr/bin/chromium)

import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const extensionDir = resolve(here, '..');
const repo = resolve(extensionDir, '..', '..');
const codeServer = required('PLANMARK_CODE_SERVER');
const planmark = required('PLANMARK_BIN');
const shots = required('PLANMARK_SHOTS');
const serverPath = process.env.PLANMARK_SERVER_PATH ?? '';
const stepTimeout = Number(process.env.PLANMARK_STEP_TIMEOUT ?? 60_000);
const browserPath = process.env.CHROMIUM ?? '/usr/bin/chromium';
const ALL_STEPS = ['bundle', 'problems', 'hint', 'completion', 'hover', 'quickfix', 'split', 'rename'];
const steps = (process.env.PLANMARK_STEPS ?? ALL_STEPS.join(',')).split(',').map((s) => s.trim()).filter(Boolean);

function required(name) {
  const value = process.env[name];
  if (!value) {
    console.error(`real-vscode.mjs: set ${name}`);
    process.exit(2);
  }
  return value;
}

const started = Date.now();
const log = (line) => console.log(`[${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s] ${line}`);

/** Runs a program to completion, throwing with its output when it fails. */
function run(program, args, options = {}) {
  log(`$ ${basename(program)} ${args.join(' ')}`);
  return execFileSync(program, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000, ...options });
}

/** The names of an ELF file's sections, to tell a stripped binary (no `.symtab`) from one with symbols. */
function elfSections(file) {
  const data = readFileSync(file);
  if (data.readUInt32BE(0) !== 0x7f454c46 || data[4] !== 2 || data[5] !== 1) throw new Error(`${file} is not a little-endian 64-bit ELF file`);
  const shoff = Number(data.readBigUInt64LE(0x28));
  const shentsize = data.readUInt16LE(0x3a);
  const shnum = data.readUInt16LE(0x3c);
  const shstrndx = data.readUInt16LE(0x3e);
  const header = (i) => shoff + i * shentsize;
  const namesAt = Number(data.readBigUInt64LE(header(shstrndx) + 0x18));
  const names = [];
  for (let i = 0; i < shnum; i++) {
    const start = namesAt + data.readUInt32LE(header(i));
    names.push(data.toString('latin1', start, data.indexOf(0, start)));
  }
  return names;
}

/** A TCP port nobody listens on right now. */
function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

/** Polls `probe` until it returns something other than undefined, or throws after `timeout` ms. */
async function until(what, probe, timeout = stepTimeout) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${what}${last ? ` (last error: ${last.message})` : ''}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The issue's title: its first `# ` heading. */
function titleOf(file) {
  return readFileSync(file, 'utf8').replace(/^\uFEFF/, '').split(/\r?\n/).find((l) => l.startsWith('# ')).slice(2).trim();
}

/** The 1-based line and the text of the first line of `file` starting with `prefix`. */
function lineOf(file, prefix) {
  const lines = readFileSync(file, 'utf8').split(/\r?\n/);
  const index = lines.findIndex((l) => l.startsWith(prefix));
  if (index < 0) throw new Error(`no line starting with ${prefix} in ${file}`);
  return { line: index + 1, text: lines[index] };
}

const scratch = mkdtempSync(join(tmpdir(), 'planmark-real-vscode-'));
const workspace = join(scratch, 'examples');
const home = join(scratch, 'home');
const userData = join(scratch, 'user-data');
const extensions = join(scratch, 'extensions');
const stage = join(scratch, 'extension');
mkdirSync(shots, { recursive: true });
for (const old of readdirSync(shots)) if (old.endsWith('.png')) rmSync(join(shots, old));
cpSync(join(repo, 'examples'), workspace, { recursive: true });
mkdirSync(home);
mkdirSync(join(userData, 'User'), { recursive: true });
const userSettings = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.enabled': false,
  'chat.disableAIFeatures': true,
  'chat.commandCenter.enabled': false,
  // Suggestions come only from planmark, so the completion step cannot pass on words VS Code saw.
  'editor.wordBasedSuggestions': 'off',
  'editor.lightbulb.enabled': 'on',
  'files.autoSave': 'off',
  'git.enabled': false,
  // The protocol trace lands in the extension's log, which is printed when a step fails.
  'planmark.trace.server': 'messages',
};
if (serverPath) userSettings['planmark.server.path'] = serverPath;
writeFileSync(join(userData, 'User', 'settings.json'), JSON.stringify(userSettings, null, 2));
const env = { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, '.config'), XDG_DATA_HOME: join(home, '.local/share') };
delete env.VSCODE_IPC_HOOK_CLI;

const results = [];
let failed = false;
let codeServerProcess;
let codeServerLog = '';
let browser;
let page;

async function shot(name) {
  if (!page) return;
  const file = join(shots, `${name}.png`);
  await page.screenshot({ path: file }).catch((e) => log(`screenshot ${name} failed: ${e.message}`));
}

async function step(name, body) {
  if (!steps.includes(name)) return;
  const stepStarted = Date.now();
  log(`step ${name}`);
  try {
    const detail = await body();
    results.push(`ok ${name}${detail ? `: ${detail}` : ''}`);
    log(`ok ${name} (${((Date.now() - stepStarted) / 1000).toFixed(1)} s)${detail ? `: ${detail}` : ''}`);
  } catch (error) {
    failed = true;
    results.push(`not ok ${name}: ${error.message}`);
    log(`not ok ${name}: ${error.stack}`);
    await shot(`${String(ALL_STEPS.indexOf(name)).padStart(2, '0')}-${name}-FAILED`);
    // Whatever the step left open must not confuse the next one.
    await page?.keyboard.press('Escape').catch(() => {});
    await page?.keyboard.press('Escape').catch(() => {});
  }
}

// ---- page helpers -----------------------------------------------------------

const QUICK_INPUT = '.quick-input-widget:not([style*="display: none"])';

/** The visible text of every element matching `selector`, joined by newlines. */
async function textOf(selector) {
  return (await page.locator(selector).allInnerTexts()).join('\n');
}

/** Runs a command from the command palette by its exact title. */
async function command(title) {
  await page.keyboard.press('F1');
  const input = page.locator(`${QUICK_INPUT} input`);
  await input.waitFor({ state: 'visible', timeout: stepTimeout });
  await input.fill(`>${title}`);
  const row = page.locator(`${QUICK_INPUT} .monaco-list-row`, { hasText: title }).first();
  await row.waitFor({ state: 'visible', timeout: stepTimeout });
  await row.click();
  // The pointer leaves the palette's place, so that no tooltip covers what the test looks at.
  await page.mouse.move(5, 500);
  // The palette closes, or turns into the command's own quick input (Go to File, Go to Line).
  await page.waitForFunction(
    (selector) => {
      const widget = document.querySelector(selector);
      return !widget || widget.offsetParent === null || !widget.querySelector('input')?.value.startsWith('>');
    },
    QUICK_INPUT,
    { timeout: stepTimeout },
  );
}

/** Opens a workspace file with Quick Open and waits until its editor has focus. */
async function openFile(relative) {
  await command('Go to File...');
  const input = page.locator(`${QUICK_INPUT} input`);
  await input.waitFor({ state: 'visible', timeout: stepTimeout });
  await input.fill(relative);
  // Enter opens the focused result, once the search has put the file first.
  const row = page.locator(`${QUICK_INPUT} .monaco-list-row.focused`, { hasText: basename(relative) }).first();
  await row.waitFor({ state: 'visible', timeout: stepTimeout });
  await page.keyboard.press('Enter');
  await page.locator('.tab.active', { hasText: basename(relative) }).waitFor({ timeout: stepTimeout });
  await page.locator('.editor-instance .monaco-editor.focused').waitFor({ timeout: stepTimeout });
}

/** Puts the cursor at a 1-based line and column with Go to Line. */
async function goTo(line, column) {
  await command('Go to Line/Column...');
  const input = page.locator(`${QUICK_INPUT} input`);
  await input.fill(`:${line}:${column}`);
  await page.keyboard.press('Enter');
  await page.locator(QUICK_INPUT).waitFor({ state: 'hidden', timeout: stepTimeout });
  await until(`the cursor at ${line}:${column}`, async () => (await textOf('.statusbar-item[id="status.editor.selection"]')).includes(`Ln ${line}, Col ${column}`));
}

/** The text of the editor's line `line` (1-based) as rendered, or undefined when it is not on screen. */
async function renderedLine(line) {
  return page.evaluate((wanted) => {
    const editor = document.querySelector('.editor-instance .monaco-editor');
    if (!editor) return undefined;
    const numbers = [...editor.querySelectorAll('.margin-view-overlays .line-numbers')];
    const number = numbers.find((n) => n.textContent.trim() === String(wanted));
    if (!number) return undefined;
    const top = number.parentElement.style.top;
    const view = [...editor.querySelectorAll('.view-lines .view-line')].find((l) => l.style.top === top);
    return view?.textContent.replace(/\u00a0/g, ' ');
  }, line);
}

/** How many error squiggles the active editor shows. */
async function errorSquiggles() {
  return page.locator('.editor-instance .monaco-editor .squiggly-error').count();
}

/** The rows of the Problems panel on screen. */
async function problemsRows() {
  return textOf('.markers-panel .monaco-list-row');
}

/**
 * Applies the action matching `pattern` from the open code action menu, with
 * the keyboard: a pointer click there lands on a blocker VS Code puts over it.
 */
async function chooseAction(pattern) {
  const menu = page.locator('.action-widget');
  await menu.waitFor({ state: 'visible' });
  const row = menu.locator('.monaco-list-row.action', { hasText: pattern }).first();
  await row.waitFor({ state: 'visible' });
  const wanted = await row.getAttribute('aria-label');
  const rows = await menu.locator('.monaco-list-row.action').count();
  for (let moves = 0; moves <= rows; moves++) {
    if ((await menu.locator('.monaco-list-row.focused').getAttribute('aria-label')) === wanted) {
      await page.keyboard.press('Enter');
      await menu.waitFor({ state: 'hidden' });
      return wanted;
    }
    await page.keyboard.press('ArrowDown');
  }
  throw new Error(`could not move the focus to "${wanted}" in the code action menu`);
}

// ---- the steps ----------------------------------------------------------------

try {
  await step('bundle', async () => {
    // The extension as a user gets it: built, the binary bundled stripped, packaged.
    for (const item of ['package.json', 'README.md', 'LICENSE', '.vscodeignore']) cpSync(join(extensionDir, item), join(stage, item));
    run(process.execPath, ['build.mjs'], { cwd: extensionDir });
    cpSync(join(extensionDir, 'out', 'extension.js'), join(stage, 'out', 'extension.js'));
    run(process.execPath, [join(extensionDir, 'scripts', 'bundle-server.mjs'), planmark], { cwd: stage });
    const bundled = join(stage, 'server', `${process.platform}-${process.arch}`, 'planmark');
    const before = statSync(planmark).size;
    const after = statSync(bundled).size;
    // `.debug_gdb_scripts` is loaded at run time, so strip keeps it; the symbol table and DWARF go.
    const kept = elfSections(bundled).filter((s) => ['.symtab', '.strtab', '.debug_info', '.debug_line', '.debug_str'].includes(s));
    if (kept.length > 0) throw new Error(`the bundled binary keeps its symbols: ${kept.join(', ')}`);
    if (after >= before) throw new Error(`the bundled binary (${after} bytes) is not smaller than ${planmark} (${before} bytes)`);
    // A stripped release build is about 10 MB and a stripped debug build about 30 MB.
    if (after > 40e6) throw new Error(`the bundled binary is ${(after / 1e6).toFixed(1)} MB, more than 40 MB`);
    const vsce = join(extensionDir, 'node_modules', '.bin', 'vsce');
    run(vsce, ['package', '--no-dependencies', '--allow-missing-repository', '--out', join(scratch, 'planmark.vsix')], { cwd: stage });
    run(codeServer, ['--user-data-dir', userData, '--extensions-dir', extensions, '--install-extension', join(scratch, 'planmark.vsix')], { env });
    const installed = readdirSync(extensions).find((d) => d.startsWith('planmark.planmark-'));
    if (!installed) throw new Error(`the extension is not in ${extensions}: ${readdirSync(extensions).join(', ')}`);
    return `${(before / 1e6).toFixed(1)} MB binary bundled as ${(after / 1e6).toFixed(1)} MB without .symtab; installed ${installed}`;
  });
  if (failed) throw new Error('the extension could not be packaged or installed');

  const port = await freePort();
  codeServerProcess = spawn(
    codeServer,
    [
      '--bind-addr', `127.0.0.1:${port}`,
      '--auth', 'none',
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--user-data-dir', userData,
      '--extensions-dir', extensions,
      workspace,
    ],
    { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  codeServerProcess.stdout.on('data', (chunk) => (codeServerLog += chunk));
  codeServerProcess.stderr.on('data', (chunk) => (codeServerLog += chunk));
  const url = `http://127.0.0.1:${port}`;
  await until('code-server to answer /healthz', async () => (await fetch(`${url}/healthz`)).ok, 60_000);
  log(`code-server is up at ${url}`);

  browser = await chromium.launchPersistentContext(join(scratch, 'chromium-profile'), {
    executablePath: browserPath,
    headless: true,
    viewport: { width: 1400, height: 900 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  page = browser.pages()[0] ?? (await browser.newPage());
  page.setDefaultTimeout(stepTimeout);
  page.on('pageerror', (e) => log(`page error: ${e.message}`));
  await page.goto(`${url}/?folder=${encodeURIComponent(workspace)}`, { waitUntil: 'domcontentloaded', timeout: 60_000 });
  await page.locator('.monaco-workbench').waitFor({ timeout: 90_000 });
  // The explorer lists the workspace once the window is usable.
  await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'issues' }).first().waitFor({ timeout: 90_000 });
  await shot('00-workbench');

  await step('problems', async () => {
    // No editor is open: findings here come from planmark's workspace diagnostics alone.
    const tabs = await page.locator('.tabs-container .tab').count();
    if (tabs !== 0) throw new Error(`${tabs} editor tabs are open before the Problems panel is looked at`);
    await command('View: Focus Problems (Errors, Warnings, Infos)');
    await page.locator('.markers-panel').waitFor({ state: 'visible' });
    // The list draws only the rows on screen: the maximized panel has room for them all.
    await command('View: Toggle Maximized Panel');
    // Each sample problem of examples/README.md that is an error or a warning, by file.
    const expected = ['devops-feature-015.md', 'swe-feature-004.md', 'swe-feature-012.md', 'swe-bug-016.md', 'issues-list.md'];
    const rows = await until(`planmark findings in the Problems panel (files ${expected.join(', ')})`, async () => {
      const text = await problemsRows();
      return expected.every((f) => text.includes(f)) && text.includes('planmark') ? text : undefined;
    });
    if (!rows.includes('swe-feature-111')) throw new Error(`the dangling swe-feature-111 is not in the Problems panel:\n${rows}`);
    // VS Code leaves hints out of the Problems panel: the vague criterion of swe-techdebt-008 (a hint) is not there.
    if (rows.includes('swe-techdebt-008.md')) throw new Error(`the Problems panel lists the hint on swe-techdebt-008.md; README.md says it does not:\n${rows}`);
    const tabsAfter = await page.locator('.tabs-container .tab').count();
    if (tabsAfter !== 0) throw new Error('an editor opened while waiting for the Problems panel');
    await shot('01-problems-before-any-file-is-open');
    await command('View: Toggle Maximized Panel');
    const count = (await textOf('.statusbar-item[id="status.problems"]')).replace(/\s+/g, ' ').trim();
    return `files ${expected.join(', ')} listed; status bar: ${count}`;
  });

  await step('hint', async () => {
    // A hint (here vague-criterion's) shows in the editor only, as faint dots under the start of its range.
    const file = 'issues/planned/swe-techdebt-008.md';
    const criterion = lineOf(join(workspace, file), '- [ ] The new config module works correctly');
    await openFile(file);
    await until(`the faint dots of a hint on line ${criterion.line}`, async () =>
      page.evaluate((wanted) => {
        const editor = document.querySelector('.editor-instance .monaco-editor');
        const number = [...(editor?.querySelectorAll('.margin-view-overlays .line-numbers') ?? [])].find((n) => n.textContent.trim() === String(wanted));
        if (!number) return false;
        const top = number.parentElement.style.top;
        return [...editor.querySelectorAll('.view-overlays > div')].some((line) => line.style.top === top && line.querySelector('.squiggly-hint'));
      }, criterion.line),
    );
    await shot('02-hint-dots');
    return `faint dots on line ${criterion.line} ("${criterion.text}")`;
  });

  // swe-feature-010 depends on swe-feature-009; completion adds another dependency.
  const issue010 = 'issues/backlog/swe-feature-010.md';
  const dependencies010 = lineOf(join(workspace, issue010), '**Dependencies:**');

  await step('completion', async () => {
    await openFile(issue010);
    await goTo(dependencies010.line, dependencies010.text.length + 1);
    const text010 = readFileSync(join(workspace, issue010), 'utf8');
    // An ID that is nowhere in the open file, so only planmark can offer it.
    const wanted = 'swe-feature-007';
    if (text010.includes(wanted)) throw new Error(`${issue010} already mentions ${wanted}`);
    await page.keyboard.type(', swe-feature-00', { delay: 30 });
    await page.keyboard.press('Control+Space');
    const widget = '.editor-widget.suggest-widget.visible';
    const row = page.locator(`${widget} .monaco-list-row`, { hasText: wanted }).first();
    await row.waitFor({ state: 'visible' });
    const offered = await textOf(`${widget} .monaco-list-row`);
    await shot('03-completion-of-an-issue-id');
    await row.click();
    await page.locator(widget).waitFor({ state: 'hidden' });
    const after = await until(`${wanted} inserted on line ${dependencies010.line}`, async () => {
      const line = await renderedLine(dependencies010.line);
      return line?.includes(`, ${wanted}`) ? line : undefined;
    });
    // The item's text edit replaces the typed `swe-feature-00`, so none of it is left beside the ID.
    if (/swe-feature-00(?!\d)/.test(after)) throw new Error(`the completion did not replace the typed word: ${after}`);
    await shot('03-completion-applied');
    return `offered ${offered.split('\n').filter((l) => l.startsWith('swe-')).slice(0, 4).join(' | ')}; line now "${after.trim()}"`;
  });

  await step('hover', async () => {
    await openFile(issue010);
    const at = dependencies010.text.indexOf('swe-feature-009');
    await goTo(dependencies010.line, at + 5);
    await command('Show or Focus Hover');
    const title = titleOf(join(workspace, 'issues/planned/swe-feature-009.md'));
    const hover = page.locator('.monaco-hover:not(.hidden) .monaco-hover-content', { hasText: title }).first();
    await hover.waitFor({ state: 'visible' });
    const text = (await hover.innerText()).replace(/\s+/g, ' ').trim();
    await shot('04-hover-on-a-dependency');
    await page.keyboard.press('Escape');
    return `hover on swe-feature-009 shows "${text.slice(0, 120)}"`;
  });

  await step('quickfix', async () => {
    // devops-feature-015 depends on swe-feature-111, a typo of swe-feature-011.
    const file = 'issues/backlog/devops-feature-015.md';
    const depends = lineOf(join(workspace, file), '**Depends on:**');
    await openFile(file);
    await goTo(depends.line, depends.text.indexOf('swe-feature-111') + 3);
    const bulb = page.locator('.lightBulbWidget .codicon, .lightBulbWidget').first();
    await bulb.waitFor({ state: 'visible' });
    await shot('05-lightbulb');
    await bulb.click();
    const menu = page.locator('.action-widget');
    await menu.waitFor({ state: 'visible' });
    await menu.locator('.monaco-list-row', { hasText: 'swe-feature-011' }).first().waitFor({ state: 'visible' });
    const offered = (await textOf('.action-widget .monaco-list-row')).replace(/\n+/g, ' | ');
    await shot('05-quick-fix-menu');
    await chooseAction('swe-feature-011');
    const after = await until(`swe-feature-011 in place of swe-feature-111 on line ${depends.line}`, async () => {
      const line = await renderedLine(depends.line);
      return line?.includes('swe-feature-011') && !line.includes('swe-feature-111') ? line : undefined;
    });
    // The dangling-dependency error was the file's only one: its squiggle goes once the server re-checks.
    await until('no error squiggle left in devops-feature-015.md', async () => (await errorSquiggles()) === 0);
    await shot('05-quick-fix-applied');
    return `menu: ${offered}; line now "${after.trim()}"`;
  });

  await step('split', async () => {
    // swe-feature-011 has 11 criteria; "Split issue here" on the seventh moves it and the rest to a new issue.
    const file = 'issues/backlog/swe-feature-011.md';
    const criterion = lineOf(join(workspace, file), '- [ ] Opening a shipment shows its event timeline');
    const before = new Set(readdirSync(join(workspace, 'issues/backlog')));
    await openFile(file);
    await goTo(criterion.line, 8);
    await command('Quick Fix...');
    const menu = page.locator('.action-widget');
    await menu.waitFor({ state: 'visible' });
    await menu.locator('.monaco-list-row', { hasText: /Split issue here/ }).first().waitFor({ state: 'visible' });
    await shot('06-split-menu');
    await chooseAction(/Split issue here/);
    const created = await until('a new issue file in issues/backlog', async () =>
      readdirSync(join(workspace, 'issues/backlog')).find((f) => !before.has(f)),
    );
    // VS Code creates the file empty, fills it in an editor model, then saves it (files.refactoring.autoSave).
    await until(`the moved criterion saved in ${created}`, async () =>
      readFileSync(join(workspace, 'issues/backlog', created), 'utf8').includes('Opening a shipment shows its event timeline'),
    );
    // The original loses the moved criteria in the editor (the edit is not saved).
    await until(`the criterion gone from line ${criterion.line} of ${file}`, async () => {
      const line = await renderedLine(criterion.line);
      return line !== undefined && !line.includes('Opening a shipment shows its event timeline');
    });
    await shot('06-split-applied');
    return `created issues/backlog/${created} titled "${titleOf(join(workspace, 'issues/backlog', created))}"`;
  });

  await step('rename', async () => {
    // F2 on swe-feature-005 in swe-feature-007's Dependencies renames the issue, its references and its file.
    const file = 'issues/planned/swe-feature-007.md';
    const dependencies = lineOf(join(workspace, file), '**Dependencies:**');
    const oldFile = join(workspace, 'issues/in-progress/swe-feature-005.md');
    const newFile = join(workspace, 'issues/in-progress/swe-feature-020.md');
    if (existsSync(newFile)) throw new Error(`${newFile} exists already`);
    await openFile(file);
    await goTo(dependencies.line, dependencies.text.indexOf('swe-feature-005') + 3);
    // The box is drawn before it takes the focus: typing before that would edit the document.
    const input = page.locator('.rename-box input:focus').first();
    // F2 opens the rename box once the server's prepareRename accepts the position.
    await until('the rename box on swe-feature-005', async () => {
      await page.keyboard.press('F2');
      try {
        await input.waitFor({ state: 'visible', timeout: 3000 });
        return true;
      } catch (error) {
        await page.keyboard.press('Escape');
        throw error;
      }
    });
    if ((await input.inputValue()) !== 'swe-feature-005') throw new Error(`the rename box offers "${await input.inputValue()}"`);
    await input.fill('swe-feature-020');
    await shot('07-rename-box');
    await input.press('Enter');
    await until(`${basename(oldFile)} renamed to ${basename(newFile)} on disk`, async () => existsSync(newFile) && !existsSync(oldFile));
    const line = await until(`swe-feature-020 on line ${dependencies.line} of ${basename(file)}`, async () => {
      const text = await renderedLine(dependencies.line);
      return text?.includes('swe-feature-020') && !text.includes('swe-feature-005') ? text : undefined;
    });
    // The renamed reference resolves: no dangling-dependency error on it once the server has seen the file move.
    await until('no error squiggle left in swe-feature-007.md', async () => (await errorSquiggles()) === 0);
    await shot('07-rename-applied');
    return `issues/in-progress/swe-feature-005.md is now swe-feature-020.md; line now "${line.trim()}"`;
  });
} catch (error) {
  failed = true;
  results.push(`not ok setup: ${error.message}`);
  log(`setup failed: ${error.stack}`);
  await shot('zz-setup-FAILED');
} finally {
  if (failed) {
    // The extension's output channel says why the server did not start, when it did not.
    log(`code-server output:\n${codeServerLog.slice(-4000)}`);
    try {
      const found = execFileSync('find', [join(userData, 'logs'), '-name', '*planmark*', '-type', 'f'], { encoding: 'utf8' });
      for (const file of found.split('\n').filter(Boolean)) log(`--- ${file}\n${readFileSync(file, 'utf8').slice(-6000)}`);
    } catch {
      // No logs to show.
    }
  }
  if (process.env.PLANMARK_KEEP_SCRATCH) log(`kept ${scratch}`);
  await browser?.close().catch(() => {});
  if (codeServerProcess?.pid) {
    try {
      process.kill(-codeServerProcess.pid, 'SIGTERM');
    } catch {
      // Already gone.
    }
  }
  if (!process.env.PLANMARK_KEEP_SCRATCH) rmSync(scratch, { recursive: true, force: true, maxRetries: 3 });
  console.log(results.join('\n'));
  console.log(`total ${((Date.now() - started) / 1000).toFixed(1)} s`);
  process.exit(failed ? 1 : 0);
}

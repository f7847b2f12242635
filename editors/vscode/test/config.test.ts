// Unit tests of the extension's pure logic (src/config.ts), and of the
// manifest against it, under node's test runner.

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  DEBOUNCE_MS_MAX,
  DEBOUNCE_MS_MIN,
  DEFAULT_SETTINGS,
  DiscoveryEnv,
  bundledServerPath,
  combinedPattern,
  YAML_PATTERNS,
  documentSelector,
  findServer,
  needsRestart,
  planningPatterns,
  readSettings,
  serverArgs,
  serverSection,
} from '../src/config';

function env(files: string[], overrides: Partial<DiscoveryEnv> = {}): DiscoveryEnv {
  return {
    platform: 'linux',
    arch: 'x64',
    extensionPath: '/ext',
    workspaceFolder: '/ws',
    home: '/home/me',
    envPath: '/usr/local/bin:/usr/bin',
    isFile: (p) => files.includes(p),
    ...overrides,
  };
}

test('the configured path wins over the bundled binary and PATH', () => {
  const files = ['/opt/planmark', '/ext/server/linux-x64/planmark', '/usr/bin/planmark'];
  assert.deepEqual(findServer({ serverPath: '/opt/planmark' }, env(files)), {
    ok: true,
    path: '/opt/planmark',
    source: 'setting',
  });
});

test('the configured path expands ~ and ${workspaceFolder} and is relative to the workspace', () => {
  const files = ['/home/me/bin/planmark', '/ws/target/debug/planmark'];
  assert.equal((findServer({ serverPath: '~/bin/planmark' }, env(files)) as { path: string }).path, '/home/me/bin/planmark');
  assert.equal(
    (findServer({ serverPath: '${workspaceFolder}/target/debug/planmark' }, env(files)) as { path: string }).path,
    '/ws/target/debug/planmark',
  );
  assert.equal((findServer({ serverPath: 'target/debug/planmark' }, env(files)) as { path: string }).path, '/ws/target/debug/planmark');
});

test('a configured bare name is looked up on PATH', () => {
  const found = findServer({ serverPath: 'planmark-nightly' }, env(['/usr/bin/planmark-nightly']));
  assert.deepEqual(found, { ok: true, path: '/usr/bin/planmark-nightly', source: 'setting' });
});

test('a wrong configured path is an error naming the setting, not a silent fall-back', () => {
  const found = findServer({ serverPath: '/nope/planmark' }, env(['/usr/bin/planmark']));
  assert.equal(found.ok, false);
  if (!found.ok) {
    assert.equal(found.settingIsWrong, true);
    assert.match(found.message, /"planmark\.server\.path" is set to "\/nope\/planmark"/);
  }
});

test('without a setting: the bundled binary, then PATH', () => {
  const bundled = '/ext/server/linux-x64/planmark';
  assert.deepEqual(findServer({ serverPath: '' }, env([bundled, '/usr/bin/planmark'])), {
    ok: true,
    path: bundled,
    source: 'bundled',
  });
  assert.deepEqual(findServer({ serverPath: '' }, env(['/usr/bin/planmark'])), {
    ok: true,
    path: '/usr/bin/planmark',
    source: 'path',
  });
  assert.equal(bundledServerPath('/ext', 'darwin', 'arm64'), '/ext/server/darwin-arm64/planmark');
});

test('Windows: planmark.exe, PATH with ; and PATHEXT', () => {
  const windows = env(['C:\\tools\\planmark.exe'], {
    platform: 'win32',
    extensionPath: 'C:\\ext',
    envPath: 'C:\\Windows;C:\\tools',
    pathExt: '.COM;.EXE',
  });
  assert.deepEqual(findServer({ serverPath: '' }, windows), { ok: true, path: 'C:\\tools\\planmark.exe', source: 'path' });
  assert.equal(bundledServerPath('C:\\ext', 'win32', 'x64'), 'C:\\ext\\server\\win32-x64\\planmark.exe');
});

test('nothing found: the message says what to set', () => {
  const found = findServer({ serverPath: '' }, env([]));
  assert.equal(found.ok, false);
  if (!found.ok) {
    assert.equal(found.settingIsWrong, false);
    assert.match(found.message, /planmark\.server\.path/);
    assert.match(found.message, /linux-x64/);
    assert.match(found.message, /PATH/);
  }
});

test('settings: defaults for missing or wrong values; what the server is sent', () => {
  assert.deepEqual(readSettings(() => undefined), DEFAULT_SETTINGS);
  const values: Record<string, unknown> = {
    'server.path': ' /opt/planmark ',
    'server.extraArgs': ['--flag', 3],
    'diagnostics.scope': 'open',
    locations: ['planning/issues', ' '],
  };
  const settings = readSettings((key) => values[key]);
  assert.deepEqual(settings, {
    serverPath: '/opt/planmark',
    extraArgs: ['--flag'],
    scope: 'open',
    debounceMs: 25,
    codeLens: true,
    locations: ['planning/issues'],
  });
  assert.equal(readSettings((key) => (key === 'diagnostics.scope' ? 'everything' : undefined)).scope, 'workspace');
  assert.deepEqual(serverSection(settings), { diagnostics: { scope: 'open', debounceMs: 25 }, codeLens: { enable: true } });
  assert.deepEqual(serverArgs(settings), ['lsp', '--flag']);
  assert.equal(needsRestart(settings, { ...settings, scope: 'workspace' }), false);
  assert.equal(needsRestart(settings, { ...settings, extraArgs: [] }), true);
  assert.equal(needsRestart(settings, { ...settings, serverPath: '' }), true);
});

test('debounceMs and codeLens.enable: read, checked against the server\'s bounds, and sent', () => {
  const read = (values: Record<string, unknown>) => readSettings((key) => values[key]);
  const settings = read({ 'diagnostics.debounceMs': 300, 'codeLens.enable': false });
  assert.equal(settings.debounceMs, 300);
  assert.equal(settings.codeLens, false);
  assert.deepEqual(serverSection(settings), { diagnostics: { scope: 'workspace', debounceMs: 300 }, codeLens: { enable: false } });
  // The bounds are inclusive; anything else the server would refuse falls back to the default.
  assert.equal(read({ 'diagnostics.debounceMs': DEBOUNCE_MS_MIN }).debounceMs, 0);
  assert.equal(read({ 'diagnostics.debounceMs': DEBOUNCE_MS_MAX }).debounceMs, 2000);
  for (const wrong of [-1, 2001, 12.5, '100', null, Number.NaN]) {
    assert.equal(read({ 'diagnostics.debounceMs': wrong }).debounceMs, DEFAULT_SETTINGS.debounceMs, String(wrong));
  }
  for (const wrong of ['false', 0, null]) {
    assert.equal(read({ 'codeLens.enable': wrong }).codeLens, true, String(wrong));
  }
  // The server applies both at once: changing them re-sends the settings, not a restart.
  assert.equal(needsRestart(DEFAULT_SETTINGS, settings), false);
});

test('document selector: markdown and YAML on disk, every pattern starting with **/', () => {
  const selector = documentSelector(['planning/issues/', './notes', '**/more']);
  for (const filter of selector) {
    assert.equal(filter.language, filter.pattern.match(/\.ya?ml$/) ? 'yaml' : 'markdown', filter.pattern);
    assert.equal(filter.scheme, 'file');
    assert.ok(filter.pattern.startsWith('**/'), filter.pattern);
  }
  const patterns = selector.map((f) => f.pattern);
  for (const expected of ['**/issues/**/*.md', '**/stories/*.md', '**/roadmap.md', '**/.kiro/specs/*/tasks.md', '**/.kiro/specs/*/requirements.md', '**/openspec/specs/*/spec.md', '**/openspec/changes/**/*.md', '**/backlog/**/*.md', '**/.backlog/**/*.md', '**/backlog/config.yml', '**/.backlog/config.yml', '**/specs/*/tasks.md', '**/*.story.md', '**/sprint-status.yaml', '**/.planning/phases/*/*-PLAN.md', '**/planning/issues/**/*.md', '**/notes/**/*.md', '**/more/**/*.md']) {
    assert.ok(patterns.includes(expected), expected);
  }
  assert.equal(combinedPattern([]), `{${[...planningPatterns(), ...YAML_PATTERNS].join(',')}}`);
});

test('the manifest declares the settings, command and activation this code expects', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8'));
  const properties = manifest.contributes.configuration.properties;
  assert.equal(properties['planmark.server.path'].default, DEFAULT_SETTINGS.serverPath);
  assert.deepEqual(properties['planmark.server.extraArgs'].default, DEFAULT_SETTINGS.extraArgs);
  assert.equal(properties['planmark.diagnostics.scope'].default, 'workspace');
  assert.deepEqual(properties['planmark.diagnostics.scope'].enum.sort(), ['open', 'workspace']);
  assert.deepEqual(properties['planmark.trace.server'].enum, ['off', 'messages', 'verbose']);
  const debounce = properties['planmark.diagnostics.debounceMs'];
  assert.deepEqual([debounce.type, debounce.minimum, debounce.maximum, debounce.default], ['integer', DEBOUNCE_MS_MIN, DEBOUNCE_MS_MAX, DEFAULT_SETTINGS.debounceMs]);
  const lens = properties['planmark.codeLens.enable'];
  assert.deepEqual([lens.type, lens.default], ['boolean', DEFAULT_SETTINGS.codeLens]);
  // Every setting the extension reads is contributed, and nothing else.
  const read: string[] = [];
  readSettings((key) => {
    read.push(`planmark.${key}`);
    return undefined;
  });
  for (const key of read) assert.ok(properties[key], `${key} is read but not in package.json`);
  assert.deepEqual(Object.keys(properties).sort(), [...read, 'planmark.trace.server'].sort());
  assert.ok(manifest.contributes.commands.some((c: { command: string; title: string; category: string }) =>
    c.command === 'planmark.restartServer' && `${c.category}: ${c.title}` === 'planmark: Restart Server'));
  const events: string[] = manifest.activationEvents;
  assert.ok(events.includes('onLanguage:markdown'));
  for (const event of events.filter((e) => e.startsWith('workspaceContains:'))) {
    assert.ok(event.startsWith('workspaceContains:**/'), event);
  }
  assert.equal(manifest.main, './out/extension.js');
});

test('the bundled extension needs only vscode and node built-ins at run time', (t) => {
  const bundle = path.join(__dirname, '..', 'extension.js');
  if (!fs.existsSync(bundle)) {
    t.skip('out/extension.js is not built');
    return;
  }
  const text = fs.readFileSync(bundle, 'utf8');
  const required = new Set([...text.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]));
  const builtins = new Set(require('node:module').builtinModules as string[]);
  const external = [...required].filter((name) => name !== 'vscode' && !builtins.has(name.replace(/^node:/, '')));
  assert.deepEqual(external, []);
  assert.ok(required.has('vscode'));
});

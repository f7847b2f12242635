// The extension's pure logic: where the server binary is, how it is
// started, which documents it gets and what settings it is sent. No
// `vscode` import here, so the unit tests run under plain Node.

import * as path from 'node:path';

/** The settings under `planmark.*`, as read from the configuration. */
export interface Settings {
  serverPath: string;
  extraArgs: string[];
  scope: 'workspace' | 'open';
  /** `planmark.diagnostics.debounceMs`: how long edits settle before a diagnostics pass. */
  debounceMs: number;
  /** `planmark.codeLens.enable`: whether the server offers code lenses. */
  codeLens: boolean;
  locations: string[];
}

/** The bounds of `planmark.diagnostics.debounceMs`, as the server accepts them (src/server/settings.rs). */
export const DEBOUNCE_MS_MIN = 0;
export const DEBOUNCE_MS_MAX = 2000;

export const DEFAULT_SETTINGS: Settings = {
  serverPath: '',
  extraArgs: [],
  scope: 'workspace',
  debounceMs: 25,
  codeLens: true,
  locations: [],
};

/** Reads settings from a `get(key)` lookup, replacing wrong types with the defaults. */
export function readSettings(get: (key: string) => unknown): Settings {
  const serverPath = get('server.path');
  const extraArgs = get('server.extraArgs');
  const scope = get('diagnostics.scope');
  const locations = get('locations');
  const debounceMs = get('diagnostics.debounceMs');
  const codeLens = get('codeLens.enable');
  const strings = (value: unknown): string[] =>
    Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  return {
    serverPath: typeof serverPath === 'string' ? serverPath.trim() : '',
    extraArgs: strings(extraArgs),
    scope: scope === 'open' ? 'open' : 'workspace',
    debounceMs:
      typeof debounceMs === 'number' && Number.isInteger(debounceMs) && debounceMs >= DEBOUNCE_MS_MIN && debounceMs <= DEBOUNCE_MS_MAX
        ? debounceMs
        : DEFAULT_SETTINGS.debounceMs,
    codeLens: typeof codeLens === 'boolean' ? codeLens : DEFAULT_SETTINGS.codeLens,
    locations: strings(locations).map((l) => l.trim()).filter((l) => l !== ''),
  };
}

/** The `planmark` section the server reads (src/server/settings.rs). */
export interface ServerSection {
  diagnostics: { scope: string; debounceMs: number };
  codeLens: { enable: boolean };
}

/**
 * The `planmark` section the server reads (src/server/settings.rs), sent as
 * `initializationOptions`. Later changes reach the server through
 * `workspace/configuration` and `workspace/didChangeConfiguration`, where
 * the client sends VS Code's own `planmark` section, which has the same shape.
 */
export function serverSection(settings: Settings): ServerSection {
  return {
    diagnostics: { scope: settings.scope, debounceMs: settings.debounceMs },
    codeLens: { enable: settings.codeLens },
  };
}

/** The environment binary discovery looks at (injected for tests). */
export interface DiscoveryEnv {
  platform: string;
  arch: string;
  /** The extension's install folder. */
  extensionPath: string;
  /** The first workspace folder, for relative paths and `${workspaceFolder}`. */
  workspaceFolder?: string;
  home?: string;
  /** `PATH` (and `PATHEXT` on Windows). */
  envPath?: string;
  pathExt?: string;
  /** Whether an executable file is at this path. */
  isFile: (p: string) => boolean;
}

export type Discovery =
  | { ok: true; path: string; source: 'setting' | 'bundled' | 'path' }
  | { ok: false; message: string; settingIsWrong: boolean };

export function executableName(platform: string): string {
  return platform === 'win32' ? 'planmark.exe' : 'planmark';
}

/** Where a bundled binary sits inside the extension: `server/<platform>-<arch>/`. */
export function bundledServerPath(extensionPath: string, platform: string, arch: string): string {
  const join = platform === 'win32' ? path.win32.join : path.posix.join;
  return join(extensionPath, 'server', `${platform}-${arch}`, executableName(platform));
}

/** Expands `~` and `${workspaceFolder}`; resolves a relative path against the workspace folder. */
export function expandPath(value: string, env: Pick<DiscoveryEnv, 'platform' | 'home' | 'workspaceFolder'>): string {
  const p = env.platform === 'win32' ? path.win32 : path.posix;
  let expanded = value.replace(/\$\{workspaceFolder\}/g, env.workspaceFolder ?? '');
  if (env.home && (expanded === '~' || expanded.startsWith('~/') || expanded.startsWith('~\\'))) {
    expanded = p.join(env.home, expanded.slice(1));
  }
  if (!p.isAbsolute(expanded) && env.workspaceFolder && /[\\/]/.test(expanded)) {
    expanded = p.join(env.workspaceFolder, expanded);
  }
  return expanded;
}

/** Looks `name` up on PATH (with PATHEXT on Windows). */
export function searchPath(name: string, env: DiscoveryEnv): string | undefined {
  const p = env.platform === 'win32' ? path.win32 : path.posix;
  const separator = env.platform === 'win32' ? ';' : ':';
  const extensions =
    env.platform === 'win32' && !/\.[^\\/]+$/.test(name)
      ? (env.pathExt ?? '.EXE;.CMD;.BAT').split(';').filter((e) => e !== '')
      : [''];
  for (const dir of (env.envPath ?? '').split(separator)) {
    if (dir === '') continue;
    for (const ext of extensions) {
      const candidate = p.join(dir, name + ext.toLowerCase());
      if (env.isFile(candidate)) return candidate;
    }
  }
  return undefined;
}

const HOW_TO_FIX =
  'Set "planmark.server.path" to the planmark binary, or install planmark on PATH ' +
  '(cargo install --path . in the planmark repository), then run "planmark: Restart Server".';

/**
 * Finds the server: `planmark.server.path` if set (a wrong path is an
 * error, not a fall-back), else the bundled binary, else `planmark` on PATH.
 */
export function findServer(settings: Pick<Settings, 'serverPath'>, env: DiscoveryEnv): Discovery {
  if (settings.serverPath !== '') {
    const configured = expandPath(settings.serverPath, env);
    const isBareName = !/[\\/]/.test(configured);
    const found = isBareName ? searchPath(configured, env) : env.isFile(configured) ? configured : undefined;
    if (found) return { ok: true, path: found, source: 'setting' };
    return {
      ok: false,
      settingIsWrong: true,
      message: `planmark: "planmark.server.path" is set to "${settings.serverPath}", but no executable file is there. ${HOW_TO_FIX}`,
    };
  }
  const bundled = bundledServerPath(env.extensionPath, env.platform, env.arch);
  if (env.isFile(bundled)) return { ok: true, path: bundled, source: 'bundled' };
  const onPath = searchPath(executableName(env.platform), env);
  if (onPath) return { ok: true, path: onPath, source: 'path' };
  return {
    ok: false,
    settingIsWrong: false,
    message: `planmark: the language server was not found (no bundled binary for ${env.platform}-${env.arch}, no planmark on PATH). ${HOW_TO_FIX}`,
  };
}

/** The server's arguments: `lsp` and the extra ones. */
export function serverArgs(settings: Pick<Settings, 'extraArgs'>): string[] {
  return ['lsp', ...settings.extraArgs];
}

/** Glob patterns (each starting with `**` + `/`) for the planning files. */
export function planningPatterns(locations: string[] = []): string[] {
  const patterns = [
    '**/issues/**/*.md',
    '**/stories/*.md',
    '**/milestones/*/*.md',
    '**/roadmap.md',
    '**/project-brief.md',
    '**/.kiro/specs/*/requirements.md',
    '**/.kiro/specs/*/tasks.md',
    '**/openspec/specs/*/spec.md',
    '**/openspec/changes/**/*.md',
    '**/backlog/**/*.md',
    '**/.backlog/**/*.md',
    '**/specs/*/spec.md',
    '**/specs/*/plan.md',
    '**/specs/*/tasks.md',
    '**/*.story.md',
    '**/docs/prd.md',
    '**/docs/prd/*.md',
    '**/implementation-artifacts/*.md',
    '**/sprint-artifacts/*.md',
    '**/planning-artifacts/epics.md',
    '**/.planning/*.md',
    '**/.planning/phases/*/*-PLAN.md',
    '**/.planning/phases/*/*-SUMMARY.md',
    '**/.planning/milestones/*-phases/*/*-PLAN.md',
    '**/.planning/milestones/*-phases/*/*-SUMMARY.md',
  ];
  for (const location of locations) {
    const folder = location.replace(/\\/g, '/').replace(/^(\.\/|\/)+/, '').replace(/^\*\*\//, '').replace(/\/+$/, '');
    if (folder === '') continue;
    const pattern = `**/${folder}/**/*.md`;
    if (!patterns.includes(pattern)) patterns.push(pattern);
  }
  return patterns;
}

/** Glob patterns of the YAML planning files (Backlog.md's configuration, BMAD's sprint status, milestone files). */
export const YAML_PATTERNS = [
  '**/backlog/config.yml',
  '**/backlog/config.yaml',
  '**/.backlog/config.yml',
  '**/.backlog/config.yaml',
  '**/backlog.config.yml',
  '**/sprint-status.yaml',
  '**/sprint-status.yml',
  '**/.milestones/active/*.yaml',
  '**/.milestones/active/*.yml',
  '**/.milestones/completed/*.yaml',
  '**/.milestones/completed/*.yml',
];

/** The client's document selector: markdown and YAML files on disk matching a planning pattern. */
export function documentSelector(locations: string[] = []): { scheme: string; language: string; pattern: string }[] {
  return [
    ...planningPatterns(locations).map((pattern) => ({ scheme: 'file', language: 'markdown', pattern })),
    ...YAML_PATTERNS.map((pattern) => ({ scheme: 'file', language: 'yaml', pattern })),
  ];
}

/** One glob for `workspace.findFiles` and file watchers. */
export function combinedPattern(locations: string[] = []): string {
  return `{${[...planningPatterns(locations), ...YAML_PATTERNS].join(',')}}`;
}

/** Whether a change to these settings needs the server restarted (not just re-sent). */
export function needsRestart(before: Settings, after: Settings): boolean {
  return (
    before.serverPath !== after.serverPath ||
    before.extraArgs.join('\u0000') !== after.extraArgs.join('\u0000') ||
    before.locations.join('\u0000') !== after.locations.join('\u0000')
  );
}

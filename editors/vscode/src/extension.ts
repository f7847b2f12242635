// The VS Code extension: starts `planmark lsp` over stdio for planning
// markdown files, restarts it on demand or when its settings change, and
// says what to set when the binary cannot be found.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as vscode from 'vscode';
import { LanguageClient, LanguageClientOptions, ServerOptions, TransportKind } from 'vscode-languageclient/node';
import {
  Settings,
  combinedPattern,
  documentSelector,
  findServer,
  needsRestart,
  readSettings,
  serverArgs,
  serverSection,
} from './config';

let client: LanguageClient | undefined;
let settings: Settings | undefined;
let output: vscode.OutputChannel | undefined;
let started = false;

function currentSettings(): Settings {
  const config = vscode.workspace.getConfiguration('planmark');
  return readSettings((key) => config.get(key));
}

function isFile(p: string): boolean {
  try {
    const stat = fs.statSync(p);
    if (!stat.isFile()) return false;
    if (process.platform !== 'win32') fs.accessSync(p, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

async function startClient(context: vscode.ExtensionContext): Promise<void> {
  settings = currentSettings();
  const found = findServer(settings, {
    platform: process.platform,
    arch: process.arch,
    extensionPath: context.extensionPath,
    workspaceFolder: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath,
    home: os.homedir(),
    envPath: process.env.PATH,
    pathExt: process.env.PATHEXT,
    isFile,
  });
  if (!found.ok) {
    output?.appendLine(found.message);
    const choice = await vscode.window.showErrorMessage(found.message, 'Open Settings');
    if (choice === 'Open Settings') {
      await vscode.commands.executeCommand('workbench.action.openSettings', 'planmark.server.path');
    }
    return;
  }
  output?.appendLine(`planmark: starting ${found.path} (${found.source}) ${serverArgs(settings).join(' ')}`);
  const executable = { command: found.path, args: serverArgs(settings), transport: TransportKind.stdio };
  const serverOptions: ServerOptions = { run: executable, debug: executable };
  const clientOptions: LanguageClientOptions = {
    documentSelector: documentSelector(settings.locations),
    initializationOptions: serverSection(settings),
    outputChannel: output,
    // The server registers its own file watchers (`**/*.md`, planmark.toml,
    // `.gitignore` and `.ignore`).
    synchronize: { configurationSection: 'planmark' },
  };
  client = new LanguageClient('planmark', 'planmark', serverOptions, clientOptions);
  try {
    await client.start();
  } catch (error) {
    const message = `planmark: the language server ${found.path} failed to start: ${String(error)}`;
    output?.appendLine(message);
    void vscode.window.showErrorMessage(message);
  }
}

async function stopClient(): Promise<void> {
  const running = client;
  client = undefined;
  if (running) {
    try {
      await running.stop();
    } catch (error) {
      output?.appendLine(`planmark: stopping the server: ${String(error)}`);
    }
  }
}

async function restart(context: vscode.ExtensionContext): Promise<void> {
  await stopClient();
  started = true;
  await startClient(context);
}

/** Whether the workspace or an open editor holds a planning file. */
async function hasPlanningFiles(locations: string[]): Promise<boolean> {
  const selector = documentSelector(locations);
  if (vscode.workspace.textDocuments.some((doc) => vscode.languages.match(selector, doc) > 0)) return true;
  const found = await vscode.workspace.findFiles(combinedPattern(locations), '**/node_modules/**', 1);
  return found.length > 0;
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel('planmark');
  context.subscriptions.push(output);
  context.subscriptions.push(
    vscode.commands.registerCommand('planmark.restartServer', () => restart(context)),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (!started || !event.affectsConfiguration('planmark')) return;
      const next = currentSettings();
      if (settings && needsRestart(settings, next)) void restart(context);
    }),
  );

  // Markdown alone does not start the server: only a planning file does.
  const initial = currentSettings();
  if (await hasPlanningFiles(initial.locations)) {
    await restart(context);
    return;
  }
  const listener = vscode.workspace.onDidOpenTextDocument((doc) => {
    if (started || vscode.languages.match(documentSelector(currentSettings().locations), doc) === 0) return;
    listener.dispose();
    void restart(context);
  });
  context.subscriptions.push(listener);
}

export async function deactivate(): Promise<void> {
  await stopClient();
}

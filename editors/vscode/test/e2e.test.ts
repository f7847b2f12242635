// End-to-end test: the real `planmark lsp` driven through
// vscode-languageserver-protocol (the library under VS Code's client), with
// the client capabilities, settings and start-up arguments the extension
// uses, on a copy of the sample workspace `examples/`.
//
// The binary is $PLANMARK_BIN, else ../../target/debug/planmark. Features in
// $PLANMARK_TEST_PENDING (comma-separated: completion,hover,codeAction) are
// skipped while the server does not advertise them; any other gap fails.

import { test, TestContext } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CodeAction,
  Command,
  CompletionItem,
  CompletionList,
  Diagnostic,
  DocumentDiagnosticReport,
  ExitNotification,
  Hover,
  InitializeResult,
  ProtocolConnection,
  PublishDiagnosticsParams,
  ServerCapabilities,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  createProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import { DEFAULT_SETTINGS, serverArgs, serverSection } from '../src/config';

const repo = path.resolve(__dirname, '..', '..', '..', '..');
const TIMEOUT = 30_000;
const pending = new Set((process.env.PLANMARK_TEST_PENDING ?? '').split(',').map((s) => s.trim()).filter(Boolean));

function serverBinary(): string | undefined {
  const candidates = [process.env.PLANMARK_BIN, path.join(repo, 'target', 'debug', 'planmark')];
  return candidates.find((c): c is string => !!c && fs.existsSync(c));
}

/** The client capabilities VS Code's client (vscode-languageclient 9) sends, for what planmark reads. */
const capabilities = {
  general: { positionEncodings: ['utf-16'] },
  window: { workDoneProgress: true, showMessage: {} },
  workspace: {
    applyEdit: true,
    configuration: true,
    workspaceFolders: true,
    didChangeConfiguration: { dynamicRegistration: true },
    didChangeWatchedFiles: { dynamicRegistration: true, relativePatternSupport: true },
    workspaceEdit: { documentChanges: true, resourceOperations: ['create', 'rename', 'delete'] },
    diagnostics: { refreshSupport: true },
    codeLens: { refreshSupport: true },
    inlayHint: { refreshSupport: true },
    semanticTokens: { refreshSupport: true },
  },
  textDocument: {
    synchronization: { dynamicRegistration: true, didSave: true, willSave: true, willSaveWaitUntil: true },
    publishDiagnostics: { relatedInformation: true, codeDescriptionSupport: true, dataSupport: true, versionSupport: false },
    diagnostic: { dynamicRegistration: true, relatedDocumentSupport: false },
    completion: {
      dynamicRegistration: true,
      contextSupport: true,
      completionItem: {
        snippetSupport: true,
        documentationFormat: ['markdown', 'plaintext'],
        insertReplaceSupport: true,
        labelDetailsSupport: true,
        resolveSupport: { properties: ['documentation', 'detail', 'additionalTextEdits'] },
      },
    },
    hover: { dynamicRegistration: true, contentFormat: ['markdown', 'plaintext'] },
    codeAction: {
      dynamicRegistration: true,
      isPreferredSupport: true,
      disabledSupport: true,
      dataSupport: true,
      resolveSupport: { properties: ['edit'] },
      codeActionLiteralSupport: {
        codeActionKind: { valueSet: ['', 'quickfix', 'refactor', 'refactor.extract', 'refactor.inline', 'refactor.rewrite', 'source', 'source.organizeImports'] },
      },
    },
  },
};

interface Session {
  connection: ProtocolConnection;
  capabilities: ServerCapabilities;
  pushed: Map<string, Diagnostic[]>;
  stderr: () => string;
  close: () => Promise<void>;
}

async function start(bin: string, root: string): Promise<Session> {
  const settings = DEFAULT_SETTINGS;
  // vscode-languageclient appends `--stdio` for `TransportKind.stdio`; so does this test.
  const child = spawn(bin, [...serverArgs(settings), '--stdio'], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const pushed = new Map<string, Diagnostic[]>();
  connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
    pushed.set(params.uri, params.diagnostics);
  });
  connection.onRequest('workspace/configuration', (params: { items: unknown[] }) => params.items.map(() => serverSection(settings)));
  for (const method of [
    'client/registerCapability',
    'client/unregisterCapability',
    'window/workDoneProgress/create',
    'window/showMessageRequest',
    'workspace/diagnostic/refresh',
    'workspace/codeLens/refresh',
    'workspace/inlayHint/refresh',
    'workspace/semanticTokens/refresh',
  ]) {
    connection.onRequest(method, () => null);
  }
  connection.listen();
  const rootUri = pathToFileURL(root).href;
  const result: InitializeResult = await connection.sendRequest('initialize', {
    processId: process.pid,
    clientInfo: { name: 'Visual Studio Code', version: '1.82.0' },
    rootUri,
    workspaceFolders: [{ uri: rootUri, name: path.basename(root) }],
    capabilities,
    initializationOptions: serverSection(settings),
  });
  await connection.sendNotification('initialized', {});
  return {
    connection,
    capabilities: result.capabilities,
    pushed,
    stderr: () => stderr,
    close: async () => {
      try {
        await connection.sendRequest(ShutdownRequest.type);
        await connection.sendNotification(ExitNotification.type);
      } catch {
        // already gone
      }
      connection.dispose();
      child.kill();
    },
  };
}

async function eventually<T>(what: string, probe: () => Promise<T | undefined>, session: Session): Promise<T> {
  const deadline = Date.now() + TIMEOUT;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}\nserver stderr:\n${session.stderr()}`);
}

/** Diagnostics for `uri` the way VS Code gets them: pulled when the server offers pull, else pushed. */
async function diagnosticsFor(session: Session, uri: string): Promise<Diagnostic[]> {
  if (session.capabilities.diagnosticProvider) {
    const report: DocumentDiagnosticReport = await session.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri } });
    return report.kind === 'full' ? report.items : [];
  }
  return session.pushed.get(uri) ?? [];
}

function supported(t: TestContext, session: Session, feature: string, capability: keyof ServerCapabilities): boolean {
  if (session.capabilities[capability]) return true;
  if (pending.has(feature)) {
    t.skip(`pending: the server does not advertise ${capability} yet`);
    return false;
  }
  assert.fail(`the server does not advertise ${capability}`);
}

test('planmark lsp through vscode-languageserver-protocol on examples/', { timeout: 120_000 }, async (t) => {
  const bin = serverBinary();
  if (!bin) {
    if (process.env.CI) assert.fail('no planmark binary: set PLANMARK_BIN or run cargo build');
    t.skip('no planmark binary: set PLANMARK_BIN or run cargo build');
    return;
  }
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'planmark-vscode-'));
  fs.cpSync(path.join(repo, 'examples'), root, { recursive: true });
  const session = await start(bin, root);
  try {
    const file = path.join(root, 'issues', 'done', 'swe-feature-004.md');
    const uri = pathToFileURL(file).href;
    let text = fs.readFileSync(file, 'utf8');
    let version = 1;
    await session.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'markdown', version, text },
    });

    await t.test('diagnostics', async () => {
      const found = await eventually(
        'status-folder-mismatch on issues/done/swe-feature-004.md',
        async () => (await diagnosticsFor(session, uri)).find((d) => d.code === 'status-folder-mismatch'),
        session,
      );
      assert.equal(found.source, 'planmark');
      assert.equal(found.range.start.line, 5);
      assert.match(found.message, /done/);
      const other = pathToFileURL(path.join(root, 'issues', 'backlog', 'devops-feature-015.md')).href;
      const dangling = await eventually(
        'dangling-dependency on the unopened issues/backlog/devops-feature-015.md',
        async () => (await diagnosticsFor(session, other)).find((d) => d.code === 'dangling-dependency'),
        session,
      );
      assert.match(dangling.message, /swe-feature-111/);
      const kiro = pathToFileURL(path.join(root, '.kiro', 'specs', 'delivery-notifications', 'tasks.md')).href;
      const unknown = await eventually(
        'kiro-unknown-requirement on the unopened .kiro/specs/delivery-notifications/tasks.md',
        async () => (await diagnosticsFor(session, kiro)).find((d) => d.code === 'kiro-unknown-requirement'),
        session,
      );
      assert.equal(unknown.range.start.line, 14);
      assert.match(unknown.message, /2\.4/);
    });
    const diagnostic = (await diagnosticsFor(session, uri)).find((d) => d.code === 'status-folder-mismatch');
    assert.ok(diagnostic, 'the diagnostics subtest found status-folder-mismatch');

    await t.test('code action on status-folder-mismatch', async (t) => {
      if (!supported(t, session, 'codeAction', 'codeActionProvider')) return;
      const actions: (CodeAction | Command)[] | null = await session.connection.sendRequest('textDocument/codeAction', {
        textDocument: { uri },
        range: diagnostic.range,
        context: { diagnostics: [diagnostic], triggerKind: 1 },
      });
      assert.ok(actions && actions.length > 0, 'no code action for status-folder-mismatch');
      const usable = [];
      for (let action of actions) {
        if ('kind' in action || 'edit' in action || 'diagnostics' in action) {
          const literal = action as CodeAction;
          if (!literal.edit && literal.data !== undefined) {
            action = await session.connection.sendRequest('codeAction/resolve', literal);
          }
        }
        if (action.title && ((action as CodeAction).edit || (action as CodeAction).command || typeof (action as Command).command === 'string')) {
          usable.push(action.title);
        }
      }
      assert.ok(usable.length > 0, `no code action with an edit or command: ${JSON.stringify(actions)}`);
    });

    const lines = text.split(/\r?\n/);
    const line = lines.findIndex((l) => l.startsWith('**Dependencies:**'));
    assert.ok(line >= 0);
    const setLine = async (content: string) => {
      version += 1;
      await session.connection.sendNotification('textDocument/didChange', {
        textDocument: { uri, version },
        contentChanges: [{ range: { start: { line, character: 0 }, end: { line, character: lines[line].length } }, text: content }],
      });
      lines[line] = content;
      text = lines.join('\n');
    };

    await t.test('completion in **Dependencies:** offers issue IDs', async (t) => {
      if (!supported(t, session, 'completion', 'completionProvider')) return;
      const prefix = '**Dependencies:** swe-feature-00';
      await setLine(prefix);
      const result: CompletionList | CompletionItem[] | null = await session.connection.sendRequest('textDocument/completion', {
        textDocument: { uri },
        position: { line, character: prefix.length },
        context: { triggerKind: 1 },
      });
      const items = Array.isArray(result) ? result : (result?.items ?? []);
      const texts = items.map((i) => `${i.label} ${i.insertText ?? ''} ${i.textEdit?.newText ?? ''}`);
      assert.ok(texts.some((s) => s.includes('swe-feature-001')), `swe-feature-001 not offered: ${items.slice(0, 10).map((i) => i.label).join(', ')}`);
    });

    await t.test('hover on a reference shows its title', async (t) => {
      if (!supported(t, session, 'hover', 'hoverProvider')) return;
      await setLine('**Dependencies:** swe-feature-001');
      const hover: Hover | null = await session.connection.sendRequest('textDocument/hover', {
        textDocument: { uri },
        position: { line, character: '**Dependencies:** swe-fe'.length },
      });
      assert.ok(hover, 'no hover');
      const contents = hover.contents;
      const value =
        typeof contents === 'string' ? contents : Array.isArray(contents) ? contents.map((c) => (typeof c === 'string' ? c : c.value)).join('\n') : contents.value;
      if (typeof contents === 'object' && !Array.isArray(contents) && 'kind' in contents) assert.equal(contents.kind, 'markdown');
      assert.match(value, /Import shipments from the nightly order export/);
    });
  } finally {
    await session.close();
    fs.rmSync(root, { recursive: true, force: true });
  }
});

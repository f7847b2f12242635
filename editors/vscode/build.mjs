// Bundles the extension (and, with --tests, the tests) with esbuild.
// `vscode` is provided by the editor; everything else is bundled, so the
// .vsix needs no node_modules.
import { build } from 'esbuild';
import { readdirSync } from 'node:fs';

const tests = process.argv.includes('--tests');
const common = { bundle: true, platform: 'node', format: 'cjs', target: 'node18', sourcemap: true, logLevel: 'warning' };

await build({ ...common, entryPoints: ['src/extension.ts'], outfile: 'out/extension.js', external: ['vscode'], minify: !tests });
if (tests) {
  const entryPoints = readdirSync('test').filter((f) => f.endsWith('.test.ts')).map((f) => `test/${f}`);
  // The tests must not need `vscode`: leaving it out of `external` makes a test that imports it fail to build.
  await build({ ...common, entryPoints, outdir: 'out/test' });
}

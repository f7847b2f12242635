// Copies a planmark binary into server/<platform>-<arch>/ so that
// `npm run package` ships it in the .vsix, stripped of its debug symbols
// (about 62 MB with them, about 10 MB without). Usage:
//   npm run bundle-server -- [path/to/planmark] [--target <platform>-<arch>] [--no-strip]
// Default binary: ../../target/release/planmark; default target: this machine.
// `strip` (binutils, or $STRIP) must be on PATH unless --no-strip is given;
// for a Windows target nothing is stripped, since release builds there keep
// their symbols in a separate .pdb file.
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const args = process.argv.slice(2);
const targetAt = args.indexOf('--target');
const target = targetAt >= 0 ? args.splice(targetAt, 2)[1] : `${process.platform}-${process.arch}`;
const noStripAt = args.indexOf('--no-strip');
const strip = noStripAt < 0;
if (!strip) args.splice(noStripAt, 1);
const windows = target.startsWith('win32');
const source = resolve(args[0] ?? join('..', '..', 'target', 'release', windows ? 'planmark.exe' : 'planmark'));
if (!existsSync(source)) {
  console.error(`no planmark binary at ${source}: build it with "cargo build --release" or pass its path`);
  process.exit(1);
}
const destination = join('server', target, windows ? 'planmark.exe' : 'planmark');
mkdirSync(dirname(destination), { recursive: true });
copyFileSync(source, destination);
if (!windows) chmodSync(destination, 0o755);
if (strip && !windows) {
  // A binary for another platform needs that platform's strip, e.g. STRIP=aarch64-linux-gnu-strip.
  const tool = process.env.STRIP || 'strip';
  const result = spawnSync(tool, [destination], { stdio: 'inherit' });
  if (result.error || result.status !== 0) {
    console.error(`"${tool} ${destination}" failed (${result.error ?? `exit ${result.status}`}): install binutils, set STRIP, or pass --no-strip`);
    process.exit(1);
  }
}
const mb = (p) => (statSync(p).size / 1e6).toFixed(1);
console.log(`bundled ${source} (${mb(source)} MB) as ${destination} (${mb(destination)} MB${strip && !windows ? ', stripped' : ''})`);

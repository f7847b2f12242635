// Copies a planmark binary into server/<platform>-<arch>/ so that
// `npm run package` ships it in the .vsix. Usage:
//   npm run bundle-server -- [path/to/planmark] [--target <platform>-<arch>]
// Default binary: ../../target/release/planmark; default target: this machine.
import { chmodSync, copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const args = process.argv.slice(2);
const targetAt = args.indexOf('--target');
const target = targetAt >= 0 ? args.splice(targetAt, 2)[1] : `${process.platform}-${process.arch}`;
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
console.log(`bundled ${source} as ${destination}`);

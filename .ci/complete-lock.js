// Adds the platform-specific optional packages that package-lock.json lacks, so `npm ci` accepts it.
//
// Why: this machine's npm registry serves only the Linux builds of some native packages (Rollup's,
// pulled in by Vitest). `npm install` then silently leaves the other platforms' entries out of the
// lock, and `npm ci` refuses that lock ("Missing: @rollup/rollup-android-arm-eabi@ from lock file").
// Each entry added here names its os/cpu/libc, so npm skips it on this machine and never fetches it.
//
// Usage: node .ci/complete-lock.js [--check]   (--check: only report, exit 1 if entries are missing)
import { readFileSync, writeFileSync } from 'node:fs';

const OSES = [
  'aix',
  'android',
  'darwin',
  'freebsd',
  'linux',
  'netbsd',
  'openbsd',
  'openharmony',
  'sunos',
  'win32',
];
const CPUS = ['arm', 'arm64', 'ia32', 'loong64', 'mips64el', 'ppc64', 'riscv64', 's390x', 'x64', 'wasm32'];

/** `@rollup/rollup-linux-arm-musleabihf` → { os: linux, cpu: arm, libc: musl }; null when unclear. */
function platformOf(name) {
  const parts = name.split('/').pop().split('-');
  const at = parts.findIndex((p) => OSES.includes(p));
  if (at < 0 || !CPUS.includes(parts[at + 1])) return null;
  const os = parts[at];
  const abi = parts[at + 2] ?? '';
  const libc =
    os !== 'linux'
      ? undefined
      : abi.startsWith('musl')
        ? 'musl'
        : abi.startsWith('gnu')
          ? 'glibc'
          : undefined;
  return { os, cpu: parts[at + 1], libc };
}

const file = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(file, 'utf8'));
const packages = lock.packages;
const added = [];
const unknown = [];
for (const [path, entry] of Object.entries(packages)) {
  for (const [dep, range] of Object.entries(entry.optionalDependencies ?? {})) {
    const prefix = path === '' ? '' : `${path}/`;
    if (packages[`${prefix}node_modules/${dep}`] || packages[`node_modules/${dep}`]) continue;
    const platform = platformOf(dep);
    if (!platform || !/^\d+\.\d+\.\d+$/.test(range)) {
      unknown.push(`${dep}@${range}`);
      continue;
    }
    packages[`node_modules/${dep}`] = {
      version: range,
      cpu: [platform.cpu],
      ...(entry.dev ? { dev: true } : {}),
      ...(platform.libc ? { libc: [platform.libc] } : {}),
      optional: true,
      os: [platform.os],
    };
    added.push(dep);
  }
}

if (unknown.length > 0) console.error(`complete-lock: cannot place ${unknown.join(', ')}`);
if (added.length === 0) process.exit(unknown.length > 0 ? 1 : 0);
if (process.argv.includes('--check')) {
  console.error(
    `complete-lock: package-lock.json lacks ${added.length} optional entries; run node .ci/complete-lock.js`,
  );
  process.exit(1);
}
lock.packages = Object.fromEntries(Object.entries(packages).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
console.error(`complete-lock: added ${added.length} platform-specific optional entries to package-lock.json`);

// The benchmark harness: `npm run bench` runs every bench/<name>/index.js, `npm run bench -- <name>` one.
// Each benchmark is its own Node process (so one cannot warm up or bloat another), prints its figures
// and its ratio to a peer, and exits non-zero when it fails or misses a budget.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const all = readdirSync(here, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(join(here, entry.name, 'index.js')))
  .map((entry) => entry.name)
  .sort();

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !all.includes(name));
if (unknown.length > 0) {
  console.error(`bench: no benchmark named ${unknown.join(', ')}; there are: ${all.join(', ')}`);
  process.exit(2);
}

const failed = [];
for (const name of wanted.length > 0 ? wanted : all) {
  console.log(`\n## ${name}\n`);
  const code = await new Promise((resolve) => {
    const child = spawn(process.execPath, [join(here, name, 'index.js')], { stdio: 'inherit' });
    child.on('exit', (status, signal) => resolve(signal ? 1 : (status ?? 1)));
  });
  if (code !== 0) failed.push(name);
}

if (failed.length > 0) {
  console.error(`\nbench: ${failed.join(', ')} failed or missed a budget`);
  process.exit(1);
}

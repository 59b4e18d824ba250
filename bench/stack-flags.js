// The Node flags the stack starts with, read from its launcher's shebang (server/bin/nuage.js,
// `#!/usr/bin/env -S node <flags>`), so a bench that spawns `node <flags> server/bin/nuage.js serve`
// measures the stack as `nuage serve` and `npm start` run it, with one place that says how.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const launcher = join(dirname(fileURLToPath(import.meta.url)), '..', 'server', 'bin', 'nuage.js');
const shebang = readFileSync(launcher, 'utf8').split('\n', 1)[0] ?? '';

export const STACK_NODE_FLAGS = (/^#!\/usr\/bin\/env -S node(.*)$/.exec(shebang)?.[1] ?? '')
  .trim()
  .split(/\s+/)
  .filter((flag) => flag !== '');

import { spawn, spawnSync } from 'node:child_process';

/**
 * A Python interpreter that can `import caldav` (Debian's python3-caldav lives in /usr/bin/python3's
 * dist-packages, which a pyenv or venv `python3` first on the PATH does not see), or null. Like
 * toolAvailable: skipped with a reason on a developer's machine, a failure in CI (`CI` set).
 */
export function pythonWithCaldav(): string | null {
  for (const python of ['python3', '/usr/bin/python3']) {
    if (spawnSync(python, ['-c', 'import caldav'], { stdio: 'ignore' }).status === 0) return python;
  }
  if (process.env.CI) {
    throw new Error('python3-caldav is not installed, and CI must run this test (.ci/run installs it)');
  }
  console.warn('skipping: python3-caldav is not installed (apt-get install python3-caldav)');
  return null;
}

/** Runs a program with `input` on stdin, collecting stdout and stderr; resolves with the exit code. */
export function run(
  command: string,
  args: string[],
  options: { cwd?: string; input?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}

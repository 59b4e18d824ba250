import { spawnSync } from 'node:child_process';

/**
 * Whether an external client (litmus, rclone) is installed. Where it is not, its test is skipped with a
 * reason on a developer's machine, but fails in CI (`CI` set), where .ci/run installs it.
 */
export function toolAvailable(command: string): boolean {
  const found = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' }).status === 0;
  if (!found && process.env.CI) {
    throw new Error(`${command} is not installed, and CI must run this test (.ci/run installs it)`);
  }
  if (!found) console.warn(`skipping: ${command} is not installed (apt-get install ${command})`);
  return found;
}

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { azuriteConnectionString } from '../../storage/tableClients';
import { waitForPort } from './ports';
import { projectRoot } from './projectRoot';

export interface LocalAzurite {
  connectionString: string;
  port: number;
  process: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Starts Azurite's table service as a child process (the npm package, no global install):
 * in memory for tests, or with its data in a folder so cases survive a restart.
 */
export async function startAzurite(opts: { port: number; host?: string; location?: string; inMemory?: boolean }): Promise<LocalAzurite> {
  const host = opts.host ?? '127.0.0.1';
  const main = path.join(projectRoot(), 'node_modules', 'azurite', 'dist', 'src', 'table', 'main.js');
  const args = [main, '--disableTelemetry', '--silent', '--skipApiVersionCheck', '--tableHost', host, '--tablePort', String(opts.port)];
  if (opts.inMemory) args.push('--inMemoryPersistence');
  else {
    const location = path.resolve(projectRoot(), opts.location ?? '.data/azurite');
    mkdirSync(location, { recursive: true });
    args.push('--location', location);
  }
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await waitForPort(host, opts.port, 15000, () => child.exitCode !== null);
  } catch (err) {
    child.kill('SIGKILL');
    throw new Error(`Azurite did not start on ${host}:${opts.port}: ${(err as Error).message}${stderr ? `\n${stderr}` : ''}`);
  }
  return {
    connectionString: azuriteConnectionString(host, opts.port),
    port: opts.port,
    process: child,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        // SIGINT, not SIGTERM: Azurite saves its file persistence on SIGINT only (seen with
        // 3.35.0: entities written just before a SIGTERM were gone after the restart).
        child.kill('SIGINT');
        const t = setTimeout(() => child.kill('SIGKILL'), 3000);
        await exited;
        clearTimeout(t);
      }
    },
  };
}

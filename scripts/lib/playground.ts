import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DEMO_STAFF } from '../../storage/demoData';
import { renderPlaygroundConfig } from './playgroundConfig';
import { waitForPort } from './ports';
import { stopChild } from './processes';
import { projectRoot } from './projectRoot';

export interface PlaygroundOptions {
  /** http://host:port of the bot; the Playground posts to its /api/messages. */
  botUrl: string;
  /** Port of the Playground's web UI (and of its own connector, /_connector). */
  port: number;
  /** The demo person who chats; empty = the current user of the committed .m365agentsplayground.yml. */
  as?: string;
  /** Folder for the generated configuration (when `as` is set) and the Playground's log. */
  dataDir: string;
}

export interface Playground {
  url: string;
  child: ChildProcess;
  /** The last 4,000 characters the Playground printed (for error messages). */
  output(): string;
  /** Resolves when the web UI accepts connections; rejects if the Playground exits first. */
  ready(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts the Microsoft 365 Agents Playground (the npm package, a child process) pointed at the bot.
 * Several can run at once on different ports, each as another demo person: the bot stores each
 * person's conversation with that Playground's connector, so proactive cards reach the right one.
 */
export function startPlayground(opts: PlaygroundOptions): Playground {
  const root = projectRoot();
  // The playground reads its users from M365_AGENTS_PLAYGROUND_CONFIG_PATH: the committed file, or
  // a generated copy with another current user when `as` names one (one folder per person).
  let configPath = path.join(root, '.m365agentsplayground.yml');
  let dir = opts.dataDir;
  if (opts.as) {
    dir = path.join(opts.dataDir, opts.as.normalize('NFD').replace(/[^A-Za-z0-9]+/g, '-').toLowerCase());
    mkdirSync(dir, { recursive: true });
    configPath = path.join(dir, '.m365agentsplayground.yml');
    writeFileSync(configPath, renderPlaygroundConfig(DEMO_STAFF, opts.as));
  }
  const bin = path.join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'agentsplayground.cmd' : 'agentsplayground');
  const child = spawn(bin, ['-e', `${opts.botUrl}/api/messages`, '-c', 'msteams', '-p', String(opts.port), '--disable-telemetry'], {
    cwd: root,
    env: {
      ...process.env,
      TEAMSAPPTESTER_BROWSER: 'none',
      M365_AGENTS_PLAYGROUND_CONFIG_PATH: configPath,
      // Its log would otherwise land in ./devTools of the working tree.
      M365_AGENTS_PLAYGROUND_LOGFILE: path.join(dir, 'm365agentsplayground.log'),
    },
    // stdin stays open: the playground exits when its standard input ends.
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (d: Buffer) => (output = (output + d.toString()).slice(-4000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return {
    url: `http://localhost:${opts.port}`,
    child,
    output: () => output,
    async ready(timeoutMs = 60000) {
      try {
        await waitForPort('127.0.0.1', opts.port, timeoutMs, () => child.exitCode !== null);
      } catch (err) {
        throw new Error(`The Agents Playground did not start on port ${opts.port}: ${(err as Error).message}\n${output.trim()}`);
      }
    },
    async stop() {
      await stopChild(child);
    },
  };
}

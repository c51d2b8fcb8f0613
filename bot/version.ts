import { readFileSync } from 'node:fs';
import path from 'node:path';

/** The package version, reported by /healthz. */
export const version: string = (() => {
  for (const rel of ['..', '../..']) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(__dirname, rel, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'gbg-socialtjanst-bot' && pkg.version) return pkg.version;
    } catch {
      // try the next candidate folder
    }
  }
  return 'unknown';
})();

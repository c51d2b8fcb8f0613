import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { configSchema } from '../bot/config';
import { generatedEnvFiles } from './lib/envDocs';
import { projectRoot } from './lib/projectRoot';

/**
 * `npm run docs:env`: rewrites the environment-variable table in docs/deploy.md and .env.example
 * from the configuration schema. `npm run docs:env -- --check` only reports files out of date.
 */
function main(): void {
  const check = process.argv.includes('--check');
  const root = projectRoot();
  const stale = generatedEnvFiles(root, configSchema).filter((f) => f.current !== f.expected);
  for (const f of stale) {
    const rel = path.relative(root, f.path);
    if (check) console.error(`${rel} is out of date with bot/config.ts: run \`npm run docs:env\``);
    else {
      writeFileSync(f.path, f.expected);
      console.log(`Updated ${rel}`);
    }
  }
  if (check && stale.length) process.exit(1);
  if (!stale.length) console.log('docs/deploy.md and .env.example are up to date with bot/config.ts');
}

main();

import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { DEMO_STAFF } from '../storage/demoData';
import { DEFAULT_PLAYGROUND_USER, renderPlaygroundConfig } from './lib/playgroundConfig';
import { projectRoot } from './lib/projectRoot';

/** `npm run playground:config`: rewrites the committed .m365agentsplayground.yml from the demo directory. */
writeFileSync(path.join(projectRoot(), '.m365agentsplayground.yml'), renderPlaygroundConfig(DEMO_STAFF, DEFAULT_PLAYGROUND_USER));
console.log('Wrote .m365agentsplayground.yml');

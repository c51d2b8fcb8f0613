import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The layer diagram (README "Layout"), held by reading every import of the product's
 * folders. bot/ is the composition root (it wires storage into the dialogs, so it may import
 * storage/ as well); locale/ takes only types from routines/.
 */
const LAYERS = ['bot', 'dialogs', 'storage', 'routines', 'cards', 'locale'] as const;
type Layer = (typeof LAYERS)[number];

const MAY_IMPORT: Record<Layer, readonly Layer[]> = {
  bot: ['dialogs', 'storage', 'cards', 'routines', 'locale'],
  dialogs: ['storage', 'routines', 'cards', 'locale'],
  storage: ['routines'],
  cards: ['routines', 'locale'],
  locale: ['routines'],
  routines: [],
};

/** Packages a layer must not use: the rules know no framework, storage no bot framework, and so on. */
const FORBIDDEN_PACKAGES: Record<Layer, RegExp> = {
  routines: /^(?!zod$|date-holidays$)/, // the rules: plain TypeScript, zod and the holiday calendar only
  storage: /^(botbuilder|botframework-|restify|adaptivecards)/,
  cards: /^(botbuilder|botframework-|restify|@azure\/)/,
  locale: /^/, // no package at all
  dialogs: /^(restify|@azure\/)/, // tables only through storage/, HTTP only in bot/
  bot: /^$/,
};

interface Violation {
  file: string;
  imports: string;
  rule: string;
}

/** Every import specifier of a source text, with whether it is type-only. */
function importsOf(source: string): Array<{ spec: string; typeOnly: boolean }> {
  const out: Array<{ spec: string; typeOnly: boolean }> = [];
  for (const m of source.matchAll(/^\s*(import|export)\s+(type\s+)?(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]/gm)) out.push({ spec: m[3]!, typeOnly: Boolean(m[2]) });
  for (const m of source.matchAll(/\b(?:require|import)\(\s*['"]([^'"]+)['"]\s*\)/g)) out.push({ spec: m[1]!, typeOnly: false });
  return out;
}

/** The violations of the diagram in a set of files (path relative to the project root → source). */
function layerViolations(files: ReadonlyMap<string, string>): Violation[] {
  const out: Violation[] = [];
  for (const [file, source] of files) {
    const layer = file.split('/')[0] as Layer;
    if (!LAYERS.includes(layer)) continue;
    for (const { spec, typeOnly } of importsOf(source)) {
      if (spec.startsWith('node:')) {
        if (layer === 'routines' || layer === 'locale') out.push({ file, imports: spec, rule: `${layer}/ uses no node module` });
        continue;
      }
      if (!spec.startsWith('.')) {
        if (FORBIDDEN_PACKAGES[layer].test(spec)) out.push({ file, imports: spec, rule: `${layer}/ must not use ${spec}` });
        continue;
      }
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), spec)).split('/')[0] as Layer;
      if (target === layer) continue;
      if (!LAYERS.includes(target)) {
        out.push({ file, imports: spec, rule: `${layer}/ imports outside the layers (${target}/)` });
      } else if (!MAY_IMPORT[layer].includes(target)) {
        out.push({ file, imports: spec, rule: `${layer}/ must not import ${target}/` });
      } else if (layer === 'locale' && !typeOnly) {
        out.push({ file, imports: spec, rule: 'locale/ takes only types from routines/' });
      }
    }
  }
  return out;
}

const root = path.resolve(__dirname, '..');
function sources(): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const e of readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = `${dir}/${e.name}`;
      if (e.isDirectory()) walk(rel);
      else if (e.name.endsWith('.ts')) files.set(rel, readFileSync(path.join(root, rel), 'utf8'));
    }
  };
  for (const l of LAYERS) walk(l);
  return files;
}

/**
 * Where side effects are started today. Issue 16 moves every one of them behind one applier and
 * relay in storage/; until then this list may only shrink: a new file that sends a card, writes
 * the journal or opens/closes a task fails here.
 */
const SIDE_EFFECTS: Record<string, { pattern: RegExp; files: string[] }> = {
  'sends or replaces a card': {
    pattern: /\b(sendCards?|updateCards?)\(/,
    files: ['bot/notifier.ts', 'bot/reminderSweep.ts', 'dialogs/d-coordinated-plan/service.ts', 'dialogs/outboxRelay.ts', 'dialogs/ports.ts'],
  },
  'writes the journal': {
    pattern: /\.journal\.append\w*\(/,
    files: ['dialogs/a-waiting-list/service.ts', 'dialogs/admin/manageRolesDialog.ts', 'dialogs/b-plan-review/service.ts', 'dialogs/outboxRelay.ts'],
  },
  'opens or closes a task': {
    // a call that writes a task: the task helpers given the stores, or the task store's writes (an Effects builder's fx.openTask only decides)
    pattern: /\b(openTask|closeTask|completeTask|cancelTask)\(\s*(this\.)?(deps\.)?stores\b|this\.closeTask\(|\.tasks\.(open|close|create)\(/,
    files: ['dialogs/b-plan-review/service.ts', 'dialogs/outboxRelay.ts', 'dialogs/tasks/taskActions.ts'],
  },
};

describe('architecture: the layers import only the way the diagram allows', () => {
  const files = sources();

  it('finds the product’s files and their imports (the check reads real code)', () => {
    assert.ok(files.size > 80, `${files.size} files`);
    assert.ok([...files.values()].reduce((n, s) => n + importsOf(s).length, 0) > 500);
  });

  it('no forbidden import in bot/, dialogs/, storage/, routines/, cards/ or locale/', () => {
    assert.deepEqual(layerViolations(files), []);
  });

  it('would notice: storage importing dialogs, the rules using botbuilder or a clock module, locale taking a value', () => {
    const bad = new Map([
      ['storage/x.ts', "import { MainDialog } from '../dialogs/mainDialog';"],
      ['routines/a-queue/x.ts', "import { TurnContext } from 'botbuilder';\nimport { setTimeout } from 'node:timers/promises';"],
      ['locale/x.ts', "import { ROLES } from '../routines/shared/organisation';\nimport type { Role } from '../routines/shared/organisation';"],
      ['cards/x.ts', "export { TableClient } from '@azure/data-tables';"],
      ['dialogs/a/x.ts', "const s = require('../../scripts/start');"],
      ['bot/x.ts', "import { x } from '../routines/shared/x';\nimport {\n  a,\n  b,\n} from '../cards/expand';"],
    ]);
    assert.deepEqual(
      layerViolations(bad).map((v) => `${v.file}: ${v.rule}`),
      [
        'storage/x.ts: storage/ must not import dialogs/',
        'routines/a-queue/x.ts: routines/ must not use botbuilder',
        'routines/a-queue/x.ts: routines/ uses no node module',
        'locale/x.ts: locale/ takes only types from routines/',
        'cards/x.ts: cards/ must not use @azure/data-tables',
        'dialogs/a/x.ts: dialogs/ imports outside the layers (scripts/)',
      ],
    );
  });

  for (const [what, { pattern, files: allowed }] of Object.entries(SIDE_EFFECTS)) {
    it(`no file outside the known list ${what} (the list issue 16 shrinks to the applier and relay)`, () => {
      const found = [...files].filter(([, s]) => pattern.test(s)).map(([f]) => f).sort();
      assert.deepEqual(found.filter((f) => !allowed.includes(f)), [], `new places that ${what}`);
      assert.deepEqual(allowed.filter((f) => !found.includes(f)), [], `no longer ${what}: remove from the list`);
    });
  }
});

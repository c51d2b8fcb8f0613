import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_PLAYGROUND_USER, PLAYGROUND_OTHER_USERS, renderPlaygroundConfig } from '../scripts/lib/playgroundConfig';
import { DEMO_STAFF } from '../storage/demoData';
import type { Role } from '../routines/shared/organisation';
import { ROLES } from '../routines/shared/organisation';

describe('demo data and the Agents Playground users', () => {
  it('the committed .m365agentsplayground.yml is generated from the demo staff directory (no drift)', () => {
    const committed = readFileSync(path.join(__dirname, '..', '.m365agentsplayground.yml'), 'utf8');
    assert.equal(committed, renderPlaygroundConfig(DEMO_STAFF, DEFAULT_PLAYGROUND_USER), 'run `npm run playground:config`');
    const ids = [...committed.matchAll(/aadObjectId: (\S+)\n/g)].map((m) => m[1]);
    assert.equal(ids.length, 1 + PLAYGROUND_OTHER_USERS, 'the playground starts only with exactly five other users');
    for (const id of ids) assert.ok(DEMO_STAFF.some((p) => p.id === id), `${id} is a demo staff member`);
  });
  it('can put any demo person in the chair, and names the choices for an unknown one', () => {
    for (const p of DEMO_STAFF) {
      const yml = renderPlaygroundConfig(DEMO_STAFF, p.name);
      assert.match(yml, new RegExp(`currentUser:\\n {2}id: demo-user-\\d+\\n {2}name: ${p.name}`));
      assert.equal([...yml.matchAll(/aadObjectId: /g)].length, 1 + PLAYGROUND_OTHER_USERS);
    }
    assert.throws(() => renderPlaygroundConfig(DEMO_STAFF, 'Nobody'), /Anna Andersson, Bertil Berg/);
  });
  it('gives each person their own personal chat (the Playground takes the id literally: a shared one would share dialog state)', () => {
    const ids = DEMO_STAFF.map((p) => renderPlaygroundConfig(DEMO_STAFF, p.name).match(/personalChat:\n {2}id: (\S+)\n/)?.[1]);
    assert.ok(ids.every((id) => id !== undefined && !id.includes('__')), 'no placeholder');
    assert.equal(new Set(ids).size, DEMO_STAFF.length);
  });
  it('covers every role of ROUTINES.md across several administrations', () => {
    const held = new Set<Role>(DEMO_STAFF.flatMap((p) => p.roles.map((r) => r.role)));
    assert.deepEqual(ROLES.filter((r) => !held.has(r)), []);
    const administrations = new Set(DEMO_STAFF.flatMap((p) => p.roles.map((r) => r.unit)).filter((u) => u.startsWith('sf-') || u === 'ffs' || u === 'avo'));
    assert.ok(administrations.size >= 4);
  });
});

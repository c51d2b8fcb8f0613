import type { StaffMember } from '../../routines/shared/organisation';

export const DEMO_TENANT_ID = '00000000-0000-0000-0000-0000000000aa';

/** Bertil Berg, work guidance officer: the person a newcomer chats as unless PLAYGROUND_AS says otherwise. */
export const DEFAULT_PLAYGROUND_USER = 'Bertil Berg';

function ascii(s: string): string {
  return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}

function userYaml(p: StaffMember, indent: string, index: number): string {
  const [given = p.name, ...rest] = p.name.split(' ');
  const email = `${ascii(p.name).replace(/\s+/g, '.')}@demo.goteborg.se`;
  return [
    `id: demo-user-${index}`,
    `name: ${p.name}`,
    `userPrincipleName: ${email}`,
    `aadObjectId: ${p.id}`,
    `givenName: ${given}`,
    `surname: ${rest.join(' ')}`,
    `email: ${email}`,
  ]
    .map((l, i) => (i === 0 ? l : `${indent}${l}`))
    .join('\n');
}

/**
 * The people besides the current user, in order of preference. Agents Playground 0.2.28 starts
 * only with exactly five `users` (with four or six it exits with code 1 and prints nothing), so
 * the file names the current user plus the first five of these who are not that user.
 */
const FEATURED = ['Anna Andersson', 'Bertil Berg', 'David Dahl', 'Gunilla Gran', 'Fredrik Fors', 'Cecilia Carlsson', 'Olle Öberg'];
export const PLAYGROUND_OTHER_USERS = 5;

/**
 * The Agents Playground configuration (`.m365agentsplayground.yml`, format 0.1.1) for the demo
 * staff directory, with `currentUser` as the person chatting. The committed file at the project
 * root is this function's output (a test keeps them equal).
 */
export function renderPlaygroundConfig(staff: readonly StaffMember[], currentUserName: string): string {
  const current = staff.find((p) => p.name === currentUserName);
  if (!current) throw new Error(`no demo person called "${currentUserName}"; choose one of: ${staff.map((p) => p.name).join(', ')}`);
  const index = (p: StaffMember) => staff.indexOf(p) + 1;
  const others = FEATURED.filter((n) => n !== current.name)
    .map((n) => staff.find((p) => p.name === n))
    .filter((p): p is StaffMember => p !== undefined)
    .slice(0, PLAYGROUND_OTHER_USERS);
  return [
    '# yaml-language-server: $schema=https://aka.ms/teams-app-test-tool-config/0.1.1/config.schema.json',
    '# Generated from storage/demoData.ts by scripts/lib/playgroundConfig.ts (npm run playground:config):',
    '# the Agents Playground users are people of the demo staff directory (aadObjectId = directory id).',
    '# To chat as anyone of the directory, start with PLAYGROUND_AS="Anna Andersson" (any demo name)',
    '# instead of editing this file. The playground accepts exactly five `users` besides the current one.',
    'version: "0.1.1"',
    `tenantId: ${DEMO_TENANT_ID}`,
    'bot:',
    '  id: 00000000-0000-0000-0000-0000000000b0',
    '  name: Rutinstöd',
    'currentUser:',
    `  ${userYaml(current, '  ', index(current))}`,
    'users:',
    ...others.map((p) => `  - ${userYaml(p, '    ', index(p))}`),
    // One personal chat id per person: the Playground takes the id literally from this file, so a
    // shared placeholder would make everyone's chat one conversation (and one dialog state).
    'personalChat:',
    `  id: personal-chat-${current.id}`,
    'groupChat:',
    '  id: __GROUP_CHAT_ID__',
    '  name: Gruppchatt',
    'team:',
    '  id: team-id',
    '  name: Socialtjänsten (demo)',
    '  aadGroupId: 00000000-0000-0000-0000-000000000031',
    '  channels:',
    '    - id: channel-general-id',
    '      name: Allmänt',
    '',
  ].join('\n');
}

import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * The repository explains itself (issue 18): README.md and docs/ link only to what a clone has —
 * no path out of the repository, no web page but the local bot and Playground — every relative
 * link, image and anchor resolves, and each routine's page names its governing documents.
 */
const root = path.resolve(__dirname, '..');

function markdownFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? markdownFiles(p) : e.name.endsWith('.md') ? [p] : [];
  });
}
const FILES = [path.join(root, 'README.md'), ...markdownFiles(path.join(root, 'docs'))];
const rel = (file: string) => path.relative(root, file);

/** The text outside fenced code blocks, line by line (a fence's lines become empty, so line numbers hold). */
function proseLines(text: string): string[] {
  let fenced = false;
  return text.split('\n').map((line) => {
    if (/^\s*(```|~~~)/.test(line)) {
      fenced = !fenced;
      return '';
    }
    return fenced ? '' : line;
  });
}

export interface Link {
  line: number;
  target: string;
  kind: 'link' | 'image' | 'autolink' | 'html' | 'reference';
}

/** Every link target of a Markdown text: inline links and images, autolinks, HTML src/href, reference definitions. Code is skipped. */
export function linksOf(text: string): Link[] {
  const out: Link[] = [];
  proseLines(text).forEach((raw, i) => {
    const line = raw.replace(/`[^`]*`/g, '``');
    const at = (kind: Link['kind'], target: string) => out.push({ line: i + 1, target: target.trim(), kind });
    for (const m of line.matchAll(/(!?)\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) at(m[1] ? 'image' : 'link', m[2]!);
    for (const m of line.matchAll(/<((?:[a-z][a-z0-9+.-]*:)[^>\s]+)>/gi)) at('autolink', m[1]!);
    for (const m of line.matchAll(/<(?:img|a|source)\b[^>]*?\s(?:src|href)\s*=\s*"([^"]+)"/gi)) at('html', m[1]!);
    const def = /^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/.exec(line);
    if (def) at('reference', def[1]!);
  });
  return out;
}

/** GitHub's anchor of a heading: its text lower-cased, punctuation and symbols dropped, spaces to hyphens; repeats get -1, -2 … */
export function anchorsOf(text: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const line of proseLines(text)) {
    const h = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!h) continue;
    const plain = h[1]!
      .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
      .replace(/<[^>]+>/g, '')
      .replace(/[`*]/g, '');
    const base = plain.toLowerCase().replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '').replace(/ /g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  return anchors;
}

/** Web addresses a page may show: the bot and the Playground that `npm start` runs on this machine. */
const LOCAL_URL = /^https?:\/\/(localhost|127\.0\.0\.1)(:\d+)?(\/|$)/;

/** What is wrong with one link of `file`, or undefined when it resolves inside the repository. */
function problemOf(file: string, link: Link): string | undefined {
  const { target } = link;
  if (/^[a-z][a-z0-9+.-]*:/i.test(target)) return LOCAL_URL.test(target) ? undefined : 'points outside the repository (only the local bot and Playground may be linked)';
  if (target.startsWith('/') || target.startsWith('\\')) return 'is an absolute path (use a path relative to the page)';
  const [rawPath, anchor] = target.split('#', 2) as [string, string | undefined];
  const filePart = decodeURIComponent(rawPath);
  const resolved = filePart ? path.resolve(path.dirname(file), filePart) : file;
  const inside = path.relative(root, resolved);
  if (inside.startsWith('..') || path.isAbsolute(inside)) return 'points outside the repository';
  if (!existsSync(resolved)) return 'does not exist';
  if (anchor !== undefined) {
    const page = statSync(resolved).isDirectory() ? path.join(resolved, 'README.md') : resolved;
    if (!page.endsWith('.md') || !existsSync(page)) return 'has an anchor on a page that is not Markdown';
    if (!anchorsOf(readFileSync(page, 'utf8')).has(anchor)) return `has no heading #${anchor} in ${rel(page)}`;
  }
  if (link.kind === 'image' || (link.kind === 'html' && /\.(png|jpe?g|gif|svg)$/i.test(filePart))) {
    if (!statSync(resolved).isFile()) return 'is not an image file';
  }
  return undefined;
}

describe('README.md and docs/ explain the product from inside the repository', () => {
  it('finds the pages and their links (README, docs/routines, walkthroughs, …)', () => {
    for (const p of ['README.md', 'docs/routines/README.md', 'docs/walkthroughs.md', 'docs/reliability.md', 'docs/performance.md', 'docs/architecture.md']) {
      assert.ok(FILES.includes(path.join(root, p)), `${p} exists`);
    }
    const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
    assert.ok(linksOf(readme).some((l) => l.target === 'docs/routines/README.md'), 'README links the routines');
  });

  it('no link points outside the repository, and every relative link, image and anchor resolves', () => {
    const problems: string[] = [];
    for (const file of FILES) {
      for (const link of linksOf(readFileSync(file, 'utf8'))) {
        const p = problemOf(file, link);
        if (p) problems.push(`${rel(file)}:${link.line}: ${link.kind} "${link.target}" ${p}`);
      }
    }
    assert.deepEqual(problems, []);
  });

  it('names no file outside the repository, not even as plain text (a clone has no ../shared)', () => {
    for (const file of FILES) {
      proseLines(readFileSync(file, 'utf8')).forEach((line, i) => {
        assert.doesNotMatch(line, /\.\.\/shared\b|\/work\/shared|\bseeds\/|ROUTINES\.md/, `${rel(file)}:${i + 1} names a file outside the repository`);
      });
    }
  });

  const GOVERNING: Record<'a' | 'b' | 'c' | 'd', string[]> = {
    a: [
      'Rutin för att hantera väntelista (kö) när utförare av daglig verksamhet enligt LSS inte är valbar/har ledig kapacitet',
      'Förvaltningen för funktionsstöds instruktion för att hantera platser och väntelista för daglig verksamhet i PAX',
      '2018',
      '2025-01-31',
    ],
    b: ['Göteborgs Stads rutin för att säkerställa och bedöma genomförandeplan för hemtjänstinsatser', '1598/17', '2018-02-01'],
    c: ['Kompetenscenter routine', '12 kap 4 § SoL', 'Bilaga 1'],
    d: ['rutin för samordnad plan (SP)', '2021-11-12', '2026-03-02'],
  };

  for (const [routine, names] of Object.entries(GOVERNING)) {
    it(`docs/routines/${routine}.md names its governing documents and cites them rule by rule`, () => {
      const file = path.join(root, 'docs', 'routines', `${routine}.md`);
      assert.ok(existsSync(file), `${rel(file)} exists`);
      const text = readFileSync(file, 'utf8');
      const flat = text.replace(/\s+/g, ' ');
      for (const name of names) assert.ok(flat.includes(name), `${rel(file)} names "${name}"`);
      const headings = [...anchorsOf(text)];
      for (const h of ['governing-document', 'actors', 'deadlines-and-reminders', 'consent', 'who-may-see-what']) {
        assert.ok(headings.some((a) => a.startsWith(h)), `${rel(file)} has a section "${h}"`);
      }
      assert.ok(headings.some((a) => a.startsWith('differences-from-the-document')), `${rel(file)} says where the bot differs from its documents`);
      assert.ok((flat.match(/\bsource\b/gi) ?? []).length >= 5, `${rel(file)} cites its sources rule by rule`);
    });
  }

  it('the link checker itself: finds each kind of link, skips code, and computes GitHub anchors', () => {
    const sample = [
      '# Try routine C (referral to Kompetenscenter, 12 kap 4 § SoL)',
      '## A step, end to end (decide → commit once → answer → relay)',
      '## Deadlines, reminders and *Mina uppgifter*',
      '## Deadlines, reminders and *Mina uppgifter*',
      'See [x](a.md#b), ![i](images/x.png), <http://localhost:3978/x> and <img src="y.png" width="2">.',
      'Not a link: `[no](../shared/ROUTINES.md)`.',
      '```',
      '[no](../outside.md)',
      '```',
      '[ref]: ../far.md',
    ].join('\n');
    assert.deepEqual(
      linksOf(sample).map((l) => `${l.kind} ${l.target}`),
      ['link a.md#b', 'image images/x.png', 'autolink http://localhost:3978/x', 'html y.png', 'reference ../far.md'],
    );
    assert.deepEqual([...anchorsOf(sample)], ['try-routine-c-referral-to-kompetenscenter-12-kap-4--sol', 'a-step-end-to-end-decide--commit-once--answer--relay', 'deadlines-reminders-and-mina-uppgifter', 'deadlines-reminders-and-mina-uppgifter-1']);
    const readme = path.join(root, 'README.md');
    assert.match(problemOf(readme, { line: 1, target: '../shared/ROUTINES.md', kind: 'link' }) ?? '', /outside the repository/);
    assert.match(problemOf(readme, { line: 1, target: 'https://example.org/', kind: 'link' }) ?? '', /outside the repository/);
    assert.match(problemOf(readme, { line: 1, target: 'docs/nope.md', kind: 'link' }) ?? '', /does not exist/);
    assert.match(problemOf(readme, { line: 1, target: 'docs/routines/a.md#no-such-heading', kind: 'link' }) ?? '', /no heading/);
    assert.equal(problemOf(readme, { line: 1, target: 'http://localhost:56150', kind: 'autolink' }), undefined);
    assert.equal(problemOf(readme, { line: 1, target: 'docs/routines/', kind: 'link' }), undefined);
  });
});

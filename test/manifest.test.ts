import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { buildAppPackage, checkIcons, validateLocalization, validateManifest } from '../manifest/package';
import { encodePng } from '../manifest/png';

const manifestPath = path.join(__dirname, '..', 'manifest', 'manifest.json');
const load = () => JSON.parse(readFileSync(manifestPath, 'utf8').split('${{MICROSOFT_APP_ID}}').join('11111111-2222-3333-4444-555555555555')) as Record<string, unknown>;

/** Entries of a zip written by our zip writer: name → content. */
function unzip(buf: Buffer): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  let o = 0;
  while (buf.readUInt32LE(o) === 0x04034b50) {
    const size = buf.readUInt32LE(o + 18);
    const nameLen = buf.readUInt16LE(o + 26);
    const name = buf.toString('utf8', o + 30, o + 30 + nameLen);
    const start = o + 30 + nameLen + buf.readUInt16LE(o + 28);
    out.set(name, inflateRawSync(buf.subarray(start, start + size)));
    o = start + size;
  }
  return out;
}

describe('Teams app manifest', () => {
  it('validates against the bundled schema, localization included', async () => {
    assert.deepEqual(await validateManifest(load()), []);
    assert.deepEqual(await validateLocalization(JSON.parse(readFileSync(path.join(__dirname, '..', 'manifest', 'en.json'), 'utf8'))), []);
  });
  it('reports a broken manifest', async () => {
    const broken = load();
    delete broken.name;
    broken.manifestVersion = '0.9';
    const errors = await validateManifest(broken);
    assert.ok(errors.length >= 2, errors.join('\n'));
  });
  it('checks the icon sizes', () => {
    assert.deepEqual(checkIcons(readFileSync(path.join(__dirname, '..', 'manifest', 'color.png')), readFileSync(path.join(__dirname, '..', 'manifest', 'outline.png'))), []);
    const wrong = encodePng(64, 64, new Uint8Array(64 * 64 * 4));
    assert.equal(checkIcons(wrong, wrong).length, 2);
  });
  it('writes a zip with exactly the four files and the bot id filled in', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'pkg-'));
    const r = await buildAppPackage({ appId: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee', outDir: out });
    const entries = unzip(readFileSync(r.zipPath));
    assert.deepEqual([...entries.keys()].sort(), ['color.png', 'en.json', 'manifest.json', 'outline.png']);
    const m = JSON.parse(entries.get('manifest.json')!.toString('utf8')) as { id: string; bots: Array<{ botId: string }> };
    assert.equal(m.id, 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee');
    assert.equal(m.bots[0]!.botId, 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee');
  });
});

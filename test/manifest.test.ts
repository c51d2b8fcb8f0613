import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { PNG } from 'pngjs';
import { drawIcon, encodeRgbaPng, ICON_BLUE, TRANSPARENT } from '../manifest/make-icons';
import { buildAppPackage, checkIcons, fillPlaceholders, MANIFEST_SCHEMA_VERSION, newestBundledSchemaVersion, placeholdersIn, validateLocalization, validateManifest, zipFiles } from '../manifest/package';

const appPackage = path.join(__dirname, '..', 'appPackage');
const manifestPath = path.join(appPackage, 'manifest.json');
const ids = { TEAMS_APP_ID: '11111111-2222-3333-4444-555555555555', BOT_ID: '66666666-7777-8888-9999-000000000000' };
const load = () => JSON.parse(fillPlaceholders(readFileSync(manifestPath, 'utf8'), ids, 'manifest.json')) as Record<string, unknown>;

/** The DOS date and time (local time, 2-second resolution) of every local file header of a zip. */
function entryTimes(buf: Buffer): Date[] {
  const times: Date[] = [];
  let o = 0;
  while (buf.readUInt32LE(o) === 0x04034b50) {
    const time = buf.readUInt16LE(o + 10);
    const date = buf.readUInt16LE(o + 12);
    times.push(new Date(1980 + (date >> 9), ((date >> 5) & 0xf) - 1, date & 0x1f, time >> 11, (time >> 5) & 0x3f, (time & 0x1f) * 2));
    o += 30 + buf.readUInt16LE(o + 26) + buf.readUInt16LE(o + 28) + buf.readUInt32LE(o + 18);
  }
  return times;
}

describe('Teams app manifest', () => {
  it('validates against the bundled schema, localization included', async () => {
    assert.deepEqual(await validateManifest(load()), []);
    assert.deepEqual(await validateLocalization(JSON.parse(readFileSync(path.join(appPackage, 'en.json'), 'utf8'))), []);
  });
  it('is on the newest manifest schema the bundled validator ships', () => {
    const manifest = load() as { manifestVersion: string; $schema: string };
    assert.equal(MANIFEST_SCHEMA_VERSION, newestBundledSchemaVersion());
    assert.equal(`v${manifest.manifestVersion}`, MANIFEST_SCHEMA_VERSION);
    assert.ok(manifest.$schema.includes(`/${MANIFEST_SCHEMA_VERSION}/MicrosoftTeams.schema.json`), manifest.$schema);
    const en = JSON.parse(readFileSync(path.join(appPackage, 'en.json'), 'utf8')) as { $schema: string };
    assert.ok(en.$schema.includes(`/${MANIFEST_SCHEMA_VERSION}/MicrosoftTeams.Localization.schema.json`), en.$schema);
  });
  it('names the Teams app and the bot by separate placeholders; Swedish first, English second', () => {
    const text = readFileSync(manifestPath, 'utf8');
    assert.deepEqual(placeholdersIn(text), ['TEAMS_APP_ID', 'BOT_ID']);
    const m = load() as { id: string; bots: Array<{ botId: string; scopes: string[] }>; localizationInfo: { defaultLanguageTag: string; additionalLanguages: Array<{ languageTag: string; file: string }> } };
    assert.equal(m.id, ids.TEAMS_APP_ID);
    assert.equal(m.bots[0]!.botId, ids.BOT_ID);
    assert.deepEqual(m.bots[0]!.scopes, ['personal']);
    assert.equal(m.localizationInfo.defaultLanguageTag, 'sv-se');
    assert.deepEqual(m.localizationInfo.additionalLanguages, [{ languageTag: 'en', file: 'en.json' }]);
    assert.throws(() => fillPlaceholders(text, { TEAMS_APP_ID: 'x' }, 'manifest.json'), /no value for \$\{\{BOT_ID\}\}/);
  });
  it('reports a broken manifest', async () => {
    const broken = load();
    delete broken.name;
    broken.manifestVersion = '0.9';
    const errors = await validateManifest(broken);
    assert.ok(errors.length >= 2, errors.join('\n'));
  });
  it('checks the icon sizes', () => {
    assert.deepEqual(checkIcons(readFileSync(path.join(appPackage, 'color.png')), readFileSync(path.join(appPackage, 'outline.png'))), []);
    const wrong = encodeRgbaPng(64, 64, new Uint8Array(64 * 64 * 4));
    assert.equal(checkIcons(wrong, wrong).length, 2);
  });
  it('checks that the outline icon is white on transparent, and that a PNG is one', () => {
    const blue = encodeRgbaPng(32, 32, drawIcon(32, ICON_BLUE));
    const color = readFileSync(path.join(appPackage, 'color.png'));
    assert.match(checkIcons(color, blue).join('\n'), /outline\.png must be white on transparent/);
    const opaque = new PNG({ width: 32, height: 32 });
    opaque.data.fill(255);
    assert.match(checkIcons(color, PNG.sync.write(opaque, { colorType: 2 })).join('\n'), /outline\.png must have transparency/);
    assert.match(checkIcons(Buffer.from('not a png'), color).join('\n'), /color\.png is not a readable PNG/);
  });
  it('the committed icons are what manifest/make-icons.ts draws', () => {
    for (const [file, size, background] of [['color.png', 192, ICON_BLUE], ['outline.png', 32, TRANSPARENT]] as const) {
      const png = PNG.sync.read(readFileSync(path.join(appPackage, file)));
      assert.deepEqual([png.width, png.height], [size, size], file);
      assert.ok(Buffer.from(drawIcon(size, [...background])).equals(png.data), `${file} has the drawn pixels`);
    }
  });
  it('writes a zip with exactly the four files and the bot id filled in', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'pkg-'));
    const r = await buildAppPackage({ appId: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee', outDir: out });
    const entries = unzipSync(readFileSync(r.zipPath));
    assert.deepEqual(Object.keys(entries).sort(), ['color.png', 'en.json', 'manifest.json', 'outline.png']);
    const m = JSON.parse(Buffer.from(entries['manifest.json']!).toString('utf8')) as { id: string; bots: Array<{ botId: string }> };
    assert.equal(m.id, 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee');
    assert.equal(m.bots[0]!.botId, 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee');
    assert.ok(Buffer.from(entries['color.png']!).equals(readFileSync(path.join(appPackage, 'color.png'))), 'icons are stored unchanged');
  });
  it('fills a separate Teams app id and bot id', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'pkg-'));
    const r = await buildAppPackage({ teamsAppId: ids.TEAMS_APP_ID, botId: ids.BOT_ID, outDir: out });
    const m = JSON.parse(Buffer.from(unzipSync(readFileSync(r.zipPath))['manifest.json']!).toString('utf8')) as { id: string; bots: Array<{ botId: string }> };
    assert.deepEqual([m.id, m.bots[0]!.botId], [ids.TEAMS_APP_ID, ids.BOT_ID]);
  });
  it('dates the zip entries (not the 1980 epoch of an empty DOS date)', async () => {
    const before = Date.now();
    const out = mkdtempSync(path.join(tmpdir(), 'pkg-'));
    const r = await buildAppPackage({ outDir: out });
    const times = entryTimes(readFileSync(r.zipPath));
    assert.equal(times.length, 4);
    for (const t of times) assert.ok(Math.abs(t.getTime() - before) < 10_000, `entry dated ${t.toISOString()}, built at ${new Date(before).toISOString()}`);
    const fixed = new Date(2026, 4, 17, 9, 30, 12);
    assert.deepEqual(entryTimes(zipFiles([['a.txt', Buffer.from('a')]], fixed)).map((t) => t.getTime()), [fixed.getTime()]);
  });
});

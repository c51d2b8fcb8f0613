import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { projectRoot } from '../scripts/lib/projectRoot';
import { crc32, pngInfo } from './png';

/** The manifest schema version used, bundled by the npm package @microsoft/app-manifest (validates offline). */
export const MANIFEST_SCHEMA_VERSION = 'v1.24';
const PLACEHOLDER = '${{MICROSOFT_APP_ID}}';
/** Used when no MicrosoftAppId is set, so a package can still be built and inspected locally. */
export const FAKE_APP_ID = '00000000-0000-0000-0000-00000000b07a';

function schemaPath(file: string): string {
  return path.join(projectRoot(), 'node_modules', '@microsoft', 'app-manifest', 'build', 'json-schemas', 'teams', MANIFEST_SCHEMA_VERSION, file);
}

async function validateAgainst(doc: unknown, schemaFile: string): Promise<string[]> {
  // Loaded lazily: packaging is a development-time task and the package is a devDependency.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { ManifestUtil } = require('@microsoft/app-manifest') as typeof import('@microsoft/app-manifest');
  const schema = JSON.parse(readFileSync(schemaPath(schemaFile), 'utf8'));
  return ManifestUtil.validateManifestAgainstSchema(doc as never, schema);
}

/** Schema errors of a Teams app manifest (empty when valid). */
export function validateManifest(manifest: unknown): Promise<string[]> {
  return validateAgainst(manifest, 'MicrosoftTeams.schema.json');
}

/**
 * Schema errors of a localization file. Its schema's key patterns are not valid in unicode
 * regular-expression mode (which ManifestUtil's validator uses), so it is checked with the same
 * draft-04 validator (ajv-draft-04, a dependency of @microsoft/app-manifest) in non-unicode mode.
 */
export async function validateLocalization(localization: unknown): Promise<string[]> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Ajv = require('ajv-draft-04') as new (o: object) => { compile(s: object): ((d: unknown) => boolean) & { errors?: Array<{ instancePath: string; message?: string }> | null } };
  const schema = JSON.parse(readFileSync(schemaPath('MicrosoftTeams.Localization.schema.json'), 'utf8')) as object;
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  (require('ajv-formats') as (a: unknown) => void)(ajv);
  const validate = ajv.compile(schema);
  return validate(localization) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message ?? ''}`);
}

/** Icon rules Teams enforces: colour 192×192, outline 32×32 with transparency (white on transparent). */
export function checkIcons(color: Buffer, outline: Buffer): string[] {
  const errors: string[] = [];
  const c = pngInfo(color);
  const o = pngInfo(outline);
  if (c.width !== 192 || c.height !== 192) errors.push(`color.png must be 192×192, is ${c.width}×${c.height}`);
  if (o.width !== 32 || o.height !== 32) errors.push(`outline.png must be 32×32, is ${o.width}×${o.height}`);
  if (o.colourType !== 6) errors.push('outline.png must have an alpha channel (RGBA)');
  return errors;
}

export interface PackageResult {
  zipPath: string;
  appId: string;
  entries: string[];
}

/** Validates everything and writes the Teams app package (a zip with the four files at its root). */
export async function buildAppPackage(opts: { appId?: string; outDir?: string } = {}): Promise<PackageResult> {
  const dir = path.join(projectRoot(), 'manifest');
  const appId = opts.appId || FAKE_APP_ID;
  const manifestText = readFileSync(path.join(dir, 'manifest.json'), 'utf8').split(PLACEHOLDER).join(appId);
  const manifest = JSON.parse(manifestText) as unknown;
  const en = JSON.parse(readFileSync(path.join(dir, 'en.json'), 'utf8')) as unknown;
  const color = readFileSync(path.join(dir, 'color.png'));
  const outline = readFileSync(path.join(dir, 'outline.png'));
  const errors = [...(await validateManifest(manifest)), ...(await validateLocalization(en)).map((e) => `en.json: ${e}`), ...checkIcons(color, outline)];
  if (errors.length) throw new Error(`The Teams app package is not valid:\n${errors.map((e) => `  - ${e}`).join('\n')}`);
  const files: Array<[string, Buffer]> = [
    ['manifest.json', Buffer.from(manifestText)],
    ['en.json', readFileSync(path.join(dir, 'en.json'))],
    ['color.png', color],
    ['outline.png', outline],
  ];
  const outDir = opts.outDir ?? path.join(projectRoot(), 'build');
  mkdirSync(outDir, { recursive: true });
  const zipPath = path.join(outDir, 'appPackage.zip');
  writeFileSync(zipPath, zip(files));
  return { zipPath, appId, entries: files.map(([n]) => n) };
}

/** A minimal zip writer (deflate, no folders): enough for an app package, no dependency. */
export function zip(files: Array<[string, Buffer]>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, data] of files) {
    const nameBuf = Buffer.from(name, 'utf8');
    const compressed = deflateRawSync(data);
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt32LE(0, 10); // time/date
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBuf.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(0, 12);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(compressed.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBuf.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBuf, compressed);
    centrals.push(central, nameBuf);
    offset += local.length + nameBuf.length + compressed.length;
  }
  const centralSize = centrals.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, ...centrals, end]);
}

if (require.main === module) {
  const appId = process.env.MicrosoftAppId ?? '';
  if (!appId) console.warn(`MicrosoftAppId is not set: the package uses the placeholder id ${FAKE_APP_ID} (fine for inspection, not for upload).`);
  buildAppPackage({ appId })
    .then((r) => console.log(`Wrote ${path.relative(process.cwd(), r.zipPath)} (${r.entries.join(', ')}) for bot ${r.appId}`))
    .catch((err: unknown) => {
      console.error((err as Error).message);
      process.exit(1);
    });
}

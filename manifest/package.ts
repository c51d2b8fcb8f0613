import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { zipSync, type Zippable } from 'fflate';
import { PNG, type PNGWithMetadata } from 'pngjs';
import { projectRoot } from '../scripts/lib/projectRoot';

/**
 * Builds the Teams app package from appPackage/ (the Microsoft 365 Agents Toolkit layout:
 * manifest.json with `${{TEAMS_APP_ID}}` and `${{BOT_ID}}`, the localization files it names, and
 * the two icons). `npm run package` is the offline way; the Toolkit's teamsApp/zipAppPackage
 * (m365agents.yml) builds the same package from the same files with the values of env/.env.<env>.
 */

/** Where the package's sources live (the Toolkit's appPackage/). */
export function appPackageDir(): string {
  return path.join(projectRoot(), 'appPackage');
}

/** The manifest schema version used, bundled by the npm package @microsoft/app-manifest (validates offline). */
export const MANIFEST_SCHEMA_VERSION = 'v1.30';
/** Used when no id is set, so a package can still be built and inspected locally. */
export const FAKE_APP_ID = '00000000-0000-0000-0000-00000000b07a';

const PLACEHOLDER = /\$\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

function bundledSchemasDir(): string {
  return path.join(projectRoot(), 'node_modules', '@microsoft', 'app-manifest', 'build', 'json-schemas', 'teams');
}

function schemaPath(file: string): string {
  return path.join(bundledSchemasDir(), MANIFEST_SCHEMA_VERSION, file);
}

/** The newest released manifest schema version in @microsoft/app-manifest (e.g. 'v1.30'; devPreview excluded). */
export function newestBundledSchemaVersion(): string {
  const versions = readdirSync(bundledSchemasDir())
    .map((d) => /^v(\d+)\.(\d+)$/.exec(d))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => [Number(m[1]), Number(m[2])] as const)
    .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const newest = versions.at(-1);
  if (!newest) throw new Error('no manifest schema found in @microsoft/app-manifest');
  return `v${newest[0]}.${newest[1]}`;
}

/** The names of the `${{NAME}}` placeholders in a text (the Toolkit's syntax), each once, in order. */
export function placeholdersIn(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1]!))];
}

/** Replaces every `${{NAME}}` with its value; throws naming each placeholder that has none. */
export function fillPlaceholders(text: string, values: Record<string, string | undefined>, where: string): string {
  const missing = placeholdersIn(text).filter((name) => !values[name]);
  if (missing.length) throw new Error(`${where}: no value for ${missing.map((n) => `\${{${n}}}`).join(', ')}`);
  return text.replace(PLACEHOLDER, (_, name: string) => values[name]!);
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

function decode(png: Buffer, name: string): PNGWithMetadata | string {
  try {
    return PNG.sync.read(png);
  } catch (err) {
    return `${name} is not a readable PNG (${(err as Error).message})`;
  }
}

/**
 * Icon rules Teams enforces: colour 192×192; outline 32×32, white on transparent (every pixel
 * white or fully transparent).
 */
export function checkIcons(color: Buffer, outline: Buffer): string[] {
  const errors: string[] = [];
  const c = decode(color, 'color.png');
  const o = decode(outline, 'outline.png');
  if (typeof c === 'string') errors.push(c);
  else if (c.width !== 192 || c.height !== 192) errors.push(`color.png must be 192×192, is ${c.width}×${c.height}`);
  if (typeof o === 'string') return [...errors, o];
  if (o.width !== 32 || o.height !== 32) errors.push(`outline.png must be 32×32, is ${o.width}×${o.height}`);
  // pngjs decodes every format to RGBA; `alpha` says whether the file itself has transparency.
  if (!o.alpha) errors.push('outline.png must have transparency (an alpha channel)');
  for (let i = 0; i < o.data.length; i += 4) {
    const [r, g, b, a] = [o.data[i]!, o.data[i + 1]!, o.data[i + 2]!, o.data[i + 3]!];
    if (a !== 0 && (r !== 255 || g !== 255 || b !== 255)) {
      errors.push(`outline.png must be white on transparent; pixel ${(i / 4) % o.width},${Math.floor(i / 4 / o.width)} is rgba(${r},${g},${b},${a})`);
      break;
    }
  }
  return errors;
}

export interface PackageResult {
  zipPath: string;
  teamsAppId: string;
  botId: string;
  entries: string[];
}

export interface PackageOptions {
  /** `${{BOT_ID}}`: the bot's client id (MicrosoftAppId). */
  botId?: string;
  /** `${{TEAMS_APP_ID}}`: the Teams app's id; defaults to the bot id (a bot-only app may share it). */
  teamsAppId?: string;
  /** Both ids at once (the older single-id form). */
  appId?: string;
  outDir?: string;
  /** Modification time of the zip entries; now by default. */
  mtime?: Date;
}

/** Validates everything and writes the Teams app package (a zip with its files at the root). */
export async function buildAppPackage(opts: PackageOptions = {}): Promise<PackageResult> {
  const dir = appPackageDir();
  const botId = opts.botId || opts.appId || FAKE_APP_ID;
  const teamsAppId = opts.teamsAppId || opts.appId || botId;
  const values = { TEAMS_APP_ID: teamsAppId, BOT_ID: botId };
  const manifestText = fillPlaceholders(readFileSync(path.join(dir, 'manifest.json'), 'utf8'), values, 'appPackage/manifest.json');
  const manifest = JSON.parse(manifestText) as { icons: { color: string; outline: string }; localizationInfo?: { additionalLanguages?: Array<{ file: string }> } };
  const errors = await validateManifest(manifest);
  const files: Array<[string, Buffer]> = [['manifest.json', Buffer.from(manifestText)]];
  for (const { file } of manifest.localizationInfo?.additionalLanguages ?? []) {
    const text = fillPlaceholders(readFileSync(path.join(dir, file), 'utf8'), values, `appPackage/${file}`);
    errors.push(...(await validateLocalization(JSON.parse(text))).map((e) => `${file}: ${e}`));
    files.push([file, Buffer.from(text)]);
  }
  const color = readFileSync(path.join(dir, manifest.icons.color));
  const outline = readFileSync(path.join(dir, manifest.icons.outline));
  errors.push(...checkIcons(color, outline));
  if (errors.length) throw new Error(`The Teams app package is not valid:\n${errors.map((e) => `  - ${e}`).join('\n')}`);
  files.push([manifest.icons.color, color], [manifest.icons.outline, outline]);

  const outDir = opts.outDir ?? path.join(projectRoot(), 'build');
  mkdirSync(outDir, { recursive: true });
  const zipPath = path.join(outDir, 'appPackage.zip');
  writeFileSync(zipPath, zipFiles(files, opts.mtime ?? new Date()));
  return { zipPath, teamsAppId, botId, entries: files.map(([n]) => n) };
}

/** A zip (deflate, files at the root, UTF-8 names) whose entries carry `mtime`. */
export function zipFiles(files: Array<[string, Uint8Array]>, mtime: Date): Buffer {
  const zippable: Zippable = {};
  for (const [name, data] of files) zippable[name] = [data, { mtime, level: 9 }];
  return Buffer.from(zipSync(zippable));
}

if (require.main === module) {
  const botId = process.env.BOT_ID || process.env.MicrosoftAppId || '';
  const teamsAppId = process.env.TEAMS_APP_ID || botId;
  if (!botId) console.warn(`MicrosoftAppId (or BOT_ID) is not set: the package uses the placeholder id ${FAKE_APP_ID} (fine for inspection, not for upload).`);
  buildAppPackage({ botId, teamsAppId })
    .then((r) => console.log(`Wrote ${path.relative(process.cwd(), r.zipPath)} (${r.entries.join(', ')}) for Teams app ${r.teamsAppId}, bot ${r.botId}`))
    .catch((err: unknown) => {
      console.error((err as Error).message);
      process.exit(1);
    });
}

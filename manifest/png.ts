import { deflateSync, inflateSync } from 'node:zlib';

/**
 * A minimal PNG encoder and decoder on Node's zlib (no dependency): enough to draw the app icons
 * and to check the icons that go into the Teams app package. Encodes 8-bit RGBA; decodes 8-bit
 * greyscale, RGB, greyscale + alpha and RGBA, non-interlaced (what image editors normally write).
 */

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320), as PNG chunks and zip entries use it. */
const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32(buf: Uint8Array, seed = 0): number {
  let c = (seed ^ 0xffffffff) >>> 0;
  for (let i = 0; i < buf.length; i++) c = CRC_TABLE[(c ^ buf[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(data, crc32(head.subarray(4))), 0);
  return Buffer.concat([head, data, crc]);
}

/** Encodes RGBA pixels (row-major, 4 bytes a pixel) as an 8-bit RGBA PNG. */
export function encodePng(width: number, height: number, rgba: Uint8Array): Buffer {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) throw new Error(`bad PNG size ${width}×${height}`);
  if (rgba.length !== width * height * 4) throw new Error(`expected ${width * height * 4} bytes of RGBA, got ${rgba.length}`);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // colour type: truecolour with alpha
  ihdr[10] = 0; // compression: deflate
  ihdr[11] = 0; // filter method: adaptive
  ihdr[12] = 0; // no interlace
  const stride = width * 4;
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (stride + 1)] = 0; // filter type: none
    raw.set(rgba.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  }
  return Buffer.concat([SIGNATURE, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

export interface PngInfo {
  width: number;
  height: number;
  bitDepth: number;
  /** 0 greyscale, 2 RGB, 3 palette, 4 greyscale + alpha, 6 RGBA. */
  colourType: number;
  interlace: number;
}

/** Reads the header (IHDR, which must be the first chunk) of a PNG. */
export function pngInfo(png: Uint8Array): PngInfo {
  const buf = Buffer.from(png.buffer, png.byteOffset, png.byteLength);
  if (buf.length < 33 || !buf.subarray(0, 8).equals(SIGNATURE)) throw new Error('not a PNG (bad signature)');
  if (buf.readUInt32BE(8) !== 13 || buf.toString('ascii', 12, 16) !== 'IHDR') throw new Error('not a PNG (IHDR is not the first chunk)');
  return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20), bitDepth: buf[24]!, colourType: buf[25]!, interlace: buf[28]! };
}

export interface DecodedPng extends PngInfo {
  /** RGBA pixels, row-major, 4 bytes a pixel (formats without alpha decode as opaque). */
  rgba: Uint8Array;
}

const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 4: 2, 6: 4 };

/** Decodes a PNG into RGBA; checks every chunk's CRC. Throws on formats it does not support. */
export function decodePng(png: Uint8Array): DecodedPng {
  const info = pngInfo(png);
  const buf = Buffer.from(png.buffer, png.byteOffset, png.byteLength);
  const idat: Buffer[] = [];
  let o = 8;
  let ended = false;
  while (o + 12 <= buf.length) {
    const len = buf.readUInt32BE(o);
    const type = buf.toString('ascii', o + 4, o + 8);
    if (o + 12 + len > buf.length) throw new Error(`PNG chunk ${type} runs past the end of the file`);
    const crc = buf.readUInt32BE(o + 8 + len);
    if (crc32(buf.subarray(o + 4, o + 8 + len)) !== crc) throw new Error(`PNG chunk ${type} has a bad CRC`);
    if (type === 'IDAT') idat.push(buf.subarray(o + 8, o + 8 + len));
    o += 12 + len;
    if (type === 'IEND') {
      ended = true;
      break;
    }
  }
  if (!ended) throw new Error('PNG has no IEND chunk');
  const channels = CHANNELS[info.colourType];
  if (info.bitDepth !== 8 || channels === undefined || info.interlace !== 0) {
    throw new Error(`unsupported PNG format (bit depth ${info.bitDepth}, colour type ${info.colourType}, interlace ${info.interlace}): save as 8-bit RGBA`);
  }
  const { width, height } = info;
  const stride = width * channels;
  const raw = inflateSync(Buffer.concat(idat));
  if (raw.length !== (stride + 1) * height) throw new Error(`PNG image data has ${raw.length} bytes, expected ${(stride + 1) * height}`);
  // Undo the per-row filters (PNG spec section 9), in place into `pixels`.
  const pixels = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    const src = y * (stride + 1) + 1;
    const row = y * stride;
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? pixels[row + x - channels]! : 0;
      const b = y > 0 ? pixels[row - stride + x]! : 0;
      const c = x >= channels && y > 0 ? pixels[row - stride + x - channels]! : 0;
      let pred: number;
      switch (filter) {
        case 0:
          pred = 0;
          break;
        case 1:
          pred = a;
          break;
        case 2:
          pred = b;
          break;
        case 3:
          pred = (a + b) >>> 1;
          break;
        case 4: {
          const p = a + b - c;
          const pa = Math.abs(p - a);
          const pb = Math.abs(p - b);
          const pc = Math.abs(p - c);
          pred = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
          break;
        }
        default:
          throw new Error(`PNG row ${y} has unknown filter type ${filter}`);
      }
      pixels[row + x] = (raw[src + x]! + pred) & 0xff;
    }
  }
  const rgba = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    const p = i * channels;
    const [r, g, b, a] =
      channels === 4
        ? [pixels[p]!, pixels[p + 1]!, pixels[p + 2]!, pixels[p + 3]!]
        : channels === 3
          ? [pixels[p]!, pixels[p + 1]!, pixels[p + 2]!, 255]
          : channels === 2
            ? [pixels[p]!, pixels[p]!, pixels[p]!, pixels[p + 1]!]
            : [pixels[p]!, pixels[p]!, pixels[p]!, 255];
    rgba.set([r, g, b, a], i * 4);
  }
  return { ...info, rgba };
}

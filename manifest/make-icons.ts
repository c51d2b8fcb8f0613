import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';
import { appPackageDir } from './package';

/**
 * Draws the app icons (run with `npx tsx manifest/make-icons.ts`; the PNGs in appPackage/ are
 * committed): colour 192×192 — a white check mark on the city's blue; outline 32×32 — the same
 * mark in white on transparent, as Teams requires.
 */
export function drawIcon(size: number, background: [number, number, number, number]): Uint8Array {
  const px = new Uint8Array(size * size * 4);
  const inMark = (x: number, y: number) => {
    // Check mark: two thick strokes, in unit coordinates.
    const u = x / size;
    const v = y / size;
    const near = (ax: number, ay: number, bx: number, by: number, w: number) => {
      const dx = bx - ax;
      const dy = by - ay;
      const t = Math.max(0, Math.min(1, ((u - ax) * dx + (v - ay) * dy) / (dx * dx + dy * dy)));
      return Math.hypot(u - (ax + t * dx), v - (ay + t * dy)) < w;
    };
    return near(0.22, 0.52, 0.42, 0.72, 0.075) || near(0.42, 0.72, 0.8, 0.3, 0.075);
  };
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      px.set(inMark(x + 0.5, y + 0.5) ? [255, 255, 255, 255] : background, (y * size + x) * 4);
    }
  }
  return px;
}

export const ICON_BLUE: [number, number, number, number] = [0, 75, 137, 255];
export const TRANSPARENT: [number, number, number, number] = [0, 0, 0, 0];

/** An 8-bit RGBA PNG of the given pixels (pngjs). */
export function encodeRgbaPng(width: number, height: number, rgba: Uint8Array): Buffer {
  const png = new PNG({ width, height });
  png.data.set(rgba);
  return PNG.sync.write(png, { colorType: 6 });
}

if (require.main === module) {
  const dir = appPackageDir();
  writeFileSync(path.join(dir, 'color.png'), encodeRgbaPng(192, 192, drawIcon(192, ICON_BLUE)));
  writeFileSync(path.join(dir, 'outline.png'), encodeRgbaPng(32, 32, drawIcon(32, TRANSPARENT)));
  console.log('Wrote appPackage/color.png and appPackage/outline.png');
}

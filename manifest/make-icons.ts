import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../scripts/lib/projectRoot';
import { encodePng } from './png';

/**
 * Draws the app icons (run with `npx tsx manifest/make-icons.ts`; the PNGs are committed):
 * colour 192×192 — a white check mark in a rounded square on the city's blue; outline 32×32 —
 * the same mark in white on transparent, as Teams requires.
 */
function draw(size: number, background: [number, number, number, number]): Uint8Array {
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
      const i = (y * size + x) * 4;
      const c: [number, number, number, number] = inMark(x + 0.5, y + 0.5) ? [255, 255, 255, 255] : background;
      px.set(c, i);
    }
  }
  return px;
}

const dir = path.join(projectRoot(), 'manifest');
writeFileSync(path.join(dir, 'color.png'), encodePng(192, 192, draw(192, [0, 75, 137, 255])));
writeFileSync(path.join(dir, 'outline.png'), encodePng(32, 32, draw(32, [0, 0, 0, 0])));
console.log('Wrote manifest/color.png and manifest/outline.png');

import { crc32, deflateSync } from 'node:zlib';

/*
 * The add-in's icon, drawn in code so that every size the manifest names is rendered from one design
 * at its exact pixel size: a white envelope with a check badge on a brand-blue rounded square.
 * `tsx src/manifest/cli.ts icons` writes them to assets/; the PNGs are committed, nothing builds them.
 */

/** Every size, in pixels, the manifest references: commands 16/32/80, add-in 64/128, mobile 25/32/48 × 1/2/3. */
export const ICON_SIZES = [16, 25, 32, 48, 50, 64, 75, 80, 96, 128, 144] as const;

/** Each size's file name in assets/ (served at /assets/ on the add-in's origin). */
export const iconFileName = (size: number): string => `icon-${size}.png`;

type Rgb = readonly [number, number, number];
type Point = { x: number; y: number };
const BRAND_BLUE: Rgb = [0x0f, 0x6c, 0xbd];
/** The brand colour as #RRGGBB (the unified manifest's accentColor). */
export const BRAND_COLOUR_HEX = `#${BRAND_BLUE.map((c) => c.toString(16).padStart(2, '0').toUpperCase()).join('')}`;
const WHITE: Rgb = [0xff, 0xff, 0xff];

/* Geometry in a unit square, y pointing down. */
const CORNER = 0.19;
const ENVELOPE = { left: 0.16, top: 0.26, right: 0.78, bottom: 0.7, radius: 0.06 };
const FLAP_TIP = { x: 0.47, y: 0.5 };
const BADGE = { x: 0.74, y: 0.72, gap: 0.225, disk: 0.17 };
const CHECK = [
  { x: 0.66, y: 0.725 },
  { x: 0.718, y: 0.783 },
  { x: 0.82, y: 0.665 }
] as const;

/** Signed distance from (x, y) to a rounded rectangle: negative inside. */
function roundedRect(x: number, y: number, l: number, t: number, r: number, b: number, radius: number): number {
  const qx = Math.abs(x - (l + r) / 2) - ((r - l) / 2 - radius);
  const qy = Math.abs(y - (t + b) / 2) - ((b - t) / 2 - radius);
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - radius;
}

/** Distance from (x, y) to the segment a–b. */
function segment(x: number, y: number, a: Point, b: Point): number {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const t = Math.max(0, Math.min(1, ((x - a.x) * dx + (y - a.y) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(x - a.x - t * dx, y - a.y - t * dy);
}

/** The design at one size: straight edges snapped to whole pixels, so that small sizes stay crisp. */
function layout(size: number) {
  const snap = (v: number) => Math.round(v * size) / size;
  return {
    envelope: {
      left: snap(ENVELOPE.left),
      top: snap(ENVELOPE.top),
      right: snap(ENVELOPE.right),
      bottom: snap(ENVELOPE.bottom),
      radius: ENVELOPE.radius
    },
    badge: { ...BADGE, x: snap(BADGE.x), y: snap(BADGE.y) },
    check: CHECK.map(({ x, y }) => ({ x: x + snap(BADGE.x) - BADGE.x, y: y + snap(BADGE.y) - BADGE.y })),
    // Strokes keep about a pixel at least.
    minStroke: 1.1 / size
  };
}

/** The colour at one point, painter's order, or null outside the icon. */
function paint(x: number, y: number, { envelope: e, badge, check, minStroke }: ReturnType<typeof layout>): Rgb | null {
  if (roundedRect(x, y, 0, 0, 1, 1, CORNER) > 0) return null;
  let colour: Rgb = BRAND_BLUE;
  if (roundedRect(x, y, e.left, e.top, e.right, e.bottom, e.radius) <= 0) {
    colour = WHITE;
    const flap = Math.max(0.055, minStroke) / 2;
    const corner = (left: boolean) => ({ x: left ? e.left : e.right, y: e.top });
    if (segment(x, y, corner(true), FLAP_TIP) <= flap || segment(x, y, corner(false), FLAP_TIP) <= flap) {
      colour = BRAND_BLUE;
    }
  }
  const fromBadge = Math.hypot(x - badge.x, y - badge.y);
  if (fromBadge <= badge.gap) colour = BRAND_BLUE;
  if (fromBadge <= badge.disk) {
    colour = WHITE;
    const tick = Math.max(0.05, minStroke) / 2;
    const [a, b, c] = check as [Point, Point, Point];
    if (segment(x, y, a, b) <= tick || segment(x, y, b, c) <= tick) colour = BRAND_BLUE;
  }
  return colour;
}

/** RGBA pixels (row-major, 4 bytes each) of the icon at `size` × `size`, antialiased by 8 × 8 supersampling. */
export function renderIconPixels(size: number): Uint8Array {
  if (!Number.isInteger(size) || size < 1 || size > 1024) throw new RangeError(`Icon size ${size} is not 1..1024`);
  const grid = 8;
  const pixels = new Uint8Array(size * size * 4);
  const design = layout(size);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let covered = 0;
      for (let sy = 0; sy < grid; sy++) {
        for (let sx = 0; sx < grid; sx++) {
          const colour = paint((px + (sx + 0.5) / grid) / size, (py + (sy + 0.5) / grid) / size, design);
          if (!colour) continue;
          r += colour[0];
          g += colour[1];
          b += colour[2];
          covered++;
        }
      }
      const at = (py * size + px) * 4;
      if (covered === 0) continue;
      pixels[at] = Math.round(r / covered);
      pixels[at + 1] = Math.round(g / covered);
      pixels[at + 2] = Math.round(b / covered);
      pixels[at + 3] = Math.round((covered / (grid * grid)) * 255);
    }
  }
  return pixels;
}

/**
 * The outline variant Microsoft 365 asks for beside the colour icon (white on transparent): the icon's white
 * parts stay white, with their coverage as opacity; the brand-blue background becomes transparent.
 */
export function renderOutlinePixels(size: number): Uint8Array {
  const pixels = renderIconPixels(size);
  for (let at = 0; at < pixels.length; at += 4) {
    const whiteness = Math.max(0, Math.min(1, ((pixels[at] ?? 0) - BRAND_BLUE[0]) / (WHITE[0] - BRAND_BLUE[0])));
    pixels[at + 3] = Math.round((pixels[at + 3] ?? 0) * whiteness);
    pixels.fill(0xff, at, at + 3);
  }
  return pixels;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A PNG file (8-bit RGBA, no interlace) of `width` × `height` RGBA pixels. */
export function encodePng(width: number, height: number, rgba: Uint8Array): Buffer {
  if (rgba.length !== width * height * 4) throw new RangeError('Pixel data does not match the dimensions');
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 6, 0, 0, 0], 8); // bit depth 8, colour type RGBA, deflate, adaptive filtering, no interlace
  const stride = width * 4;
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (stride + 1)] = 0; // filter: none
    raw.set(rgba.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', new Uint8Array(0))
  ]);
}

/** The icon at `size` × `size` as a PNG file. */
export const renderIcon = (size: number): Buffer => encodePng(size, size, renderIconPixels(size));

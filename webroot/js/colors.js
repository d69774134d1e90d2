// One fixed colour per backend for the life of the page, in the order backends are first seen
// (b1 b2 b3 sorted by name in /stats), from the Okabe-Ito palette, which colour-blind readers can tell apart.

const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#000000', '#999933'];
const assigned = new Map();

export function colorOf(backend) {
  if (!assigned.has(backend)) {
    assigned.set(backend, PALETTE[assigned.size % PALETTE.length]);
  }
  return assigned.get(backend);
}

/** The same colour with transparency, for filled areas. */
export function fillOf(backend, alpha = 0.35) {
  const hex = colorOf(backend);
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}

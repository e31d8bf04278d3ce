/**
 * The dense pull over bit-packed 0/1 values (see `PullBitsJob` in
 * ./gather-reduce-worker.ts), as JavaScript source included in the
 * gather-reduce pool program: the same rows in flight as the float pull, the
 * same terms in the same order, so the same bits for finite weights.
 */
export const PULL_BITS_SOURCE = String.raw`
// pull1 over bit-packed 0/1 values (same terms, same order, same rows in flight).
function pullBits(rp, ci, w, bits, out, r0, r1) {
  let i = r0;
  for (; i + 3 < r1; i += 4) {
    let e0 = rp[i], e1 = rp[i + 1], e2 = rp[i + 2], e3 = rp[i + 3];
    const x0 = e1, x1 = e2, x2 = e3, x3 = rp[i + 4];
    let a0 = 0, a1 = 0, a2 = 0, a3 = 0;
    if (w === null) {
      while (e0 < x0 && e1 < x1 && e2 < x2 && e3 < x3) {
        let c = ci[e0++]; a0 += (bits[c >>> 5] >>> (c & 31)) & 1;
        c = ci[e1++]; a1 += (bits[c >>> 5] >>> (c & 31)) & 1;
        c = ci[e2++]; a2 += (bits[c >>> 5] >>> (c & 31)) & 1;
        c = ci[e3++]; a3 += (bits[c >>> 5] >>> (c & 31)) & 1;
      }
    } else {
      while (e0 < x0 && e1 < x1 && e2 < x2 && e3 < x3) {
        let c = ci[e0]; a0 += w[e0++] * ((bits[c >>> 5] >>> (c & 31)) & 1);
        c = ci[e1]; a1 += w[e1++] * ((bits[c >>> 5] >>> (c & 31)) & 1);
        c = ci[e2]; a2 += w[e2++] * ((bits[c >>> 5] >>> (c & 31)) & 1);
        c = ci[e3]; a3 += w[e3++] * ((bits[c >>> 5] >>> (c & 31)) & 1);
      }
    }
    a0 = bitsTail(ci, w, bits, e0, x0, a0); a1 = bitsTail(ci, w, bits, e1, x1, a1);
    a2 = bitsTail(ci, w, bits, e2, x2, a2); a3 = bitsTail(ci, w, bits, e3, x3, a3);
    out[i] = a0; out[i + 1] = a1; out[i + 2] = a2; out[i + 3] = a3;
  }
  for (; i < r1; i++) out[i] = bitsTail(ci, w, bits, rp[i], rp[i + 1], 0);
}

function bitsTail(ci, w, bits, e, end, acc) {
  if (w === null) for (; e < end; e++) { const c = ci[e]; acc += (bits[c >>> 5] >>> (c & 31)) & 1; }
  else for (; e < end; e++) { const c = ci[e]; acc += w[e] * ((bits[c >>> 5] >>> (c & 31)) & 1); }
  return acc;
}
`;

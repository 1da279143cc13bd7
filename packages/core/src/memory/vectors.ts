/**
 * The vector scaled to length 1, as stores expect (their similarity is a dot product); null for
 * a vector that cannot be compared (empty, zero, or not finite).
 */
export function normaliseVector(values: ArrayLike<number>): Float32Array | null {
  let sum = 0;
  for (let index = 0; index < values.length; index++) sum += (values[index] ?? 0) ** 2;
  const norm = Math.sqrt(sum);
  if (values.length === 0 || !Number.isFinite(norm) || norm === 0) return null;
  return Float32Array.from(values, (value) => value / norm);
}

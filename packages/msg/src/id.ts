const FNV_OFFSET_BASIS = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** fnv1a32 hashes the UTF-8 bytes of text with 32-bit FNV-1a. */
export function fnv1a32(text: string): number {
  let hash = FNV_OFFSET_BASIS;
  const bytes = Buffer.from(text, "utf8");
  for (const byte of bytes) {
    hash ^= byte;
    hash = Math.imul(hash, FNV_PRIME) >>> 0;
  }
  return hash >>> 0;
}

/**
 * recordIdFor returns the key label kube2sky v1.2 used for a record value: FNV-1a 32 of the exact JSON,
 * lowercase hex with no zero padding (so `10.0.2.7`'s record can get a 6-character id such as `c89ee3`).
 */
export function recordIdFor(json: string): string {
  return fnv1a32(json).toString(16);
}

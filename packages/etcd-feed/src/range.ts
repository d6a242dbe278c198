/** prefixEnd is the etcd range end that covers every key starting with prefix: its last non-0xff byte plus one. */
export function prefixEnd(prefix: string | Buffer): Buffer {
  const end = Buffer.from(prefix);
  for (let i = end.length - 1; i >= 0; i--) {
    if (end[i]! < 0xff) {
      end[i] = end[i]! + 1;
      return end.subarray(0, i + 1);
    }
  }
  return Buffer.from([0]); // every byte 0xff: the range runs to the end of the key space
}

/** keyAfter is the smallest key greater than key: where the next page of a range starts. */
export function keyAfter(key: Buffer): Buffer {
  return Buffer.concat([key, Buffer.from([0])]);
}

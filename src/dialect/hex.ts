/** Bytes as lowercase hex, for the dialects that carry blobs inside text (JSON lists, array literals). No Node Buffer: this runs on the edge. */
const DIGITS = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

export function hex(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length; i++) out += DIGITS[bytes[i]!];
  return out;
}

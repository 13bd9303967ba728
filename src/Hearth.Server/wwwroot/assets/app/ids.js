// Ids the app makes (messages, a temporary chat, the session). crypto.randomUUID exists only in a secure context
// (https, localhost), and Hearth is often opened at a plain-http address on a home or office network, where the app
// would stop at its first line; crypto.getRandomValues works in every context, so a version 4 UUID is made from it.

/** A random UUID, in any context. */
export function newId() {
  if (typeof crypto.randomUUID === 'function') {
    return crypto.randomUUID();
  }
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map(b => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

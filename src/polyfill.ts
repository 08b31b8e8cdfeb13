// Standard decorators keep metadata under Symbol.metadata, which Node 20/22, Bun
// and workerd do not define yet. Compilers fall back to the same registered symbol.
(Symbol as { metadata?: symbol }).metadata ??= Symbol.for("Symbol.metadata");
export {};

/**
 * Table -> the name of the first model class built on it, filled as models'
 * metadata is built (./metadata.ts): how `queryDetails` (transaction/log.ts)
 * names the model of a query event without the core computing it per event.
 */
export const modelsByTable: Map<string, string> = new Map();

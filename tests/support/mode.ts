/** Which decorator mode this run of the suite compiles models with (see vitest.config.ts). */
export const decoratorMode = (process.env.EDGERECORD_DECORATORS ?? "tc39") as "tc39" | "legacy";

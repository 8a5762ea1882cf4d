/** Loosely typed JSON as it arrives on the wire; handlers read fields and validate what they rely on. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = Record<string, any>;

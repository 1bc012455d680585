export declare const GATHER_MS: number
export declare const GATHER_MAX_BYTES: number
export declare function gatherWrites(stream: NodeJS.WritableStream, fd: number, gatherMs?: number): () => void

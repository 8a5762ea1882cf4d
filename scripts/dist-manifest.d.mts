/** The name of the record each bundle keeps of what it was built from. */
export declare const MANIFEST: string;
/** The repository files a webpack stats JSON says were bundled, relative to `root`, sorted. */
export declare function bundledFiles(stats: unknown, root: string): string[];
/** The package folder a node_modules path belongs to; undefined outside node_modules. */
export declare function packageDir(path: string): string | undefined;
/** Why dist/<action> is not what the sources build to today, one reason a line (none: it is). */
export declare function staleness(root: string, action: string, distDir?: string): string[];

/** Bundles the compiled SDK and CLI for Node where dist/ is newer than the bundle (or `force`); whether it did. */
export function bundleForNode(options?: { force?: boolean }): boolean;

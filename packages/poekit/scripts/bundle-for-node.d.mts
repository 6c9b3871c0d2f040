/** Bundles the compiled SDK for Node when dist/ is newer than the bundle (or `force`); whether it did. */
export function bundleForNode(options?: { force?: boolean }): boolean;

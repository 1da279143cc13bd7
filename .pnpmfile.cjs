// openapi-typescript (a dev tool of @memgate/rest) drives the TypeScript 5 compiler API, which
// TypeScript 7 (the repo's compiler, a native port) no longer has: give it TypeScript 5 of its own
// instead of the workspace's as a peer.
module.exports = {
  hooks: {
    readPackage(manifest) {
      if (manifest.name === 'openapi-typescript') {
        delete manifest.peerDependencies?.typescript;
        manifest.dependencies = { ...manifest.dependencies, typescript: '~5.9.3' };
      }
      return manifest;
    },
  },
};

// Import cycles, checked by `npm run lint` (depcruise). Type-only imports count: they are erased at run
// time, so they never break module initialisation, but a cycle closed by one still means two modules
// that cannot be understood, tested or moved apart (issue 15: services importing the composition root's
// types). eslint-plugin-import(-x)'s no-cycle cannot count them, hence this tool.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A module reaches itself through its imports (type-only imports included). Move the shared part into a leaf module.',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist|\\.cache)/' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { extensions: ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs', '.json'] },
  },
};

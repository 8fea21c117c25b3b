// The architecture's rules, checked by `npm run lint` (dependency-cruiser reads the imports of the
// TypeScript sources, resolved as the tests resolve them, through tsconfig.spec.json's paths).
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycle',
      severity: 'error',
      comment: 'Modules that import each other, directly or round a loop: split out what both need.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-service-to-service',
      severity: 'error',
      comment: 'A service reaches another over HTTP (the contracts in the kit), never by importing its code.',
      from: { path: '^services/([^/]+)/' },
      to: { path: '^services/([^/]+)/', pathNot: '^services/$1/' },
    },
    {
      name: 'kit-not-tools',
      severity: 'error',
      comment: 'The kit is what every service runs on: it imports neither the tools nor the load generator.',
      from: { path: '^shared/src/' },
      to: { path: '^(tools|traffic|services)/' },
    },
    {
      name: 'no-tools-in-services',
      severity: 'error',
      comment: 'What people run stays out of the services (and so out of their images).',
      from: { path: '^(services|traffic)/[^/]+/src/|^traffic/src/' },
      to: { path: '^tools/' },
    },
    {
      name: 'no-test-helpers-in-code',
      severity: 'error',
      comment: "The kit's test helpers (@casino/shared/testing) are for tests only.",
      from: { path: '^(shared|traffic|tools|services/[^/]+)/src/', pathNot: '^shared/src/testing/' },
      to: { path: '^shared/src/testing/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|node_modules|coverage)/' },
    tsConfig: { fileName: 'tsconfig.spec.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};

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
      name: 'domain-is-pure',
      severity: 'error',
      comment:
        "A service's domain holds its rules and nothing else: no HTTP, store, Sentry, logger or other service, no use case, " +
        "no scenario. From the kit it takes the pure modules by name (contracts, random, validation, scenarios' catalogue), not the whole kit.",
      from: { path: '^services/[^/]+/src/domain/' },
      to: {
        path: [
          '^services/[^/]+/src/(api|data|use-cases|scenarios)/',
          '^shared/src/(index|http-client|sentry|logger|service|cache|cache-outage|metrics|health|request|w3c)\\.ts$',
          '^shared/src/store/',
          '^shared/src/scenarios/(index|state|marking|route|cache-outage|error-burst|n-plus-one)\\.ts$',
          'node_modules/(express|@sentry|pino|pino-http|mongoose|ioredis|undici|supertest)/',
          '^(node:)?(http|https|net|dns|fs|child_process|worker_threads)$',
        ],
      },
    },
    {
      name: 'catalogue-is-pure',
      severity: 'error',
      comment:
        "The scenario catalogue is the public contract's list of scenarios, and the job catalogue names the jobs it can fail: data and schemas only, so a domain may read them.",
      from: { path: '^shared/src/(scenarios|jobs)/catalogue\\.ts$' },
      to: { path: ['^shared/src/(?!services\\.ts$|jobs/catalogue\\.ts$)', 'node_modules/(?!zod/)'] },
    },
    {
      name: 'public-api-apart-from-ops',
      severity: 'error',
      comment: "The gateway's public API (api/) and its control plane (ops/) are two rooms: neither imports the other; app.ts mounts both.",
      from: { path: '^services/gateway/src/(api|ops)/' },
      to: { path: '^services/gateway/src/(api|ops)/', pathNot: '^services/gateway/src/$1/' },
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
    exclude: { path: '(^|/)(dist|coverage)/' },
    tsConfig: { fileName: 'tsconfig.spec.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};

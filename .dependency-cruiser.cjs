// The layering rules of issue 11, checked by `npm run lint` (depcruise). See README "How the code is laid out".
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'Imports point one way; a cycle means two modules are one concern, or one of them is in the wrong layer.',
      from: { path: '^(actions|lib|sandbox)/' },
      to: { circular: true },
    },
    {
      name: 'no-action-imports-another-action',
      severity: 'error',
      comment: 'Code used by two actions goes to lib/, not from one action folder into another.',
      from: { path: '^actions/([^/]+)/' },
      to: { path: '^actions/([^/]+)/', pathNot: '^actions/$1/' },
    },
    {
      name: 'no-lib-imports-actions',
      severity: 'error',
      comment: 'lib/ is shared by the actions and knows none of them.',
      from: { path: '^lib/' },
      to: { path: '^actions/' },
    },
    {
      name: 'runner-imports-no-domain',
      severity: 'error',
      comment: 'lib/runner (the GitHub runner) is the bottom layer: it knows nothing of AWS, ECS or Logs.',
      from: { path: '^lib/runner/' },
      to: { path: ['^lib/(aws|ecs|logs)/', '@aws-sdk/', '@smithy/'] },
    },
    {
      name: 'only-runner-imports-actions-toolkit',
      severity: 'error',
      comment:
        'Only lib/runner talks to the runner (@actions/*); everything else prints through it. @actions/github is a ' +
        'GitHub API client, not the runner: github-calls-only-in-api-modules places it.',
      from: { path: '^(actions|lib)/', pathNot: '^lib/runner/' },
      to: { path: '@actions/', pathNot: '@actions/github' },
    },
    {
      name: 'aws-calls-only-in-api-modules',
      severity: 'error',
      comment:
        'A module that sends AWS commands is named *-api.ts (lib/aws/clients.ts builds the clients); every other module ' +
        'imports only types from @aws-sdk/*, so the *-api.ts files list everything the suite can do to an AWS account.',
      from: { path: '^(actions|lib)/', pathNot: ['-api\\.ts$', '^lib/aws/clients\\.ts$'] },
      to: { path: '@aws-sdk/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'github-calls-only-in-api-modules',
      severity: 'error',
      comment:
        'A module that calls the GitHub API is named *-api.ts, as for AWS: the *-api.ts files list every call the ' +
        'suite can make; every other module imports only types from @actions/github.',
      from: { path: '^(actions|lib)/', pathNot: '-api\\.ts$' },
      to: { path: '@actions/github', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'actions-print-through-their-log',
      severity: 'error',
      comment:
        'An action prints through its own log.ts (which words what it prints and keeps outside text untrusted); its ' +
        "other modules decide and call log.ts, never the runner's printing directly.",
      from: { path: '^actions/[^/]+/', pathNot: '^actions/[^/]+/log\\.ts$' },
      to: { path: '^lib/runner/log\\.ts$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^(dist|coverage)/' },
  },
};

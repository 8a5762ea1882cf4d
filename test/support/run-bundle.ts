export * from '../../sandbox/run-bundle.js';

import { excludeLinesFor, looksLikeTooling, toolingWarning } from '../../../actions/deploy-frontend/tooling-files.js';

describe('looksLikeTooling', () => {
  it.each([
    'package.json',
    'package-lock.json',
    'yarn.lock',
    'pnpm-lock.yaml',
    'README.md',
    'readme.txt',
    'LICENSE',
    'LICENCE.md',
    'CHANGELOG.md',
    'eslint.config.js',
    'playwright.config.js',
    'jest.config.cjs',
    'vite.config.ts',
    'tsconfig.json',
    'tsconfig.build.json',
    'buildspec_js_unit_tests.yml',
    'buildspec_prod_deploy.yml',
    'buildspec.yml',
    'playwright-tests/qunit.spec.js',
    'unittests/index_tests.html',
    'unittests/js/qunit/qunit-2.9.2.js',
    'src/__tests__/a.js',
    'js/cart.test.js',
    '.github/workflows/deploy-production.yml',
    'Dockerfile',
    'Makefile',
  ])('%s is tooling', (path) => {
    expect(looksLikeTooling(path)).toBe(true);
  });

  it.each([
    'index.html',
    'about',
    'account/order',
    'checkout/confirm',
    'header.html',
    'js/cart-0.0.1.js',
    'js/utilities/utilities-0.0.1.js',
    'js/jquery/3.7.1/jquery.min.js',
    'css/main-0.0.3.css',
    'img/product/paper_clip_main_2.jpg',
    'robots.txt',
    'sitemap.xml',
    'manifest.json',
    'js/testimonials-0.0.1.js',
    'testimonials/index.html',
    'docs/readme-guide.html',
  ])('%s is site', (path) => {
    expect(looksLikeTooling(path)).toBe(false);
  });
});

describe('excludeLinesFor', () => {
  it('gives one folder line per tooling folder and the path for single files, sorted without duplicates', () => {
    expect(
      excludeLinesFor([
        'README.md',
        'unittests/index_tests.html',
        'unittests/js/index_tests.js',
        'playwright-tests/qunit.spec.js',
        'package.json',
      ]),
    ).toEqual(['README.md', 'package.json', 'playwright-tests/**', 'unittests/**']);
  });
});

describe('toolingWarning', () => {
  it('is one message naming every file and both inputs that would leave them out', () => {
    const message = toolingWarning(['LICENSE', 'package.json', 'unittests/a.html']);
    expect(message).toBe(
      '3 file(s) look like repository tooling, not site, and will be published: LICENSE, package.json, unittests/a.html. ' +
        "List the site's files in the 'include' input, or leave these out with 'exclude': LICENSE, package.json, unittests/**",
    );
    expect(message).not.toContain('\n');
  });

  it('is nothing when no file looks like tooling', () => {
    expect(toolingWarning([])).toBeUndefined();
  });
});

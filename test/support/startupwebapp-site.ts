import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * A site with the StartupWebApp client repository's shape (bartgottschalk/startup_web_app_client_side, default
 * branch): the same 100 paths and about the same sizes (1.8 MB in all), content generated here. Pages without an
 * extension in the root, account/ and checkout/, HTML fragments, "versioned" js/css, png/jpg images, and the
 * repository's tooling files that are not part of the site.
 */

/** The 22 extensionless pages. */
export const EXTENSIONLESS_PAGES = [
  'about',
  'ad',
  'cart',
  'contact',
  'create-account',
  'forgot-username',
  'login',
  'privacy-policy',
  'product',
  'products',
  'pythonabot',
  'reset-password',
  'set-new-password',
  'terms-of-sale',
  'terms-of-use',
  'account/change-password',
  'account/edit-communication-preferences',
  'account/edit-my-information',
  'account/email-unsubscribe',
  'account/order',
  'checkout/confirm',
  'checkout/success',
];
export const HTML_PAGES = ['index.html', 'error.html', 'account/index.html'];
export const FRAGMENTS = ['header.html', 'header-prefix.html', 'footer.html', 'menu.html'];

const SIZES: Record<string, number> = {
  about: 1872,
  ad: 2061,
  cart: 4348,
  contact: 1924,
  'create-account': 5370,
  'forgot-username': 3012,
  login: 4015,
  'privacy-policy': 2250,
  product: 4108,
  products: 1960,
  pythonabot: 6396,
  'reset-password': 2890,
  'set-new-password': 3188,
  'terms-of-sale': 2510,
  'terms-of-use': 2352,
  'account/change-password': 3598,
  'account/edit-communication-preferences': 4866,
  'account/edit-my-information': 3551,
  'account/email-unsubscribe': 3236,
  'account/order': 5661,
  'checkout/confirm': 8087,
  'checkout/success': 2047,
  'index.html': 2144,
  'error.html': 1521,
  'account/index.html': 2243,
  'header.html': 3271,
  'header-prefix.html': 947,
  'footer.html': 1019,
  'menu.html': 783,
  'css/main-0.0.1.css': 48915,
  'css/main-0.0.2.css': 52042,
  'css/main-0.0.3.css': 52445,
  'js/account-0.0.1.js': 18540,
  'js/account/change-password-0.0.1.js': 7642,
  'js/account/edit-communication-preferences-0.0.1.js': 7678,
  'js/account/edit-my-information-0.0.1.js': 7748,
  'js/account/email-unsubscribe-0.0.1.js': 20468,
  'js/account/order-0.0.1.js': 17872,
  'js/cart-0.0.1.js': 25844,
  'js/checkout/confirm-0.0.1.js': 33563,
  'js/checkout/success-0.0.1.js': 3036,
  'js/create-account-0.0.1.js': 9813,
  'js/forgot-username-0.0.1.js': 3551,
  'js/index-0.0.2.js': 29633,
  'js/jquery/3.7.1/jquery.min.js': 87533,
  'js/login-0.0.1.js': 6150,
  'js/product-0.0.1.js': 20721,
  'js/products-0.0.1.js': 3805,
  'js/pythonabot-0.0.2.js': 5677,
  'js/reset-password-0.0.1.js': 4280,
  'js/set-new-password-0.0.1.js': 7072,
  'js/utilities/form-utilities-0.0.1.js': 12031,
  'js/utilities/utilities-0.0.1.js': 2664,
  'img/Twitter_Social_Icon_Rounded_Square_Color.png': 11287,
  'img/Twitter_Social_Icon_Rounded_Square_White.png': 10783,
  'img/account_empty_white.1.png': 17463,
  'img/account_white.1.png': 26997,
  'img/chat.png': 11246,
  'img/chat_close.png': 9984,
  'img/favicon.1.png': 18551,
  'img/flogo-HexRBG-Wht-512.png': 9687,
  'img/flogo_RGB_HEX-512.png': 10782,
  'img/header_logo.5.png': 23502,
  'img/header_logo.png': 16220,
  'img/menu/collapsed.1.png': 8861,
  'img/product/binder_clip_large_2.jpg': 43005,
  'img/product/binder_clip_medium_2.jpg': 40679,
  'img/product/binder_clip_small_2.jpg': 31603,
  'img/product/binder_clip_video_1_2_thumbnail.jpg': 33295,
  'img/product/binder_clips_main_2.jpg': 54965,
  'img/product/paper_clip_left_2.jpg': 31450,
  'img/product/paper_clip_main_2.jpg': 61234,
  'img/product/paper_clip_right_2.jpg': 34637,
  'img/product/paper_clip_video_1_2_thumbnail.jpg': 43522,
  'img/product/pythonabot_1.jpg': 36966,
  'img/product/rubber_bands_2.jpg': 109739,
  'img/pythonabot_google_ad_4.png': 30318,
  'img/shopping_cart_white.1.png': 4829,
  'img/shopping_cart_white.2.png': 7363,
  'img/under_construction.jpg': 148998,
  'robots.txt': 223,
  'sitemap.xml': 813,
  // not part of the site
  '.github/workflows/deploy-production.yml': 11362,
  '.github/workflows/pr-validation.yml': 2585,
  '.gitignore': 263,
  LICENSE: 35149,
  'README.md': 9555,
  'buildspec_js_unit_tests.yml': 1191,
  'buildspec_prod_deploy.yml': 2072,
  'buildspec_selenium_functional_tests.yml': 3840,
  'eslint.config.js': 8547,
  'package-lock.json': 58111,
  'package.json': 892,
  'playwright-tests/qunit.spec.js': 1930,
  'playwright.config.js': 211,
  'unittests/checkout_confirm_tests.html': 1887,
  'unittests/index_tests.html': 633,
  'unittests/js/checkout_confirm_tests.js': 11298,
  'unittests/js/index_tests.js': 11105,
  'unittests/js/qunit/qunit-2.9.2.js': 188836,
};

export const ALL_FILES = Object.keys(SIZES).sort();
/** Files of the repository that are not the site (what today's workflow leaves out with its allow-list). */
export const TOOLING_FILES = ALL_FILES.filter((path) =>
  /^(\.github\/|\.gitignore$|LICENSE$|README\.md$|buildspec_|eslint\.config|package|playwright|unittests\/)/.test(path),
);
/** The files today's workflow publishes. */
export const SITE_FILES = ALL_FILES.filter((path) => !TOOLING_FILES.includes(path));

/**
 * Today's allow-list (the client repository's deploy-production.yml `--include` lines) as `include` globs. A pattern
 * without '/' matches the name at any depth; the folders are given whole.
 */
export const TODAYS_INCLUDE = [
  'index.html',
  'error.html',
  'menu.html',
  'header.html',
  'header-prefix.html',
  'footer.html',
  'robots.txt',
  'sitemap.xml',
  'js/**',
  'css/**',
  'img/**',
  ...EXTENSIONLESS_PAGES.filter((page) => !page.includes('/')),
  'account/**',
  'checkout/**',
];

function filler(seed: string, size: number, line: (digest: string) => string): string {
  let text = '';
  for (let i = 0; text.length < size; i++) text += line(createHash('sha256').update(`${seed}:${i}`).digest('hex'));
  return text;
}

function binary(seed: string, size: number, magic: Buffer): Buffer {
  const chunks = [magic];
  let total = magic.length;
  for (let i = 0; total < size; i++) {
    const digest = createHash('sha256').update(`${seed}:${i}`).digest();
    chunks.push(digest);
    total += digest.length;
  }
  return Buffer.concat(chunks).subarray(0, size);
}

const generated = new Map<string, Buffer>();

/**
 * The bytes of one file of the site; `version` changes the content but not the size. Made once per test file (the
 * site is 1.8 MB built of SHA-256 digests, and tests write it again and again); each caller gets its own copy.
 */
export function contentOf(path: string, version = 1): Buffer {
  const key = `${path}@${version}`;
  if (!generated.has(key)) generated.set(key, generate(path, version));
  return Buffer.from(generated.get(key)!);
}

function generate(path: string, version: number): Buffer {
  const size = SIZES[path] ?? 1000;
  const seed = `${path}@${version}`;
  const fit = (head: string, line: (d: string) => string, tail: string) =>
    Buffer.from((head + filler(seed, size, line)).slice(0, Math.max(head.length, size - tail.length)) + tail);
  if (EXTENSIONLESS_PAGES.includes(path) || HTML_PAGES.includes(path)) {
    return fit('<!DOCTYPE html>\n<html lang="en">\n\t<head>\n', (d) => `\t\t<!-- ${d} -->\n`, '\n</html>\n');
  }
  if (FRAGMENTS.includes(path)) {
    return fit(
      path === 'header-prefix.html' ? '\t\t\t<div id="prefix">\n' : '<div>\n',
      (d) => `\t<p>${d}</p>\n`,
      '</div>\n',
    );
  }
  if (path.endsWith('.png')) return binary(seed, size, Buffer.from('89504e470d0a1a0a', 'hex'));
  if (path.endsWith('.jpg')) return binary(seed, size, Buffer.from('ffd8ffe0', 'hex'));
  if (path.endsWith('.css'))
    return fit('/* main */\n', (d) => `.c${d.slice(0, 8)} { color: #${d.slice(0, 6)}; }\n`, '');
  if (path.endsWith('.json')) return fit('{"name": "startup_web_app_client_side", "x": "', (d) => d, '"}\n');
  if (path === 'robots.txt') return fit('User-agent: *\n', (d) => `Disallow: /${d.slice(0, 12)}\n`, '');
  if (path === 'sitemap.xml')
    return fit('<?xml version="1.0"?>\n<urlset>\n', (d) => `<url>${d}</url>\n`, '</urlset>\n');
  if (path === 'LICENSE') return fit('GNU GENERAL PUBLIC LICENSE\n', (d) => `${d}\n`, '');
  if (path.startsWith('unittests/') && path.endsWith('.html')) {
    return fit('<!DOCTYPE html>\n<html>\n', (d) => `<!-- ${d} -->\n`, '</html>\n');
  }
  return fit(`// ${path}\n`, (d) => `const v${d.slice(0, 8)} = '${d}';\n`, '');
}

/** Writes the whole repository (site and tooling) into `root`; returns its file list. */
export function writeStartupWebAppSite(root: string): string[] {
  for (const path of ALL_FILES) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), contentOf(path));
  }
  return ALL_FILES;
}

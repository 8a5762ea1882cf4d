import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { cacheControlRules, compileRules } from '../../../actions/deploy-frontend/cache-rules.js';
import { describeLocalObjects } from '../../../actions/deploy-frontend/local-objects.js';
import { parseRules } from '../../../lib/runner/inputs.js';

const root = mkdtempSync(join(tmpdir(), 'local-objects-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function files(contents: Record<string, string>) {
  return Object.entries(contents).map(([path, text]) => {
    const absolutePath = join(root, path);
    mkdirSync(dirname(absolutePath), { recursive: true });
    writeFileSync(absolutePath, text);
    return { path, absolutePath, size: Buffer.byteLength(text) };
  });
}

const options = (contentType = '', cacheControl = '') => ({
  prefix: 'site/',
  cacheControl: cacheControlRules(cacheControl ? parseRules('cache-control', cacheControl) : []),
  contentType: compileRules('content-type', contentType ? parseRules('content-type', contentType) : []),
  concurrency: 4,
});

describe('describeLocalObjects', () => {
  const site = files({
    about: '<!DOCTYPE html>\n<html lang="en"></html>\n',
    'account/order': '\uFEFF<!-- order -->\n<html>\n',
    'header.html': '<div id="header"></div>\n',
    LICENSE: 'MIT License\n',
    empty: '',
    'js/cart-0.0.1.js': 'let a = 1;\n',
  });

  it('makes extensionless HTML a page: text/html, the page Cache-Control, recognised by content', async () => {
    const { objects, pagesByContent, unknownTypes } = await describeLocalObjects(site, options());
    const byKey = Object.fromEntries(objects.map((o) => [o.key, o]));
    expect(pagesByContent).toEqual(['about', 'account/order']);
    expect(byKey['site/about']).toMatchObject({
      contentType: 'text/html; charset=utf-8',
      cacheControl: 'no-cache, must-revalidate',
      recognisedBy: 'content',
    });
    expect(byKey['site/header.html']).not.toHaveProperty('recognisedBy');
    expect(byKey['site/js/cart-0.0.1.js']?.contentType).toBe('text/javascript; charset=utf-8');
    expect(unknownTypes).toEqual(['LICENSE', 'empty']);
  });

  it('lets an explicit content-type rule win over sniffing, and a cache-control rule over the page default', async () => {
    const { objects, pagesByContent } = await describeLocalObjects(
      site,
      options('account/*: text/plain', 'about: no-store'),
    );
    const byKey = Object.fromEntries(objects.map((o) => [o.key, o]));
    expect(pagesByContent).toEqual(['about']);
    expect(byKey['site/account/order']?.contentType).toBe('text/plain; charset=utf-8');
    expect(byKey['site/about']).toMatchObject({ contentType: 'text/html; charset=utf-8', cacheControl: 'no-store' });
  });
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasNoExtension, looksLikeHtmlPage, readHead } from '../../../actions/deploy-frontend/html-sniff.js';

const page = (text: string) => looksLikeHtmlPage(Buffer.from(text, 'utf8'));

describe('looksLikeHtmlPage', () => {
  it.each([
    ['a doctype', '<!DOCTYPE html>\n<html lang="en">'],
    ['a lower-case doctype', '<!doctype html><title>x</title>'],
    ['an <html> tag', '<html>\n<head>'],
    ['an <html> tag with attributes', '<HTML lang="en">'],
    ['a BOM first', '\uFEFF<!DOCTYPE html>'],
    ['whitespace first', '\n\t  \r\n<!DOCTYPE html>'],
    ['comments first', '<!-- built 2026 -->\n<!--\n licence\n-->\n<!DOCTYPE html>'],
    ['a BOM, whitespace and a comment', '\uFEFF  <!-- x --> <html>'],
  ])('is a page with %s', (_name, text) => {
    expect(page(text)).toBe(true);
  });

  it.each([
    ['a fragment', '<div id="header-logo" class="header-logo">'],
    ['a fragment after whitespace', '\t\t\t<div id="header-prefix-wrapper">'],
    ['a link fragment', '<a id="menu-login-link" href="/login">'],
    ['plain text', 'User-agent: *\nDisallow:'],
    ['JSON', '{"a": 1}'],
    ['an XML document', '<?xml version="1.0"?><urlset>'],
    ['a doctype of another kind', '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN">'],
    ['a tag that only starts like html', '<htmlx>'],
    ['a comment never closed within what was read', '<!-- ' + 'x'.repeat(100)],
    ['binary bytes', '\u0000\u0001PNG'],
    ['an empty file', ''],
  ])('is not a page with %s', (_name, text) => {
    expect(page(text)).toBe(false);
  });

  it('reads a page from a Buffer that is a view into a larger one', () => {
    const whole = Buffer.from('xxxx<!DOCTYPE html>', 'utf8');
    expect(looksLikeHtmlPage(whole.subarray(4))).toBe(true);
    expect(looksLikeHtmlPage(whole.subarray(0, 4))).toBe(false);
  });
});

describe('readHead', () => {
  it('reads at most the bytes asked for, and all of a shorter file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sniff-'));
    try {
      writeFileSync(join(dir, 'long'), 'a'.repeat(10_000));
      writeFileSync(join(dir, 'short'), '<html>');
      expect(readHead(join(dir, 'long')).length).toBe(4096);
      expect(readHead(join(dir, 'long'), 10).toString()).toBe('a'.repeat(10));
      expect(readHead(join(dir, 'short')).toString()).toBe('<html>');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('hasNoExtension', () => {
  it.each([
    ['about', true],
    ['account/order', true],
    ['checkout.v2/confirm', true],
    ['robots.txt', false],
    ['js/cart-0.0.1.js', false],
    ['.htaccess', false],
    ['LICENSE', true],
  ])('%s -> %s', (path, expected) => {
    expect(hasNoExtension(path)).toBe(expected);
  });
});

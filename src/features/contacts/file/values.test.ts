import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import iconv from 'iconv-lite';
import { normalizeEmail, normalizeGender, normalizeLanguage, normalizePhone, phoneSlow } from './values.js';
import { fromCp1252 } from './contact-file.js';

describe('normalizePhone', () => {
  test('the usual Dutch ways of writing a number give E.164', () => {
    const cases: Array<[string, string]> = [
      ['06-12345678', '+31612345678'],
      ['06 1234 5678', '+31612345678'],
      ['06.12345678', '+31612345678'],
      ['+31 6 12345678', '+31612345678'],
      ['+31 (0)6 12345678', '+31612345678'],
      ['0031 6 12345678', '+31612345678'],
      ['0031612345678', '+31612345678'],
      ['612345678', '+31612345678'], // Excel drops the leading 0 when the column is a number
      ['020 123 4567', '+31201234567'],
      ['(020) 123 4567', '+31201234567'],
      ['010-1234567', '+31101234567'],
      ['+32 470 12 34 56', '+32470123456'],
      ['+44 20 7946 0958', '+442079460958'],
    ];
    for (const [input, e164] of cases) assert.equal(normalizePhone(input), e164, input);
  });

  test('invalid numbers are rejected', () => {
    for (const input of [
      '123',
      '06-1234567',
      '06-123456789',
      '0000000000',
      'bel mij',
      '3.16123E+10',
      '+31 0 00000000',
      '060 1234567',
    ])
      assert.equal(normalizePhone(input), undefined, input);
  });

  // The cache in normalizePhone assumes libphonenumber decides a 9-digit Dutch number's validity on
  // its first 4 digits and that every way of writing it agrees. If a metadata update breaks that,
  // this fails and the cache must go.
  test('the per-prefix cache agrees with libphonenumber for every 4-digit prefix', () => {
    const suffixes = ['00000', '99999', '13579', '86420'];
    for (let prefix = 1000; prefix <= 9999; prefix++) {
      const verdicts = suffixes.map((s) => phoneSlow(`0${prefix}${s}`) === `+31${prefix}${s}`);
      assert.ok(
        verdicts.every((v) => v === verdicts[0]),
        `prefix ${prefix} is not decided by its first 4 digits`,
      );
    }
    for (const nsn of ['612345678', '201234567', '851234567', '800123456', '661234567', '401234567', '971234567']) {
      const expected = phoneSlow(`0${nsn}`);
      for (const written of [`0${nsn}`, `+31${nsn}`, `0031${nsn}`, nsn]) {
        assert.equal(phoneSlow(written), expected, written);
        assert.equal(normalizePhone(written), expected, written);
      }
    }
  });
});

test('normalizeEmail', () => {
  assert.equal(normalizeEmail('Piet.de.Vries@Example.NL'), 'piet.de.vries@example.nl');
  assert.equal(normalizeEmail('a+tag@sub.example.co.uk'), 'a+tag@sub.example.co.uk');
  assert.equal(normalizeEmail('info@café.nl'), 'info@café.nl');
  for (const bad of [
    'piet',
    'piet@',
    '@example.nl',
    'piet@example',
    'piet@@example.nl',
    'pi et@example.nl',
    'piet@exa mple.nl',
    'a@b@c.nl',
    'piet..x@example.nl',
    '.piet@example.nl',
    'piet@example..nl',
    'piet@-example.nl',
    'Piet <piet@example.nl>',
  ])
    assert.equal(normalizeEmail(bad), undefined, bad);
});

test('normalizeGender', () => {
  const cases: Array<[string, string | undefined]> = [
    ['man', 'male'],
    ['M', 'male'],
    ['Male', 'male'],
    ['heer', 'male'],
    ['Dhr.', 'male'],
    ['de heer', 'male'],
    ['vrouw', 'female'],
    ['V', 'female'],
    ['f', 'female'],
    ['Female', 'female'],
    ['Mevrouw', 'female'],
    ['mw.', 'female'],
    ['X', 'other'],
    ['anders', 'other'],
    ['Other', 'other'],
    ['non-binair', 'other'],
    ['onbekend', 'unknown'],
    ['Unknown', 'unknown'],
    ['mv', undefined],
    ['?', undefined],
    ['robot', undefined],
  ];
  for (const [input, expected] of cases) assert.equal(normalizeGender(input), expected, input);
});

test('normalizeLanguage', () => {
  const cases: Array<[string, string | undefined]> = [
    ['nl', 'nl'],
    ['NL', 'nl'],
    ['Nederlands', 'nl'],
    ['dutch', 'nl'],
    ['nl-BE', 'nl'],
    ['en', 'en'],
    ['EN', 'en'],
    ['Engels', 'en'],
    ['English', 'en'],
    ['en_GB', 'en'],
    ['fr', undefined],
    ['Frans', undefined],
    ['n', undefined],
  ];
  for (const [input, expected] of cases) assert.equal(normalizeLanguage(input), expected, input);
});

test('fromCp1252 after latin1 decoding equals iconv-lite windows-1252 for every byte', () => {
  for (let b = 0; b < 256; b++) {
    const bytes = Buffer.from([0x41, b, 0x42]);
    assert.equal(fromCp1252(bytes.toString('latin1')), iconv.decode(bytes, 'windows-1252'), `byte 0x${b.toString(16)}`);
  }
});

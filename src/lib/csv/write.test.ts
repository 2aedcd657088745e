import { test } from 'node:test';
import assert from 'node:assert/strict';
import { csvCell, csvRow, neutralizeFormula } from './write.js';

test('SEC-3 formula neutralising: text that a spreadsheet would run gets an apostrophe; numbers stay numbers', () => {
  for (const attack of [
    "=cmd|' /C calc'!A0",
    '+1+cmd',
    '-2+3',
    '-cmd',
    '@SUM(A1)',
    '\t=1',
    '\r=1',
    '=HYPERLINK("http://x")',
    '-',
    '+',
    '- 3',
    '-3e5',
    '-0x10',
  ]) {
    assert.equal(neutralizeFormula(attack), `'${attack}`, attack);
  }
  for (const n of ['-3', '-7,5', '-7.5', '+2', '+2.25', '0', '12', '3,14']) assert.equal(neutralizeFormula(n), n, n);
  assert.equal(neutralizeFormula('Prima'), 'Prima');
});

test('SEC-3 CSV cells: numbers typed as numbers are written as numbers, with a decimal comma for `;`', () => {
  assert.equal(csvCell(-3, ';'), '-3');
  assert.equal(csvCell(7.5, ';'), '7,5');
  assert.equal(csvCell(7.5, ','), '7.5');
  assert.equal(csvCell(-0.25, ';'), '-0,25');
  assert.equal(csvCell(1e21, ';'), '1000000000000000000000');
  assert.equal(csvCell('-3', ';'), '-3');
  assert.equal(csvCell('=1;2', ';'), `"'=1;2"`);
  assert.equal(csvCell('a "b"', ','), '"a ""b"""');
  assert.equal(csvCell(null, ';'), '');
  assert.equal(csvRow(['x', -3, 7.5, '-cmd'], ';'), "x;-3;7,5;'-cmd\r\n");
});

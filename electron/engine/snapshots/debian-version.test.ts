import { describe, expect, it } from 'vitest';
import { compareDebianVersions } from './debian-version.js';

// Pairs checked with `dpkg --compare-versions a lt b` on Debian 12.
const ASCENDING: Array<[string, string]> = [
  ['1.5.2-6+deb12u2', '1.5.2-6+deb12u3'],
  ['1.5.2-6+deb12u9', '1.5.2-6+deb12u10'],
  ['1.5.5+dfsg-5', '1.5.5+dfsg-5+deb12u1'],
  ['7.88.1-10+deb12u14', '7.88.1-10+deb12u15'],
  ['1.0~rc1-1', '1.0-1'],
  ['1.0~~', '1.0~'],
  ['1.0', '1.0a'],
  ['1.0a', '1.0+'],
  ['1.0-1', '1.0-1.1'],
  ['9.1-1', '1:0.1-1'],
  ['2.38.1-5+deb12u2', '1:2.38.1-5+deb12u3'],
  ['20230311', '20250419~deb12u2'],
  ['5.2.15-2+b2', '5.2.15-2+b13'],
  ['1.9', '1.10'],
  ['0.9', '0.10'],
];

describe('compareDebianVersions', () => {
  it.each(ASCENDING)('%s < %s', (a, b) => {
    expect(compareDebianVersions(a, b)).toBe(-1);
    expect(compareDebianVersions(b, a)).toBe(1);
  });

  it('treats equal spellings as equal', () => {
    expect(compareDebianVersions('1.0-1', '1.0-1')).toBe(0);
    expect(compareDebianVersions('0:1.0-1', '1.0-1')).toBe(0);
    expect(compareDebianVersions('1.01', '1.1')).toBe(0);
    expect(compareDebianVersions('1.0', '1.0-0')).toBe(0);
  });

  it('compares digit runs longer than a number can hold', () => {
    expect(compareDebianVersions('1.123456789012345678901234567890', '1.123456789012345678901234567891')).toBe(-1);
  });
});

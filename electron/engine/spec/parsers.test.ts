// Small parsers: durations, sizes, command lines, host paths, edit distance.
import { describe, expect, it } from 'vitest';
import { isHostPath, resolveHostPath } from './host-path.js';
import { toLoopback } from './normalize-ports.js';
import { splitCommand } from './split-command.js';
import { closest, editDistance } from './suggest.js';
import { parseDurationMs, parseSizeBytes } from './units.js';

describe('durations', () => {
  it.each([
    ['1s', 1000],
    ['1m30s', 90_000],
    ['500ms', 500],
    ['1.5s', 1500],
    ['2h', 7_200_000],
    ['0', 0],
    ['100us', 0],
  ])('%s = %d ms', (text, ms) => expect(parseDurationMs(text)).toBe(ms));

  it.each(['', '5', 's', '1 s', '1d', '-1s', 'abc'])('rejects %j', (text) => expect(parseDurationMs(text)).toBeUndefined());
});

describe('sizes', () => {
  it.each([
    ['64m', 64 * 1024 ** 2],
    ['1gb', 1024 ** 3],
    ['1G', 1024 ** 3],
    ['512k', 512 * 1024],
    ['100', 100],
    ['1.5m', 1.5 * 1024 ** 2],
    [2048, 2048],
  ] as const)('%s = %d bytes', (text, bytes) => expect(parseSizeBytes(text)).toBe(bytes));

  it.each(['', 'lots', '-1m', '1x', 1.5, -1])('rejects %j', (text) => expect(parseSizeBytes(text)).toBeUndefined());
});

describe('command lines', () => {
  it('splits like a shell, without one', () => {
    expect(splitCommand(`python -c "print('a b')" 'x y' z\\ w ""`)).toEqual({
      ok: true,
      words: ['python', '-c', "print('a b')", 'x y', 'z w', ''],
    });
    expect(splitCommand('  a   b  ')).toEqual({ ok: true, words: ['a', 'b'] });
    expect(splitCommand('say "a \\"quoted\\" word"')).toEqual({ ok: true, words: ['say', 'a "quoted" word'] });
  });

  it('rejects unterminated quotes', () => {
    expect(splitCommand('echo "oops')).toEqual({ ok: false, message: 'unterminated double quote in command' });
    expect(splitCommand("echo 'oops")).toMatchObject({ ok: false });
  });
});

describe('host paths', () => {
  it('tells host paths from volume names', () => {
    expect(['/a', './a', '../a', '.', '~', '~/a', 'C:\\a', 'c:/a'].every(isHostPath)).toBe(true);
    expect(['data', 'my_volume', 'a.b'].some(isHostPath)).toBe(false);
  });

  it('resolves ~ and relative paths', () => {
    expect(resolveHostPath('~', '/spec', '/home/me')).toBe('/home/me');
    expect(resolveHostPath('~/nb', '/spec', '/home/me')).toBe('/home/me/nb');
    expect(resolveHostPath('./x/../y', '/spec', '/home/me')).toBe('/spec/y');
    expect(resolveHostPath('~other/x', '/spec', '/home/me')).toBeUndefined();
    expect(resolveHostPath('C:\\Users\\me', '/spec', '/home/me')).toBe('C:\\Users\\me');
  });
});

describe('loopback addresses', () => {
  it.each([
    ['127.0.0.1', '127.0.0.1'],
    ['127.1.2.3', '127.1.2.3'],
    ['localhost', '127.0.0.1'],
    ['::1', '::1'],
  ])('%s → %s', (ip, expected) => expect(toLoopback(ip)).toBe(expected));

  it.each(['0.0.0.0', '', '192.168.1.1', '127.0.0.256', '127.0.0', '::', 'example.com'])('rejects %j', (ip) =>
    expect(toLoopback(ip)).toBeUndefined(),
  );
});

describe('suggestions', () => {
  it('finds close keys only', () => {
    expect(editDistance('imagee', 'image')).toBe(1);
    expect(closest('imagee', ['image', 'build'])).toBe('image');
    expect(closest('enviroment', ['environment', 'entrypoint'])).toBe('environment');
    expect(closest('zzz', ['image', 'build'])).toBeUndefined();
  });
});

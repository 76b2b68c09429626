// ANSI escape codes in build output become styles, never text: colours (16, 256, RGB), bold,
// resets; other escapes are dropped; a carriage return keeps the last rewrite.
import { describe, expect, it } from 'vitest';
import { parseAnsi, stripAnsi } from './ansi.js';

describe('parseAnsi', () => {
  it('turns SGR colours and resets into styled runs', () => {
    expect(parseAnsi('\x1b[1m\x1b[31mE: \x1b[0mUnable to locate package').runs).toEqual([
      { text: 'E: ', style: { bold: true, fg: 'red' } },
      { text: 'Unable to locate package', style: {} },
    ]);
    expect(parseAnsi('\x1b[92;44mok\x1b[39;49m done\x1b[m').runs).toEqual([
      { text: 'ok', style: { fg: 'bright-green', bg: 'blue' } },
      { text: ' done', style: {} },
    ]);
  });

  it('reads 256-colour and RGB codes', () => {
    expect(parseAnsi('\x1b[38;5;196mA\x1b[38;5;3mB\x1b[48;2;10;20;300mC').runs).toEqual([
      { text: 'A', style: { fg: 'rgb(255, 0, 0)' } },
      { text: 'B', style: { fg: 'yellow' } },
      { text: 'C', style: { fg: 'yellow', bg: 'rgb(10, 20, 255)' } },
    ]);
  });

  it('carries a style to the next line until reset', () => {
    const first = parseAnsi('\x1b[33mwarning: one');
    expect(parseAnsi('two\x1b[0m three', first.end).runs).toEqual([
      { text: 'two', style: { fg: 'yellow' } },
      { text: ' three', style: {} },
    ]);
  });

  it('drops cursor moves, line erases and titles; keeps what a carriage return leaves', () => {
    expect(stripAnsi('\x1b[2K\x1b[1Gfetch 10%\rfetch 100%\x1b]0;title\x07')).toBe('fetch 100%');
    expect(stripAnsi('Step 3/9 : RUN apt-get update')).toBe('Step 3/9 : RUN apt-get update');
    expect(parseAnsi('\x1b[0m').runs).toEqual([]);
  });
});

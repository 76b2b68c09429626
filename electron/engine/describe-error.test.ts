import { describe, expect, it } from 'vitest';
import { describeError } from './describe-error.js';

describe('describeError', () => {
  it('says socket errors in words', () => {
    expect(describeError(Object.assign(new Error('connect ENOENT /x'), { code: 'ENOENT' }))).toBe('no such socket');
    expect(describeError(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }))).toBe('connection refused (nothing listening)');
    expect(describeError(Object.assign(new Error('x'), { code: 'EACCES' }))).toBe('permission denied (EACCES)');
  });

  it("prefers Docker's own message and drops dockerode's HTTP prefix", () => {
    expect(describeError({ message: '(HTTP code 404) no such container - ignored', json: { message: 'No such container: abc' } })).toBe(
      'No such container: abc',
    );
    expect(describeError(new Error('(HTTP code 409) unexpected - Conflict. The name is in use '))).toBe('Conflict. The name is in use');
  });

  it('says anything else as a string', () => {
    expect(describeError('plain words')).toBe('plain words');
    expect(describeError(42)).toBe('42');
    expect(describeError(undefined)).toBe('undefined');
  });
});

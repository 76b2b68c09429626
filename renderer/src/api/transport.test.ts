// Whatever a transport rejects with becomes an ApiCallError with words a person can read.
import { describe, expect, it } from 'vitest';
import { ApiCallError, toApiCallError } from './transport.js';

describe('toApiCallError', () => {
  it('keeps an ApiError’s code and message', () => {
    expect(toApiCallError({ code: 'invalid-input', message: 'No service "x".' })).toMatchObject({ code: 'invalid-input', message: 'No service "x".' });
  });

  it('says an object without a message as its JSON, not "[object Object]"', () => {
    const err = toApiCallError({ reason: 'gone' });
    expect(err).toBeInstanceOf(ApiCallError);
    expect(err).toMatchObject({ code: 'failed', message: '{"reason":"gone"}' });
  });

  it('says a string as itself', () => {
    expect(toApiCallError('no answer')).toMatchObject({ code: 'failed', message: 'no answer' });
  });
});

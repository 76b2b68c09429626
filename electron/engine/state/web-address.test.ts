import { describe, expect, it } from 'vitest';
import { splitWebPath } from './web-address.js';

describe('splitWebPath', () => {
  it('takes the token out of the path and keeps the rest', () => {
    expect(splitWebPath('/p/tm351/notebook/tree?token=abc')).toEqual({ path: '/p/tm351/notebook/tree', token: 'abc' });
    expect(splitWebPath('/lab?x=1&token=abc&y=2')).toEqual({ path: '/lab?x=1&y=2', token: 'abc' });
  });

  it('leaves a path without a token alone', () => {
    expect(splitWebPath('/')).toEqual({ path: '/' });
    expect(splitWebPath('/tree?token=')).toEqual({ path: '/tree' });
  });
});

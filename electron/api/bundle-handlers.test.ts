// courses.chooseBundleFile: the desktop's picker is asked for a bundle file (bundles first, any
// file allowed); a cancel is no path; a shell without a picker refuses in words.
import { describe, expect, it } from 'vitest';
import type { Engine } from '../engine/engine.js';
import { ApiFailure } from './contract.js';
import { BUNDLE_EXTENSION, bundleHandlers, type ChooseFile } from './bundle-handlers.js';

// The picker needs no engine.
const noEngine = {} as unknown as Engine;

describe('courses.chooseBundleFile', () => {
  it('returns the file chosen in the picker, and nothing when cancelled', async () => {
    const asked: Array<Parameters<ChooseFile>[0]> = [];
    let answer: string | undefined = '/media/usb/tm351.coursedock';
    const handlers = bundleHandlers(noEngine, (request) => {
      asked.push(request);
      return Promise.resolve(answer);
    });
    expect(await handlers['courses.chooseBundleFile']({})).toEqual({ path: '/media/usb/tm351.coursedock' });
    answer = undefined;
    expect(await handlers['courses.chooseBundleFile']({})).toEqual({});
    expect(asked[0]!.filters[0]!.extensions).toEqual([BUNDLE_EXTENSION]);
    expect(asked[0]!.filters.at(-1)!.extensions).toEqual(['*']);
  });

  it('is refused in words where there is no picker', async () => {
    const refusal = await Promise.resolve()
      .then(() => bundleHandlers(noEngine)['courses.chooseBundleFile']({}))
      .then(() => undefined, (err: unknown) => err);
    expect(refusal).toBeInstanceOf(ApiFailure);
    expect((refusal as ApiFailure).error.code).toBe('invalid-input');
    expect((refusal as ApiFailure).message).toMatch(/type the path/);
  });
});

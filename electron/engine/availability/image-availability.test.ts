// What is decided about a service's image without Docker: whether a registry must be asked,
// the words a student reads, and the remembered last download failure per environment.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileSettingsStore } from '../settings/settings-store.js';
import { serviceFixture } from '../testing/spec-fixture.js';
import { availabilityWithoutRegistry, cannotBeHadReason, failureTime, notAvailableText, shortPullError } from './image-availability.js';
import { forgetPullFailure, lastPullFailure, rememberPullFailure } from './pull-failures.js';
import { stringMatching } from '../testing/matchers.js';

const build = { context: '/specs/c/nb', dockerfile: 'Dockerfile', args: {} };

describe('availability without a registry', () => {
  it('a present image, or one that can be built, is available', () => {
    expect(availabilityWithoutRegistry(serviceFixture('mongo'), true)).toEqual({ kind: 'available' });
    expect(availabilityWithoutRegistry(serviceFixture('nb', { build }), false)).toEqual({ kind: 'available' });
    expect(availabilityWithoutRegistry(serviceFixture('nb', { build, imageDeclared: false }), false)).toEqual({ kind: 'available' });
  });

  it('an absent image with no build context can only be downloaded: the registry is asked', () => {
    expect(availabilityWithoutRegistry(serviceFixture('mongo'), false)).toEqual({ kind: 'ask-registry' });
    expect(availabilityWithoutRegistry(serviceFixture('mongo', { pullPolicy: 'always' }), false)).toEqual({ kind: 'ask-registry' });
  });

  it('an absent image the spec forbids fetching is not available, and says why', () => {
    const v = availabilityWithoutRegistry(serviceFixture('mongo', { pullPolicy: 'never' }), false);
    expect(v).toEqual({ kind: 'unavailable', reason: stringMatching(/img\/mongo:1 is not on this computer.*pull_policy: never/) });
  });
});

describe('the words', () => {
  it('name the image, the registry problem and the missing build context', () => {
    const reason = cannotBeHadReason('mongo:7', 'Get "https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io: no such host');
    expect(reason).toBe(
      'Image mongo:7 is not available: it is not on this computer, it could not be downloaded (no connection to the image registry), and the course spec has no build context to build it from.',
    );
    expect(shortPullError('manifest unknown')).toBe('the registry does not have it');
    expect(shortPullError('something else')).toBe('something else');
  });

  it('say when it was last tried, in UTC, whatever the locale', () => {
    expect(failureTime('2026-03-04T05:06:07.000Z')).toBe('05:06 UTC on 4 Mar 2026');
    expect(failureTime('not a time')).toBe('not a time');
    expect(notAvailableText({ reason: 'Image x is not available.', at: '2026-03-04T05:06:07.000Z' })).toBe(
      'Image x is not available. Last tried at 05:06 UTC on 4 Mar 2026.',
    );
  });
});

describe('the remembered last download failure', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
  const store = () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cd-pullfail-'));
    dirs.push(dir);
    return new FileSettingsStore(path.join(dir, 'settings.json'));
  };

  it('is kept per environment and service, with its time, and survives a new store on the same file', () => {
    const s = store();
    const failure = { image: 'mongo:7', at: '2026-03-04T05:06:07.000Z', reason: 'no registry' };
    rememberPullFailure(s, 'tm351', 'mongo', failure);
    expect(lastPullFailure(s, 'tm351', 'mongo', 'mongo:7')).toEqual(failure);
    expect(lastPullFailure(s, 'other', 'mongo', 'mongo:7')).toBeUndefined();
    expect(lastPullFailure(new FileSettingsStore(path.join(dirs[0]!, 'settings.json')), 'tm351', 'mongo', 'mongo:7')).toEqual(failure);
  });

  it('no longer counts for another image, and is forgotten after a download that worked', () => {
    const s = store();
    rememberPullFailure(s, 'tm351', 'mongo', { image: 'mongo:7', at: '2026-03-04T05:06:07.000Z', reason: 'no registry' });
    expect(lastPullFailure(s, 'tm351', 'mongo', 'mongo:8')).toBeUndefined();
    forgetPullFailure(s, 'tm351', 'mongo');
    expect(lastPullFailure(s, 'tm351', 'mongo', 'mongo:7')).toBeUndefined();
    forgetPullFailure(s, 'tm351', 'mongo'); // nothing remembered: nothing to do
  });

  it('ignores what is not a failure record', () => {
    const s = store();
    s.set('environments.tm351.pullFailures.mongo', 'garbage');
    expect(lastPullFailure(s, 'tm351', 'mongo', 'mongo:7')).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { progressText } from '../engine/classroom/start-class.js';
import { describeStartClassEvent } from './classroom-start-cull.js';

const other = () => 'classroom line';

describe('start of class lines', () => {
  it('says progress as "n of N ready", images per node, and the summary', () => {
    expect(progressText(23, 30)).toBe('23 of 30 ready');
    expect(describeStartClassEvent({ kind: 'class-progress', ready: 23, total: 30, text: progressText(23, 30) }, other)).toBe('  23 of 30 ready');
    expect(describeStartClassEvent({ kind: 'image-nodes', image: 'reg:5000/nb:1', ready: 2, total: 3 }, other)).toBe('  image reg:5000/nb:1: on 2 of 3 nodes');
    expect(describeStartClassEvent({ kind: 'image', image: 'nb:1', state: 'failed', detail: 'no space' }, other)).toBe('✗ image nb:1: no space');
    expect(describeStartClassEvent({ kind: 'class-ready', ready: 29, total: 30, seconds: 41.26, problems: 1 }, other)).toBe('29 of 30 ready in 41.3 s (1 problem above).');
  });
  it('leaves the classroom’s own events to its formatter', () => {
    expect(describeStartClassEvent({ kind: 'task-problem', student: 'a', service: 'notebook', taskState: 'pending', message: 'm' }, other)).toBe('classroom line');
  });
});

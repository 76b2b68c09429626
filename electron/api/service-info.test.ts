import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadSpec } from '../engine/spec/load-spec.js';
import { SpecError } from '../engine/spec/spec-error.js';
import { serviceInfo } from './service-info.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function load(compose: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coursedock-service-info-'));
  dirs.push(dir);
  const file = path.join(dir, 'compose.yml');
  fs.writeFileSync(file, compose);
  return loadSpec(file, { env: { HOME: dir }, secretsDir: path.join(dir, '.secrets') });
}

const spec = (web: string) =>
  `x-coursedock:\n  services:\n    nb:\n      web: {port: 8888${web}}\n    tool:\n      web: {port: 3333}\nservices:\n  nb:\n    image: nb\n  tool:\n    image: tool\n`;
const where = { resetVolumes: [], dependsOn: [] };

describe('service info for the panel', () => {
  it('says which web UI announces that its pages loaded (x-coursedock web.announces-ready)', () => {
    const s = load(spec(', announces-ready: true'));
    expect(serviceInfo(s.services.nb!, where)).toMatchObject({ hasWebUi: true, webAnnouncesReady: true });
    expect(serviceInfo(s.services.tool!, where)).toEqual(expect.objectContaining({ hasWebUi: true }));
    expect(serviceInfo(s.services.tool!, where)).not.toHaveProperty('webAnnouncesReady');
    expect(serviceInfo(load(spec(', announces-ready: false')).services.nb!, where)).not.toHaveProperty('webAnnouncesReady');
  });

  it('refuses announces-ready that is not a boolean', () => {
    expect(() => load(spec(', announces-ready: sometimes'))).toThrow(SpecError);
  });
});

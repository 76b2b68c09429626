// `coursedock open`: a plain Compose file added by hand is in the course list (next to the
// shipped courses, under its folder's name) and opens by that name; one with errors is not added.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SpecError } from './spec/index.js';
import { offlineEngine } from './testing/offline-engine.js';
import { REPO_ROOT } from './testing/course-copy.js';

const roots: string[] = [];
afterEach(() => {
  for (const r of roots.splice(0)) fs.rmSync(r, { recursive: true, force: true });
});

function setup() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cd-added-'));
  roots.push(root);
  fs.mkdirSync(path.join(root, 'specs', 'pair'), { recursive: true });
  fs.writeFileSync(path.join(root, 'specs', 'pair', 'compose.yml'), 'services:\n  a:\n    image: busybox\n');
  const project = path.join(root, 'projects', 'Notebook-Pair');
  fs.cpSync(path.join(REPO_ROOT, 'electron/engine/spec/corpus/notebook-pair'), project, { recursive: true });
  return { root, project, engine: offlineEngine(root, { env: { HOME: root } }) };
}

describe('courses added with coursedock open', () => {
  it('are listed after the shipped ones under their folder name, and open by it', () => {
    const { engine, project, root } = setup();
    try {
      const { course, spec } = engine.addCourseFile(project);
      expect(course).toEqual({ id: 'notebook-pair', title: 'Notebook-Pair', file: path.join(project, 'compose.yaml') });
      expect(spec.warnings.map((w) => w.path)).toEqual(['services.db.ports[0]', 'services.client.environment.COURSE_GREETING']);
      expect(engine.listCourses().map((c) => c.id)).toEqual(['pair', 'notebook-pair']);
      expect(engine.resolveCourseFile('notebook-pair')).toBe(path.join(project, 'compose.yaml'));
      // Remembered in the settings: another engine on the same folder sees it.
      expect(offlineEngine(root, { env: { HOME: root } }).listCourses().map((c) => c.id)).toEqual(['pair', 'notebook-pair']);
      // Adding it again changes nothing.
      expect(engine.addCourseFile(path.join(project, 'compose.yaml')).course.id).toBe('notebook-pair');
      expect(engine.listCourses()).toHaveLength(2);
    } finally {
      engine.close();
    }
  });

  it('a file with errors is not added', () => {
    const { engine, root } = setup();
    try {
      const bad = path.join(root, 'projects', 'bad', 'compose.yml');
      fs.mkdirSync(path.dirname(bad), { recursive: true });
      fs.writeFileSync(bad, 'services:\n  a:\n    image: busybox\n    ports: ["8080:80", "8080:81"]\n');
      expect(() => engine.addCourseFile(bad)).toThrow(SpecError);
      expect(engine.listCourses().map((c) => c.id)).toEqual(['pair']);
    } finally {
      engine.close();
    }
  });
});

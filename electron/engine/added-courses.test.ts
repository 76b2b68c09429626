import { describe, expect, it } from 'vitest';
import { addCourse, addedCourses } from './added-courses.js';
import type { SettingsStore } from './settings/settings-store.js';

function memoryStore(initial: Record<string, unknown> = {}): SettingsStore {
  const data = new Map(Object.entries(initial));
  return {
    get: (k) => data.get(k),
    set: (k, v) => {
      data.set(k, v);
    },
    delete: (k) => {
      data.delete(k);
    },
  };
}

describe('courses added by hand', () => {
  it('are remembered under their folder name, made unique against the specs folder and each other', () => {
    const store = memoryStore();
    expect(addCourse(store, '/projects/shop/compose.yaml', 'shop', new Set(['tm351']))).toEqual({ id: 'shop', file: '/projects/shop/compose.yaml' });
    expect(addCourse(store, '/elsewhere/shop/compose.yml', 'shop', new Set(['tm351'])).id).toBe('shop-2');
    expect(addCourse(store, '/x/tm351/compose.yml', 'tm351', new Set(['tm351'])).id).toBe('tm351-2');
    expect(addedCourses(store).map((c) => c.id)).toEqual(['shop', 'shop-2', 'tm351-2']);
  });

  it('adding a file again keeps its id; broken entries in the settings are left out', () => {
    const store = memoryStore({ addedCourses: [{ id: 'a', file: '/a/compose.yml' }, { id: 3 }, 'junk'] });
    expect(addCourse(store, '/a/compose.yml', 'a', new Set())).toEqual({ id: 'a', file: '/a/compose.yml' });
    expect(addedCourses(store)).toEqual([{ id: 'a', file: '/a/compose.yml' }]);
  });
});

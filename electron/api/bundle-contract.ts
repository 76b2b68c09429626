// The offline course bundle's methods of the contract (spread into contract.ts's table):
// "Install a course from a file…" in the panel. The bundle is named by an absolute path on this
// computer (the desktop's file picker or the browser shell's path field); progress is pushed as
// the `courses.installProgress` event (the method of that name reads the last one).
import path from 'node:path';
import { z } from 'zod';
import type { CourseInfo } from '../engine/engine.js';
import type { BundleProgress } from '../engine/bundle/export-bundle.js';

export const bundleInputs = {
  /** Installs a course from a bundle file; refused in words (invalid-input) when damaged, foreign or already installed. */
  'courses.installBundle': z
    .object({
      path: z.string().min(1).max(4096).refine((p) => path.isAbsolute(p) || p.startsWith('~'), 'an absolute path to the bundle file'),
      /** Install over a course installed from a bundle before (never one shipped with the app). */
      replace: z.boolean().optional(),
    })
    .strict(),
  /** How far the install running now has got (bytes of the file read of its size). */
  'courses.installProgress': z.object({}).strict(),
  /** The desktop's file picker for a bundle; `path` absent: cancelled. Refused where there is none (the browser shell). */
  'courses.chooseBundleFile': z.object({}).strict(),
} as const;

export interface InstalledCourse {
  course: CourseInfo;
  folder: string;
  images: string[];
  /** Images the bundle does not hold, each with the reason (downloaded when first used). */
  notIncluded: Array<{ ref: string; reason: string }>;
}

export interface BundleOutputs {
  'courses.installBundle': InstalledCourse;
  'courses.installProgress': { progress?: BundleProgress };
  'courses.chooseBundleFile': { path?: string };
}

export type { BundleProgress };

// The courses on offer and which one is chosen: `?course=` in the address, else the last one
// chosen on this computer, else the first on offer.
import { useCallback, useEffect, useState } from 'react';
import { toApiCallError, type ApiCallError } from '../api/transport.js';
import type { CourseInfo } from '../lib/types.js';
import { useClient } from './client-context.js';

const STORAGE_KEY = 'coursedock.course';

const courseInUrl = (): string | undefined => new URLSearchParams(window.location.search).get('course') ?? undefined;

function initialCourse(): string | undefined {
  try {
    return courseInUrl() ?? window.localStorage.getItem(STORAGE_KEY) ?? undefined;
  } catch {
    return courseInUrl();
  }
}

export interface CoursesHook {
  courses: CourseInfo[] | undefined;
  course: string | undefined;
  choose: (id: string) => void;
  error: ApiCallError | undefined;
}

export function useCourses(ready: boolean, epoch: number): CoursesHook {
  const client = useClient();
  const [courses, setCourses] = useState<CourseInfo[]>();
  const [course, setCourse] = useState<string | undefined>(initialCourse);
  const [error, setError] = useState<ApiCallError>();

  useEffect(() => {
    if (!ready) return;
    let live = true;
    client
      .call('courses.list', {})
      .then((list) => {
        if (!live) return;
        setCourses(list);
        setError(undefined);
        setCourse((current) => {
          if (current && list.some((c) => c.id === current || c.file === current)) return current;
          // A course named in the address may be a folder or file not on offer: open it anyway.
          if (current && current === courseInUrl()) return current;
          // A remembered course that is gone (or none yet): the first on offer.
          return list[0]?.id ?? current;
        });
      })
      .catch((err: unknown) => live && setError(toApiCallError(err)));
    return () => {
      live = false;
    };
  }, [client, ready, epoch]);

  const choose = useCallback((id: string) => {
    setCourse(id);
    try {
      window.localStorage.setItem(STORAGE_KEY, id);
    } catch {
      // storage may be unavailable (private windows): choosing still works for this session
    }
  }, []);

  return { courses, course, choose, error };
}

// Hand-built specs for unit tests that must not depend on the loader.
import type { CourseSpec, ServiceSpec } from '../spec/types.js';

export function serviceFixture(name: string, over: Partial<ServiceSpec> = {}): ServiceSpec {
  return {
    name,
    image: `img/${name}:1`,
    imageDeclared: true,
    pullPolicy: 'missing',
    environment: {},
    ports: [],
    mounts: [],
    dependsOn: {},
    labels: {},
    meta: { title: name },
    location: { file: '/specs/c/compose.yml', line: 1, column: 1, path: `services.${name}` },
    ...over,
  };
}

export function specFixture(services: ServiceSpec[], over: Partial<CourseSpec> = {}): CourseSpec {
  return {
    file: '/specs/c/compose.yml',
    dir: '/specs/c',
    project: 'c',
    meta: { title: 'Course', variables: [], studentData: [] },
    services: Object.fromEntries(services.map((s) => [s.name, s])),
    volumes: {},
    warnings: [],
    ...over,
  };
}

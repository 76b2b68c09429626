// Names and labels of a classroom's Docker objects, in one place. A student's stack is named
// and labelled the way `docker stack deploy` does it (`com.docker.stack.namespace`), so
// `docker stack ls` / `docker stack ps <course>-<student>` show what Coursedock created,
// and our own labels say which classroom and which student an object belongs to.

export const CLASSROOM_LABEL = {
  /** The label `docker stack deploy` puts on every object of a stack. */
  stackNamespace: 'com.docker.stack.namespace',
  /** The course (classroom) the object belongs to. */
  classroom: 'org.coursedock.classroom',
  /** The student id the object belongs to. */
  student: 'org.coursedock.student',
  /** The course's service name (on Swarm services and their volumes). */
  service: 'org.coursedock.service',
  /** On volumes: the spec's volume key (or the folder variable it replaces). */
  volume: 'org.coursedock.volume',
  /** Ours: marks objects Coursedock created (same key as the single-laptop engine). */
  managedBy: 'org.coursedock.managed-by',
} as const;

/** The Swarm stack namespace of one student's environment: `<course>-<student>`. */
export const stackNamespace = (course: string, studentId: string): string => `${course}-${studentId}`;

/** The Swarm service of one course service for one student: `<ns>_<service>`, like stacks. */
export const swarmServiceName = (course: string, studentId: string, service: string): string =>
  `${stackNamespace(course, studentId)}_${service}`;

/** The student's own attachable overlay network: `<ns>_default`, like stacks. */
export const studentNetworkName = (course: string, studentId: string): string =>
  `${stackNamespace(course, studentId)}_default`;

/** A student's volume for a spec volume key (or a folder variable turned volume): `<ns>_<key>`. */
export const studentVolumeName = (course: string, studentId: string, key: string): string =>
  `${stackNamespace(course, studentId)}_${key}`;

/**
 * The volume key a folder variable (a host bind mount on one laptop, e.g. NOTEBOOKS_DIR)
 * becomes in a classroom, where student data must live in a volume: `notebooks_dir`.
 */
export const folderVolumeKey = (variable: string): string => variable.toLowerCase();

/** Labels common to every object of one student's stack. */
export const studentLabels = (course: string, studentId: string): Record<string, string> => ({
  [CLASSROOM_LABEL.stackNamespace]: stackNamespace(course, studentId),
  [CLASSROOM_LABEL.classroom]: course,
  [CLASSROOM_LABEL.student]: studentId,
  [CLASSROOM_LABEL.managedBy]: 'coursedock',
});

/** Docker API filter: every object of a classroom. */
export const classroomFilter = (course: string): { label: string[] } => ({
  label: [`${CLASSROOM_LABEL.classroom}=${course}`],
});

/** Docker API filter: every object of one student's stack. */
export const studentFilter = (course: string, studentId: string): { label: string[] } => ({
  label: [`${CLASSROOM_LABEL.classroom}=${course}`, `${CLASSROOM_LABEL.student}=${studentId}`],
});

/** The settings key under which a classroom keeps a student's generated variables. */
export const variablesKey = (course: string, studentId: string): string =>
  ['classrooms', course, 'students', studentId, 'variables'].join('.');

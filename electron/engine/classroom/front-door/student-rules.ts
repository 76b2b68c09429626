// What a signed-in student may call, method by method, checked on the server before any handler
// runs. The table is keyed by the contract's method names (`Record<MethodName, …>`), so a method
// added to the contract does not compile until someone decides its rule here; the table test
// (student-rules.test.ts) then calls every method naming another student's project and expects
// a refusal. On top of the table, every `project` field anywhere in a call's input (nested ones
// such as settings.set's `portPin.project` included) must be the student's own.
import { apiError, parseInput, type MethodName } from '../../../api/contract.js';

export type StudentRule =
  /** Names a project: it must be the student's own stack. */
  | { kind: 'own-project' }
  /** Names no project at all (answers about the classroom or this student only). */
  | { kind: 'no-project' }
  /** Names a terminal or log subscription: only ones this session opened. */
  | { kind: 'own-handle' }
  /** Not offered to students in a classroom; the reason is shown. */
  | { kind: 'refused'; why: string };

const own = { kind: 'own-project' } as const;
const none = { kind: 'no-project' } as const;
const handle = { kind: 'own-handle' } as const;
const refused = (why: string): StudentRule => ({ kind: 'refused', why });

export const STUDENT_RULES: Record<MethodName, StudentRule> = {
  'docker.status': none,
  'docker.retry': none,
  'courses.list': none,
  // The course named is ignored: a student opens their own stack, whatever they ask for.
  'env.open': none,
  'env.state': own,
  'env.up': own,
  'env.down': own,
  'env.check': refused('"Check my environment" is for a course on your own computer; in a classroom, ask your tutor.'),
  'env.profiles': refused('Which parts of the course run is the classroom’s choice, not one student’s.'),
  'env.fix': refused('Fixes are for a course on your own computer; in a classroom, ask your tutor.'),
  'onboarding.state': refused('Setting up Docker is the classroom server’s business, not a student’s.'),
  'onboarding.start': refused('Setting up Docker is the classroom server’s business, not a student’s.'),
  'env.supportBundle': refused('Support bundles are made by the tutor in a classroom.'),
  'service.start': own,
  'service.stop': own,
  'service.restart': own,
  'service.reinstall': own,
  'service.reset': own,
  'service.revealSecret': own,
  'service.confirmDataLocation': refused('A classroom keeps your data in its own volumes: there is nothing to confirm.'),
  'service.webView': own,
  'service.openWork': refused('In a classroom the notebook server is the classroom’s: what is open on it is not asked.'),
  'service.saveNotebookWindows': refused('In a classroom the notebook is shown in the panel, not in windows of its own.'),
  'service.data': refused('In a classroom your data is kept on the classroom server, in its own volumes.'),
  'service.openDataFolder': refused('In a classroom your data is kept on the classroom server, not in a folder of this computer.'),
  'logs.subscribe': own,
  'logs.unsubscribe': handle,
  // A terminal in a service (own project); the host-shell form is refused by the session.
  'terminal.open': own,
  'terminal.input': handle,
  'terminal.resize': handle,
  'terminal.close': handle,
  'snapshot.capture': refused('Snapshots are not offered in a classroom.'),
  'snapshot.list': refused('Snapshots are not offered in a classroom.'),
  'snapshot.drift': refused('Snapshots are not offered in a classroom.'),
  'snapshot.reference': refused('Snapshots are not offered in a classroom.'),
  'snapshot.recreate': refused('Snapshots are not offered in a classroom.'),
  'settings.get': none,
  'settings.set': refused('Settings belong to the classroom, not to one student.'),
  'backup.list': refused('Backups are not offered in a classroom yet; your tutor keeps the classroom’s data.'),
  'backup.take': refused('Backups are not offered in a classroom yet; your tutor keeps the classroom’s data.'),
  'backup.restore': refused('Backups are not offered in a classroom yet; your tutor keeps the classroom’s data.'),
  'backup.delete': refused('Backups are not offered in a classroom yet; your tutor keeps the classroom’s data.'),
  'backup.reveal': refused('Backups are not offered in a classroom yet; your tutor keeps the classroom’s data.'),
  'backup.progress': refused('Backups are not offered in a classroom yet; your tutor keeps the classroom’s data.'),
  'backup.settings': refused('Backups are not offered in a classroom yet; your tutor keeps the classroom’s data.'),
  'courses.installBundle': refused('Courses are installed on the classroom server by the tutor, not by a student.'),
  'courses.installProgress': refused('Courses are installed on the classroom server by the tutor, not by a student.'),
  'courses.chooseBundleFile': refused('Courses are installed on the classroom server by the tutor, not by a student.'),
};

/** Every value of a `project` key anywhere in `input` (depth-bounded; inputs are small). */
export function projectsNamed(input: unknown, depth = 0): string[] {
  if (depth > 8 || input === null || typeof input !== 'object') return [];
  const out: string[] = [];
  for (const [k, v] of Object.entries(input as Record<string, unknown>)) {
    if (k === 'project') out.push(typeof v === 'string' ? v : asText(v));
    else out.push(...projectsNamed(v, depth + 1));
  }
  return out;
}

/** JSON.stringify as it behaves: undefined for what JSON has no text for (undefined, a function). */
const jsonOf = (value: unknown): string | undefined => JSON.stringify(value);

/** A value in words: its JSON, or String() where JSON has none. */
const asText = (value: unknown): string => jsonOf(value) ?? String(value);

/** The words every refusal of another student's project gets (the tests look for them). */
export const NOT_YOURS = 'That is not your environment: you can only use your own.';

/**
 * Validates a student's call and checks it against their project; returns the parsed input.
 * Throws an ApiFailure (invalid-input) for anything not theirs to call.
 */
export function checkStudentCall(method: string, input: unknown, ownProject: string): { method: MethodName; input: unknown } {
  const parsed = parseInput(method, input);
  const rule = STUDENT_RULES[parsed.method];
  if (rule.kind === 'refused') throw apiError('invalid-input', rule.why);
  if (parsed.method === 'terminal.open' && typeof parsed.input === 'object' && 'host' in parsed.input) {
    throw apiError('invalid-input', 'A terminal on the classroom server is not offered: open one in your own services.');
  }
  const named = [...projectsNamed(input), ...projectsNamed(parsed.input)];
  if (named.some((p) => p !== ownProject)) throw apiError('invalid-input', NOT_YOURS);
  if (rule.kind === 'own-project' && named.length === 0) throw apiError('invalid-input', NOT_YOURS);
  return parsed;
}

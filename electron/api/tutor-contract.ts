// The tutor's contract at the classroom front door, as a UI sees it: method names, inputs,
// outputs and pushed events (types only). Its table and the zod inputs live beside the tutor's session in
// engine/classroom/front-door/tutor-session.ts; a UI imports them from here, never from there.
export type { ClassroomTable, TutorEventName, TutorEvents, TutorInput, TutorMethod, TutorOutputs } from '../engine/classroom/front-door/tutor-session.js';
export type { StudentStatus } from '../engine/classroom/types.js';

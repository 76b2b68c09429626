// Which page the classroom front door served: the sign-in page, a student's panel or the
// tutor's Classroom view (a <meta> the front door writes into index.html). Absent on a laptop.
export type ClassroomMode = 'signin' | 'student' | 'tutor';

export function classroomMode(doc: Pick<Document, 'querySelector'> = document): ClassroomMode | undefined {
  const v = doc.querySelector<HTMLMetaElement>('meta[name="coursedock-classroom"]')?.content;
  return v === 'signin' || v === 'student' || v === 'tutor' ? v : undefined;
}

/** Who is signed in (a student id, or "tutor"). */
export function classroomWho(doc: Pick<Document, 'querySelector'> = document): string | undefined {
  return doc.querySelector<HTMLMetaElement>('meta[name="coursedock-classroom-who"]')?.content || undefined;
}

/** Signs out at the front door, then shows the sign-in page. */
export async function signOut(): Promise<void> {
  await fetch('/signout', { method: 'POST', credentials: 'same-origin' }).catch(() => undefined);
  window.location.assign('/');
}

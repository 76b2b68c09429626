// The panel's root when the classroom front door served it: the sign-in page (no API
// connection at all), the tutor's Classroom view, or the student's usual panel with a line
// saying who is signed in.
import { useState } from 'react';
import { connectClient } from '../../api/pick-transport.js';
import { ClientProvider } from '../../hooks/client-context.js';
import { App } from '../App.js';
import { ClassroomView } from './ClassroomView.js';
import { classroomWho, signOut, type ClassroomMode } from './classroom-mode.js';
import { SignIn } from './SignIn.js';
import { connectTutorClient } from './tutor-client.js';
import './classroom.css';

function TutorRoot() {
  const [client] = useState(connectTutorClient);
  return <ClassroomView client={client} />;
}

function StudentRoot() {
  const [client] = useState(connectClient);
  return (
    <ClientProvider client={client}>
      <div className="classroom-student-bar">
        <span className="muted">Signed in as {classroomWho() ?? 'a student'}</span>
        <button type="button" className="btn btn--small btn--ghost" onClick={() => void signOut()}>
          Sign out
        </button>
      </div>
      <App />
    </ClientProvider>
  );
}

export function ClassroomRoot({ mode }: { mode: ClassroomMode }) {
  if (mode === 'signin') return <SignIn />;
  return mode === 'tutor' ? <TutorRoot /> : <StudentRoot />;
}

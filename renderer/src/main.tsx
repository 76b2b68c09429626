// Entry point: connect to whichever shell hosts the panel, then render.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { connectClient } from './api/pick-transport.js';
import { App } from './components/App.js';
import { ClassroomRoot } from './components/classroom/ClassroomRoot.js';
import { classroomMode } from './components/classroom/classroom-mode.js';
import { ErrorBoundary } from './components/ErrorBoundary.js';
import { ClientProvider } from './hooks/client-context.js';
import './styles/theme.css';
import './styles/app.css';

// The classroom front door says which page it served (sign-in, student, tutor); a laptop's shells say nothing.
const mode = classroomMode();
const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <ErrorBoundary>
      {mode ? (
        <ClassroomRoot mode={mode} />
      ) : (
        <ClientProvider client={connectClient()}>
          <App />
        </ClientProvider>
      )}
    </ErrorBoundary>
  </StrictMode>,
);

// Entry point: connect to whichever shell hosts the panel, then render.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { connectClient } from './api/pick-transport.js';
import { App } from './components/App.js';
import { ErrorBoundary } from './components/ErrorBoundary.js';
import { ClientProvider } from './hooks/client-context.js';
import './styles/theme.css';
import './styles/app.css';

const client = connectClient();
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ErrorBoundary>
      <ClientProvider client={client}>
        <App />
      </ClientProvider>
    </ErrorBoundary>
  </StrictMode>,
);

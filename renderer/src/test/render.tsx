// Renders a component with a (fake) client provided.
import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { ClientProvider } from '../hooks/client-context.js';
import type { FakeClient } from './fake-client.js';

export function renderWith(client: FakeClient, ui: ReactElement) {
  return render(<ClientProvider client={client}>{ui}</ClientProvider>);
}

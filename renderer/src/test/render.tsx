// Renders a component with a (fake) client provided, and the app's one set of actions above it
// as App provides them.
import { render } from '@testing-library/react';
import type { ReactElement, ReactNode } from 'react';
import { ActionsProvider } from '../hooks/actions-context.js';
import { ClientProvider } from '../hooks/client-context.js';
import { useActions } from '../hooks/use-actions.js';
import type { FakeClient } from './fake-client.js';

/** What App puts above the panel: one useActions shared by every part of it. */
export function WithAppActions({ children }: { children: ReactNode }) {
  return <ActionsProvider actions={useActions()}>{children}</ActionsProvider>;
}

export function renderWith(client: FakeClient, ui: ReactElement) {
  return render(
    <ClientProvider client={client}>
      <WithAppActions>{ui}</WithAppActions>
    </ClientProvider>,
  );
}

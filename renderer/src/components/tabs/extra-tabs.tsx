// The detail view's Terminal tab (every service: a shell in its container, or why there is none)
// and Notebook tab (services with a web UI: the notebook embedded, already authenticated).
// ServiceDetail appends them after Connection.
import { NotebookTab } from '../notebook/NotebookTab.js';
import { TerminalTab } from '../terminal/TerminalTab.js';
import { BackupsPanel } from '../backups/BackupsPanel.js';
import type { DetailTab, TabContext } from './tab-types.js';

export function extraTabs({ project, service, state }: TabContext): DetailTab[] {
  return [
    { id: 'terminal', label: 'Terminal', render: () => <TerminalTab project={project} service={service} state={state} /> },
    ...(service.hasWebUi
      ? [{ id: 'notebook', label: 'Notebook', render: () => <NotebookTab key={service.name} project={project} service={service} state={state} /> }]
      : []),
    { id: 'backups', label: 'Backups', render: () => <BackupsPanel project={project} service={service} /> },
  ];
}

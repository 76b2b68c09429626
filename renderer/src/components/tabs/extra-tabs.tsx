// The detail view's Terminal tab (every service: a shell in its container, or why there is none)
// and web UI tab (every service with a web UI, named after the service: its page embedded on its
// own origin, already let in). One rule for all, so a course with two web UIs (the notebook and
// OpenRefine) gets one tab each. ServiceDetail appends them after Connection.
import { NotebookTab } from '../notebook/NotebookTab.js';
import { TerminalTab } from '../terminal/TerminalTab.js';
import { SnapshotsTab } from '../SnapshotsTab.js';
import { BackupsPanel } from '../backups/BackupsPanel.js';
import type { DetailTab, TabContext } from './tab-types.js';

/** The web UI tab's id (its label is the service's title). */
export const WEB_TAB = 'web';

export function extraTabs({ project, service, state }: TabContext): DetailTab[] {
  return [
    { id: 'terminal', label: 'Terminal', render: () => <TerminalTab project={project} service={service} state={state} /> },
    { id: 'snapshots', label: 'Snapshots', render: () => <SnapshotsTab key={service.name} project={project} service={service} state={state} /> },
    ...(service.hasWebUi
      ? [{ id: WEB_TAB, label: service.title, render: () => <NotebookTab key={service.name} project={project} service={service} state={state} /> }]
      : []),
    { id: 'backups', label: 'Backups', render: () => <BackupsPanel project={project} service={service} /> },
  ];
}

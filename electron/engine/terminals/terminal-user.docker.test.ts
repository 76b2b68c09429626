// The notebook's terminal runs as the student (the uid that owns the notebooks folder), so a
// file made in it is the student's on this computer, not root's; "Open as root" is the explicit
// other choice. On the real tm351 notebook image, run as its spec runs it (its entrypoint with
// NB_UID, the notebooks folder bind-mounted), with who-runs-the-shell decided from the real spec.
import { randomUUID } from 'node:crypto';
import { chownSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSpec } from '../spec/load-spec.js';
import type { CourseSpec } from '../spec/types.js';
import { copyCourse, type CourseCopy } from '../testing/course-copy.js';
import { openContainerShell } from './container-shell.js';
import type { Terminal } from './terminal.js';
import { terminalUser } from './terminal-user.js';

/** Not this process's uid (root here), so the owner proves who ran the shell. */
const STUDENT_UID = '4321';

const docker = new Dockerode();

describe('terminals run as the service user', () => {
  let copy: CourseCopy | undefined;
  let spec: CourseSpec;
  let vars: Record<string, string>;
  let container: Dockerode.Container | undefined;

  beforeAll(async () => {
    copy = copyCourse();
    vars = { NOTEBOOKS_DIR: copy.notebooksDir, NOTEBOOK_UID: STUDENT_UID, NOTEBOOK_TOKEN: 'tok-terminal-test', MONGO_PASSWORD: 'x1234', MONGO_ADMIN_PASSWORD: 'y1234' };
    spec = loadSpec(copy.file, { env: { ...process.env, ...vars, COURSEDOCK_PROJECT: copy.project }, project: copy.project });
    // The student's folder, owned by the student (on Linux the host-uid is its owner).
    mkdirSync(copy.notebooksDir, { recursive: true });
    chownSync(copy.notebooksDir, Number(STUDENT_UID), Number(STUDENT_UID));
    const notebook = spec.services.notebook!;
    container = await docker.createContainer({
      Image: notebook.image,
      name: `${copy.project}-terminal-user`,
      Env: Object.entries(notebook.environment).map(([k, v]) => `${k}=${v}`),
      Labels: { 'org.coursedock.test': 'terminal-user' },
      HostConfig: { Binds: [`${copy.notebooksDir}:/home/student/notebooks`] },
    });
    await container.start();
  }, 120_000);

  afterAll(async () => {
    await container?.remove({ force: true }).catch(() => undefined);
    copy?.cleanup();
  });

  /** Runs `command` in a shell opened with `options`; resolves with its exit code. */
  async function runIn(options: Parameters<typeof openContainerShell>[3], command: string): Promise<number> {
    const shell: Terminal = await openContainerShell(docker, container!.id, 'Jupyter Notebook', options);
    try {
      const marker = `done-${randomUUID().slice(0, 6)}`;
      const done = new RegExp(`${marker}-exit-(\\d+)`);
      const code = new Promise<number>((resolve, reject) => {
        let text = '';
        shell.onData((d) => {
          text += d;
          const m = done.exec(text);
          if (m) resolve(Number(m[1]));
        });
        shell.onExit((i) => reject(new Error(`the shell ended: ${i.reason}\n${text}`)));
      });
      shell.write(`${command}; echo ${marker}-exit-$?\r`);
      return await code;
    } finally {
      shell.close();
    }
  }

  it("a file made in the notebook's terminal belongs to the student on this computer", async () => {
    const who = terminalUser(spec, 'notebook', vars);
    expect(who).toEqual({ user: STUDENT_UID, workingDir: '/home/student/notebooks', runsAs: `uid ${STUDENT_UID}, the owner of your notebooks folder` });
    // A bare name: the shell starts in the notebooks folder.
    expect(await runIn(who, 'touch from-terminal.txt')).toBe(0);
    expect(statSync(path.join(copy!.notebooksDir, 'from-terminal.txt')).uid).toBe(Number(STUDENT_UID));
  }, 60_000);

  it('"Open as root" is root', async () => {
    const who = terminalUser(spec, 'notebook', vars, { asRoot: true });
    expect(who.runsAs).toBe('root');
    expect(await runIn(who, 'touch /home/student/notebooks/from-root.txt')).toBe(0);
    expect(statSync(path.join(copy!.notebooksDir, 'from-root.txt')).uid).toBe(0);
  }, 60_000);
});

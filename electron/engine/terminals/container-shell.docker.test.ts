// A shell in a real container (the course's own images): what is written the moment the shell
// is handed out reaches it, in order, even though the login shell is still starting — the panel
// delivers keys queued during opening right then, so nothing may be lost on this side either.
import { randomUUID } from 'node:crypto';
import Dockerode from 'dockerode';
import { afterEach, describe, expect, it } from 'vitest';
import { openContainerShell } from './container-shell.js';
import type { Terminal } from './terminal.js';

const docker = new Dockerode();
const made: Dockerode.Container[] = [];
const shells: Terminal[] = [];

afterEach(async () => {
  for (const s of shells.splice(0)) s.close();
  for (const c of made.splice(0)) await c.remove({ force: true }).catch(() => undefined);
});

async function idleContainer(image: string): Promise<string> {
  const c = await docker.createContainer({
    Image: image,
    name: `cdt-shell-${randomUUID().slice(0, 8)}`,
    Entrypoint: ['sleep'],
    Cmd: ['infinity'],
    Labels: { 'org.coursedock.test': 'container-shell' },
  });
  made.push(c);
  await c.start();
  return c.id;
}

/** Resolves with everything the shell printed once `pattern` shows in it. */
function outputUntil(shell: Terminal, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    shell.onData((d) => {
      text += d;
      if (pattern.test(text)) resolve(text);
    });
    shell.onExit((i) => reject(new Error(`the shell ended before ${pattern}: ${i.reason}\n${text}`)));
  });
}

describe.each(['coursedock/tm351-notebook:1', 'coursedock/tm351-postgres:1'])('a shell in %s', (image) => {
  it('gets input written the moment it opens, in order', async () => {
    const id = await idleContainer(image);
    const shell = await openContainerShell(docker, id, 'test shell', { cols: 100, rows: 30 });
    shells.push(shell);
    const seen = outputUntil(shell, /second-84/);
    // At once, before any prompt: what the panel sends from its queue when the open call answers.
    shell.write('echo first-$((6*7))\r');
    shell.write('echo second-$((2*42))\r');
    const text = await seen;
    expect(text).toMatch(/first-42/);
    expect(text.search(/first-42/)).toBeLessThan(text.search(/second-84/));
  }, 60_000);
});

// The classroom front door in Chromium over a real single-node Swarm: twenty students from a
// roster, each with the tm351 notebook and database (no published ports), two of them started,
// reached only through the front door and its gateway container. A student signs in with their
// code and runs a notebook cell against their own database; the other student's session cannot
// open it; the tutor's Classroom view lists all twenty and stops and starts one.
// Run under both locks: `flock /tmp/cd-swarm.lock flock /tmp/cd-e2e.lock npx playwright test e2e/classroom.spec.ts`
// (the Swarm is made for the test when there is none, and left only then).
import path from 'node:path';
import Dockerode from 'dockerode';
import type { Page } from '@playwright/test';
import { ActivityStore } from '../electron/engine/classroom/activity.js';
import { Classroom } from '../electron/engine/classroom/classroom.js';
import { CodeStore, type IssuedCode } from '../electron/engine/classroom/codes.js';
import { ClassroomDesks } from '../electron/engine/classroom/front-door/classroom-desks.js';
import { startFrontDoor, type FrontDoor } from '../electron/engine/classroom/front-door/front-door.js';
import { startGateway, type Gateway } from '../electron/engine/classroom/front-door/gateway.js';
import { classroomFilter, studentNetworkName } from '../electron/engine/classroom/names.js';
import { parseRoster } from '../electron/engine/classroom/roster.js';
import { execIn } from '../electron/engine/classroom/testing/docker-cli.js';
import { ensureSwarm, type SwarmHandle } from '../electron/engine/classroom/testing/swarm.js';
import { FileSettingsStore } from '../electron/engine/settings/settings-store.js';
import { copyCourse, type CourseCopy } from '../electron/engine/testing/course-copy.js';
import { PanelPage } from './pages/panel.js';
import { dockerAvailable } from './support/docker.js';
import { expect, test } from './support/fixtures.js';
import { putOneCellNotebook } from './support/notebooks.js';
import { REPO_ROOT } from './support/paths.js';
import { listVolumes } from '../electron/engine/docker/volume-list.js';

test.skip(!dockerAvailable(), 'needs a running Docker engine');
test.describe.configure({ mode: 'serial' });

// Twenty students, as in a tutorial room: Ann and Ben are started, the other eighteen deployed
// stopped (their stacks exist, nothing runs), so the tutor's table has twenty rows.
const OTHERS = Array.from({ length: 18 }, (_, i) => `s${String(i + 3).padStart(2, '0')},Student ${i + 3}`);
const ROSTER = ['id,name', 'ann,Ann Archer', 'ben,Ben Baker', ...OTHERS].join('\n');
const docker = new Dockerode();

let swarm: SwarmHandle | undefined;
let copy: CourseCopy | undefined;
let classroom: Classroom | undefined;
let gateway: Gateway | undefined;
let door: FrontDoor | undefined;
let issued: IssuedCode[] = [];

const codeOf = (id: string) => issued.find((c) => c.id === id)!.code;

async function containerOf(id: string, service: string): Promise<string> {
  const row = (await classroom!.status()).find((s) => s.student.id === id);
  const svc = row?.services.find((s) => s.service === service);
  if (!svc?.containerId) throw new Error(`${id}'s ${service} has no running container`);
  return svc.containerId;
}

/** Each student's database gets a row saying whose it is: the cell must read its own. */
async function markDatabase(id: string): Promise<void> {
  const sql = `create table if not exists owner(name text); delete from owner; insert into owner values ('${id}');`;
  const r = execIn(await containerOf(id, 'notebook'), `psql -tA -v ON_ERROR_STOP=1 -c "${sql}"`, 'student');
  if (r.code !== 0) throw new Error(`marking ${id}'s database failed: ${r.stderr}`);
}

const CELL = [
  'import os, psycopg2',
  "c=psycopg2.connect(host=os.environ['PGHOST'], user=os.environ['PGUSER'], password=os.environ['PGPASSWORD'], dbname=os.environ['PGDATABASE'])",
  "cur=c.cursor(); cur.execute('select name from owner'); print('database of', cur.fetchone()[0])",
].join('\n');

test.beforeAll(async () => {
  test.setTimeout(20 * 60_000);
  swarm = await ensureSwarm(docker);
  copy = copyCourse('tm351', 'cdfd');
  const store = new FileSettingsStore(path.join(copy.home, 'settings.json'));
  const activity = ActivityStore.forCourse(copy.project, copy.home);
  classroom = new Classroom({ docker, store, specFile: copy.file, lastActivity: (id) => activity.last(id) });
  // The notebook and its database: what this test is about (the course's other tools are left out).
  await classroom.up(parseRoster(ROSTER, 'roster.csv'), { stopped: true, services: ['notebook', 'postgres'], concurrency: 4 });
  const started = await classroom.start(['ann', 'ben'], { concurrency: 2 });
  expect(started.failed).toEqual([]);
  await markDatabase('ann');
  await markDatabase('ben');
  issued = CodeStore.forCourse(classroom.course, copy.home).issue(classroom.students());
  gateway = await startGateway(docker, { course: classroom.course });
  door = await startFrontDoor({
    desks: new ClassroomDesks(classroom, docker, gateway),
    codes: CodeStore.forCourse(classroom.course, copy.home),
    rendererDir: path.join(REPO_ROOT, 'dist/renderer'),
    activity,
    dockerStatus: () => ({ state: 'connected', endpoint: 'unix:///var/run/docker.sock', source: 'test', version: 'test' }),
    pollMs: 1000,
  });
});

test.afterAll(async () => {
  test.setTimeout(5 * 60_000);
  try {
    await door?.close();
    await gateway?.close();
    if (classroom) {
      await classroom.down({ keepVolumes: false }).catch(() => undefined);
      const filters = classroomFilter(classroom.course);
      for (const s of await docker.listServices({ filters })) await docker.getService(s.ID).remove().catch(() => undefined);
      for (const n of await docker.listNetworks({ filters })) await docker.getNetwork(n.Id).remove().catch(() => undefined);
      for (const v of await listVolumes(docker, { filters })) await docker.getVolume(v.Name).remove().catch(() => undefined);
    }
  } finally {
    copy?.cleanup();
    await swarm?.release();
  }
});

async function signInByTyping(page: Page, code: string): Promise<void> {
  await page.goto(door!.url);
  await expect(page.getByRole('heading', { name: 'Sign in to your course environment' })).toBeVisible();
  await page.getByLabel('Access code').fill(code);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

test('no student service publishes a host port; the gateway is published on 127.0.0.1 only', async () => {
  for (const s of await docker.listServices({ filters: classroomFilter(classroom!.course) })) {
    expect(s.Endpoint?.Ports ?? [], s.Spec?.Name).toEqual([]);
  }
  const info = await docker.getContainer(gateway!.containerId).inspect();
  // dockerode types PortBindings as `any`; Docker's API says it is a PortMap.
  const portBindings = info.HostConfig.PortBindings as Dockerode.PortMap | undefined;
  const bindings = Object.values(portBindings ?? {}).flat();
  expect(bindings.map((b) => b.HostIp)).toEqual(['127.0.0.1']);
});

test('a student signs in with a code and runs a notebook cell against their own database', async ({ page, browser }) => {
  const panel = new PanelPage(page);
  const base = `/p/${classroom!.course}-ann/notebook`;
  let nbOrigin = '';

  await test.step('a wrong code is refused in words; the right one opens the panel', async () => {
    await signInByTyping(page, 'AAAA-BBBB-CCCC');
    await expect(page.getByRole('alert')).toContainText('That code is not right');
    await page.getByLabel('Access code').fill(codeOf('ann').toLowerCase());
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByText('Signed in as ann')).toBeVisible();
    await panel.waitForServices(['notebook', 'postgres']);
    await expect(panel.serviceRow('mongo')).toHaveCount(0);
    await panel.waitForStatus('postgres', /healthy/);
    await panel.waitForStatus('notebook', /healthy/);
    await panel.screenshot('classroom-student-panel');
  });

  await test.step('the notebook frame is on its own origin, reached through the gateway', async () => {
    await panel.select('notebook');
    await panel.openExtraTab('Notebook');
    const frameEl = panel.notebookTab().getByTestId('notebook-frame');
    await expect(frameEl).toHaveAttribute('src', new RegExp(`^http://127\\.0\\.0\\.1:\\d+${base}/tree\\?coursedock_ticket=[\\w-]+$`));
    nbOrigin = new URL((await frameEl.getAttribute('src'))!).origin;
    expect(nbOrigin).not.toBe(new URL(door!.url).origin);
    await panel.notebookListShown();
  });

  await test.step('a cell reads the student’s own database', async () => {
    await putOneCellNotebook(page.request, `${nbOrigin}${base}`, 'classroom-owner.ipynb', CELL);
    const frame = page.frames().find((f) => f.url().includes(`${base}/tree`));
    expect(frame, 'the notebook frame').toBeTruthy();
    await frame!.goto(`${nbOrigin}${base}/notebooks/classroom-owner.ipynb`);
    const nb = panel.notebookFrame();
    // A kernel's first start on a busy 2-core machine (other work, other students) can take minutes.
    await expect(nb.locator('#kernel_indicator_icon.kernel_idle_icon')).toBeAttached({ timeout: 180_000 });
    await nb.locator('.cell.code_cell').first().click();
    await nb.locator('.cell.code_cell').first().press('Shift+Enter');
    await expect(nb.locator('.output_area').first()).toContainText('database of ann', { timeout: 120_000 });
    await panel.screenshot('classroom-student-cell');
  });

  await test.step('Ann’s notebook URL with Ben’s code is refused', async () => {
    const ben = await browser.newContext();
    try {
      const benPage = await ben.newPage();
      await benPage.goto(`${door!.url}?code=${encodeURIComponent(codeOf('ben'))}`);
      await expect(benPage.getByText('Signed in as ben')).toBeVisible();
      expect(benPage.url()).not.toContain('code=');
      const answer = await benPage.request.get(`${nbOrigin}${base}/tree`, { maxRedirects: 0 });
      expect(answer.status()).toBe(403);
      expect(await answer.text()).toContain('not your notebook');
    } finally {
      await ben.close();
    }
  });
});

test('a student’s container that reaches the gateway over its overlay cannot use it', async () => {
  // Ann's notebook was proxied above: the gateway has joined Ann's overlay.
  const info = await docker.getContainer(gateway!.containerId).inspect();
  const ip = info.NetworkSettings.Networks[studentNetworkName(classroom!.course, 'ann')]?.IPAddress;
  expect(ip, 'the gateway on Ann’s overlay').toBeTruthy();
  const ann = await containerOf('ann', 'notebook');
  const target = `http://${classroom!.course}-ben_notebook:8888/`;
  const plain = execIn(ann, `curl -s -o /dev/null -w '%{http_code}' --max-time 10 -x http://${ip}:3128 ${target}`);
  expect(plain.stdout).toBe('403');
  const tunnel = execIn(ann, `curl -s -p --max-time 10 -x http://${ip}:3128 ${target}`);
  expect(tunnel.code).not.toBe(0);
});

test('the tutor’s Classroom view lists the students and stops and starts one', async ({ page }) => {
  const row = (id: string) => page.locator(`tr[data-student="${id}"]`);
  // What the view says to the front door and hears from it: it reads the table on events, not on a clock.
  const told: string[] = [];
  const reads: Array<{ resources?: boolean }> = [];
  page.on('websocket', (ws) => {
    ws.on('framereceived', (f) => {
      const msg = JSON.parse(String(f.payload)) as { event?: string };
      if (msg.event) told.push(msg.event);
    });
    ws.on('framesent', (f) => {
      const msg = JSON.parse(String(f.payload)) as { method?: string; params?: { resources?: boolean } };
      if (msg.method === 'classroom.status') reads.push(msg.params ?? {});
    });
  });
  await page.goto(`${door!.url}?code=${encodeURIComponent(codeOf('tutor'))}`);
  await expect(page.getByRole('heading', { name: /^Classroom/ })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Students' }).locator('tbody tr')).toHaveCount(20);
  await expect(row('ann')).toContainText('Ann Archer');
  await expect(row('s20')).toContainText('Student 20');
  await expect(row('s20')).toHaveAttribute('data-state', 'stopped');
  await expect(row('ben')).toHaveAttribute('data-state', 'running', { timeout: 60_000 });
  await expect(row('ann')).not.toContainText('never'); // Ann's panel and notebook traffic count as activity
  await page.screenshot({ path: path.join(REPO_ROOT, 'test-results/screens/classroom-tutor.png') });

  await row('ben').getByRole('button', { name: 'Stop', exact: true }).click();
  await expect(row('ben')).toHaveAttribute('data-state', 'stopped', { timeout: 120_000 });
  expect((await classroom!.status()).find((s) => s.student.id === 'ben')?.state).toBe('stopped');
  await expect(row('ann')).toHaveAttribute('data-state', 'running');

  await row('ben').getByRole('button', { name: 'Start', exact: true }).click();
  await expect(row('ben')).toHaveAttribute('data-state', /starting|running/, { timeout: 120_000 });
  await expect(row('ben')).toHaveAttribute('data-state', 'running', { timeout: 180_000 });

  // Stopped elsewhere (the tutor's CLI, idle culling): the view hears it. Reads after an event skip
  // CPU and memory (the slow clock asks for them), so a read without them after the stop is one
  // the event caused.
  told.length = 0;
  reads.length = 0;
  await classroom!.stop(['ben']);
  await expect(row('ben')).toHaveAttribute('data-state', 'stopped', { timeout: 60_000 });
  expect(told).toContain('classroom.changed');
  expect(reads).toContainEqual({ resources: false });
});

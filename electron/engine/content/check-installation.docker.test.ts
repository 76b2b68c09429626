// The installation-test starter notebook (00-check-installation.ipynb) on the real engine: with
// the notebook server and PostgreSQL up, it runs headlessly in the notebook container (nbconvert
// --execute, as the student) with no failing cell: versions, imports, SQL through pandas, a
// seaborn plot, a folium map and psql pass; MongoDB (which cannot run here) is skipped with the
// reason, and so is %sql exactly when the image's record says ipython-sql could not be installed.
import type Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Environment } from '../environment.js';
import { execInContainer } from '../snapshots/exec.js';
import { newTestEngine, type TestEngine } from '../testing/test-engine.js';

const NOTEBOOK = '00-check-installation.ipynb';
import { joinText, type NotebookCell, type NotebookJson } from '../testing/notebook-json.js';

const RECORD = '/usr/local/share/coursedock/extras.json';

const textOf = (cell: NotebookCell) => (cell.outputs ?? []).map((o) => joinText(o.text) + joinText(o.data?.['text/plain'])).join('');

describe('the installation-test notebook on the real engine', () => {
  let t: TestEngine | undefined;
  let env: Environment;
  let docker: Dockerode;

  beforeAll(async () => {
    t = newTestEngine();
    docker = await t.engine.connection.require();
    env = await t.engine.open(t.copy.project);
    const up = await env.up(['notebook']);
    expect(up.services.map((s) => [s.service, s.ok]), JSON.stringify(up.services)).toEqual([
      ['postgres', true],
      ['notebook', true],
    ]);
  });

  afterAll(async () => {
    await t?.destroy();
  });

  const inNotebook = (cmd: string[]) =>
    execInContainer(docker, env.state('notebook').containerId!, cmd, { user: env.variable('NOTEBOOK_UID'), timeoutMs: 300_000 });

  it('runs headless with 0 failing cells; MongoDB (and %sql without ipython-sql) skipped with the reason', async () => {
    // --allow-errors: every cell runs, so a failure anywhere is listed, not only the first.
    const out = '/tmp/executed-check-installation.ipynb';
    const r = await inNotebook(['jupyter', 'nbconvert', '--to', 'notebook', '--execute', '--allow-errors', '--ExecutePreprocessor.timeout=180', '--output', out, `/home/student/notebooks/${NOTEBOOK}`]);
    expect(r.exitCode, `nbconvert failed:\n${r.stderr.slice(-3000)}`).toBe(0);
    const nb = JSON.parse((await inNotebook(['cat', out])).stdout) as NotebookJson;
    const code = nb.cells.filter((c) => c.cell_type === 'code');

    const failing = code.flatMap((c, i) => (c.outputs ?? []).filter((o) => o.output_type === 'error').map((o) => `cell ${i}: ${o.ename}: ${o.evalue}`));
    expect(failing).toEqual([]);
    // Every cell after the first (which only defines helpers) printed something.
    expect(code.slice(1).filter((c) => !(c.outputs ?? []).length).map((c) => joinText(c.source).split('\n')[0])).toEqual([]);

    // What the image says about ipython-sql decides whether %sql runs or is skipped.
    const record = JSON.parse((await inNotebook(['cat', RECORD])).stdout) as { extras: Array<{ name: string; installed: boolean; reason?: string }> };
    const sql = record.extras.find((e) => e.name === 'ipython-sql')!;
    expect(sql).toBeDefined();

    const all = code.map(textOf).join('\n');
    expect(all).toMatch(/^ {2}seaborn +\d+\.\d+/m);
    expect(all).toMatch(/^ {2}folium +\d+\.\d+/m);
    expect(all).toContain('All 11 modules import: pandas, numpy, matplotlib, matplotlib.pyplot, seaborn, folium, scipy, sklearn, sqlalchemy, psycopg2, pymongo.');
    expect(all).toContain('DATABASE_URL postgresql://testuser:***@postgres:5432/testdb');
    expect(all).toContain('pandas read 44 rows of the anscombe table, datasets: I, II, III, IV.');
    expect(all).toMatch(/seaborn \S+ drew 4 plots\./);
    expect(all).toMatch(/^ I +\| +11\s*$/m); // psql's table
    expect(all).toMatch(/\(4 rows\)/);

    // The seaborn figure is a PNG; the folium map an HTML iframe with a Leaflet map in it.
    const outputs = code.flatMap((c) => c.outputs ?? []);
    const png = outputs.find((o) => o.data?.['image/png']);
    expect(Buffer.from(joinText(png?.data?.['image/png']), 'base64').subarray(1, 4).toString()).toBe('PNG');
    const html = outputs.map((o) => joinText(o.data?.['text/html'])).find((h) => h.includes('<iframe'));
    expect(html).toMatch(/folium-map|L\.map/);

    const summary = textOf(code[code.length - 1]!);
    const skipped = sql.installed ? ['MongoDB', 'MongoDB documents'] : ['%sql', 'MongoDB', 'MongoDB documents'];
    const passed = ['versions', 'imports', 'SQL through pandas', 'seaborn plot', 'folium map', ...(sql.installed ? ['%sql'] : []), 'psql'];
    expect(summary).toContain(`Installation check: ${passed.length} passed, ${skipped.length} skipped.`);
    expect(summary).toContain(`Passed: ${passed.join(', ')}`);
    expect(summary).toMatch(/Skipped: MongoDB: not reachable at mongodb:\/\/student:\*\*\*@mongo:27017\/tm351 \(ServerSelectionTimeoutError\): start MongoDB in Coursedock/);
    expect(summary).toContain('Skipped: MongoDB documents: no MongoDB connection (see the cell above).');
    if (sql.installed) {
      expect(all).not.toContain('SKIPPED: %sql');
    } else {
      expect(summary).toContain(`Skipped: %sql: ipython-sql is not installed in this image: ${sql.reason}. Use pandas (above) instead.`);
    }
    // The generated MongoDB password never lands in a saved output.
    expect(all).not.toMatch(/mongodb:\/\/student:(?!\*\*\*@)/);
  });
});

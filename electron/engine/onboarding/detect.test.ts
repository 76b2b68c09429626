// Detection on recorded computers of each OS (fixtures/): what is found, what is offered and
// how it would be started, what stands in the way, and the choices when nothing is installed.
import { describe, expect, it } from 'vitest';
import { detectEngines } from './detect.js';
import { loadRecordedProbes, recordedFixtureNames } from './recorded-probes.js';
import { commandLine } from './start-engine.js';

const detect = (name: string) => detectEngines(loadRecordedProbes(name).probes);

describe('onboarding detection on recorded computers', () => {
  it('Windows, Docker Desktop installed but stopped: offers to launch it', () => {
    const r = detect('windows-docker-desktop-stopped');
    expect(r.situation).toBe('installed-not-running');
    expect(r.headline).toBe('Docker Desktop is installed but not running');
    expect(r.engines.map((e) => [e.id, e.state])).toEqual([['docker-desktop', 'stopped']]);
    expect(r.offer?.start).toMatchObject({ command: ['C:\\Program Files\\Docker\\Docker\\Docker Desktop.exe'], detached: true, privileged: false });
    expect(r.blockers).toEqual([]);
    expect(r.watch).toEqual([]); // named pipes: the slow retry covers Windows
    expect(r.wslconfig).toBeUndefined();
  });

  it('Windows, WSL 2 missing: Docker Desktop is found, WSL 2 blocks it, the command to install it is given', () => {
    const r = detect('windows-wsl-missing');
    expect(r.situation).toBe('blocked');
    expect(r.headline).toBe('Docker Desktop is installed, but WSL 2 is not installed');
    expect(r.blockers).toEqual([expect.objectContaining({ title: 'WSL 2 is not installed', command: 'wsl --install' })]);
    expect(r.blockers[0]!.detail).toMatch(/^Docker Desktop needs WSL 2/);
  });

  it('Windows, Docker Desktop starting while WSL 2 holds 12 of 16 GB: waits, and prepares a .wslconfig', () => {
    const r = detect('windows-docker-desktop-starting-wsl-memory');
    expect(r.situation).toBe('running-not-answering');
    expect(r.wslconfig?.file).toBe('C:\\Users\\ada\\.wslconfig');
    expect(r.wslconfig?.content).toBe('[wsl2]\r\nmemory=8GB\r\nswap=4GB\r\nautoMemoryReclaim=gradual\r\n');
    expect(r.wslconfig?.steps).toContain('Open PowerShell and run: wsl --shutdown');
    expect(r.wslconfig?.reason).toBe("WSL 2 holds 12.0 GB of this computer's 16 GB of memory.");
  });

  it('macOS, Colima installed and stopped: offers colima start, watches its socket', () => {
    const r = detect('macos-colima-installed');
    expect(r.situation).toBe('installed-not-running');
    expect(r.offer).toMatchObject({ id: 'colima', state: 'stopped', start: { command: ['/opt/homebrew/bin/colima', 'start'], words: 'colima start', detached: true } });
    expect(r.offer!.evidence).toContain('colima status: time="2026-11-02T10:04:11Z" level=fatal msg="colima is not running"');
    expect(r.watch).toContain('/Users/cleo/.colima/default/docker.sock');
  });

  it('macOS, nothing installed: the choices for macOS with requirements, licences and links', () => {
    const r = detect('macos-nothing-installed');
    expect(r.situation).toBe('nothing-installed');
    expect(r.offer).toBeUndefined();
    expect(r.choices.map((c) => c.id)).toEqual(['docker-desktop', 'colima', 'orbstack', 'rancher-desktop']);
    for (const c of r.choices) {
      expect(c.requirements.length).toBeGreaterThan(0);
      expect(c.licence).not.toBe('');
      expect(c.link).toMatch(/^https:\/\//);
    }
  });

  it('Linux, docker.io under systemd, stopped: systemctl start docker through the privilege prompt', () => {
    const r = detect('linux-docker-systemd-stopped');
    expect(r.offer).toMatchObject({ id: 'docker-service', name: 'Docker Engine', start: { command: ['systemctl', 'start', 'docker'], privileged: true, detached: false } });
    expect(r.offer!.evidence.join(' ')).toContain('systemctl is-active docker: inactive');
    expect(commandLine(r.offer!.start!, 1000)[0]).toBe(process.platform === 'linux' ? 'pkexec' : 'systemctl');
    expect(r.lead).toMatch(/administrator rights/);
    expect(r.watch).toContain('/var/run/docker.sock');
  });

  it('Linux, docker.io without systemd, as root: its service script, run directly', () => {
    const r = detect('linux-docker-no-systemd-stopped');
    expect(r.offer?.start).toMatchObject({ command: ['/etc/init.d/docker', 'start'], privileged: false });
    expect(commandLine(r.offer!.start!, 0)).toEqual(['/etc/init.d/docker', 'start']);
  });

  it('Linux, rootless Podman: podman.socket as a user unit, nothing privileged', () => {
    const r = detect('linux-rootless-podman');
    expect(r.engines.map((e) => e.id)).toEqual(['rootless-podman']);
    expect(r.offer).toMatchObject({ state: 'stopped', start: { command: ['systemctl', '--user', 'start', 'podman.socket'], privileged: false } });
    expect(r.offer!.note).toContain('/run/user/1000/podman/podman.sock');
    expect(r.watch).toContain('/run/user/1000/podman/podman.sock');
  });

  it('every recorded computer gets a headline and a lead, and an offer or choices or a blocker', () => {
    for (const name of recordedFixtureNames()) {
      const r = detect(name);
      expect(r.headline, name).not.toBe('');
      expect(r.lead, name).not.toBe('');
      expect(!!r.offer || r.choices.length > 0 || r.blockers.length > 0 || r.situation === 'running-not-answering', name).toBe(true);
    }
  });
});

// What to install when no container engine is on this computer: the choices for each OS, each
// with what it needs (virtualisation, WSL 2, disk space), its licence terms and where to get it.
// Plain data shown by the panel and the CLI; kept short and factual.
import type { HostOs } from './probes.js';

export interface InstallChoice {
  id: string;
  name: string;
  /** One sentence: why a student would pick this one. */
  summary: string;
  requirements: string[];
  licence: string;
  link: string;
  /** Commands, when installing is a command (Linux). */
  commands?: string[];
}

const DOCKER_DESKTOP_LICENCE =
  'Free for personal use, education and small businesses; larger companies need a paid subscription (Docker Subscription Service Agreement).';

export const INSTALL_CHOICES: Record<HostOs, InstallChoice[]> = {
  windows: [
    {
      id: 'docker-desktop',
      name: 'Docker Desktop',
      summary: 'The most common choice; Coursedock finds it by itself once it runs.',
      requirements: ['Windows 10 22H2 or Windows 11, 64-bit', 'WSL 2 (installed with: wsl --install)', 'Virtualisation turned on in the BIOS/UEFI', '4 GB of memory, about 10 GB of free disk space for the course images'],
      licence: DOCKER_DESKTOP_LICENCE,
      link: 'https://docs.docker.com/desktop/setup/install/windows-install/',
    },
    {
      id: 'rancher-desktop',
      name: 'Rancher Desktop',
      summary: 'Open source; choose "dockerd (moby)" as its container engine.',
      requirements: ['Windows 10 1909 or later', 'WSL 2', 'Virtualisation turned on', '8 GB of memory recommended'],
      licence: 'Apache 2.0 (open source, free for any use).',
      link: 'https://docs.rancherdesktop.io/getting-started/installation/',
    },
    {
      id: 'podman-desktop',
      name: 'Podman Desktop',
      summary: 'Open source; Coursedock uses its Docker-compatible connection.',
      requirements: ['Windows 10 or 11, 64-bit', 'WSL 2', 'Virtualisation turned on'],
      licence: 'Apache 2.0 (open source, free for any use).',
      link: 'https://podman-desktop.io/docs/installation/windows-install',
    },
  ],
  macos: [
    {
      id: 'docker-desktop',
      name: 'Docker Desktop',
      summary: 'The most common choice; Coursedock finds it by itself once it runs.',
      requirements: ['macOS 13 or later (Apple silicon or Intel)', '4 GB of memory', 'About 10 GB of free disk space for the course images'],
      licence: DOCKER_DESKTOP_LICENCE,
      link: 'https://docs.docker.com/desktop/setup/install/mac-install/',
    },
    {
      id: 'colima',
      name: 'Colima',
      summary: 'Small and open source, from the command line: brew install colima docker, then colima start.',
      requirements: ['Homebrew', 'macOS 11 or later', 'About 10 GB of free disk space'],
      licence: 'MIT (open source, free for any use).',
      link: 'https://github.com/abiosoft/colima#installation',
      commands: ['brew install colima docker', 'colima start'],
    },
    {
      id: 'orbstack',
      name: 'OrbStack',
      summary: 'Fast and light on battery.',
      requirements: ['macOS 12.3 or later'],
      licence: 'Free for personal use; a paid licence for commercial use.',
      link: 'https://orbstack.dev/download',
    },
    {
      id: 'rancher-desktop',
      name: 'Rancher Desktop',
      summary: 'Open source; choose "dockerd (moby)" as its container engine.',
      requirements: ['macOS 12 or later', '8 GB of memory recommended'],
      licence: 'Apache 2.0 (open source, free for any use).',
      link: 'https://docs.rancherdesktop.io/getting-started/installation/',
    },
  ],
  linux: [
    {
      id: 'docker-engine',
      name: 'Docker Engine from your distribution',
      summary: 'No virtual machine needed: containers run directly on Linux.',
      requirements: ['A 64-bit Linux with systemd (most distributions)', 'Administrator rights (sudo) to install', 'About 10 GB of free disk space'],
      licence: 'Apache 2.0 (open source, free for any use).',
      link: 'https://docs.docker.com/engine/install/',
      commands: ['sudo apt-get install docker.io', 'sudo usermod -aG docker $USER   (then log out and in again)'],
    },
    {
      id: 'podman',
      name: 'Podman (rootless)',
      summary: 'No administrator daemon: runs as you, through its Docker-compatible socket.',
      requirements: ['Podman 4 or later', 'systemd user services (for podman.socket)'],
      licence: 'Apache 2.0 (open source, free for any use).',
      link: 'https://podman.io/docs/installation',
      commands: ['sudo apt-get install podman', 'systemctl --user enable --now podman.socket'],
    },
    {
      id: 'docker-desktop',
      name: 'Docker Desktop for Linux',
      summary: 'A graphical app like on Windows and macOS; runs a virtual machine.',
      requirements: ['KVM virtualisation', '4 GB of memory', 'A 64-bit Ubuntu, Debian or Fedora'],
      licence: DOCKER_DESKTOP_LICENCE,
      link: 'https://docs.docker.com/desktop/setup/install/linux/',
    },
  ],
};

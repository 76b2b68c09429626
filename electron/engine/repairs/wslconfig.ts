// Windows: WSL 2's virtual machine takes up to half (or more) of the memory and keeps it. The
// fix students are told to type by hand is a .wslconfig in their user folder; this prepares its
// text for this computer (half the memory at most, at least 4 GB for a course's services) and
// says where it goes and what to do after saving it. Pure: nothing is written for the student.
export interface PreparedWslConfig {
  /** Where to save it: %UserProfile%\.wslconfig. */
  file: string;
  /** Whether a .wslconfig already exists (then merge the [wsl2] lines into it). */
  exists: boolean;
  content: string;
  /** What to do, in order, in words. */
  steps: string[];
  /** Why it is offered: how much memory WSL 2 holds now. */
  reason: string;
}

const GB = 1024 ** 3;

export function prepareWslConfig(input: { memoryBytes: number; usedBytes: number; file: string; exists: boolean }): PreparedWslConfig {
  const totalGb = Math.max(1, Math.round(input.memoryBytes / GB));
  const limitGb = Math.max(Math.min(4, totalGb), Math.floor(totalGb / 2));
  const content = ['[wsl2]', `memory=${limitGb}GB`, `swap=${Math.min(4, limitGb)}GB`, 'autoMemoryReclaim=gradual', ''].join('\r\n');
  return {
    file: input.file,
    exists: input.exists,
    content,
    reason: `WSL 2 holds ${(input.usedBytes / GB).toFixed(1)} GB of this computer's ${totalGb} GB of memory.`,
    steps: [
      input.exists ? `Open ${input.file} and put these lines in its [wsl2] section (replace the memory and swap lines there).` : `Save this text as ${input.file} (a file named .wslconfig in your user folder).`,
      'Quit Docker Desktop (or your container engine).',
      'Open PowerShell and run: wsl --shutdown',
      'Start your container engine again; WSL 2 now uses at most ' + `${limitGb} GB.`,
    ],
  };
}

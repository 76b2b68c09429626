// The parts of a Jupyter notebook (nbformat 4) that tests read after running one headless.
export interface NotebookOutput {
  output_type: string;
  name?: string;
  text?: string | string[];
  data?: Record<string, string | string[]>;
  ename?: string;
  evalue?: string;
}
export interface NotebookCell {
  cell_type: string;
  source: string | string[];
  outputs?: NotebookOutput[];
}
export interface NotebookJson {
  cells: NotebookCell[];
}

/** nbformat stores text either whole or as a list of lines. */
export const joinText = (t: string | string[] | undefined): string => (Array.isArray(t) ? t.join('') : (t ?? ''));

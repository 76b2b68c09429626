// Vite's asset imports, typed for tsc (the panel imports SVGs from assets/ as text or URLs).
declare module '*.svg?raw' {
  const markup: string;
  export default markup;
}
declare module '*.svg' {
  const url: string;
  export default url;
}

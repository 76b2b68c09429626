// Does a web UI answer on its published port? Asked from the host, so it costs the container
// nothing: any HTTP answer means the server listens (Docker's port proxy accepts connections
// even when nothing listens inside, but then closes them without an answer).
import http from 'node:http';

export function httpAnswers(port: number, path: string, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path, timeout: timeoutMs, agent: false }, (res) => {
      res.resume();
      resolve(true);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });
}

import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { findFreePort } from '../../scripts/support/free-port.js';
import { REDIS_SERVER_PATH } from './system-requirements.js';
import { createTemporaryDirectory } from './test-runtime.js';

const REDIS_BINARY = REDIS_SERVER_PATH;

export interface TestRedisServer {
  /** e.g. `redis://127.0.0.1:40123` */
  readonly url: string;
  readonly port: number;
  /** Whether redis-server is running now. */
  running(): boolean;
  /** Stops redis-server (SIGTERM, nothing saved: every key is lost, as after a crash of a cache node). */
  stop(): Promise<void>;
  /** Starts it again on the same port, empty. */
  start(): Promise<void>;
  /** Freezes it (SIGSTOP): connections stay open but nothing is answered, as with a hung server or a network partition. */
  pause(): void;
  /** Lets a paused server go on (SIGCONT). */
  resume(): void;
  /** Stops it and removes its folder. */
  close(): Promise<void>;
}

const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/**
 * A real redis-server on a random loopback port, with persistence off, in its own temporary folder. It can be stopped
 * and started again on the same port to simulate an outage.
 */
export async function startRedisServer(): Promise<TestRedisServer> {
  if (!existsSync(REDIS_BINARY)) throw new Error(`${REDIS_BINARY} is missing: install it with apt-get install redis-server`);
  const folder = await createTemporaryDirectory('tutor-redis-');
  const port = await findFreePort();
  let child: ChildProcess | undefined;

  async function start(): Promise<void> {
    if (child) return;
    const server = spawn(
      REDIS_BINARY,
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', folder.dir, '--loglevel', 'notice'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child = server;
    live.add(server);
    server.once('exit', () => {
      live.delete(server);
      if (child === server) child = undefined;
    });
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const settle = (error?: Error): void => {
        clearTimeout(timer);
        server.stdout?.off('data', onData);
        server.off('exit', onExit);
        if (error) {
          server.kill('SIGKILL');
          reject(error);
        } else resolve();
      };
      const onData = (data: Buffer): void => {
        output += data.toString();
        if (output.includes('Ready to accept connections')) settle();
      };
      const onExit = (code: number | null): void => settle(new Error(`redis-server exited with ${code}:\n${output}`));
      const timer = setTimeout(() => settle(new Error(`redis-server did not start within 10 s:\n${output}`)), 10_000);
      server.stdout?.on('data', onData);
      server.stderr?.on('data', (data: Buffer) => (output += data.toString()));
      server.once('exit', onExit);
    });
    // Keep draining its output so it never blocks on a full pipe.
    server.stdout?.resume();
    server.stderr?.resume();
  }

  async function stop(): Promise<void> {
    const server = child;
    if (!server) return;
    const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
    server.kill('SIGCONT');
    server.kill('SIGTERM');
    const timer = setTimeout(() => server.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
    child = undefined;
  }

  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    running: () => child !== undefined,
    stop,
    start,
    pause: () => void child?.kill('SIGSTOP'),
    resume: () => void child?.kill('SIGCONT'),
    async close() {
      await stop();
      await folder.remove();
    },
  };
}

export { findFreePort };

// A server of a journey's own: for what the shared one must not go through
// (being killed and started again), and for every journey that enrolls a
// phone (`test`, below), so that each has its own bureaux. `cargo xtask
// test` passes the server binary it built and the app's dist/ in
// POINTAGE_SERVER_BIN and POINTAGE_DIST; each server gets a fresh data
// folder (with its own demo election and codes) that outlives a restart.
import { test as base } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export class OwnServer {
  url = '';
  private child: ChildProcess | null = null;
  readonly dataDir = mkdtempSync(join(tmpdir(), 'pointage-e2e-'));

  /** The demo election's codes this server wrote at its first start. */
  get codesCsv() {
    return join(this.dataDir, 'codes-demo-2027-t1.csv');
  }

  /** Starts it: on a free port the first time, on the same port after. */
  async start() {
    const bin = process.env.POINTAGE_SERVER_BIN;
    const dist = process.env.POINTAGE_DIST;
    if (!bin || !dist) {
      throw new Error('POINTAGE_SERVER_BIN and POINTAGE_DIST are not set: run the journeys with `cargo xtask test`');
    }
    const port = this.url ? new URL(this.url).port : '0';
    const child = spawn(
      bin,
      ['--port', port, '--bind', '127.0.0.1', '--enroll-attempts-per-minute', '100', '--returns-per-minute', '100000', '--records-per-minute', '100000', '--data-dir', this.dataDir, '--dist', dist],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    this.child = child;
    this.url = await new Promise<string>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`the server did not start: ${out}`)), 30_000);
      child.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const m = out.match(/Pointage is running at (\S+)/);
        if (m) {
          clearTimeout(timer);
          resolve(m[1].replace(/\/$/, ''));
        }
      });
      child.on('exit', (code) => reject(new Error(`the server exited (${code}): ${out}`)));
    });
    // Keep draining its output so it never blocks on a full pipe.
    child.stdout!.resume();
  }

  /** Kills it as a power cut would: no shutdown, no flush. */
  async kill() {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const gone = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await gone;
    this.child = null;
  }
}

/**
 * Runs `journey` on a server of its own, started first; whatever happens,
 * the server is killed at the end and its data folder removed.
 */
export async function onOwnServer<T>(journey: (server: OwnServer) => Promise<T>): Promise<T> {
  const server = new OwnServer();
  await server.start();
  try {
    return await journey(server);
  } finally {
    await server.kill();
    rmSync(server.dataDir, { recursive: true, force: true });
  }
}

/**
 * Playwright's `test` for a journey that enrolls a phone: each test gets a
 * server of its own (with its own demo election, so its own bureau: no
 * journey depends on which bureaux another enrolled), which relative
 * addresses (`page.goto('/pv')`, `request.post(…)`) and `demoCodes()`
 * reach for the test's length. The journeys run one at a time
 * (`workers: 1`), so the codes file is named in the environment.
 */
export const test = base.extend<{ server: OwnServer }>({
  server: async ({}, use) => {
    await onOwnServer(async (server) => {
      const shared = process.env.DEMO_CODES_CSV;
      process.env.DEMO_CODES_CSV = server.codesCsv;
      try {
        await use(server);
      } finally {
        process.env.DEMO_CODES_CSV = shared;
      }
    });
  },
  baseURL: async ({ server }, use) => use(server.url),
});

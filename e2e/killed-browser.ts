// A Chromium the test starts itself, on a profile of its own, so that it can
// be killed as Android's memory killer or a flat battery would: SIGKILL to
// every process of that profile, no shutdown, no flush. Started again on
// the same profile, it must show everything the screen had said was kept.
import { chromium, type Browser, type Page } from '@playwright/test';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync, rmSync, openSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const FLAGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-quic',
  '--no-first-run',
  '--no-default-browser-check',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // A killed browser must not offer to restore its tabs, nor hold back.
  '--disable-session-crashed-bubble',
  '--hide-crash-restore-bubble',
  '--remote-debugging-port=0',
  '--window-size=390,844',
];

export class KilledBrowser {
  readonly profile = mkdtempSync(join(tmpdir(), 'pointage-kill-'));

  /** `flags`: more of Chromium's, for every start (a fake camera). */
  constructor(private readonly flags: string[] = []) {}
  private child: ChildProcess | null = null;
  browser: Browser | null = null;
  kills = 0;

  /** Starts Chromium on the profile and opens one page. */
  async start(): Promise<Page> {
    const portFile = join(this.profile, 'DevToolsActivePort');
    rmSync(portFile, { force: true });
    const exe = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
    // CHROMIUM_LOG=1 keeps Chromium's own log of each start in the profile.
    const log = process.env.CHROMIUM_LOG
      ? openSync(join(this.profile, `chromium-${this.kills}.log`), 'w')
      : 'ignore';
    const logFlags = process.env.CHROMIUM_LOG
      ? ['--enable-logging=stderr', '--v=0', '--vmodule=*indexed_db*=3,*quota*=3,*bucket*=3']
      : [];
    this.child = spawn(exe, [...FLAGS, ...this.flags, ...logFlags, `--user-data-dir=${this.profile}`, 'about:blank'], {
      detached: true,
      stdio: ['ignore', log, log],
    });
    const started = Date.now();
    while (!existsSync(portFile) || readFileSync(portFile, 'utf8').split('\n').length < 2) {
      if (Date.now() - started > 30_000) throw new Error('Chromium did not start');
      await new Promise((r) => setTimeout(r, 50));
    }
    const port = readFileSync(portFile, 'utf8').split('\n')[0].trim();
    this.browser = await chromium.connectOverCDP(`http://127.0.0.1:${port}`);
    const context = this.browser.contexts()[0];
    return context.pages()[0] ?? (await context.newPage());
  }

  /** Every process whose command line names this profile. */
  private pids(): number[] {
    try {
      return execFileSync('pgrep', ['-f', '--', `--user-data-dir=${this.profile}`], { encoding: 'utf8' })
        .split('\n')
        .filter(Boolean)
        .map(Number);
    } catch {
      return []; // pgrep exits 1 when there is none.
    }
  }

  /** SIGKILL to the whole process group and to every process of the profile. */
  async kill() {
    const child = this.child;
    if (child?.pid) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
    for (const pid of this.pids()) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
    const until = Date.now() + 10_000;
    while (this.pids().length > 0) {
      if (Date.now() > until) throw new Error(`Chromium processes survive SIGKILL: ${this.pids()}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    this.browser = null;
    this.child = null;
    this.kills++;
  }

  async close() {
    await this.kill();
    // KEEP_PROFILE=1 keeps it, to read Chromium's own logs after a failure.
    if (!process.env.KEEP_PROFILE) rmSync(this.profile, { recursive: true, force: true });
  }
}

import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { TutorError } from '../errors/tutor-error.js';

export interface BuildLockOptions {
  /** The folder the lock lives in (created when missing). */
  readonly indexRoot: string;
  /** How long to wait for another holder before INDEX_BUSY. @default 600000 (10 minutes) */
  readonly timeoutMs?: number;
}

/**
 * A cross-process lock as a folder (`mkdir` is atomic), with the owner's pid inside so that a lock left by a process
 * that died is taken over instead of waited on. Runs `work` while holding it.
 */
export function createBuildLock(options: BuildLockOptions): <T>(work: () => Promise<T>) => Promise<T> {
  const lockDir = path.join(options.indexRoot, '.build.lock');
  const timeoutMs = options.timeoutMs ?? 10 * 60_000;

  async function lockIsAbandoned(): Promise<boolean> {
    try {
      const owner = JSON.parse(await readFile(path.join(lockDir, 'owner.json'), 'utf8')) as { pid?: number };
      if (typeof owner.pid !== 'number') return false;
      if (owner.pid === process.pid) return false;
      try {
        process.kill(owner.pid, 0);
        return false;
      } catch {
        return true;
      }
    } catch {
      // The owner file is written right after the folder: give a new lock a moment before calling it abandoned.
      try {
        const info = await stat(lockDir);
        return Date.now() - info.mtimeMs > 5_000;
      } catch {
        return false;
      }
    }
  }

  return async function withBuildLock<T>(work: () => Promise<T>): Promise<T> {
    await mkdir(options.indexRoot, { recursive: true });
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        await mkdir(lockDir);
        await writeFile(path.join(lockDir, 'owner.json'), JSON.stringify({ pid: process.pid, since: new Date().toISOString() }));
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        if (await lockIsAbandoned()) {
          await rm(lockDir, { recursive: true, force: true });
          continue;
        }
        if (Date.now() > deadline) throw new TutorError('INDEX_BUSY', `Another ingest has held ${lockDir} for too long`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    try {
      return await work();
    } finally {
      await rm(lockDir, { recursive: true, force: true });
    }
  };
}

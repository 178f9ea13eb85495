/**
 * Hot reload of the mappings (DESIGN §7): a change in the mappings directory, once writes settle
 * (debounce: editors write a file in several steps), calls `reload()`, which reads and validates
 * everything. A valid result replaces the running configuration; an invalid one is logged problem by
 * problem (file:line:col) and the running configuration stays.
 *
 * The swap happens between work items: a work item reads `current()` once when it starts and keeps
 * that object to its end, so one item never sees half of one configuration and half of another.
 */
import { watch, type FSWatcher } from 'node:fs';
import { formatProblem, type Problem } from '../../config/problems.js';
import type { Logger } from '../../shared/logger.js';

export type ReloadOutcome<T> = { ok: true; config: T } | { ok: false; problems: Problem[] };

export interface HotReloadOptions<T> {
  /** The mappings directory. */
  dir: string;
  /** The configuration running now. */
  initial: T;
  /** Reads and validates the whole configuration again; problems are values, not throws. */
  reload: () => Promise<ReloadOutcome<T>>;
  log: Logger;
  /** Quiet time after the last change before reloading. Default is 250 ms. */
  debounceMs?: number;
  /** Which file names count. Default is YAML files (`.yaml`, `.yml`). */
  isRelevant?: (fileName: string) => boolean;
}

export interface HotReload<T> {
  /** The configuration to use for a work item that starts now. */
  current(): T;
  start(): void;
  stop(): void;
  /** Reloads now (also what the watcher calls); concurrent calls are serialised. */
  reloadNow(): Promise<ReloadOutcome<T>>;
  /** Told about every reload outcome, applied or refused. Returns a function that stops telling. */
  onReload(listener: (outcome: ReloadOutcome<T>) => void): () => void;
}

export function createHotReload<T>(options: HotReloadOptions<T>): HotReload<T> {
  const debounceMs = options.debounceMs ?? 250;
  const isRelevant = options.isRelevant ?? ((name: string) => /\.ya?ml$/i.test(name));
  const listeners = new Set<(outcome: ReloadOutcome<T>) => void>();
  let config = options.initial;
  let watcher: FSWatcher | undefined;
  let timer: NodeJS.Timeout | undefined;
  let chain: Promise<unknown> = Promise.resolve();

  const apply = async (): Promise<ReloadOutcome<T>> => {
    let outcome: ReloadOutcome<T>;
    try {
      outcome = await options.reload();
    } catch (err) {
      options.log.error({ event: 'config:reload:failed', err }, 'mapping reload failed; the running configuration stays');
      outcome = { ok: false, problems: [] };
    }
    if (outcome.ok) {
      config = outcome.config;
      options.log.info({ event: 'config:reload:applied' }, 'mappings reloaded');
    } else if (outcome.problems.length > 0) {
      for (const p of outcome.problems) {
        options.log.error({ event: 'config:reload:refused', file: p.file, line: p.line, col: p.col, code: p.code }, formatProblem(p));
      }
      options.log.warn({ event: 'config:reload:refused', problems: outcome.problems.length }, 'changed mappings are invalid; the running configuration stays');
    }
    for (const listener of listeners) listener(outcome);
    return outcome;
  };

  const reloadNow = (): Promise<ReloadOutcome<T>> => {
    const next = chain.then(apply);
    chain = next.catch(() => undefined);
    return next;
  };

  return {
    current: () => config,
    reloadNow,
    onReload(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    start() {
      if (watcher) return;
      watcher = watch(options.dir, (_event, fileName) => {
        if (fileName !== null && !isRelevant(fileName.toString())) return;
        clearTimeout(timer);
        timer = setTimeout(() => { void reloadNow(); }, debounceMs);
      });
      watcher.on('error', (err) => options.log.error({ event: 'config:watch:failed', dir: options.dir, err }, 'watching the mappings directory failed'));
    },
    stop() {
      clearTimeout(timer);
      watcher?.close();
      watcher = undefined;
    },
  };
}

/**
 * Watches each API's spec folder (node:fs `watch`, recursive) and calls `onSave` once per
 * burst of changes to one API: saves closer together than `debounceMs` coalesce, and saves
 * during a run make exactly one more run after it. Generated files (`dist/`) are ignored,
 * so writing a bundle never triggers another run.
 */
import { type FSWatcher, watch } from "node:fs";
import { dirname } from "node:path";
import type { ApiDefinition } from "../../specs/index.ts";

export interface WatchSpecsOptions {
  apis: ApiDefinition[];
  /** Runs after a burst of saves to `api`'s files; `files` are relative to its spec folder. */
  onSave(api: ApiDefinition, files: string[]): Promise<void>;
  /** Quiet time after the last change before `onSave` runs. */
  debounceMs?: number;
}

const isSource = (file: string) =>
  /\.(ya?ml|json)$/.test(file) && !file.split(/[\\/]/).some((part) => part === "dist" || part === "node_modules");

export function watchSpecs({ apis, onSave, debounceMs = 100 }: WatchSpecsOptions): { close(): void } {
  const watchers: FSWatcher[] = apis.map((api) => {
    let timer: NodeJS.Timeout | undefined;
    let changed = new Set<string>();
    let running = false;

    const flush = () => {
      timer = undefined;
      // A run in progress flushes again when it ends, so its saves get exactly one more run.
      if (running || changed.size === 0) return;
      const files = [...changed].sort();
      changed = new Set();
      running = true;
      // A failing run is reported by onSave itself; the watcher keeps going.
      onSave(api, files)
        .catch((error: unknown) => console.error(error))
        .finally(() => {
          running = false;
          if (timer === undefined) flush();
        });
    };
    return watch(dirname(api.specPath), { recursive: true }, (_event, file) => {
      if (!file || !isSource(file)) return;
      changed.add(file);
      clearTimeout(timer);
      timer = setTimeout(flush, debounceMs);
    });
  });
  return {
    close: () => {
      for (const watcher of watchers) watcher.close();
    },
  };
}

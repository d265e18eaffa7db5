import type { Stage } from '../pipeline/index.ts';
import { stageLabel } from './blocks/working.ts';

// Keeps the "Working…" message in step with the pipeline without flooding Slack: at most one
// update per interval, only the latest stage is sent, and none after the answer is ready.

export interface ProgressReporter {
  /** Called as each stage starts (the pipeline's onProgress). */
  stage(stage: Stage): void;
  /** Stops further updates and waits for one in flight, so progress never overwrites the answer. */
  finish(): Promise<void>;
}

export interface ProgressOptions {
  /** The label the message was posted with. */
  shown: string;
  minIntervalMs?: number;
  onError?: (e: unknown) => void;
}

export function progressReporter(
  update: (label: string) => Promise<unknown>,
  options: ProgressOptions,
): ProgressReporter {
  const minIntervalMs = options.minIntervalMs ?? 1000;
  let shown = options.shown;
  let lastSentAt = Date.now();
  let pending: string | null = null;
  let timer: NodeJS.Timeout | null = null;
  let inFlight: Promise<void> | null = null;
  let finished = false;

  const schedule = () => {
    if (timer || inFlight || finished) return;
    timer = setTimeout(flush, Math.max(0, lastSentAt + minIntervalMs - Date.now()));
  };

  function flush() {
    timer = null;
    const label = pending;
    pending = null;
    if (finished || label === null || label === shown) return;
    shown = label;
    lastSentAt = Date.now();
    inFlight = update(label)
      .then(
        () => {},
        (e) => options.onError?.(e),
      )
      .finally(() => {
        inFlight = null;
        if (pending !== null) schedule();
      });
  }

  return {
    stage(stage) {
      const label = stageLabel(stage);
      if (finished || label === null) return;
      pending = label;
      schedule();
    },
    async finish() {
      finished = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await inFlight;
    },
  };
}

// Entry of a chart worker thread. A worker starts without the TypeScript loader the main thread
// may run under, so it registers one before loading the task.
import { setPriority } from 'node:os';
import { register } from 'tsx/esm/api';

// Drawing can wait a few milliseconds; acknowledging Slack and answering cannot. On Linux this
// lowers only this thread's scheduling priority.
try {
  setPriority(10);
} catch {
  // Not allowed here: draw at normal priority.
}
register();
const { renderChartTask } = await import('./renderChartTask.ts');

export default renderChartTask;

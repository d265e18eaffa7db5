// Entry of a chart worker thread. A worker starts without the TypeScript loader the main thread
// may run under, so it registers one before loading the task.
import { register } from 'tsx/esm/api';

register();
const { renderChartTask } = await import('./renderChartTask.ts');

export default renderChartTask;

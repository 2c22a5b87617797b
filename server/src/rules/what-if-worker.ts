import { parentPort, workerData } from 'node:worker_threads';
import { runSyntheticShare, type SyntheticWhatIfTask } from './what-if-parallel';

/** Worker thread of runSyntheticWhatIfParallel: claims chunks of the synthetic population until none is left. */
parentPort!.postMessage(runSyntheticShare(workerData as SyntheticWhatIfTask));

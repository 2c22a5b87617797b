import { z } from 'zod';
import { monitorSnapshotSchema } from '../../../common/analytics';
import { monitorSettingsSchema } from './deps';

/** Request and response schemas of the live monitor's routes. */
export const snapshotResponse = monitorSnapshotSchema;
export const alertParams = z.object({ id: z.string().min(1).max(64) });
export const settingsBody = monitorSettingsSchema;
export const settingsResponse = monitorSettingsSchema;


import { z } from 'zod';
import { monitorSnapshotSchema } from '../../../common/analytics';
import { monitorSettingsSchema } from './deps';

/** Request and response schemas of the live monitor's routes. */
export const snapshotResponse = monitorSnapshotSchema;
export const alertParams = z.object({ id: z.string().min(1).max(64) });
export const settingsBody = monitorSettingsSchema;
export const settingsResponse = monitorSettingsSchema;

/**
 * The body of a POST that takes none: absent (Fastify then sees null), or an empty JSON object.
 * platform/http.ts `noBody` refuses an absent body, which partners and tests send.
 */
export const emptyBody = z.object({}).nullish().describe('无请求体 / no body');

import { z } from 'zod';
import { analyticsFilterSchema, hardTopicsSchema, hotTopicsSchema, reportSchema, reportSummarySchema, summarySchema, VOLUME_DIMENSIONS, volumesSchema } from '../../../common/analytics';

export const filterQuery = analyticsFilterSchema;
export const volumesQuery = analyticsFilterSchema.extend({ by: z.enum(VOLUME_DIMENSIONS) });
export const hotTopicsQuery = analyticsFilterSchema.extend({ level: z.enum(['category', 'entry']).default('category') });
/** An export takes the filters of its indicator. */
export const exportQuery = analyticsFilterSchema.extend({ by: z.enum(VOLUME_DIMENSIONS).default('day'), level: z.enum(['category', 'entry']).default('category') });
export const EXPORT_FILES = ['summary.xlsx', 'volumes.xlsx', 'hot-topics.xlsx', 'hard-topics.xlsx'] as const;

export const draftBody = z
  .object({
    clusterId: z.string().min(1).max(400).optional(),
    examples: z.array(z.string().trim().min(1).max(2000)).min(1).max(20).optional(),
    categoryId: z.string().min(1).max(64).optional(),
  })
  .refine((b) => Boolean(b.clusterId) !== Boolean(b.examples), { message: '请给出 clusterId 或 examples 之一 / give clusterId or examples', path: ['clusterId'] });
export const draftResponse = z.object({ entryId: z.string() });

export const reportList = z.object({ items: z.array(reportSummarySchema) });
/** A report as JSON; `{id}.xlsx` answers its workbook instead (sent as a file, not serialized). */
/** An Excel workbook, sent as bytes. */
export const workbookFile = z.any().describe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet (Excel workbook)');
export const reportResponse = z.union([reportSchema, workbookFile]).describe('application/json; for {id}.xlsx, application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
export { hardTopicsSchema, hotTopicsSchema, summarySchema, volumesSchema };

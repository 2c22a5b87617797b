import type { FastifySerializerCompiler } from 'fastify';
import { ResponseSerializationError } from 'fastify-type-provider-zod';
import { z } from 'zod';

/** How many elements of each array the dropped-field check walks: enough to catch a schema gap, cheap on big lists. */
const ARRAY_SAMPLE = 20;

/**
 * Serializes answers through their zod response schema, as fastify-type-provider-zod does: an answer
 * that does not match is a 500, and fields the schema does not name are left out, so a presenter
 * cannot leak an internal field. Under tests (`checkDroppedFields`) a left-out field is an error
 * instead: a response schema that forgets a field the web app reads would otherwise break a page
 * silently.
 */
export function responseSerializer({ checkDroppedFields }: { checkDroppedFields: boolean }): FastifySerializerCompiler<unknown> {
  return ({ schema, method, url }) => {
    const zodSchema = zodSchemaOf(schema);
    return (data: unknown) => {
      const result = z.safeEncode(zodSchema, data);
      if (!result.success) throw new ResponseSerializationError(method, url, { cause: result.error });
      if (checkDroppedFields) {
        const dropped = droppedFields(data, result.data);
        if (dropped.length) throw new Error(`the response schema of ${method} ${url} drops ${dropped.slice(0, 5).join(', ')}`);
      }
      return JSON.stringify(result.data);
    };
  };
}

function zodSchemaOf(schema: unknown): z.ZodType {
  if (schema instanceof z.ZodType) return schema;
  const properties = (schema as { properties?: unknown } | null)?.properties;
  if (properties instanceof z.ZodType) return properties;
  throw new Error(`a response schema is not a zod schema: ${JSON.stringify(schema)}`);
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;

/** Paths of fields present (not undefined) in what the handler returned but absent from what the schema let through. */
export function droppedFields(original: unknown, encoded: unknown, path = '', found: string[] = []): string[] {
  if (Array.isArray(original) && Array.isArray(encoded)) {
    for (const [i, item] of original.slice(0, ARRAY_SAMPLE).entries()) droppedFields(item, encoded[i], `${path}[${i}]`, found);
  } else if (isPlainObject(original) && isPlainObject(encoded)) {
    for (const [key, value] of Object.entries(original)) {
      if (value === undefined) continue;
      if (!(key in encoded)) found.push(`${path}.${key}`);
      else droppedFields(value, encoded[key], `${path}.${key}`, found);
    }
  }
  return found;
}

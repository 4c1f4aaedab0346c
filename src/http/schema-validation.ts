/**
 * Route schemas: the Ajv options every route is validated with, and the mapping of a schema
 * failure to the AppError the route's error format renders (XML `<Error>`, OAuth JSON, JSON).
 *
 * Routes declare `querystring`, `params`, `headers` and `body` with TypeBox and read them typed
 * through `app.withTypeProvider<TypeBoxTypeProvider>()` (@fastify/type-provider-typebox).
 */
import type { TSchema } from '@sinclair/typebox';
import type {
  FastifyError,
  FastifyRequest,
  FastifySchemaValidationError,
  FastifyServerOptions,
} from 'fastify';
import { type AppError, errors } from '../errors.js';
import { ANNOTATION_KEYWORDS } from './query-schema.js';

/**
 * Fastify's `ajv` option. No coercion: query parameters are converted by `concurQuery` (more
 * strictly than Ajv would), path parameters and headers are text anyway, and a JSON body is
 * taken as typed. Nothing is removed: clients send parameters the schemas do not name, which
 * are ignored, not refused. First error only (Fastify's default; all errors invites DoS).
 */
export const AJV_OPTIONS: FastifyServerOptions['ajv'] = {
  customOptions: {
    coerceTypes: false,
    removeAdditional: false,
    useDefaults: true,
    allErrors: false,
    keywords: [...ANNOTATION_KEYWORDS],
  },
};

type Part = NonNullable<FastifyError['validationContext']>;

const PART_LABELS: Record<Part, string> = {
  querystring: 'query parameter',
  params: 'path parameter',
  headers: 'header',
  body: 'body field',
};

/** The property a failure is about: the missing one, or the first step of the failing path. */
function propertyOf(issue: FastifySchemaValidationError): string | undefined {
  if (issue.keyword === 'required') return String(issue.params.missingProperty);
  const step = issue.instancePath.split('/')[1];
  // JSON Pointer escapes (RFC 6901 §4).
  return step === undefined ? undefined : step.replaceAll('~1', '/').replaceAll('~0', '~');
}

/** The value of a request part as the client sent it (before `concurQuery` converted it). */
function sentValue(request: FastifyRequest, part: Part, name: string): string {
  const sent = request.sentParameters;
  if (sent && (part === 'querystring' || part === 'body')) return sent.lower[name] ?? '';
  const source: unknown =
    part === 'headers'
      ? request.headers
      : part === 'params'
        ? request.params
        : part === 'body'
          ? request.body
          : request.query;
  const value = (source as Record<string, unknown> | null | undefined)?.[name];
  return value === undefined ? '' : String(value);
}

/**
 * The AppError for a schema failure of the request: the failing parameter's own message from
 * its schema (`invalidMessage`, or `missingMessage` when it is absent, `{value}` replaced by the
 * value as sent, `{trimmed}` by that value trimmed), otherwise a 400 naming the parameter.
 * Undefined for other errors.
 */
export function validationAppError(
  error: FastifyError,
  request: FastifyRequest,
): AppError | undefined {
  const issue = error.validation?.[0];
  const part = error.validationContext;
  if (!issue || !part) return undefined;
  const name = propertyOf(issue);
  const schema = request.routeOptions.schema?.[part] as TSchema | undefined;
  const target: TSchema | undefined =
    name === undefined ? schema : (schema?.properties as Record<string, TSchema>)?.[name];
  const template = issue.keyword === 'required' ? target?.missingMessage : target?.invalidMessage;
  if (typeof template === 'string') {
    const value = name === undefined ? '' : sentValue(request, part, name);
    // One pass, so that a value holding `{trimmed}` is not itself rewritten.
    const message = template.replace(/\{(value|trimmed)\}/g, (_, key: string) =>
      key === 'value' ? value : value.trim(),
    );
    return errors.badRequest(message);
  }
  const subject = name === undefined ? PART_LABELS[part] : `${PART_LABELS[part]} ${name}`;
  if (issue.keyword === 'required') return errors.badRequest(`The ${subject} is required.`);
  return errors.badRequest(`The ${subject} is not valid (${issue.message ?? issue.keyword}).`);
}

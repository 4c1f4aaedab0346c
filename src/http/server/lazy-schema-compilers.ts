/**
 * Route schemas compiled when first needed. Fastify compiles every route's validators (Ajv) and
 * response serializers (fast-json-stringify) while the routes are registered: measured at about
 * 150 ms of a 900 ms start, paid by every worker, for routes most processes serve rarely or never.
 * Here each compiler returns a function that compiles on its first call, with Fastify's own
 * compilers and options, so that a request meets exactly the validation it met before; and once
 * the server listens, `compileRemaining` compiles the rest in the background, one schema per turn
 * of the event loop, so that the first requests to each route do not pay it either.
 */
import AjvCompiler from '@fastify/ajv-compiler';
import SerializerCompiler from '@fastify/fast-json-stringify-compiler';
import type { FastifyServerOptions } from 'fastify';

type CompilersFactory = NonNullable<
  NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']
>;
type ValidatorFactory = NonNullable<CompilersFactory['buildValidator']>;
type SerializerFactory = NonNullable<CompilersFactory['buildSerializer']>;
type Validator = ((data: unknown, context?: object) => unknown) & {
  errors?: unknown;
  schemaEnv?: unknown;
};
/** What Fastify gives a compiler for each schema of a route. */
interface RouteSchema {
  schema: unknown;
  httpPart?: string;
}

/** The compilations not made yet, in registration order. */
const pending = new Set<() => void>();

/**
 * A validator that compiles on first use. Ajv reports a failure in the function's `errors`
 * property, which Fastify reads after the call: it is copied. Fastify gives an Ajv validator
 * (one with `schemaEnv`) the request as the value's parent, so that Ajv may replace the value:
 * `schemaEnv` is the compiled one's, and the context is passed on.
 */
function lazyValidator(compile: () => Validator): Validator {
  let compiled: Validator | undefined;
  const ensure = () => {
    compiled ??= compile();
    pending.delete(ensure);
    return compiled;
  };
  pending.add(ensure);
  const validate: Validator = (data, context) => {
    const target = ensure();
    const result = context === undefined ? target(data) : target(data, context);
    validate.errors = target.errors;
    return result;
  };
  Object.defineProperty(validate, 'schemaEnv', { get: () => ensure().schemaEnv });
  return validate;
}

function lazySerializer(compile: () => (data: unknown) => string): (data: unknown) => string {
  let compiled: ((data: unknown) => string) | undefined;
  const ensure = () => {
    compiled ??= compile();
    pending.delete(ensure);
    return compiled;
  };
  pending.add(ensure);
  return (data) => ensure()(data);
}

/**
 * A header schema's property names in lower case, as Fastify makes them for its own compiler
 * (header names arrive lower-cased); a custom compiler, which this is to Fastify, gets them as
 * written.
 */
function lowerCaseHeaders(schema: unknown): unknown {
  if (typeof schema !== 'object' || schema === null) return schema;
  const { properties, required } = schema as { properties?: object; required?: unknown };
  if (!properties) return schema;
  return {
    ...schema,
    properties: Object.fromEntries(
      Object.entries(properties).map(([name, value]) => [name.toLowerCase(), value]),
    ),
    ...(Array.isArray(required)
      ? { required: required.map((name) => String(name).toLowerCase()) }
      : {}),
  };
}

/** Fastify's `schemaController` option: its own compilers, each compiling on first use. */
export function lazySchemaController(): FastifyServerOptions['schemaController'] {
  // One selector each, as Fastify keeps: it reuses its Ajv instance while the shared schemas
  // are the same.
  const validators = AjvCompiler();
  const serializers = SerializerCompiler();
  const buildValidator = (...factory: Parameters<ValidatorFactory>) => {
    const compiler = validators(...factory) as (route: RouteSchema) => Validator;
    return (route: RouteSchema) => {
      const schema = route.httpPart === 'headers' ? lowerCaseHeaders(route.schema) : route.schema;
      return lazyValidator(() => compiler({ ...route, schema }));
    };
  };
  const buildSerializer = (...factory: Parameters<SerializerFactory>) => {
    const compiler = serializers(...factory) as (route: RouteSchema) => (data: unknown) => string;
    return (route: RouteSchema) => lazySerializer(() => compiler(route));
  };
  // The lazy functions are called exactly as the compiled ones (Fastify never reads Ajv's
  // `schema` or `schemaEnv` of a validator), which the compilers' declared types cannot say.
  return {
    compilersFactory: {
      buildValidator: buildValidator as unknown as ValidatorFactory,
      buildSerializer: buildSerializer as unknown as SerializerFactory,
    },
  };
}

/** How many schemas are not compiled yet (tests). */
export function uncompiledSchemas(): number {
  return pending.size;
}

/**
 * Compiles the schemas not compiled yet, one per turn of the event loop (requests interleave).
 * Resolves when none is left. An invalid schema throws here as it would have at registration.
 */
export async function compileRemaining(): Promise<void> {
  for (const compile of pending) {
    compile();
    await new Promise((resolve) => setImmediate(resolve));
  }
}

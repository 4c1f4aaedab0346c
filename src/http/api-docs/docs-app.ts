/**
 * The API documentation, made on first use. @fastify/swagger and @fastify/swagger-ui cost a
 * start about 150 ms (their modules, the Swagger UI file list, the document's preparation),
 * paid by every worker at every start although few requests ever ask for them. So the server
 * only records each route's options as it is registered (`collect`), and the first request for
 * the document or the page builds a second, never-listening Fastify instance holding the same
 * routes (schemas and config, without handlers or validators) with the two plugins: the
 * document it generates is the one @fastify/swagger would have made from the server itself, and
 * the page's files are answered through it (`inject`).
 */
import type { FastifyDynamicSwaggerOptions } from '@fastify/swagger';
import Fastify, {
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type RouteOptions,
} from 'fastify';

/** What the document needs of a route: its method, URL, schema and config. */
export interface DocumentedRoute {
  method: RouteOptions['method'];
  url: string;
  schema?: RouteOptions['schema'];
  config?: RouteOptions['config'];
}

export interface DocsAppOptions {
  swagger: FastifyDynamicSwaggerOptions;
  /** @fastify/swagger-ui's options (its routePrefix is where the page is served). */
  ui: Record<string, unknown> & { routePrefix: string };
}

/** Request headers the page's files answer by (caching, ranges); nothing else is passed on. */
const FORWARDED_REQUEST_HEADERS = [
  'accept',
  'accept-encoding',
  'if-none-match',
  'if-modified-since',
  'range',
];
/** Response headers that belong to the connection, not to the file. */
const HOP_HEADERS = new Set([
  'connection',
  'content-length',
  'date',
  'keep-alive',
  'transfer-encoding',
]);

/** The routes to document and, once asked for, the instance that documents them. */
export class DocsApp {
  private readonly routes: DocumentedRoute[] = [];
  private built: Promise<FastifyInstance> | undefined;
  private document: unknown;

  constructor(private readonly options: DocsAppOptions) {}

  /**
   * Records a route as registered. The page's own routes are left out: the documentation
   * instance has Swagger UI's. So are HEAD routes made from a GET, which it makes again.
   */
  collect(route: RouteOptions): void {
    if (route.url === this.options.ui.routePrefix) return;
    if (route.url.startsWith(`${this.options.ui.routePrefix}/`)) return;
    const methods = [route.method].flat();
    if (methods.length === 1 && methods[0] === 'HEAD' && this.hasGet(route.url)) return;
    this.routes.push({
      method: route.method,
      url: route.url,
      ...(route.schema ? { schema: route.schema } : {}),
      ...(route.config ? { config: route.config } : {}),
    });
  }

  /** The OpenAPI document (made once: routes cannot change after the server is ready). */
  async openapi(): Promise<unknown> {
    const app = await this.instance();
    this.document ??= app.swagger();
    return this.document;
  }

  /** Answers a request for the page or one of its files as Swagger UI does. */
  async answer(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    const app = await this.instance();
    const headers: Record<string, string> = {};
    for (const name of FORWARDED_REQUEST_HEADERS) {
      const value = request.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    const response = await app.inject({ method: request.method, url: request.url, headers });
    for (const [name, value] of Object.entries(response.headers)) {
      if (value !== undefined && !HOP_HEADERS.has(name)) reply.header(name, value);
    }
    return reply.status(response.statusCode).send(response.rawPayload);
  }

  private hasGet(url: string): boolean {
    return this.routes.some((route) => route.url === url && [route.method].flat().includes('GET'));
  }

  private instance(): Promise<FastifyInstance> {
    this.built ??= this.build().catch((error: unknown) => {
      // A failed build (never expected) is tried again by the next request.
      this.built = undefined;
      throw error;
    });
    return this.built;
  }

  private async build(): Promise<FastifyInstance> {
    const [{ default: swagger }, { default: swaggerUi }] = await Promise.all([
      import('@fastify/swagger'),
      import('@fastify/swagger-ui'),
    ]);
    const app = Fastify({ logger: false });
    // Nothing is validated or serialized here: only the schemas' descriptions are read.
    app.setValidatorCompiler(() => () => true);
    app.setSerializerCompiler(() => (data) => JSON.stringify(data));
    await app.register(swagger, this.options.swagger);
    const handler = async () => null;
    for (const route of this.routes) app.route({ ...route, handler });
    await app.register(swaggerUi, this.options.ui);
    await app.ready();
    return app;
  }
}

/**
 * Answers JSON already serialized, e.g. bytes kept from an earlier answer: sent as they are, with
 * the content type Fastify gives a JSON object (bypassing the route's serializer, which has
 * nothing left to do).
 */
import type { FastifyReply } from 'fastify';

/** What Fastify answers a JSON object with. */
export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/** Sends `json` (serialized text or its UTF-8 bytes) with status `status` (200 unless told). */
export function sendSerializedJson(
  reply: FastifyReply,
  json: string | Buffer,
  status = 200,
): FastifyReply {
  return reply.status(status).type(JSON_CONTENT_TYPE).send(json);
}

/**
 * The one way an XML answer leaves the service: the presenter's document, serialized by the XML
 * layer, with the XML content type.
 */
import type { FastifyReply } from 'fastify';
import type { XmlDocument } from '../xml/output/xml-output.js';
import { writeXml } from '../xml/output/xml-output-writer.js';

/** The content type of every XML answer. */
export const XML_CONTENT_TYPE = 'application/xml; charset=utf-8';

/** Sends `document` with status `status` (200 unless told). */
export function sendXml(reply: FastifyReply, document: XmlDocument, status = 200): FastifyReply {
  return reply.status(status).type(XML_CONTENT_TYPE).send(writeXml(document));
}

/**
 * Sends XML already serialized (`writeXml`'s text, or its UTF-8 bytes) with status `status`
 * (200 unless told).
 */
export function sendSerializedXml(
  reply: FastifyReply,
  xml: string | Buffer,
  status = 200,
): FastifyReply {
  return reply.status(status).type(XML_CONTENT_TYPE).send(xml);
}

/**
 * Conditional requests (RFC 9110 §8.8.3, §13.1): reading `If-Match` and `If-None-Match` and
 * comparing their entity tags with a resource's current ETag. `If-None-Match` uses the weak
 * comparison (a cached copy is as good whether the tags are weak or not); `If-Match` the strong
 * one, as the RFC requires for a precondition that guards a write.
 */
import type { FastifyRequest } from 'fastify';
import { errors } from '../../errors.js';

/** One entity tag of a list: its opaque part, quotes included, and whether it is weak. */
export interface EntityTag {
  weak: boolean;
  opaque: string;
}

/** `*` (any current representation), or the listed tags. */
export type EntityTagCondition = '*' | EntityTag[];

// Headers longer than this, or naming more tags, are refused rather than compared.
const MAX_CONDITION_LENGTH = 4096;
const MAX_TAGS = 64;
// entity-tag = [ W/ ] DQUOTE *etagc DQUOTE, etagc = %x21 / %x23-7E / obs-text.
const ENTITY_TAG = /^(W\/)?("[\x21\x23-\x7e\x80-\xff]*")$/;

/** Parses a condition header; undefined when absent, `{ problem }` when malformed. */
function parseCondition(
  value: string | string[] | undefined,
): EntityTagCondition | { problem: string } | undefined {
  if (value === undefined) return undefined;
  const text = (Array.isArray(value) ? value.join(',') : value).trim();
  if (text.length > MAX_CONDITION_LENGTH) return { problem: 'is too long' };
  if (text === '*') return '*';
  const tags: EntityTag[] = [];
  for (const part of text.split(',')) {
    const item = part.trim();
    if (item === '') continue;
    const match = ENTITY_TAG.exec(item);
    if (!match?.[2]) return { problem: 'is not a list of entity tags such as "abc" or W/"abc"' };
    tags.push({ weak: match[1] !== undefined, opaque: match[2] });
  }
  if (tags.length === 0) return { problem: 'names no entity tag' };
  if (tags.length > MAX_TAGS) return { problem: `names more than ${MAX_TAGS} entity tags` };
  return tags;
}

/**
 * The request's `If-Match`, or undefined without one. A malformed one is refused (400):
 * ignoring it would turn a guarded write into an unguarded one.
 */
export function ifMatchOf(request: FastifyRequest): EntityTagCondition | undefined {
  const parsed = parseCondition(request.headers['if-match']);
  if (typeof parsed === 'object' && 'problem' in parsed) {
    throw errors.badRequest(`The If-Match header ${parsed.problem}.`);
  }
  return parsed;
}

/** The request's `If-None-Match`; a malformed one is ignored (it only saves a transfer). */
export function ifNoneMatchOf(request: FastifyRequest): EntityTagCondition | undefined {
  const parsed = parseCondition(request.headers['if-none-match']);
  return typeof parsed === 'object' && 'problem' in parsed ? undefined : parsed;
}

/** Parses an ETag of ours (`"…"`, strong). */
function ownTag(etag: string): EntityTag {
  return { weak: etag.startsWith('W/'), opaque: etag.replace(/^W\//, '') };
}

/** Strong comparison: both tags strong and their opaque parts equal (RFC 9110 §8.8.3.2). */
export function ifMatchHolds(condition: EntityTagCondition, etag: string): boolean {
  if (condition === '*') return true;
  const current = ownTag(etag);
  return !current.weak && condition.some((tag) => !tag.weak && tag.opaque === current.opaque);
}

/**
 * True when `If-None-Match` names the current representation (weak comparison), so that a GET
 * answers 304 Not Modified.
 */
export function ifNoneMatchHits(condition: EntityTagCondition | undefined, etag: string): boolean {
  if (condition === undefined) return false;
  if (condition === '*') return true;
  const current = ownTag(etag);
  return condition.some((tag) => tag.opaque === current.opaque);
}

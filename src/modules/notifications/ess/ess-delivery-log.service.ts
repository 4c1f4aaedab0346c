/** A subscriber's view of its delivery attempts: the last 30 days, newest first. */
import type { Kysely } from 'kysely';
import type { Database } from '../../../db/database.js';
import {
  type DeliveryAttemptRow,
  listDeliveryAttempts,
} from './ess-delivery-attempt.repository.js';

export const MAX_ATTEMPTS_PAGE = 200;
const DEFAULT_PAGE = 50;
/** Attempts are listable this long (ESS keeps its delivery log 30 days). */
export const ATTEMPT_RETENTION_MS = 30 * 86_400_000;

export class EssDeliveryLogService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly now: () => number = Date.now,
  ) {}

  /** The attempts of a subscription the caller owns (the route checked ownership). */
  list(subscriptionId: string, limit = DEFAULT_PAGE): Promise<DeliveryAttemptRow[]> {
    return listDeliveryAttempts(this.db, subscriptionId, this.now() - ATTEMPT_RETENTION_MS, limit);
  }
}

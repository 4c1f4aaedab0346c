/**
 * The delivery worker: claims due outbox rows, sends them with bounded concurrency and records
 * each outcome, retrying failures with exponential backoff and full jitter until the row's
 * `expires_at`, after which it is dead. It runs in every serving process (in cluster mode, in
 * the primary: see docs/NOTIFICATIONS.md); any number of workers may share a database, since
 * rows are claimed under leases (notification.repository.ts).
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { hostname } from 'node:os';
import type { DatabaseHandle } from '../../../db/connect.js';
import type { SecretBox } from '../../../security/secret-box.js';
import { deliverEvent } from '../ess/ess-delivery.js';
import { pruneDeliveryAttempts } from '../ess/ess-delivery-attempt.repository.js';
import { EssSigningKeys } from '../ess/ess-signing-keys.js';
import { endpointsOfSubscriptions } from '../ess/ess-subscription.repository.js';
import { postbackUrlsOfApps } from '../module-ports.js';
import {
  type ClaimedNotification,
  claimDueNotifications,
  type Lease,
  outboxWrite,
  pruneNotifications,
  releaseNotifications,
} from '../notification.repository.js';
import { onOutboxWritten } from '../outbox/notification-outbox-signal.js';
import { deliverNotification } from './notification-delivery.js';
import type { DeliveryLog } from './notification-delivery-log.js';
import { notificationSigningSecret } from './notification-signing.js';

/** How the worker paces itself; the defaults suit production, tests shorten them. */
export interface NotificationWorkerTuning {
  /** Attempts in flight at once. */
  concurrency: number;
  /** Sleep between looks at the outbox when nothing is due and nobody woke the worker. */
  pollIntervalMs: number;
  /** Added to the attempt timeout to make the lease: time to record the outcome. */
  leaseMarginMs: number;
  /** Backoff ceiling after the first failure; doubles with each further failure. */
  backoffBaseMs: number;
  /** Largest backoff ceiling. */
  backoffCapMs: number;
  /** Delivered and dead rows are deleted this long after they were created. */
  retentionMs: number;
  /** How often old rows are pruned. */
  pruneIntervalMs: number;
}

export interface NotificationWorkerOptions extends Partial<NotificationWorkerTuning> {
  timeoutMs: number;
  /** Opens the server secret the apps' signing secrets derive from (SECRETS_KEY). */
  secrets: SecretBox;
  allowPrivateTargets: boolean;
  log: DeliveryLog;
  /** The keys that sign ESS events (default: the database's, opened with `secrets`). */
  essKeys?: EssSigningKeys;
  now?: () => number;
  random?: () => number;
}

const DEFAULTS: NotificationWorkerTuning = {
  // Attempts mostly wait on the network; 16 keeps a slow receiver from stalling the rest
  // without opening hundreds of connections.
  concurrency: 16,
  pollIntervalMs: 300,
  leaseMarginMs: 5_000,
  backoffBaseMs: 1_000,
  backoffCapMs: 3_600_000,
  retentionMs: 30 * 86_400_000,
  pruneIntervalMs: 3_600_000,
};
const PRUNE_BATCH = 1_000;
const MIN_CLAIM_INTERVAL_MS = 20;
const IDLE_SOCKET_MS = 4_000;
// A database that is down would otherwise be reported at every poll.
const ERROR_REPORT_INTERVAL_MS = 60_000;

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Delivers the outbox of one database from this process. */
export class NotificationWorker {
  /** Unique per worker instance (process and start), recorded as `claimed_by`. */
  readonly workerId = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly tuning: NotificationWorkerTuning;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly essKeys: EssSigningKeys;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly secrets = new Map<string, Promise<string>>();
  // Idle connections are dropped after 4 s, before a receiver's own idle timeout (Node's
  // default is 5 s) can close one just as an attempt starts on it (a spurious reset).
  private readonly agents = {
    http: new http.Agent({ keepAlive: true, timeout: IDLE_SOCKET_MS }),
    https: new https.Agent({ keepAlive: true, timeout: IDLE_SOCKET_MS }),
  };
  private running = false;
  private loopDone: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;
  private woken = false;
  private lastPrune = Number.NEGATIVE_INFINITY;
  private lastLoopError = Number.NEGATIVE_INFINITY;
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly database: DatabaseHandle,
    private readonly options: NotificationWorkerOptions,
  ) {
    const tuning = Object.fromEntries(
      Object.entries(options).filter(([key, value]) => key in DEFAULTS && value !== undefined),
    );
    this.tuning = { ...DEFAULTS, ...tuning };
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    this.essKeys =
      options.essKeys ?? new EssSigningKeys(database.db, options.secrets, { now: this.now });
  }

  /** Starts the loop; `notifyOutboxWritten()` in this process wakes it. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.unsubscribe = onOutboxWritten(() => this.wake());
    this.loopDone = this.loop();
  }

  /** Looks at the outbox now rather than at the next poll. */
  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  /** Stops claiming, waits for the attempts in flight and releases what was not sent. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.unsubscribe?.();
    this.wake();
    await this.loopDone;
    await Promise.all(this.inFlight);
    this.agents.http.destroy();
    this.agents.https.destroy();
  }

  private async loop(): Promise<void> {
    const { concurrency, pollIntervalMs } = this.tuning;
    while (this.running) {
      try {
        await this.pruneNow();
        // Claim in batches of at least half the slots: fewer, larger claim transactions.
        if (this.inFlight.size > concurrency / 2) {
          await Promise.race(this.inFlight);
          continue;
        }
        this.woken = false;
        const limit = concurrency - this.inFlight.size;
        const startedAt = this.now();
        const claimed = await this.claim(limit);
        // A full batch means more may be due: go again at once. Otherwise sleep until the next
        // poll or a wake-up, but claim at most every MIN_CLAIM_INTERVAL_MS: under a stream of
        // writes every commit wakes the worker, and each claim is a write of its own.
        if (claimed < limit) {
          await this.sleep(pollIntervalMs);
          const since = this.now() - startedAt;
          if (since < MIN_CLAIM_INTERVAL_MS) await delay(MIN_CLAIM_INTERVAL_MS - since);
        }
      } catch (error) {
        const now = this.now();
        if (now - this.lastLoopError >= ERROR_REPORT_INTERVAL_MS) {
          this.lastLoopError = now;
          this.options.log.error({ err: error }, 'notification delivery loop failed; retrying');
        }
        await this.sleep(pollIntervalMs);
      }
    }
  }

  /** Claims up to `limit` rows and starts sending them; returns how many it claimed. */
  private async claim(limit: number): Promise<number> {
    const now = this.now();
    const rows = await claimDueNotifications(this.database, {
      workerId: this.workerId,
      limit,
      now,
      leaseUntil: now + this.options.timeoutMs + this.tuning.leaseMarginMs,
    });
    if (rows.length === 0) return 0;
    const leases = rows.map((row) => this.leaseOf(row));
    let urls: Map<string, string | null>;
    let endpoints: Map<string, string>;
    try {
      if (!this.running) throw new Error('stopping');
      // Read at send time: an app that fixes its URL gets its pending notifications there.
      const v1 = rows.filter((row) => row.channel === 'v1');
      const ess = rows.filter((row) => row.channel === 'ess');
      urls = await postbackUrlsOfApps(this.database.db, [...new Set(v1.map((row) => row.app_id))]);
      endpoints = await endpointsOfSubscriptions(this.database.db, [
        ...new Set(ess.map((row) => row.subscription_id ?? '')),
      ]);
    } catch (error) {
      await outboxWrite(this.database, (db) => releaseNotifications(db, leases));
      if (this.running) throw error;
      return rows.length;
    }
    for (const row of rows) {
      const send =
        row.channel === 'ess'
          ? this.deliverEvent(row, endpoints.get(row.subscription_id ?? ''))
          : this.deliver(row, urls.get(row.app_id) ?? null);
      const attempt = send.finally(() => {
        this.inFlight.delete(attempt);
      });
      this.inFlight.add(attempt);
    }
    return rows.length;
  }

  private leaseOf(row: ClaimedNotification): Lease {
    return { id: row.id, workerId: this.workerId, claimedUntil: row.claimed_until };
  }

  private async deliver(row: ClaimedNotification, postbackUrl: string | null): Promise<void> {
    try {
      const secret = await this.secretFor(row.app_id);
      await deliverNotification(this.database, row, this.leaseOf(row), postbackUrl, {
        ...this.tuning,
        secret,
        timeoutMs: this.options.timeoutMs,
        allowPrivateTargets: this.options.allowPrivateTargets,
        agents: this.agents,
        log: this.options.log,
        now: this.now,
        random: this.random,
      });
    } catch (error) {
      // The lease runs out and the row is claimed again: at least once still holds.
      this.options.log.error({ err: error, notification: row.id }, 'notification attempt failed');
    }
  }

  private async deliverEvent(row: ClaimedNotification, endpoint: string | undefined) {
    try {
      await deliverEvent(this.database, row, this.leaseOf(row), endpoint, {
        ...this.tuning,
        timeoutMs: this.options.timeoutMs,
        allowPrivateTargets: this.options.allowPrivateTargets,
        agents: this.agents,
        keys: this.essKeys,
        log: this.options.log,
        now: this.now,
        random: this.random,
      });
    } catch (error) {
      // As for notifications: the lease runs out and the event is claimed again.
      this.options.log.error({ err: error, event: row.event_id }, 'event attempt failed');
    }
  }

  private secretFor(appId: string): Promise<string> {
    let secret = this.secrets.get(appId);
    if (!secret) {
      // Derived from a server secret that never changes: one look-up per app and process.
      secret = notificationSigningSecret(this.database.db, this.options.secrets, appId);
      secret.catch(() => this.secrets.delete(appId));
      this.secrets.set(appId, secret);
    }
    return secret;
  }

  private async pruneNow(): Promise<void> {
    const now = this.now();
    if (now - this.lastPrune < this.tuning.pruneIntervalMs) return;
    this.lastPrune = now;
    const before = now - this.tuning.retentionMs;
    await outboxWrite(this.database, (db) => pruneNotifications(db, before, PRUNE_BATCH));
    // ESS attempts are listable for 30 days (the default retention), then go.
    await outboxWrite(this.database, (db) => pruneDeliveryAttempts(db, before, PRUNE_BATCH));
  }

  private sleep(ms: number): Promise<void> {
    if (this.woken || !this.running) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = () => {
        this.wakeUp = undefined;
        done();
      };
    });
  }
}

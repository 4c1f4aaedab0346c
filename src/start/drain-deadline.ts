/**
 * How long a stopping process lets requests in flight (and the notification attempts it is
 * making) finish before it closes the remaining connections and exits anyway: inside the 10 s
 * that process managers (systemd, Kubernetes, docker stop) wait before killing.
 *
 * A module of its own so that the cluster primary, which times its workers' drain by it, does
 * not load the app (single-process.ts imports it) just to read a number.
 */
export const DRAIN_DEADLINE_MS = 8_000;

import { runBookingBench } from '../scripts/bench/booking-bench.ts';
// Only the preparation: a zero-length run would still start a server, so call prepare via a tiny run.
await runBookingBench('/tmp/bb-test.db', { trips: 5000, duration: 1, warmup: 1, connections: 1 });

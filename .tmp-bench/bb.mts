import { runBookingBench } from '../scripts/bench/booking-bench.ts';
const file = `/tmp/bb-run-${Date.now()}.db`;
const r = await runBookingBench(file, { trips: Number(process.env.TRIPS ?? 20000), duration: Number(process.env.DUR ?? 8), warmup: 2, connections: 16 });
console.log(JSON.stringify({ rps: Math.round(r.load.rps), p50: r.load.p50, p99: r.load.p99, non2xx: r.load.non2xx, plan: r.plan, before: r.tripsBefore, after: r.tripsAfter, load: r.loadSeconds }));

/**
 * Child process of `npm run bench`: runs the booking scenario (booking-bench.ts) and prints its
 * result as one JSON line. The scenario's load generator then starts in a fresh process: in the
 * long-lived runner, after the trip scenarios, autocannon took more of the two CPUs and the
 * same server measured about a quarter slower.
 * Usage: node --import tsx booking-run.ts DB_FILE SETTINGS_JSON
 */
import { type BookingBenchSettings, runBookingBench } from './booking-bench.js';

const [file, settings] = process.argv.slice(2);
if (!file || !settings) throw new Error('usage: booking-run.ts DB_FILE SETTINGS_JSON');
const result = await runBookingBench(file, JSON.parse(settings) as BookingBenchSettings);
process.stdout.write(`${JSON.stringify(result)}\n`);

// Prepares /tmp/bb-test.db with the booking bench data (5,000 trips) without running load.
import { runBookingBench } from '../scripts/bench/booking-bench.ts';
void runBookingBench;

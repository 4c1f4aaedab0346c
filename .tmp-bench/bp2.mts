import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
const file = process.env.DB ?? '/tmp/bb-test.db';
const app = await buildApp(loadConfig({ DATABASE_URL: `sqlite:${file}`, LOG_LEVEL: 'silent', RATE_LIMIT_PER_MINUTE: '0', RATE_LIMIT_PER_HOUR: '0' }));
const tok = await app.inject({ method: 'POST', url: '/oauth2/v0/token', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'grant_type=client_credentials&client_id=bench-booking-tmc&client_secret=bench-booking-secret-0123456789' });
const token = tok.json().access_token;
const DAY = 86400000; const today = Math.floor(Date.now()/DAY)*DAY;
const fmt = (ms: number) => new Date(ms).toISOString().slice(0,19);
let n = Math.floor(Math.random()*1e9);
async function booking() {
  const i = n++; const t = (i*7)%1000;
  const start = today + (((i * 104729) % 730) - 365) * DAY + 36e6;
  const r = await app.inject({ method: 'POST', url: `/api/travel/booking/v1.1?userid_type=login_id&userid_value=bench-booker-${t}%40example.com`, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/xml' },
    payload: `<Booking><RecordLocator>R${i}</RecordLocator><BookingSource>BenchCars</BookingSource><Segments><Car><Vendor>ZE</Vendor><StartCityCode>SEA</StartCityCode><StartDateLocal>${fmt(start)}</StartDateLocal><EndDateLocal>${fmt(start+DAY)}</EndDateLocal></Car></Segments></Booking>` });
  if (r.statusCode !== 200) throw new Error(r.body);
}
async function trip() {
  const i = n++; const t = (i*7)%1000;
  const start = today + (((i * 104729) % 730) - 365) * DAY + 36e6;
  const r = await app.inject({ method: 'POST', url: `/api/travel/trip/v1.1?userid_type=login_id&userid_value=bench-booker-${t}%40example.com`, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/xml' },
    payload: `<Itinerary><TripName>x</TripName><Bookings><Booking><RecordLocator>R${i}</RecordLocator><BookingSource>BenchCars</BookingSource><Segments><Car><Vendor>ZE</Vendor><StartCityCode>SEA</StartCityCode><StartDateLocal>${fmt(start)}</StartDateLocal><EndDateLocal>${fmt(start+DAY)}</EndDateLocal></Car></Segments></Booking></Bookings></Itinerary>` });
  if (r.statusCode !== 200) throw new Error(r.body);
}
const N = Number(process.env.N ?? 1000);
for (const [name, f] of (process.env.ONLY === 'booking' ? [['booking', booking]] : [['booking', booking], ['trip', trip], ['booking', booking], ['trip', trip]]) as const) {
  for (let i = 0; i < 100; i++) await f();
  const t0 = performance.now();
  for (let i = 0; i < N; i++) await f();
  console.log(name, 'µs/POST', ((performance.now()-t0)*1000/N).toFixed(0));
}
await app.close();

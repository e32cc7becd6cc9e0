#!/usr/bin/env node
// Fires a burst of simultaneous consultation bookings at a running Kyodo (issue #11) and checks
// the answers: POST /api/book_consultation, all at once, either N requests for one slot (exactly
// one may win) or one request for each of several slots (all must win). Node 20, no npm
// packages: node:http with an agent that never queues (maxSockets: Infinity), so every request
// has its own connection and the server sees them all at once.
//
//   node scripts/burst.mjs --base http://127.0.0.1:3400 --jar COOKIES --slots SLOTS.json \
//        --mode same --n 1000 [--accept json|html] [--preconnect] [--label TEXT] [--out FILE]
//   node scripts/burst.mjs … --mode distinct            # one request per slot in SLOTS.json
//
// SLOTS.json: [{"start": RFC 3339, "end": RFC 3339}, …] (the `slots` of /api/get_consultations);
// --mode same books the first N times. --jar is curl's cookie file (bench_sign_in writes it).
// Each request has its own 24-digit lowercase hex `request_key` (the booking's key).
//
// --accept json (default): what the app's own JavaScript client sends (Accept:
//   application/json). Booked = 200 with `Location: /consultations/bookings/<key>?booked=1`;
//   slot taken = 400 with the JSON error whose text says "just taken".
// --accept html: a plain form post (Accept: text/html, Referer: the booking page). Booked = 302
//   to the booking; refused = 302 back to the Referer with `form_error=<id>`, which is then read
//   (POST /api/get_form_error, after the burst) to tell "slot taken" from other refusals; the
//   session keeps only its last 5 errors, so most stay "refused" (302 back to the form).
// --preconnect: opens every connection first (GET /healthz on each, kept alive), so that the
//   timings are the server's work and not TCP connection set-up.
//
// Latency: from handing the request to node:http until its answer's last byte, per request.
// Prints counts by outcome and p50/p95/p99/max in ms; --out writes the same as JSON (with the
// winners' keys). Exits 1 unless: --mode same, exactly one booked, N-1 slot taken; --mode
// distinct, all booked; and in both no 5xx and no failed connection.

import http from 'node:http';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

function parseArgs(argv) {
  const opts = {
    accept: 'json', mode: 'same', n: 1000, topic: 'standardization',
    advisor: 'demo_govtech_advisor', kind: 'spot_consultation', label: '', preconnect: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const key = argv[i].replace(/^--/, '');
    if (key === 'preconnect') { opts.preconnect = true; continue; }
    const value = argv[++i];
    if (value === undefined) throw new Error(`--${key} needs a value`);
    opts[key] = key === 'n' ? Number(value) : value;
  }
  for (const need of ['base', 'slots']) {
    if (!opts[need]) throw new Error(`--${need} is required`);
  }
  if (!opts.jar && !opts.cookie) throw new Error('--jar or --cookie is required');
  if (!['json', 'html'].includes(opts.accept)) throw new Error('--accept json|html');
  if (!['same', 'distinct'].includes(opts.mode)) throw new Error('--mode same|distinct');
  if (!Number.isInteger(opts.n) || opts.n < 1) throw new Error('--n must be a positive integer');
  return opts;
}

// curl's cookie file: tab-separated, `#HttpOnly_` before the host of an HttpOnly cookie.
function cookieHeader(jar) {
  return readFileSync(jar, 'utf8').split('\n')
    .map((line) => line.replace(/^#HttpOnly_/, ''))
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => line.split('\t'))
    .filter((f) => f.length >= 7)
    .map((f) => `${f[5]}=${f[6].trim()}`)
    .join('; ');
}

const requestKey = () => randomBytes(12).toString('hex');

// The server's "this slot was just taken": AppError::Rejected on the `start` field, as JSON
// ({"code":"rejected","field":"start","ja":…,"en":"This slot was just taken. …"}).
function isSlotTaken(body) {
  try {
    const e = JSON.parse(body);
    return e?.code === 'rejected' && e.field === 'start' && /just taken/.test(e.en);
  } catch {
    return false;
  }
}

// One request; resolves (never rejects) with status, headers, body and elapsed ms.
function send(agent, url, { method = 'GET', headers = {}, body = '' } = {}) {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const req = http.request(url, { method, agent, headers: { ...headers, 'Content-Length': Buffer.byteLength(body) } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({
        status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString('utf8'),
        ms: performance.now() - t0,
      }));
      res.on('error', (e) => resolve({ status: 0, error: e.code || e.message, ms: performance.now() - t0 }));
    });
    req.on('error', (e) => resolve({ status: 0, error: e.code || e.message, ms: performance.now() - t0 }));
    req.end(body);
  });
}

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length); // nearest rank
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const base = opts.base.replace(/\/$/, '');
  const cookie = opts.cookie || cookieHeader(opts.jar);
  const slots = JSON.parse(readFileSync(opts.slots, 'utf8'));
  if (!Array.isArray(slots) || slots.length === 0) throw new Error(`${opts.slots}: no slots`);
  const targets = opts.mode === 'same' ? Array.from({ length: opts.n }, () => slots[0]) : slots;
  const count = targets.length;

  const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity, maxFreeSockets: Infinity });
  if (opts.preconnect) {
    const warm = await Promise.all(targets.map(() => send(agent, `${base}/healthz`)));
    const bad = warm.filter((r) => r.status !== 200).length;
    if (bad) console.error(`burst: ${bad} of ${count} pre-connections failed`);
  }

  const page = `${base}/consultations?topic=${opts.topic}&advisor=${opts.advisor}`;
  const headers = {
    Origin: base,
    Cookie: cookie,
    'Content-Type': 'application/x-www-form-urlencoded',
    Accept: opts.accept === 'json' ? 'application/json' : 'text/html,application/xhtml+xml',
    ...(opts.accept === 'html' ? { Referer: page } : {}),
  };
  const requests = targets.map((slot, i) => {
    const key = requestKey();
    const body = new URLSearchParams({
      topic: opts.topic, advisor: opts.advisor, kind: opts.kind, start: `${slot.start}/${slot.end}`,
      subject: `burst ${i + 1}`, description: '', request_key: key,
    }).toString();
    return { key, slot, body };
  });

  const started = performance.now();
  const answers = await Promise.all(requests.map((r) =>
    send(agent, `${base}/api/book_consultation`, { method: 'POST', headers, body: r.body })));
  const wall = performance.now() - started;

  // Classify.
  const outcomes = [];
  const formErrors = [];
  answers.forEach((a, i) => {
    const location = a.headers?.location || '';
    const booked = location.match(/^\/consultations\/bookings\/([0-9a-z]+)\?booked=1$/);
    let outcome;
    if (a.status === 0) outcome = 'connection_error';
    else if (a.status >= 500) outcome = '5xx';
    else if (booked && (a.status === 200 || (a.status >= 300 && a.status < 400))) outcome = 'booked';
    else if (opts.accept === 'json' && a.status === 400 && isSlotTaken(a.body)) outcome = 'slot_taken';
    else if (opts.accept === 'html' && a.status >= 300 && a.status < 400 && /[?&]form_error=/.test(location)) {
      outcome = 'refused'; // told apart below
      formErrors.push(i);
    } else if (a.status >= 400) outcome = 'other_4xx';
    else outcome = 'other';
    outcomes.push({ i, outcome, status: a.status, ms: a.ms, key: booked ? booked[1] : null, a });
  });
  // A plain form's refusal is kept in the session: read each (sequentially, after the burst).
  const readAgent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  for (let j = 0; j < formErrors.length; j += 50) {
    await Promise.all(formErrors.slice(j, j + 50).map(async (i) => {
      const id = new URL(outcomes[i].a.headers.location, base).searchParams.get('form_error');
      const r = await send(readAgent, `${base}/api/get_form_error`, {
        method: 'POST', body: `id=${encodeURIComponent(id)}`,
        headers: { Origin: base, Cookie: cookie, Accept: 'application/json', 'Content-Type': 'application/x-www-form-urlencoded' },
      });
      outcomes[i].error = r.body;
      // The session keeps its last 5 form errors only: older ones read `null` (stay "refused").
      if (isSlotTaken(r.body)) outcomes[i].outcome = 'slot_taken';
      else if (r.body.trim() !== 'null') outcomes[i].outcome = 'other_4xx';
    }));
  }

  const counts = {};
  for (const o of outcomes) counts[o.outcome] = (counts[o.outcome] || 0) + 1;
  const byStatus = {};
  for (const o of outcomes) byStatus[o.status] = (byStatus[o.status] || 0) + 1;
  const ms = outcomes.map((o) => o.ms).sort((x, y) => x - y);
  const lat = { p50: percentile(ms, 50), p95: percentile(ms, 95), p99: percentile(ms, 99), max: ms[ms.length - 1], min: ms[0] };
  const winners = outcomes.filter((o) => o.outcome === 'booked');
  const wrongKey = winners.filter((o) => o.key !== requests[o.i].key);
  const n = (name) => counts[name] || 0;

  const problems = [];
  if (n('5xx')) problems.push(`${n('5xx')} answered 5xx`);
  if (n('connection_error')) problems.push(`${n('connection_error')} connections failed`);
  if (wrongKey.length) problems.push(`${wrongKey.length} bookings not under their request_key`);
  if (opts.mode === 'same') {
    if (winners.length !== 1) problems.push(`${winners.length} booked, expected exactly 1`);
    // A plain form's refusals whose error the session no longer keeps count as "slot taken"
    // when every readable one says so (and nothing else was refused).
    const taken = n('slot_taken') + n('refused');
    if (taken !== count - 1) problems.push(`${taken} slot taken, expected ${count - 1}`);
  } else {
    if (winners.length !== count) problems.push(`${winners.length} of ${count} distinct slots booked, expected all`);
    const slotsWon = new Set(winners.map((o) => requests[o.i].slot.start));
    if (slotsWon.size !== winners.length) problems.push('two bookings for one slot');
  }

  const label = opts.label || `${opts.mode === 'same' ? `${count} × one slot` : `${count} distinct slots`}`;
  const f = (x) => x.toFixed(1);
  console.log(`burst: ${label} (Accept ${opts.accept}${opts.preconnect ? ', pre-connected' : ''})`);
  console.log(`  outcomes: ${Object.entries(counts).map(([k, v]) => `${k} ${v}`).join(', ')}; `
    + `HTTP ${Object.entries(byStatus).map(([k, v]) => `${k}×${v}`).join(' ')}`);
  console.log(`  latency ms: min ${f(lat.min)}  p50 ${f(lat.p50)}  p95 ${f(lat.p95)}  p99 ${f(lat.p99)}  max ${f(lat.max)}; `
    + `all ${count} answered in ${f(wall)} ms (${f(count / (wall / 1000))} req/s)`);
  for (const o of outcomes.filter((x) => !['booked', 'slot_taken', 'refused'].includes(x.outcome)).slice(0, 5)) {
    console.log(`  e.g. #${o.i + 1} ${o.outcome} HTTP ${o.status}${o.a.error ? ` ${o.a.error}` : ''}: `
      + `${(o.error || o.a.body || '').slice(0, 300).replace(/\s+/g, ' ')}`);
  }
  if (opts.mode === 'same' && winners[0]) console.log(`  booked: ${winners[0].key} (request #${winners[0].i + 1}, ${f(winners[0].ms)} ms)`);
  console.log(problems.length ? `  FAIL: ${problems.join('; ')}` : '  ok');

  if (opts.out) {
    writeFileSync(opts.out, JSON.stringify({
      label, mode: opts.mode, accept: opts.accept, preconnect: opts.preconnect, n: count,
      counts, by_status: byStatus, latency_ms: lat, wall_ms: wall, problems,
      booked: winners.map((o) => ({ key: o.key, start: requests[o.i].slot.start, end: requests[o.i].slot.end, ms: o.ms })),
    }, null, 2));
  }
  agent.destroy();
  readAgent.destroy();
  process.exit(problems.length ? 1 : 0);
}

main().catch((e) => { console.error(`burst: ${e.message}`); process.exit(2); });

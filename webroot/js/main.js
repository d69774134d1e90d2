// Glue: feed frames go to the header, the backend table, the charts and the controls, for the upstream
// group chosen at the top (the default one unless the address says #group=NAME).
// `window.dashboard` exposes the charts, the group and frame counters for the browser test and for curious users.

import { connectFeed } from './feed.js';
import { createCharts, scoreUnit } from './charts.js';
import { createControls } from './controls.js';
import { colorOf } from './colors.js';
import { loadCatalog, policies, withCode } from './catalog.js';
import { DEFAULT_GROUP, groupNames, groupView, initialGroup } from './groups.js';

const $ = id => document.getElementById(id);
const num = (v, digits = 1) => (typeof v === 'number' && Number.isFinite(v) ? v.toFixed(digits) : (v === 'Infinity' ? '∞' : '–'));

/** The side panel's explanations: each catalog policy, what its score means, its parameters and defaults. */
function renderExplanations() {
  $('policy-explanations').replaceChildren(...policies().map(p => {
    const item = document.createElement('div');
    item.dataset.policy = p.name;
    const dt = document.createElement('dt');
    dt.textContent = p.name;
    const dd = document.createElement('dd');
    dd.append(...withCode(p.explanation));
    const score = document.createElement('p');
    score.className = 'score';
    score.textContent = p.score ? `Score: ${p.score.meaning}.` : 'No score.';
    dd.append(score);
    if (p.params.length) {
      const list = document.createElement('ul');
      list.className = 'param-list';
      list.append(...p.params.map(param => {
        const li = document.createElement('li');
        li.dataset.key = param.key;
        const key = document.createElement('code');
        key.textContent = param.key;
        li.append(key, ` = ${param.default} (${param.accepts}): ${param.meaning}`);
        return li;
      }));
      dd.append(list);
    }
    item.append(dt, dd);
    return item;
  }));
}

let group = initialGroup();
const view = createCharts();
const controls = createControls(group);
const dashboard = { charts: view.charts, frames: 0, lastFrame: null, feed: 'connecting', group };
window.dashboard = dashboard;

const FIRST = { policy: undefined, connection: undefined, uptimeSec: -1 };
let last = FIRST;

/** Shows (and steers) another group from the next frame drawn on: its charts start empty. */
function selectGroup(name) {
  group = name;
  dashboard.group = name;
  history.replaceState(null, '', name === DEFAULT_GROUP ? location.pathname + location.search : `#group=${encodeURIComponent(name)}`);
  view.reset();
  last = FIRST;
  controls.setGroup(name);
}

/** The selector lists the groups the lab has now; it shows only when there is more than one. */
function renderGroupPicker(stats) {
  const names = groupNames(stats);
  if (!names.includes(group)) {
    selectGroup(DEFAULT_GROUP); // the group is gone (a reload removed it)
  }
  $('group-picker').hidden = names.length < 2;
  const select = $('group');
  if ([...select.options].map(o => o.value).join() !== names.join()) {
    select.replaceChildren(...names.map(n => {
      const option = document.createElement('option');
      option.value = n;
      option.textContent = n;
      return option;
    }));
  }
  select.value = group;
}

$('group').addEventListener('change', () => {
  selectGroup($('group').value);
  if (dashboard.lastFrame?.type === 'snapshot') {
    render(dashboard.lastFrame); // at once, not a quarter second later
  }
});

function uptime(sec) {
  const h = Math.floor(sec / 3600);
  const m = Math.floor(sec / 60) % 60;
  const s = sec % 60;
  return h > 0 ? `${h} h ${m} min` : m > 0 ? `${m} min ${s} s` : `${s} s`;
}

function policyLabel(stats) {
  const config = stats.proxies?.[0]?.policyConfig;
  if (!config) {
    return stats.policy ?? '–';
  }
  return config.type;
}

function policyParams(stats) {
  const config = stats.proxies?.[0]?.policyConfig ?? {};
  const params = Object.entries(config).filter(([k]) => k !== 'type').map(([k, v]) => `${k}=${v}`);
  return params.length ? ` (${params.join(', ')})` : '';
}

/** Requests in flight to a backend, summed over every proxy instance (each has its own policy state). */
function inFlight(stats, name) {
  let sum = 0;
  let seen = false;
  for (const p of stats.proxies ?? []) {
    const row = (p.backends ?? []).find(b => b.name === name);
    if (row && typeof row.inFlight === 'number') {
      sum += row.inFlight;
      seen = true;
    }
  }
  return seen ? sum : undefined;
}

function stateOf(b) {
  return b.policy?.state ?? (b.server ? 'up' : 'unknown');
}

/** What the policy holds for a backend besides its score: SMA window, EWMA samples, peak EWMA. */
function beliefs(p) {
  if (!p) {
    return '–';
  }
  if (Array.isArray(p.window)) {
    return `window [${p.window.map(v => num(v, 1)).join(', ')}] ms`;
  }
  if (p.latencyByInFlight && typeof p.latencyByInFlight === 'object') {
    const bands = Object.entries(p.latencyByInFlight).map(([band, ms]) => `${band}: ${num(ms, 1)}`);
    return bands.length ? `ms by in flight {${bands.join(', ')}}` : 'no samples yet';
  }
  if (typeof p.peakEwmaMs === 'number') {
    return `peak EWMA ${num(p.peakEwmaMs, 1)} ms`;
  }
  if (typeof p.samples === 'number') {
    return `${p.samples} samples`;
  }
  // A policy this page has no special view for: whatever else it describes.
  const rest = Object.entries(p).filter(([k, v]) => !['name', 'score', 'inFlight', 'state', 'url', 'health'].includes(k) && typeof v !== 'object');
  return rest.length ? rest.map(([k, v]) => `${k} ${typeof v === 'number' ? num(v, 2) : v}`).join(', ') : '–';
}

function profileText(server) {
  const p = server?.profile;
  if (!p) {
    return '–';
  }
  const l = p.latency ?? {};
  const lat = l.dist === 'uniform' ? `uniform ${l.minMs}–${l.maxMs} ms` : `${l.dist} ${l.ms} ms`;
  return `${lat}${p.capacity ? `, capacity ${p.capacity}` : ''}${p.errorRate ? `, errors ${(p.errorRate * 100).toFixed(1)} %` : ''}`;
}

function renderHeader(stats) {
  const small = document.createElement('small');
  small.textContent = policyParams(stats);
  $('hdr-policy').replaceChildren(policyLabel(stats), small);
  $('hdr-connection').textContent = stats.connection ?? '–';
  $('hdr-uptime').textContent = uptime(stats.uptimeSec ?? 0);
  $('hdr-window').textContent = `${stats.windowSec ?? '–'} s`;
  document.querySelectorAll('.win').forEach(e => { e.textContent = `${stats.windowSec ?? '–'} s`; });
  $('score-unit').textContent = scoreUnit(stats.policy) ?? `${stats.policy ?? '–'} keeps no score`;
  const picks = [...new Set((stats.proxies ?? []).map(p => p.nextPick).filter(Boolean))];
  $('hdr-next').textContent = picks.length ? picks.join(' / ') : '–';
  $('hdr-backends').replaceChildren(...(stats.backends ?? []).map(b => {
    const chip = document.createElement('span');
    const state = stateOf(b);
    chip.className = `chip state-${state}`;
    chip.title = b.policy?.url ?? '';
    const dot = document.createElement('i');
    dot.style.background = colorOf(b.name);
    chip.append(dot, `${b.name} · ${state}`);
    return chip;
  }));
  for (const d of document.querySelectorAll('[data-policy]')) {
    d.classList.toggle('active', d.dataset.policy === stats.policy);
  }
}

function renderTable(stats) {
  const picks = new Set((stats.proxies ?? []).map(p => p.nextPick));
  $('backends-body').replaceChildren(...(stats.backends ?? []).map(b => {
    const tr = document.createElement('tr');
    const cells = [
      b.name, stateOf(b), `${num((b.share ?? 0) * 100)} %`, num(b.rps), num(b.mean), num(b.p95), String(b.errors ?? '–'),
      String(inFlight(stats, b.name) ?? '–'), num(b.policy?.score, 1), beliefs(b.policy), String(b.requestsTotal ?? '–'), profileText(b.server),
    ];
    cells.forEach((text, i) => {
      const td = document.createElement('td');
      if (i === 0) {
        const dot = document.createElement('i');
        dot.className = 'swatch';
        dot.style.background = colorOf(b.name);
        td.append(dot, text + (picks.has(b.name) ? ' ◀ next' : ''));
      } else {
        td.textContent = text;
      }
      if (i === 1) {
        td.className = `state-${text}`;
      }
      tr.appendChild(td);
    });
    return tr;
  }));
  const t = stats.totals ?? {};
  $('totals').textContent = `${num(t.rps)} req/s · mean ${num(t.mean)} ms · p95 ${num(t.p95)} ms · p99 ${num(t.p99)} ms · ` +
    `${t.errors ?? 0} errors in the last ${stats.windowSec ?? '–'} s · ${t.requestsTotal ?? 0} requests since start`;
}

function onFrame(frame) {
  dashboard.frames++;
  dashboard.lastFrame = frame;
  if (frame.type !== 'snapshot') {
    $('feed-status').textContent = `● live, but ${frame.error ?? 'no data'}`;
    $('feed-status').className = 'warn';
    return;
  }
  $('feed-status').textContent = '● live';
  $('feed-status').className = 'live';
  renderGroupPicker(frame.stats);
  render(frame);
}

/** Draws one snapshot frame for the group shown. */
function render(frame) {
  const stats = groupView(frame.stats, group);
  if (last.uptimeSec >= 0 && stats.uptimeSec < last.uptimeSec) {
    view.mark(frame.ts, 'lab restarted');
  }
  if (last.policy !== undefined && stats.policy !== last.policy) {
    view.mark(frame.ts, `→ ${stats.policy}`);
  }
  if (last.connection !== undefined && stats.connection !== last.connection) {
    view.mark(frame.ts, `→ ${stats.connection}`);
  }
  last = { policy: stats.policy, connection: stats.connection, uptimeSec: stats.uptimeSec };
  renderHeader(stats);
  renderTable(stats);
  view.add(frame.ts, stats);
  controls.update(stats);
}

function onStatus(status) {
  dashboard.feed = status.state;
  const out = $('feed-status');
  if (status.state === 'reconnecting') {
    out.textContent = `○ feed lost, reconnecting in ${(status.inMs / 1000).toFixed(1)} s`;
    out.className = 'down';
  } else if (status.state === 'connecting') {
    out.textContent = '○ connecting…';
    out.className = 'down';
  }
}

// The feed starts once the catalog is in: the first frame then finds the policy form drawn.
loadCatalog()
  .then(() => {
    renderExplanations();
    controls.showCatalog();
  }, e => {
    $('policy-explanations').textContent = `The policy catalog is not available (${e.message}); reload the page.`;
  })
  .finally(() => connectFeed({ onFrame, onStatus }));

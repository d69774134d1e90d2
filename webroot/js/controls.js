// The control panel: policy (with its parameters), connection mode, a backend's profile, enable or
// disable, reset statistics. Everything goes through the existing admin endpoints; the feed shows
// the effect within a frame or two.

import { admin, adminToken, setAdminToken } from './admin.js';

// Parameters each policy accepts (PolicyConfig.KEYS); a blank field means "the default".
const PARAMS = {
  'round-robin': [],
  'sma': [
    { key: 'window', label: 'window (samples)', kind: 'int', def: 3 },
    { key: 'explore', label: 'explore (0–1)', kind: 'number', def: 0 },
    { key: 'forgetAfterMs', label: 'forgetAfterMs', kind: 'number', def: 0 },
    { key: 'tryUnsampled', label: 'tryUnsampled', kind: 'bool', def: false },
    { key: 'failurePenaltyMs', label: 'failurePenaltyMs', kind: 'number', def: 1000 },
  ],
  'ewma': [
    { key: 'alpha', label: 'alpha (0–1]', kind: 'number', def: 0.3 },
    { key: 'warmupProbes', label: 'warmupProbes', kind: 'int', def: 3 },
    { key: 'warmupPath', label: 'warmupPath', kind: 'text', def: '/' },
    { key: 'explore', label: 'explore (0–1)', kind: 'number', def: 0 },
    { key: 'forgetAfterMs', label: 'forgetAfterMs', kind: 'number', def: 0 },
    { key: 'failurePenaltyMs', label: 'failurePenaltyMs', kind: 'number', def: 1000 },
  ],
  'least-request': [],
  'p2c-peak-ewma': [
    { key: 'tauMs', label: 'tauMs', kind: 'number', def: 10000 },
    { key: 'defaultRttMs', label: 'defaultRttMs', kind: 'number', def: 30 },
    { key: 'failurePenaltyMs', label: 'failurePenaltyMs', kind: 'number', def: 1000 },
  ],
  'least-latency': [
    { key: 'alpha', label: 'alpha (0–1]', kind: 'number', def: 0.3 },
    { key: 'tauMs', label: 'tauMs', kind: 'number', def: 10000 },
    { key: 'defaultRttMs', label: 'defaultRttMs', kind: 'number', def: 30 },
    { key: 'failurePenaltyMs', label: 'failurePenaltyMs', kind: 'number', def: 1000 },
  ],
};

const $ = id => document.getElementById(id);

function el(tag, attrs = {}, text) {
  const e = document.createElement(tag);
  Object.entries(attrs).forEach(([k, v]) => e.setAttribute(k, v));
  if (text !== undefined) {
    e.textContent = text;
  }
  return e;
}

/** Shows the outcome of the last admin call; errors stay until the next call. */
function report(what, result) {
  const out = $('admin-result');
  out.className = result.ok ? 'ok' : 'error';
  out.textContent = result.ok
    ? `✓ ${what}: ${JSON.stringify(result.body)}`
    : `✗ ${what} refused (HTTP ${result.status}): ${result.body?.error ?? JSON.stringify(result.body)}`;
}

async function call(what, method, path, body) {
  const result = await admin(method, path, body);
  report(what, result);
  return result;
}

function renderParams(type) {
  const box = $('policy-params');
  box.replaceChildren();
  for (const p of PARAMS[type] ?? []) {
    const id = `param-${p.key}`;
    const label = el('label', { for: id }, p.label);
    const input = p.kind === 'bool'
      ? el('select', { id, 'data-key': p.key, 'data-kind': p.kind })
      : el('input', { id, 'data-key': p.key, 'data-kind': p.kind, placeholder: String(p.def), inputmode: p.kind === 'text' ? 'text' : 'decimal' });
    if (p.kind === 'bool') {
      input.append(el('option', { value: '' }, `default (${p.def})`), el('option', { value: 'true' }, 'true'), el('option', { value: 'false' }, 'false'));
    }
    box.append(label, input);
  }
}

/** The policy JSON from the form; values are sent as typed so the server's validation can name a bad one. */
function policyBody() {
  const body = { type: $('policy-type').value };
  for (const input of $('policy-params').querySelectorAll('[data-key]')) {
    const raw = input.value.trim();
    if (raw === '') {
      continue;
    }
    const kind = input.dataset.kind;
    const n = Number(raw);
    body[input.dataset.key] = kind === 'bool' ? raw === 'true' : kind === 'text' ? raw : (Number.isFinite(n) ? n : raw);
  }
  return body;
}

function profileBody() {
  const body = {};
  const ms = $('profile-ms').value.trim();
  if (ms !== '') {
    body.latency = { dist: 'constant', ms: Number.isFinite(Number(ms)) ? Number(ms) : ms };
  }
  const capacity = $('profile-capacity').value.trim();
  if (capacity !== '') {
    body.capacity = Number.isFinite(Number(capacity)) ? Number(capacity) : capacity;
  }
  const errorRate = $('profile-error-rate').value.trim();
  if (errorRate !== '') {
    body.errorRate = Number.isFinite(Number(errorRate)) ? Number(errorRate) : errorRate;
  }
  return body;
}

export function createControls() {
  const startProfiles = new Map(); // backend -> profile when first seen, for "restore"
  let policyTouched = false;

  $('policy-type').addEventListener('change', () => {
    policyTouched = true;
    renderParams($('policy-type').value);
  });
  $('policy-apply').addEventListener('click', () => call('policy', 'POST', '/admin/policy', policyBody()));
  for (const button of document.querySelectorAll('[data-connection]')) {
    button.addEventListener('click', () => call('connection mode', 'POST', '/admin/connection', { connection: button.dataset.connection }));
  }
  const backend = () => $('profile-backend').value;
  $('profile-apply').addEventListener('click', () => call(`profile of ${backend()}`, 'PUT', `/admin/backends/${encodeURIComponent(backend())}/profile`, profileBody()));
  $('profile-restore').addEventListener('click', () => {
    const start = startProfiles.get(backend());
    if (!start) {
      report('restore', { ok: false, status: 0, body: { error: `no start profile known for ${backend()}` } });
      return;
    }
    call(`profile of ${backend()} restored`, 'PUT', `/admin/backends/${encodeURIComponent(backend())}/profile`, start);
  });
  $('backend-enable').addEventListener('click', () => call(`enable ${backend()}`, 'POST', `/admin/backends/${encodeURIComponent(backend())}/enable`));
  $('backend-disable').addEventListener('click', () => call(`disable ${backend()}`, 'POST', `/admin/backends/${encodeURIComponent(backend())}/disable`));
  $('stats-reset').addEventListener('click', () => call('statistics reset', 'POST', '/admin/stats/reset'));

  $('admin-token').value = adminToken();
  $('admin-token').addEventListener('change', () => setAdminToken($('admin-token').value.trim()));

  renderParams($('policy-type').value);

  /** Keeps the selectors in step with the lab: backends that exist, the policy that runs. */
  function update(stats) {
    const select = $('profile-backend');
    const names = (stats.backends ?? []).map(b => b.name);
    const current = [...select.options].map(o => o.value);
    if (names.join() !== current.join()) {
      const keep = select.value;
      select.replaceChildren(...names.map(n => el('option', { value: n }, n)));
      if (names.includes(keep)) {
        select.value = keep;
      }
    }
    for (const b of stats.backends ?? []) {
      const p = b.server?.profile;
      if (p && !startProfiles.has(b.name)) {
        startProfiles.set(b.name, { latency: p.latency, capacity: p.capacity, errorRate: p.errorRate });
      }
    }
    const type = $('policy-type');
    if (stats.policy && ![...type.options].some(o => o.value === stats.policy)) {
      type.append(el('option', { value: stats.policy }, stats.policy)); // a policy newer than this page
    }
    if (!policyTouched && stats.policy && $('policy-type').value !== stats.policy) {
      $('policy-type').value = stats.policy;
      renderParams(stats.policy);
    }
    for (const button of document.querySelectorAll('[data-connection]')) {
      button.classList.toggle('active', button.dataset.connection === stats.connection);
    }
  }

  return { update };
}

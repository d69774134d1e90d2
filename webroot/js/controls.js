// The control panel: policy (with its parameters, from the catalog), connection mode, a backend's
// profile, enable or disable, reset statistics. Everything goes through the admin endpoints; the feed
// shows the effect within a frame or two. Policy, connection mode, enable and disable act on the
// upstream group the page shows; a simulated backend's profile and the statistics are not a group's.

import { admin, adminToken, setAdminToken } from './admin.js';
import { policies, policyInfo } from './catalog.js';
import { adminBase, DEFAULT_GROUP } from './groups.js';

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

/** One option per catalog policy; the order is the catalog's. */
function renderPolicyTypes() {
  const select = $('policy-type');
  select.replaceChildren(...policies().map(p => el('option', { value: p.name }, p.name)));
}

/** A field per catalog parameter; blank means "the default", which the field shows. */
function paramInput(p, id) {
  const attrs = { id, 'data-key': p.key, 'data-kind': p.type, title: `${p.meaning} (accepts ${p.accepts})` };
  if (p.type === 'flag' || p.type === 'choice') {
    const select = el('select', attrs);
    const values = p.type === 'flag' ? ['true', 'false'] : p.choices;
    select.append(el('option', { value: '' }, `default (${p.default})`), ...values.map(v => el('option', { value: v }, v)));
    return select;
  }
  return el('input', { ...attrs, placeholder: String(p.default), inputmode: p.type === 'path' ? 'text' : 'decimal' });
}

function renderParams(type) {
  const box = $('policy-params');
  box.replaceChildren();
  for (const p of policyInfo(type)?.params ?? []) {
    const id = `param-${p.key}`;
    box.append(el('label', { for: id, title: p.meaning }, p.key), paramInput(p, id));
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
    body[input.dataset.key] = kind === 'flag' ? raw === 'true'
      : kind === 'choice' || kind === 'path' ? raw
        : (Number.isFinite(n) ? n : raw);
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

/** @param initialGroup the upstream group the controls act on until setGroup() names another */
export function createControls(initialGroup) {
  const startProfiles = new Map(); // backend -> profile when first seen, for "restore"
  let policyTouched = false;
  let group = initialGroup;
  const inGroup = what => (group === DEFAULT_GROUP ? what : `${what} in group ${group}`);

  $('policy-type').addEventListener('change', () => {
    policyTouched = true;
    renderParams($('policy-type').value);
  });
  $('policy-apply').addEventListener('click', () => call(inGroup('policy'), 'POST', `${adminBase(group)}/policy`, policyBody()));
  for (const button of document.querySelectorAll('[data-connection]')) {
    button.addEventListener('click', () => call(inGroup('connection mode'), 'POST', `${adminBase(group)}/connection`,
      { connection: button.dataset.connection }));
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
  $('backend-enable').addEventListener('click', () => call(inGroup(`enable ${backend()}`), 'POST',
    `${adminBase(group)}/backends/${encodeURIComponent(backend())}/enable`));
  $('backend-disable').addEventListener('click', () => call(inGroup(`disable ${backend()}`), 'POST',
    `${adminBase(group)}/backends/${encodeURIComponent(backend())}/disable`));
  $('stats-reset').addEventListener('click', () => call('statistics reset', 'POST', '/admin/stats/reset'));

  $('admin-token').value = adminToken();
  $('admin-token').addEventListener('change', () => setAdminToken($('admin-token').value.trim()));

  /** Draws the policy list and form once the catalog is loaded. */
  function showCatalog() {
    renderPolicyTypes();
    renderParams($('policy-type').value);
  }

  /** Another group is shown: the controls act on it, and the policy form shows its policy again. */
  function setGroup(name) {
    group = name;
    policyTouched = false;
  }

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

  return { update, showCatalog, setGroup };
}

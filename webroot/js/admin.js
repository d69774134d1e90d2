// Calls to the admin API on this same port. Loopback browsers need nothing; from another host the
// API wants `Authorization: Bearer <dashboard.adminToken>`, which the user pastes once per tab
// (kept in sessionStorage, so it is gone when the tab closes and never lands on disk). Every call that
// changes something says `Content-Type: application/json`, body or not: the API refuses any other
// (a page of another site could send those without asking the browser first).

const TOKEN_KEY = 'adaptivelb.adminToken';

export function adminToken() {
  return sessionStorage.getItem(TOKEN_KEY) ?? '';
}

export function setAdminToken(token) {
  if (token) {
    sessionStorage.setItem(TOKEN_KEY, token);
  } else {
    sessionStorage.removeItem(TOKEN_KEY);
  }
}

/**
 * Sends one admin call; resolves to {ok, status, body}. A 4xx/5xx answer carries {"error": "..."},
 * which the caller shows as it is: it names the bad key.
 */
export async function admin(method, path, body) {
  const headers = {};
  if (method !== 'GET' && method !== 'HEAD') {
    headers['Content-Type'] = 'application/json';
  }
  const token = adminToken();
  if (token) {
    headers.Authorization = `Bearer ${token}`;
  }
  let response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store' });
  } catch (e) {
    return { ok: false, status: 0, body: { error: `dashboard not reachable: ${e.message}` } };
  }
  let json;
  try {
    json = await response.json();
  } catch {
    json = { error: `HTTP ${response.status} without a JSON body` };
  }
  return { ok: response.ok, status: response.status, body: json };
}

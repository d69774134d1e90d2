// The lab's policy catalog (GET /admin/policies): every policy's name, explanation, what its score means
// and each parameter with its type, default, accepted values and meaning. The page keeps no copy of
// these facts; it draws the policy form, the explanations and the scores axis from this.

let list = [];
let byName = new Map();

/** Fetches the catalog once; rejects with a message naming the endpoint when it cannot. */
export async function loadCatalog() {
  let response;
  try {
    response = await fetch('/admin/policies', { cache: 'no-store' });
  } catch (e) {
    throw new Error(`GET /admin/policies failed: ${e.message}`);
  }
  if (!response.ok) {
    throw new Error(`GET /admin/policies answered HTTP ${response.status}`);
  }
  const body = await response.json();
  list = body.policies ?? [];
  byName = new Map(list.map(p => [p.name, p]));
  return body;
}

export function policies() {
  return list;
}

/** The catalog entry of a policy, or undefined for a name this page has not been told about. */
export function policyInfo(name) {
  return byName.get(name);
}

/** Text with `code` spans (the catalog's notation) as DOM nodes: never innerHTML. */
export function withCode(text) {
  return String(text).split('`').map((part, i) => {
    if (i % 2 === 0) {
      return document.createTextNode(part);
    }
    const code = document.createElement('code');
    code.textContent = part;
    return code;
  });
}

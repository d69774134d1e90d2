// Upstream groups: the page shows and steers one group at a time. Every /stats snapshot carries all of
// them: each backend row names its group, `proxies` has an entry per proxy instance and group, and
// `groups` holds each group's policy, connection mode and totals. groupView() cuts a snapshot down to one
// group, in the shape the header, the table, the charts and the controls draw.

export const DEFAULT_GROUP = 'default';

const groupOf = item => item.group ?? DEFAULT_GROUP;

/** The snapshot as if the lab had only `group`: its policy, connection mode, totals, backends and proxy states. */
export function groupView(stats, group) {
  const g = stats.groups?.[group];
  if (!g) {
    return stats; // no proxy reports groups (a lab of simulated backends alone): shown as it comes
  }
  return {
    ...stats,
    policy: g.policy ?? null,
    connection: g.connection ?? null,
    totals: g.totals ?? {},
    // a backend's share of its own group's requests: the group's shares add up to 100 %
    backends: (stats.backends ?? []).filter(b => groupOf(b) === group).map(b => ({ ...b, share: b.groupShare ?? b.share })),
    proxies: (stats.proxies ?? []).filter(p => groupOf(p) === group),
  };
}

/** The groups of a snapshot, the default one first (the order /stats gives them). */
export function groupNames(stats) {
  const names = Object.keys(stats.groups ?? {});
  return names.length ? names : [DEFAULT_GROUP];
}

/** The group a page opens on: `#group=NAME` in its address (a link to one group), else the default one. */
export function initialGroup() {
  const m = /(?:^#|&)group=([^&]+)/.exec(location.hash);
  return m ? decodeURIComponent(m[1]) : DEFAULT_GROUP;
}

/** Where the admin calls for one group go. */
export function adminBase(group) {
  return `/admin/groups/${encodeURIComponent(group)}`;
}

// The five charts and how one snapshot frame becomes new points on them. Chart.js comes from the
// WebJar (global `Chart`, loaded before this module). Time charts keep the last HORIZON_MS of points.

import { colorOf, fillOf } from './colors.js';
import { policyInfo } from './catalog.js';

const HORIZON_MS = 120_000;

/** Vertical dashed lines with a label where the policy or connection mode changed. */
const marks = [];
const marksPlugin = {
  id: 'marks',
  afterDatasetsDraw(chart) {
    const x = chart.scales.x;
    if (!x || x.type !== 'linear' || chart.options.plugins.marks === false) {
      return;
    }
    const { ctx, chartArea } = chart;
    ctx.save();
    ctx.strokeStyle = '#666';
    ctx.fillStyle = '#333';
    ctx.setLineDash([4, 3]);
    ctx.font = '11px system-ui, sans-serif';
    marks.forEach((m, i) => {
      if (m.ts < x.min || m.ts > x.max) {
        return;
      }
      const px = x.getPixelForValue(m.ts);
      ctx.beginPath();
      ctx.moveTo(px, chartArea.top);
      ctx.lineTo(px, chartArea.bottom);
      ctx.stroke();
      ctx.fillText(m.label, px + 3, chartArea.top + 11 + (i % 3) * 13); // staggered: close switches stay readable
    });
    ctx.restore();
  },
};
Chart.register(marksPlugin);
Chart.defaults.font.family = 'system-ui, sans-serif';
Chart.defaults.font.size = 12;
Chart.defaults.animation = false; // 4 frames a second: animations would never settle and cost CPU

const clock = v => new Date(v).toLocaleTimeString([], { hour12: false, hour: '2-digit', minute: '2-digit', second: '2-digit' });

function timeChart(canvas, { yTitle, y2Title, stacked = false, yMax }) {
  const scales = {
    x: { type: 'linear', ticks: { callback: clock, maxTicksLimit: 7, maxRotation: 0 }, grid: { color: '#eee' } },
    y: { title: { display: true, text: yTitle }, beginAtZero: true, stacked, max: yMax, grid: { color: '#eee' } },
  };
  if (y2Title) {
    scales.y2 = { position: 'right', title: { display: true, text: y2Title }, beginAtZero: true, suggestedMax: 5, grid: { drawOnChartArea: false } };
  }
  return new Chart(canvas, {
    type: 'line',
    data: { datasets: [] },
    options: {
      parsing: false,
      normalized: true,
      maintainAspectRatio: false,
      spanGaps: false,
      elements: { point: { radius: 0 }, line: { borderWidth: 2, tension: 0 } },
      interaction: { mode: 'nearest', axis: 'x', intersect: false },
      plugins: {
        legend: { position: 'bottom', labels: { boxWidth: 14, boxHeight: 2 } },
        tooltip: { callbacks: { title: items => items.length ? clock(items[0].parsed.x) : '' } },
      },
      scales,
    },
  });
}

/** The dataset with this id, created by make() the first time. */
function series(chart, id, make) {
  let ds = chart.data.datasets.find(d => d.id === id);
  if (!ds) {
    ds = { id, data: [], ...make() };
    chart.data.datasets.push(ds);
  }
  return ds;
}

function push(ds, ts, y) {
  ds.data.push({ x: ts, y: Number.isFinite(y) ? y : null });
  while (ds.data.length && ds.data[0].x < ts - HORIZON_MS) {
    ds.data.shift();
  }
}

// Server time of the first frame (not the browser's clock, which may be skewed on another host).
let firstTs;

/** Shows the last HORIZON_MS, or everything since the first frame while that is shorter (at least 20 s). */
function scroll(chart, ts) {
  firstTs ??= ts;
  chart.options.scales.x.min = Math.min(ts - 20_000, Math.max(firstTs, ts - HORIZON_MS));
  chart.options.scales.x.max = ts;
  chart.update('none');
}

/** What a policy's score means, for the scores chart's y axis (from the catalog); null: it keeps no score. */
export function scoreUnit(policy) {
  if (policy === undefined || policy === null) {
    return null;
  }
  const info = policyInfo(policy);
  return info ? info.score?.meaning ?? null : 'score (lower wins)';
}

/** Scores of one unit share the axis; a switch to another unit starts the chart afresh. */
function scoreKind(policy) {
  return policyInfo(policy)?.score?.unit ?? policy ?? null;
}

export function createCharts() {
  const charts = {
    latency: timeChart(document.getElementById('chart-latency'), { yTitle: 'latency (ms)' }),
    share: timeChart(document.getElementById('chart-share'), { yTitle: 'share of requests (%)', stacked: true, yMax: 100 }),
    counts: new Chart(document.getElementById('chart-counts'), {
      type: 'bar',
      data: { labels: [], datasets: [{ id: 'requests', label: 'requests forwarded since start', data: [], backgroundColor: [] }] },
      options: {
        indexAxis: 'y',
        maintainAspectRatio: false,
        plugins: { legend: { display: false }, marks: false },
        scales: { x: { beginAtZero: true, title: { display: true, text: 'requests (count, since start or last reset)' } } },
      },
    }),
    throughput: timeChart(document.getElementById('chart-throughput'), { yTitle: 'total req/s', y2Title: 'errors (%)' }),
    scores: timeChart(document.getElementById('chart-scores'), { yTitle: 'score' }),
  };
  let lastKind;

  /** Adds one snapshot to every chart. */
  function add(ts, stats) {
    const backends = stats.backends ?? [];
    for (const b of backends) {
      const c = colorOf(b.name);
      const seen = b.count > 0; // no request in the window: leave a gap, not a misleading 0 ms
      push(series(charts.latency, `${b.name}-mean`, () => ({ label: `${b.name} mean`, borderColor: c, backgroundColor: c })), ts, seen ? b.mean : NaN);
      push(series(charts.latency, `${b.name}-p95`, () => ({ label: `${b.name} p95`, borderColor: c, backgroundColor: c, borderDash: [6, 4], borderWidth: 1.5 })), ts, seen ? b.p95 : NaN);
      push(series(charts.share, b.name, () => ({ label: b.name, borderColor: c, backgroundColor: fillOf(b.name), fill: 'stack' })), ts,
        stats.totals?.count > 0 ? b.share * 100 : NaN);
    }

    const counts = charts.counts;
    counts.data.labels = backends.map(b => b.name);
    counts.data.datasets[0].data = backends.map(b => b.requestsTotal ?? 0);
    counts.data.datasets[0].backgroundColor = backends.map(b => colorOf(b.name));
    counts.update('none');

    const t = stats.totals ?? {};
    push(series(charts.throughput, 'rps', () => ({ label: 'total req/s', borderColor: '#333', backgroundColor: '#333', yAxisID: 'y' })), ts, t.rps);
    push(series(charts.throughput, 'errors', () => ({ label: 'error rate (%)', borderColor: '#D55E00', backgroundColor: '#D55E00', borderDash: [2, 2], yAxisID: 'y2' })),
      ts, t.count > 0 ? 100 * t.errors / t.count : 0);

    // sma, ewma and least-latency score in ms and share the axis across a switch (the marks show where);
    // in-flight counts and p2c costs are other units, so the chart starts afresh when the kind changes.
    const unit = scoreUnit(stats.policy);
    const kind = scoreKind(stats.policy);
    if (unit && kind !== lastKind) { // a policy without scores (round-robin) just leaves a gap
      charts.scores.data.datasets.forEach(d => { d.data = []; });
      lastKind = kind;
    }
    charts.scores.options.scales.y.title.text = unit ?? `${stats.policy ?? 'this policy'} keeps no score`;
    for (const b of backends) {
      const score = b.policy?.score;
      push(series(charts.scores, b.name, () => ({ label: b.name, borderColor: colorOf(b.name), backgroundColor: colorOf(b.name) })), ts,
        unit && typeof score === 'number' ? score : NaN); // "Infinity" (sma, short of samples) is drawn as a gap
    }

    for (const name of ['latency', 'share', 'throughput', 'scores']) {
      scroll(charts[name], ts);
    }
  }

  /** Empties every chart (another group is shown now: its backends, its history). */
  function reset() {
    for (const name of ['latency', 'share', 'throughput', 'scores']) {
      charts[name].data.datasets = [];
      charts[name].update('none');
    }
    const counts = charts.counts;
    counts.data.labels = [];
    counts.data.datasets[0].data = [];
    counts.data.datasets[0].backgroundColor = [];
    counts.update('none');
    marks.length = 0;
    firstTs = undefined;
    lastKind = undefined;
  }

  /** A labelled vertical line on every time chart (policy switch, connection mode, restart). */
  function mark(ts, label) {
    marks.push({ ts, label });
    while (marks.length && marks[0].ts < ts - HORIZON_MS) {
      marks.shift();
    }
  }

  return { charts, add, mark, reset };
}

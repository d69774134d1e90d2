// Draws the report's charts from REPORT (data.js, written by io.adaptivelb.report.HtmlReport).
// Animation is off so a headless screenshot catches the finished drawing.
Chart.defaults.animation = false;
Chart.defaults.font.size = 13;
Chart.defaults.plugins.title.font = { size: 16, weight: 'bold' };
Chart.defaults.plugins.legend.labels.boxWidth = 18;

// Backend colours (shares) and configuration colours (everything else) never mix: a configuration keeps
// one colour in every chart of the report, assigned in the order configurations first appear.
const BACKEND_COLORS = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948'];
const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f',
  '#bcbd22', '#17becf', '#393b79', '#e7ba52', '#637939', '#ad494a', '#7b4173', '#3182bd', '#31a354',
  '#de9ed6', '#636363', '#fd8d3c'];
const CONFIG_LABELS = [...new Set(REPORT.scenarios.flatMap(s => s.configs.map(c => c.label))
  .concat(Object.values(REPORT.timelines).flatMap(t => t.series.map(x => x.label))))];

function colorOf(label) {
  const i = CONFIG_LABELS.indexOf(label);
  return PALETTE[(i < 0 ? 0 : i) % PALETTE.length];
}

// Past the palette's length a configuration's line is dashed, so two never look alike.
function dashOf(label) {
  return CONFIG_LABELS.indexOf(label) >= PALETTE.length ? [6, 3] : [];
}

function scenario(name) {
  return REPORT.scenarios.find(s => s.name === name);
}

function med(s) {
  return s && s.median !== null ? s.median : null;
}

function range(s) {
  return s && s.min !== null ? [s.min, s.max] : null;
}

function barChart(id, title, labels, datasets, yTitle, horizontal) {
  new Chart(document.getElementById(id), {
    type: 'bar',
    data: { labels, datasets },
    options: {
      indexAxis: horizontal ? 'y' : 'x', maintainAspectRatio: false, responsive: true,
      plugins: { title: { display: true, text: title } },
      scales: { y: { title: { display: !horizontal, text: yTitle }, beginAtZero: true } }
    }
  });
}

// One dot per run (repetition) over the configuration's category; a run that settled on a backend other than
// the fastest is drawn hollow and red, so cold-start luck is visible rather than averaged away.
function runDots(s, f, label) {
  const points = s.configs.flatMap(c => (c.runs || []).map(r => ({ x: c.label, y: f(r), off: r.settledElsewhere })))
    .filter(p => p.y !== null && p.y !== undefined);
  return { type: 'scatter', label, data: points, parsing: false, showLine: false, pointRadius: 4,
    pointBackgroundColor: points.map(p => p.off ? '#fff' : '#000'),
    pointBorderColor: points.map(p => p.off ? '#d62728' : '#000') };
}

function renderScenario(name) {
  const s = scenario(name);
  const labels = s.configs.map(c => c.label);
  const colors = s.configs.map(c => colorOf(c.label));
  const index = new Map(labels.map((l, i) => [l, i]));
  // The median as a bar, every run as a dot on it: a spread of cold starts shows as a spread of dots.
  const dots = (f, label) => {
    const d = runDots(s, f, label);
    d.data = d.data.map(p => ({ x: index.get(p.x), y: p.y }));
    return d;
  };
  const rps = [{ label: 'req/s (median)', data: s.configs.map(c => med(c.rps)), backgroundColor: colors },
    dots(r => r.rps, 'each run (hollow red: settled on a slower backend)')];
  if (s.optimum) {
    rps.push({ type: 'line', label: 'best possible', data: s.configs.map(() => s.optimum), borderColor: '#d62728',
      borderDash: [6, 4], pointRadius: 0 });
  }
  barChart('rps-' + name, name + ': throughput (req/s)', labels, rps, 'req/s');
  barChart('p95-' + name, name + ': p95 latency (ms)', labels, [
    { label: 'wrk p95 (median)', data: s.configs.map(c => med(c.wrkP95)), backgroundColor: colors },
    { label: 'proxy p95 (total_ms, median)', data: s.configs.map(c => med(c.proxyP95)), backgroundColor: colors.map(c => c + '80') },
    dots(r => r.wrkP95, 'wrk p95 of each run')
  ], 'ms');
  new Chart(document.getElementById('shares-' + name), {
    type: 'bar',
    data: {
      labels,
      datasets: s.backends.map((b, i) => ({ label: b, data: s.configs.map(c => 100 * (c.shares[b] || 0)),
        backgroundColor: BACKEND_COLORS[i % BACKEND_COLORS.length] }))
    },
    options: {
      maintainAspectRatio: false, responsive: true,
      plugins: { title: { display: true, text: name + ': per-backend share of requests (%)' } },
      scales: { x: { stacked: true }, y: { stacked: true, max: 100, title: { display: true, text: '%' } } }
    }
  });
}

function renderTimeline(name) {
  const t = REPORT.timelines[name];
  const marker = t.changeAtSec;
  const backend = t.backend || 'b1';
  const line = (key, f, title, yTitle) => {
    const top = Math.max(1, ...t.series.flatMap(s => s.points.map(p => f(p) || 0)));
    return new Chart(document.getElementById(key + name), {
      type: 'line',
      data: {
        datasets: t.series.map(s => ({ label: s.label.replace(/^adaptive-lb /, ''),
          data: s.points.map(p => ({ x: p.s, y: f(p) })), borderColor: colorOf(s.label), backgroundColor: colorOf(s.label),
          borderDash: dashOf(s.label), pointRadius: 0, borderWidth: 2 }))
          .concat(marker === null ? [] : [{ label: backend + ' changes (' + marker.toFixed(0) + ' s)',
            data: [{ x: marker, y: 0 }, { x: marker, y: top }], borderColor: '#000', backgroundColor: '#000',
            borderDash: [4, 4], pointRadius: 0, borderWidth: 2 }])
      },
      options: {
        maintainAspectRatio: false, responsive: true, parsing: false, spanGaps: true,
        plugins: { title: { display: true, text: title }, legend: { position: 'right' } },
        scales: { x: { type: 'linear', title: { display: true, text: 'seconds since wrk started' } },
          y: { beginAtZero: true, title: { display: true, text: yTitle } } }
      }
    });
  };
  line('tl-share-', p => 100 * (p.shares[backend] || 0),
    name + ': share of ' + backend + ' (the backend that changes) per second', '% of requests');
  line('tl-p95-', p => p.p95, name + ': p95 latency per second, as the proxy measured it (total_ms)', 'ms');
}

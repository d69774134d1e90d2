// Draws the report's charts from REPORT (data.js, written by io.adaptivelb.report.HtmlReport).
// Animation is off so a headless screenshot catches the finished drawing.
Chart.defaults.animation = false;
Chart.defaults.font.size = 11;

const COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f',
  '#bcbd22', '#17becf'];
const KIND_COLORS = { lab: '#1f77b4', nginx: '#2ca02c', haproxy: '#ff7f0e', direct: '#7f7f7f' };

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
  const colors = s.configs.map(c => KIND_COLORS[c.kind] || '#999');
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
    { label: 'proxy p95 (total_ms, median)', data: s.configs.map(c => med(c.proxyP95)), backgroundColor: '#9467bd' },
    dots(r => r.wrkP95, 'wrk p95 of each run')
  ], 'ms');
  new Chart(document.getElementById('shares-' + name), {
    type: 'bar',
    data: {
      labels,
      datasets: s.backends.map((b, i) => ({ label: b, data: s.configs.map(c => 100 * (c.shares[b] || 0)),
        backgroundColor: COLORS[i % COLORS.length] }))
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
  const line = (key, f, title, yTitle) => {
    const top = Math.max(1, ...t.series.flatMap(s => s.points.map(p => f(p) || 0)));
    return new Chart(document.getElementById(key + name), {
    type: 'line',
    data: {
      datasets: t.series.map((s, i) => ({ label: s.label, data: s.points.map(p => ({ x: p.s, y: f(p) })),
        borderColor: COLORS[i % COLORS.length], pointRadius: 0, borderWidth: 1.5 }))
        .concat(marker === null ? [] : [{ label: 'backend change', data: [{ x: marker, y: 0 }, { x: marker, y: top }],
          borderColor: '#000', borderDash: [4, 4], pointRadius: 0 }])
    },
    options: {
      maintainAspectRatio: false, responsive: true, parsing: false, spanGaps: true,
      plugins: { title: { display: true, text: title + (marker === null ? '' : ' (change at ' + marker.toFixed(1) + ' s)') } },
      scales: { x: { type: 'linear', title: { display: true, text: 's since wrk started' } },
        y: { beginAtZero: true, title: { display: true, text: yTitle } } }
    }
  });
  };
  line('tl-p95-', p => p.p95, name + ': proxy p95 latency per second (total_ms)', 'ms');
  line('tl-share-', p => 100 * (p.shares.b1 || 0), name + ': share of b1 per second (the backend that changes)', '%');
}

/* DMARC Lens dashboard script: filter bar behaviour and charts fed by the JSON API.
   Served as a static file so that the Content-Security-Policy can forbid inline scripts. */
(function () {
  'use strict';

  var COLORS = {
    'pass': '#1f9d55', 'DMARC pass': '#1f9d55', 'compliant': '#1f9d55', 'none': '#8aa1c1',
    'fail': '#d64545', 'DMARC fail': '#d64545', 'threat': '#d64545', 'reject': '#d64545',
    'quarantine': '#e6a23c', 'forwarded': '#2f80ed', 'misconfigured': '#7b61ff',
    'SPF only': '#e6a23c', 'DKIM only': '#2f80ed', 'SPF and DKIM': '#d64545',
    'p=none': '#8aa1c1', 'p=quarantine': '#e6a23c', 'p=reject': '#d64545',
    'DKIM survived': '#1f9d55', 'DKIM broken': '#d64545'
  };
  var PALETTE = ['#2f5bea', '#1f9d55', '#e6a23c', '#d64545', '#7b61ff', '#14b8a6', '#f472b6', '#64748b',
    '#84cc16', '#0ea5e9'];

  function colorFor(label, i) {
    return COLORS[label] || PALETTE[i % PALETTE.length];
  }

  function setupFilters() {
    var form = document.getElementById('filters');
    if (!form) { return; }
    var range = document.getElementById('range');
    function sync() {
      form.classList.toggle('range-preset', range.value !== 'custom');
    }
    range.addEventListener('change', function () {
      sync();
      if (range.value !== 'custom') { form.requestSubmit(); }
    });
    form.addEventListener('submit', function () {
      // keep the URL short and bookmarkable: dates only for a custom range
      if (range.value !== 'custom') {
        form.querySelectorAll('.custom-range input').forEach(function (i) { i.disabled = true; });
      }
    });
    sync();
  }

  function number(v) {
    return typeof v === 'number' ? v.toLocaleString('en-US') : v;
  }

  function buildChart(canvas, payload) {
    var type = canvas.getAttribute('data-type') || 'bar';
    var labels = payload.labels || [];
    var datasets = (payload.datasets || []).map(function (d, i) {
      var c = d.color || colorFor(d.label, i);
      var ds = { label: d.label, data: d.data, backgroundColor: c, borderColor: c, borderWidth: 1 };
      if (type === 'line') { ds.fill = false; ds.tension = 0.25; ds.pointRadius = 2; ds.borderWidth = 2; }
      if (type === 'doughnut') {
        ds.backgroundColor = labels.map(function (l, j) { return colorFor(l, j); });
        ds.borderColor = '#fff';
      }
      return ds;
    });
    var stacked = type === 'stacked';
    var horizontal = type === 'hbar';
    var options = {
      responsive: true, maintainAspectRatio: false, animation: false,
      interaction: { mode: type === 'doughnut' ? 'nearest' : 'index', intersect: false },
      plugins: {
        legend: { position: type === 'doughnut' ? 'right' : 'bottom', labels: { boxWidth: 12 } },
        tooltip: { callbacks: { label: function (ctx) {
          var v = ctx.parsed && typeof ctx.parsed === 'object' ? (horizontal ? ctx.parsed.x : ctx.parsed.y) : ctx.parsed;
          return ' ' + (ctx.dataset.label || ctx.label) + ': ' + number(v) + (payload.unit ? ' ' + payload.unit : '');
        } } }
      }
    };
    if (type !== 'doughnut') {
      options.scales = {
        x: { stacked: stacked, grid: { display: horizontal }, ticks: { maxRotation: 0, autoSkip: true, autoSkipPadding: 12 } },
        y: { stacked: stacked, beginAtZero: true, grid: { display: !horizontal } }
      };
      if (horizontal) { options.indexAxis = 'y'; }
    }
    if (type === 'doughnut' && labels.length === 1 && datasets.length && datasets[0].data[0] === 0) {
      labels = [];
    }
    /* global Chart */
    return new Chart(canvas, {
      type: type === 'stacked' || type === 'hbar' ? 'bar' : type,
      data: { labels: labels, datasets: datasets },
      options: options
    });
  }

  function showEmpty(canvas, text) {
    var box = canvas.parentNode;
    var p = document.createElement('p');
    p.className = 'muted chart-empty';
    p.textContent = text;
    box.appendChild(p);
  }

  function loadCharts() {
    var canvases = document.querySelectorAll('canvas[data-src]');
    canvases.forEach(function (canvas) {
      fetch(canvas.getAttribute('data-src'), { credentials: 'same-origin', headers: { 'Accept': 'application/json' } })
        .then(function (r) {
          if (!r.ok) { throw new Error('HTTP ' + r.status); }
          return r.json();
        })
        .then(function (payload) {
          buildChart(canvas, payload);
          var total = (payload.datasets || []).reduce(function (s, d) {
            return s + d.data.reduce(function (a, b) { return a + (b || 0); }, 0);
          }, 0);
          if (total === 0) { showEmpty(canvas, 'No data in this period.'); }
          canvas.setAttribute('data-loaded', 'true');
        })
        .catch(function (e) {
          showEmpty(canvas, 'Could not load the chart: ' + e.message);
          canvas.setAttribute('data-loaded', 'error');
        });
    });
  }

  function confirmForms() {
    document.querySelectorAll('form[data-confirm]').forEach(function (f) {
      f.addEventListener('submit', function (e) {
        if (!window.confirm(f.getAttribute('data-confirm'))) { e.preventDefault(); }
      });
    });
  }

  document.addEventListener('DOMContentLoaded', function () {
    setupFilters();
    confirmForms();
    if (typeof Chart !== 'undefined') {
      Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif';
      Chart.defaults.color = '#475467';
      loadCharts();
    }
  });
}());

/**
 * What the benchmark adds to the wall page before any of its scripts run (an init script, as
 * plain JavaScript so that nothing of the bench's TypeScript tooling leaks into the page):
 * - every PerformanceObserver 'longtask' entry (main-thread tasks over 50 ms), [start, duration];
 * - a requestAnimationFrame loop recording gaps between frames over 50 ms, and the longest gap:
 *   a block that no long task reports (e.g. one long frame of rendering) still shows here. It asks
 *   for a frame every vsync, so `__wallProbe.setRaf(false)` stops it while costs are measured;
 * - the time of the last WebGL draw call (any context): the map is idle when no draw follows for a
 *   while — MapLibre and deck.gl draw only when something changed;
 * - when `[data-testid="wall"]` first carried `data-ready="true"`.
 * Times are `performance.now()` of the page: milliseconds since navigation start.
 */
export const PROBE_SCRIPT = `(() => {
  const probe = { longtasks: [], gaps: [], maxGap: 0, last: 0, lastDraw: 0, draws: 0, readyAt: null, rafOn: true, looping: true };
  Object.defineProperty(window, '__wallProbe', { value: probe });
  try {
    new PerformanceObserver((list) => { for (const e of list.getEntries()) probe.longtasks.push([e.startTime, e.duration]); })
      .observe({ type: 'longtask', buffered: true });
  } catch (e) { /* no long task timing */ }
  const frame = () => {
    if (!probe.rafOn) { probe.looping = false; probe.last = 0; return; }
    const now = performance.now();
    if (probe.last) {
      const gap = now - probe.last;
      if (gap > probe.maxGap) probe.maxGap = gap;
      if (gap > 50 && probe.gaps.length < 50000) probe.gaps.push([probe.last, gap]);
    }
    probe.last = now;
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  probe.setRaf = (on) => {
    probe.rafOn = on;
    if (on && !probe.looping) { probe.looping = true; requestAnimationFrame(frame); }
  };
  for (const proto of [WebGLRenderingContext.prototype, WebGL2RenderingContext.prototype]) {
    for (const name of ['drawArrays', 'drawElements', 'drawArraysInstanced', 'drawElementsInstanced', 'drawRangeElements']) {
      const original = proto[name];
      if (typeof original !== 'function') continue;
      proto[name] = function (...args) { probe.lastDraw = performance.now(); probe.draws++; return original.apply(this, args); };
    }
  }
  const ready = new MutationObserver(() => {
    if (document.querySelector('[data-testid="wall"][data-ready="true"]')) { probe.readyAt = performance.now(); ready.disconnect(); }
  });
  ready.observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-ready'] });
})();
//# sourceURL=wall-probe.js`

/** The probe's state as read back from the page. */
export interface ProbeState {
  now: number
  readyAt: number | null
  lastDraw: number
  draws: number
  /** Households points request: when its answer ended, and its sizes (PerformanceResourceTiming). */
  households: { responseEnd: number; transferSize: number; encodedBodySize: number; decodedBodySize: number; durationMs: number } | null
}

export const READ_PROBE = `(() => {
  const p = window.__wallProbe;
  const h = performance.getEntriesByType('resource').find((e) => e.name.includes('/api/households/points'));
  return { now: performance.now(), readyAt: p.readyAt, lastDraw: p.lastDraw, draws: p.draws,
    households: h ? { responseEnd: h.responseEnd, transferSize: h.transferSize, encodedBodySize: h.encodedBodySize, decodedBodySize: h.decodedBodySize, durationMs: h.duration } : null };
})()`

/** Longest long task and longest frame gap that started within [from, to] (page ms). */
export const blocksBetween = (from: number, to: number) => `(() => {
  const p = window.__wallProbe;
  const tasks = p.longtasks.filter(([s]) => s >= ${from} && s <= ${to});
  const gaps = p.gaps.filter(([s]) => s >= ${from} && s <= ${to});
  return {
    longestTask: tasks.reduce((m, [, d]) => Math.max(m, d), 0),
    longTasks: tasks.length,
    longTaskMs: tasks.reduce((sum, [, d]) => sum + d, 0),
    longestGap: gaps.reduce((m, [, d]) => Math.max(m, d), 0),
  };
})()`

export interface Blocks { longestTask: number; longTasks: number; longTaskMs: number; longestGap: number }

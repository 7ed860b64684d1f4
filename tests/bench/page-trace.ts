import type { TraceEvent } from './page-load.ts';

/**
 * Attributes a load's trace (devtools.timeline + v8 + v8.execute categories) to the content
 * script, on the page renderer's main thread, with exact durations:
 * - injection: the `EvaluateScript` slice of the content script (compile + top-level run), with
 *   its `v8.compile` part;
 * - callbacks: each `v8.callFunction` slice whose `FunctionCall` is a function of the content
 *   script (event listeners), including the microtasks that run at its end (promise
 *   continuations, e.g. the first fingerprint look after DOMContentLoaded);
 * - timers: each `TimerFire` of a timer the content script installed (a `TimerInstall` inside an
 *   attributed slice), e.g. the second look 2 s after the first, its microtasks included.
 * - messages: extension messages arriving after injection, i.e. microtask checkpoints and
 *   extension-binding calls (a `FunctionCall` with no script URL) outside every slice above and
 *   outside the page's own parsing, events and timers: the continuation of a runtime.sendMessage
 *   reply and runtime.onMessage deliveries (the page watch sends a message only about a page that
 *   shows relay signals, and listens for none). On the bench page, whose own script does nothing asynchronous, nothing else runs there
 *   (the baseline arm's empty script shows ~0).
 * Nested attributed slices are counted once. Not attributed: Blink's set-up of the isolated world
 * and bindings outside script; that shows up only in the A/B comparison.
 */

interface TracePhase {
  readonly wallMs: number;
  /** Main-thread CPU time (the slices' thread durations). */
  readonly threadMs: number;
  readonly slices: number;
}

export interface TraceAttribution {
  readonly scriptUrl: string;
  readonly injection: TracePhase & { readonly compileThreadMs: number };
  readonly domContentLoaded: TracePhase;
  readonly secondLook: TracePhase;
  readonly otherCallbacks: TracePhase;
  readonly messages: TracePhase;
  readonly total: TracePhase;
}


const urlOf = (event: TraceEvent): string => {
  const url = event.args?.data?.url;
  return typeof url === 'string' ? url : '';
};
const ms = (us: number | undefined) => (us ?? 0) / 1000;
const end = (event: TraceEvent) => event.ts + (event.dur ?? 0);
const within = (inner: TraceEvent, outer: TraceEvent) => inner.ts >= outer.ts && end(inner) <= end(outer) && inner !== outer;

function phase(events: readonly TraceEvent[]): TracePhase {
  return { wallMs: events.reduce((s, e) => s + ms(e.dur), 0), threadMs: events.reduce((s, e) => s + ms(e.tdur ?? e.dur), 0), slices: events.length };
}

/** null when the trace has no evaluation of the content script (it did not run on this load). */
/** @param scriptUrl the content script to attribute: RelayGuard's page watch, or the baseline's empty script */
export function attributeTrace(trace: readonly TraceEvent[], scriptUrl: RegExp): TraceAttribution | null {
  const evaluation = trace.find((e) => e.ph === 'X' && e.name === 'EvaluateScript' && scriptUrl.test(urlOf(e)));
  if (!evaluation) return null;
  const { pid, tid } = evaluation;
  const thread = trace.filter((e) => e.pid === pid && e.tid === tid).sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
  const slices = thread.filter((e) => e.ph === 'X');
  const innermostEnclosing = (event: TraceEvent, name: string): TraceEvent | undefined => {
    let best: TraceEvent | undefined;
    for (const candidate of slices) {
      if (candidate.ts > event.ts) break;
      if (candidate.name === name && within(event, candidate) && (!best || (candidate.dur ?? 0) < (best.dur ?? 0))) best = candidate;
    }
    return best;
  };

  const attributed = new Set<TraceEvent>([evaluation]);
  for (const call of slices) {
    if (call.name !== 'FunctionCall' || !scriptUrl.test(urlOf(call))) continue;
    attributed.add(innermostEnclosing(call, 'v8.callFunction') ?? call);
  }
  // Timers installed by attributed code, and timers those install, until nothing new turns up.
  const installs = thread.filter((e) => e.name === 'TimerInstall');
  const fires = slices.filter((e) => e.name === 'TimerFire');
  const ownTimers = new Map<unknown, number>(); // timerId → timeout (ms)
  for (let grew = true; grew; ) {
    grew = false;
    for (const install of installs) {
      const id = install.args?.data?.timerId;
      if (ownTimers.has(id) || ![...attributed].some((slice) => install.ts >= slice.ts && install.ts <= end(slice))) continue;
      ownTimers.set(id, Number(install.args?.data?.timeout ?? 0));
      for (const fire of fires) if (fire.args?.data?.timerId === id) attributed.add(fire);
      grew = true;
    }
  }
  const outermost = [...attributed].filter((slice) => ![...attributed].some((other) => within(slice, other)));

  const dclDispatches = slices.filter((e) => e.name === 'EventDispatch' && e.args?.data?.type === 'DOMContentLoaded');
  const compile = slices.find((e) => e.name === 'v8.compile' && within(e, evaluation) && scriptUrl.test(urlOf(e)));
  const groups = { dcl: [] as TraceEvent[], second: [] as TraceEvent[], other: [] as TraceEvent[] };
  for (const slice of outermost) {
    if (slice === evaluation) continue;
    if (dclDispatches.some((d) => within(slice, d))) groups.dcl.push(slice);
    else if (slice.name === 'TimerFire' && (ownTimers.get(slice.args?.data?.timerId) ?? 0) >= 1000) groups.second.push(slice);
    else groups.other.push(slice);
  }
  const pageWork = slices.filter((e) => ['EvaluateScript', 'EventDispatch', 'TimerFire', 'ParseHTML'].includes(e.name) || attributed.has(e));
  const messageSlices = slices.filter(
    (e) =>
      e.ts > evaluation.ts &&
      (e.name === 'RunMicrotasks' || (e.name === 'FunctionCall' && urlOf(e) === '')) &&
      !pageWork.some((work) => work === e || within(e, work)),
  );
  const messages = messageSlices.filter((slice) => !messageSlices.some((other) => within(slice, other)));
  return {
    scriptUrl: urlOf(evaluation),
    injection: { ...phase([evaluation]), compileThreadMs: compile ? ms(compile.tdur ?? compile.dur) : 0 },
    domContentLoaded: phase(groups.dcl),
    secondLook: phase(groups.second),
    otherCallbacks: phase(groups.other),
    messages: phase(messages),
    total: phase([...outermost, ...messages]),
  };
}

import { readFileSync } from 'node:fs';

/** A V8 .cpuprofile (what `node --cpu-prof` and the inspector's Profiler.stop produce). */
interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface ProfileLine {
  name: string;
  selfMs: number;
  /** Share of the busy (non-idle) time. */
  percent: number;
}

export interface ProfileSummary {
  totalMs: number;
  idleMs: number;
  busyMs: number;
  functions: ProfileLine[];
  modules: ProfileLine[];
  /** Self time charged to the nearest package or our own code up the stack (Node.js internals and native code charged to their caller). */
  responsible: ProfileLine[];
}

function isCode(module: string): boolean {
  return !module.startsWith('(') && !module.startsWith('node:');
}

/** Where a frame's code lives: a package, a Node.js internal area, our source, or the VM. */
export function moduleOf(url: string, functionName: string): string {
  if (url === '') {
    if (functionName.startsWith('(')) return functionName;
    return '(native)';
  }
  const packageMatch = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (packageMatch) return packageMatch[1];
  if (url.startsWith('node:')) {
    const parts = url.slice(5).split('/');
    const area = parts[0] === 'internal' ? parts[1] ?? 'internal' : parts[0];
    return `node:${area.replace(/\.js$/, '')}`;
  }
  const ours = /\/(src|bench)\/(.*?)(\.js)?$/.exec(url);
  if (ours) return ours[1] === 'bench' ? 'bench (channel, admin)' : `unipay src/${ours[2].split('/')[0]}`;
  return url;
}

function shortUrl(url: string): string {
  const packageMatch = /node_modules\/(.*)$/.exec(url);
  if (packageMatch) return packageMatch[1];
  const ours = /\/((?:src|bench)\/.*)$/.exec(url);
  if (ours) return ours[1];
  return url;
}

/** Self time by function and by module, from the samples and their time deltas. */
export function summarizeProfile(path: string, top = 15): ProfileSummary {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const responsibleOf = new Map<number, string>();
  const responsibleFor = (id: number): string => {
    const known = responsibleOf.get(id);
    if (known !== undefined) return known;
    const frame = byId.get(id)!.callFrame;
    const own = moduleOf(frame.url, frame.functionName);
    const parent = parentOf.get(id);
    const parentFrame = parent === undefined ? undefined : byId.get(parent)!.callFrame;
    // VM pseudo-frames hang off the root; node internals and native code belong to their caller.
    const answer = isCode(own) || own === '(garbage collector)' || own === '(program)' || parent === undefined || parentFrame!.functionName === '(root)' ? own : responsibleFor(parent);
    responsibleOf.set(id, answer);
    return answer;
  };
  const selfUs = new Map<number, number>();
  // timeDeltas[i] is the time before sample i; the time after it belongs to it.
  for (let i = 0; i < profile.samples.length; i += 1) {
    const delta = profile.timeDeltas[i + 1] ?? 0;
    selfUs.set(profile.samples[i], (selfUs.get(profile.samples[i]) ?? 0) + delta);
  }
  const functions = new Map<string, number>();
  const modules = new Map<string, number>();
  const responsible = new Map<string, number>();
  let totalUs = 0;
  let idleUs = 0;
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)!.callFrame;
    totalUs += us;
    if (frame.functionName === '(idle)') {
      idleUs += us;
      continue;
    }
    const module = moduleOf(frame.url, frame.functionName);
    const name = frame.url === '' ? frame.functionName || '(anonymous)' : `${frame.functionName || '(anonymous)'} ${shortUrl(frame.url)}:${frame.lineNumber + 1}`;
    functions.set(name, (functions.get(name) ?? 0) + us);
    modules.set(module, (modules.get(module) ?? 0) + us);
    const owner = responsibleFor(id);
    responsible.set(owner, (responsible.get(owner) ?? 0) + us);
  }
  const busyUs = totalUs - idleUs;
  const lines = (map: Map<string, number>) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, selfMs: us / 1000, percent: busyUs > 0 ? (100 * us) / busyUs : 0 }));
  return { totalMs: totalUs / 1000, idleMs: idleUs / 1000, busyMs: busyUs / 1000, functions: lines(functions), modules: lines(modules), responsible: lines(responsible) };
}

export function profileMarkdown(summary: ProfileSummary): string {
  const table = (title: string, rows: ProfileLine[]) =>
    [`| ${title} | self ms | % of busy |`, '|---|---:|---:|', ...rows.map((row) => `| \`${row.name.replace(/\|/g, '\\|')}\` | ${row.selfMs.toFixed(0)} | ${row.percent.toFixed(1)} |`)].join('\n');
  return [
    `Profiled ${(summary.totalMs / 1000).toFixed(1)} s of the server's main thread: busy ${(summary.busyMs / 1000).toFixed(1)} s, idle ${(summary.idleMs / 1000).toFixed(1)} s.`,
    '',
    table('module (self time)', summary.modules),
    '',
    table('responsible package (self time, Node.js internals and native code charged to their caller)', summary.responsible),
    '',
    table('function (self time)', summary.functions),
  ].join('\n');
}

if (require.main === module) {
  const path = process.argv[2];
  if (!path) {
    console.error('usage: node dist-bench/bench/profile-summary.js <file.cpuprofile> [top]');
    process.exit(2);
  }
  console.log(profileMarkdown(summarizeProfile(path, Number(process.argv[3] ?? 15))));
}

import { readdirSync, readFileSync } from "node:fs";

/** A process under a root, as read from /proc. */
export interface TreeProcess {
  pid: number;
  /** 0 for the root, 1 for its children, … */
  depth: number;
}

/** Resident memory of one process, in KiB. */
export interface ProcessMemory {
  /** VmRSS: resident now. */
  rssKiB: number;
  /** VmHWM: the most it has ever been resident (the kernel's own peak, so no sample can miss it). */
  hwmKiB: number;
}

/** True where /proc exposes process memory (Linux); elsewhere memory figures are left out. */
export function canReadProcesses(): boolean {
  readable ??= readProc(process.pid, "status") !== undefined;
  return readable;
}
let readable: boolean | undefined;

/** `rootPid` and every process below it, each with its depth (one /proc scan). */
export function processTree(rootPid: number): TreeProcess[] {
  const children = new Map<number, number[]>();
  for (const { pid, ppid } of allProcesses()) {
    const list = children.get(ppid) ?? [];
    list.push(pid);
    children.set(ppid, list);
  }
  const tree: TreeProcess[] = [];
  const visit = (pid: number, depth: number) => {
    tree.push({ pid, depth });
    for (const child of children.get(pid) ?? []) visit(child, depth + 1);
  };
  visit(rootPid, 0);
  return tree;
}

/** VmRSS and VmHWM of `pid`, or undefined when it has exited (or is a zombie without memory). */
export function readMemory(pid: number): ProcessMemory | undefined {
  const status = readProc(pid, "status");
  const rss = status?.match(/^VmRSS:\s+(\d+) kB/m);
  const hwm = status?.match(/^VmHWM:\s+(\d+) kB/m);
  return rss && hwm ? { rssKiB: Number(rss[1]), hwmKiB: Number(hwm[1]) } : undefined;
}

/** The command line of `pid` with arguments joined by spaces ("" once it has exited). */
export function readCommandLine(pid: number): string {
  return (readProc(pid, "cmdline") ?? "").split("\0").filter(Boolean).join(" ");
}

/**
 * Processes of process group `group` that still run. Zombies do not count: an orphan whose reaper
 * is slow (or a container init that never reaps) must not look like a server left running.
 */
export function liveGroupMembers(group: number): number[] {
  return allProcesses()
    .filter((p) => p.pgrp === group && p.state !== "Z")
    .map((p) => p.pid);
}

function allProcesses(): { pid: number; state: string; ppid: number; pgrp: number }[] {
  const found = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readProc(Number(entry), "stat");
    if (!stat) continue;
    // "pid (comm) state ppid pgrp …": comm may itself hold spaces and parentheses, so split after the last ")".
    const [state, ppid, pgrp] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    found.push({ pid: Number(entry), state: state!, ppid: Number(ppid), pgrp: Number(pgrp) });
  }
  return found;
}

function readProc(pid: number, file: string): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/${file}`, "utf8");
  } catch {
    return undefined; // exited between the directory scan and this read
  }
}

import type { ChildProcess } from 'node:child_process';

export type Tool = 'server' | 'client' | 'publisher' | 'report';
export function binPath(tool: Tool): string;
export function sleep(ms: number): Promise<void>;
export function track(child: ChildProcess): ChildProcess;
export class Proc {
  constructor(tool: Tool, args: string[], opts?: { env?: Record<string, string>; echo?: boolean });
  readonly tool: Tool;
  readonly child: ChildProcess;
  stdout: string;
  stderr: string;
  readonly exited: Promise<number>;
  waitFor(re: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  kill(signal?: NodeJS.Signals): void;
}
export function run(tool: Tool, args: string[], env?: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }>;
export interface Server {
  proc: Proc;
  port: number;
  monitorPort: number;
  stop(): Promise<number>;
  get<T = any>(path: string, headers?: Record<string, string>): Promise<T>;
}
export function startServer(args?: string[], opts?: { env?: Record<string, string>; echo?: boolean }): Promise<Server>;
export function connects(args: string[], clients: number, timeoutMs?: number): Promise<{ code: number; stdout: string; stderr: string }>;
export function jsonLines(text: string): Record<string, any>[];
export function summaryOf(file: string): Record<string, any>;
export function freePort(): Promise<number>;
export function processTree(pid: number): number[];
export function descendantFds(pid: number): number;
export function signalTree(pid: number, signal: NodeJS.Signals): void;
export function rssOf(pid: number): number;
export function treeRss(pid: number): number;
export function figure(name: string, value: number | string, unit?: string): void;
export function arg(name: string, dflt?: string): string;

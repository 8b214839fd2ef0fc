import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

export interface FileChange {
  path: string;
  before: string | null;
  after: string;
  executable: boolean;
}

/**
 * The project as it will be, in memory. Reads fall through to the directory on disk (if any);
 * writes are recorded and only reach the disk through `commit`. Writing the content a file
 * already has is not a change.
 */
export class Tree {
  readonly root: string | null;
  private readonly written = new Map<string, { content: string; executable: boolean }>();
  private readonly diskCache = new Map<string, string | null>();

  constructor(root: string | null) {
    this.root = root;
  }

  read(file: string): string | null {
    const pending = this.written.get(file);
    if (pending) return pending.content;
    return this.readOriginal(file);
  }

  exists(file: string): boolean {
    return this.read(file) !== null;
  }

  write(file: string, content: string, options: { executable?: boolean } = {}): void {
    assertRelative(file);
    this.written.set(file, { content, executable: options.executable ?? false });
  }

  /** A directory on disk, or one that pending writes create. */
  isDirectory(dir: string): boolean {
    const prefix = `${dir.replace(/\/$/, '')}/`;
    if ([...this.written.keys()].some((file) => file.startsWith(prefix))) return true;
    if (!this.root) return false;
    try {
      return statSync(path.join(this.root, dir)).isDirectory();
    } catch {
      return false;
    }
  }

  /** Names in a directory of the project on disk (pending writes not included). */
  listDirectory(dir: string): string[] {
    if (!this.root) return [];
    try {
      return readdirSync(path.join(this.root, dir));
    } catch {
      return [];
    }
  }

  readOriginal(file: string): string | null {
    if (this.diskCache.has(file)) return this.diskCache.get(file) ?? null;
    let content: string | null = null;
    if (this.root) {
      const absolute = path.join(this.root, file);
      if (existsSync(absolute)) content = readFileSync(absolute, 'utf8');
    }
    this.diskCache.set(file, content);
    return content;
  }

  /** Every file written that differs from what is on disk, sorted by path. */
  changes(): FileChange[] {
    const result: FileChange[] = [];
    for (const [file, { content, executable }] of this.written) {
      const before = this.readOriginal(file);
      if (before !== content) result.push({ path: file, before, after: content, executable });
    }
    return result.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }
}

function assertRelative(file: string): void {
  if (path.isAbsolute(file) || file.split('/').includes('..') || file.includes('\\')) {
    throw new Error(`Refusing to write outside the project: ${file}`);
  }
}

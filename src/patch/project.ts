import { IndentationText, Project, QuoteKind, type SourceFile } from 'ts-morph';
import type { Tree } from '../engine/tree.ts';
import type { CodeStyle } from '../project/code-style.ts';
import { PatchError } from './patch-error.ts';

export interface SourceFiles {
  get(path: string): SourceFile;
  /** Writes every opened file's text back to the tree (unchanged text is not a change). */
  flush(): void;
}

const INDENTATION: Record<string, IndentationText> = {
  '\t': IndentationText.Tab,
  '  ': IndentationText.TwoSpaces,
  '    ': IndentationText.FourSpaces,
  '        ': IndentationText.EightSpaces,
};

/**
 * Opens tree files as ts-morph source files in memory: no type checking, no disk access. What patches
 * insert is indented and quoted in `style` (our templates' by default).
 */
export function openSourceFiles(tree: Tree, style?: CodeStyle): SourceFiles {
  const project = new Project({
    useInMemoryFileSystem: true,
    skipLoadingLibFiles: true,
    skipFileDependencyResolution: true,
    manipulationSettings: {
      indentationText: INDENTATION[style?.indent ?? '  '] ?? IndentationText.TwoSpaces,
      quoteKind: style?.quote === '"' ? QuoteKind.Double : QuoteKind.Single,
      useTrailingCommas: true,
    },
  });
  const opened = new Map<string, SourceFile>();
  return {
    get(path) {
      const existing = opened.get(path);
      if (existing) return existing;
      const text = tree.read(path);
      if (text === null) throw new PatchError(`Cannot patch ${path}: the file does not exist.`);
      const file = project.createSourceFile(`/${path}`, text, { overwrite: true });
      opened.set(path, file);
      return file;
    },
    flush() {
      for (const [path, file] of opened) tree.write(path, file.getFullText());
    },
  };
}

/**
 * Safe YAML loading that keeps positions (DESIGN §10): the core schema, no tags beyond the core ones,
 * bounded aliases, and no `__proto__` / `constructor` / `prototype` keys, so parsed objects never reach
 * prototypes. Every problem carries the file:line:col of the node an admin must edit.
 */
import {
  LineCounter, isAlias, isCollection, isMap, isNode, isPair, isScalar, isSeq, parseDocument, visit,
  type Document, type Node, type Pair, type YAMLMap,
} from 'yaml';
import type { Problem } from './problems.js';

/** Which registry area a file's problems belong to: the daemon config or a mapping file. */
export type ProblemArea = 'CONFIG' | 'MAPPING';

export interface YamlSource {
  readonly file: string;
  readonly text: string;
  readonly doc: Document.Parsed;
  readonly lines: LineCounter;
  readonly area: ProblemArea;
}

/** A billion-laughs file needs thousands of alias expansions; real files use a handful. */
export const maxAliasCount = 100;
const forbiddenKeys = new Set(['__proto__', 'constructor', 'prototype']);
const coreTags = new Set(['str', 'int', 'float', 'bool', 'null', 'map', 'seq'].map((t) => `tag:yaml.org,2002:${t}`));

export function problemAt(source: YamlSource, offset: number, detail: string, message: string,
  severity: Problem['severity'] = 'error'): Problem {
  const { line, col } = source.lines.linePos(Math.min(Math.max(offset, 0), source.text.length));
  return { file: source.file, line, col, code: `CONCORD_ERR_${source.area}_${detail}`, message, severity };
}

/** Parses one YAML document; unsafe keys are reported and dropped so the rest of the file can still be checked. */
export function parseYamlSource(file: string, text: string, area: ProblemArea): { source: YamlSource; problems: Problem[] } {
  const lines = new LineCounter();
  const doc = parseDocument(text, {
    schema: 'core', customTags: [], uniqueKeys: true, prettyErrors: false, lineCounter: lines, keepSourceTokens: false,
  });
  const source: YamlSource = { file, text, doc, lines, area };
  const problems: Problem[] = [];
  // One syntax error often sets off more on the same line (a tab, then what the tab broke); the first says it.
  const linesWithError = new Set<number>();
  for (const error of doc.errors) {
    const problem = problemAt(source, syntaxErrorOffset(text, error.code, error.pos[0]), 'YAML_SYNTAX', syntaxMessage(error.code, error.message));
    if (!linesWithError.has(problem.line)) problems.push(problem);
    linesWithError.add(problem.line);
  }
  const unsafePairs: Array<{ parent: YAMLMap; pair: Pair }> = [];
  visit(doc, {
    Pair(_key, pair, path) {
      const key = isScalar(pair.key) ? pair.key.value : undefined;
      if (typeof key === 'string' && forbiddenKeys.has(key)) {
        const parent = path[path.length - 1];
        if (isMap(parent)) unsafePairs.push({ parent, pair });
        problems.push(problemAt(source, (pair.key as Node).range?.[0] ?? 0, 'FORBIDDEN_KEY',
          `the key "${key}" is not allowed: __proto__, constructor and prototype are refused so that no value can reach an object prototype`));
      }
    },
    Node(_key, node) {
      // The parser sets `tag` only where the file writes one; the core tags (!!str, !!int) are harmless.
      if (isNode(node) && node.tag !== undefined && !coreTags.has(node.tag)) {
        problems.push(problemAt(source, node.range?.[0] ?? 0, 'YAML_TAG',
          `the YAML tag ${node.tag} is not allowed: write a plain string, number, boolean, list or map`));
      }
    },
  });
  for (const { parent, pair } of unsafePairs) parent.items.splice(parent.items.indexOf(pair), 1);
  return { source, problems };
}

/**
 * The parser reports an unclosed quote where the file ends; the opening quote is what needs fixing. An
 * unclosed string runs to the end, so the last quote character before that point is the opening one.
 */
function syntaxErrorOffset(text: string, code: string, offset: number): number {
  if (code !== 'MISSING_CHAR') return offset;
  const quote = Math.max(text.lastIndexOf('"', offset), text.lastIndexOf("'", offset));
  return quote >= 0 ? quote : offset;
}

function syntaxMessage(code: string, message: string): string {
  if (code === 'DUPLICATE_KEY') return 'duplicate key: a key may appear only once in a map';
  if (code === 'MULTIPLE_DOCS') return 'the file holds several YAML documents (---); one document per file is allowed';
  if (/tabs are not allowed/i.test(message)) return 'a tab is used for indentation: YAML indents with spaces only';
  if (code === 'MISSING_CHAR' && /quote/.test(message)) return 'this quoted string is never closed: add the closing quote';
  return `YAML syntax: ${message.replace(/ at line \d+, column \d+.*$/s, '').trim()}`;
}

/** The plain data of the document, or a problem when aliases expand beyond `maxAliasCount`. */
export function toPlainData(source: YamlSource): { ok: true; value: unknown } | { ok: false; problem: Problem } {
  try {
    return { ok: true, value: source.doc.toJS({ maxAliasCount }) };
  } catch (error) {
    if (!(error instanceof ReferenceError)) throw error;
    let offset = 0;
    visit(source.doc, { Alias(_k, alias) { offset = alias.range?.[0] ?? 0; return visit.BREAK; } });
    return {
      ok: false,
      problem: problemAt(source, offset, 'YAML_ALIASES',
        `aliases expand more than ${maxAliasCount} times (an alias bomb?): write the values out or use fewer aliases`),
    };
  }
}

/** The node of the document at a data path, following aliases; `undefined` when the path is absent. */
export function nodeAtPath(source: YamlSource, path: readonly PropertyKey[]): Node | undefined {
  let node: unknown = source.doc.contents;
  for (const step of path) {
    node = resolveAlias(source, node);
    if (isMap(node)) {
      node = findPair(node, String(step))?.value ?? undefined;
    } else if (isSeq(node) && typeof step === 'number') {
      node = node.items[step];
    } else {
      return undefined;
    }
  }
  const resolved = resolveAlias(source, node);
  return isNode(resolved) ? resolved : undefined;
}

/** The key node of `path`'s last step in its map (for unknown keys), when it exists. */
export function keyNodeAtPath(source: YamlSource, path: readonly PropertyKey[]): Node | undefined {
  const parent = nodeAtPath(source, path.slice(0, -1));
  if (!isMap(parent) || path.length === 0) return undefined;
  const key = findPair(parent, String(path[path.length - 1]))?.key;
  return isNode(key) ? key : undefined;
}

/**
 * Offset to report for `path`: the key for `atKey`, otherwise the value; where the path does not exist (a
 * missing key), the deepest existing ancestor, so a missing key points at the map that should hold it.
 */
export function offsetOfPath(source: YamlSource, path: readonly PropertyKey[], atKey = false): number {
  if (atKey) {
    const key = keyNodeAtPath(source, path);
    if (key?.range) return key.range[0];
  }
  for (let n = path.length; n >= 0; n--) {
    const node = nodeAtPath(source, path.slice(0, n));
    if (node?.range) {
      if (n < path.length && n > 0 && isCollection(node) && node.flow !== true) {
        // Block map or list: its key reads better as the place than its first child.
        const key = keyNodeAtPath(source, path.slice(0, n));
        if (key?.range) return key.range[0];
      }
      return node.range[0];
    }
  }
  return 0;
}

function findPair(map: YAMLMap, key: string): Pair | undefined {
  return map.items.find((pair) => isPair(pair) && isScalar(pair.key) && String(pair.key.value) === key);
}

function resolveAlias(source: YamlSource, node: unknown): unknown {
  let current = node;
  for (let hops = 0; isAlias(current) && hops < maxAliasCount; hops++) current = current.resolve(source.doc);
  return current;
}

/**
 * Loads one mapping file: YAML with positions -> `${VAR}` in params -> zod -> per-file checks -> the
 * mapping compiler (src/mapping/compile.ts, which refuses two-way fields that would flap), with every
 * problem at the file:line:col of its node.
 */
import { isMap, isScalar, visit, type Scalar } from 'yaml';
import { compileMapping } from '../mapping/compile.js';
import type { CompiledMapping } from '../mapping/compiled-types.js';
import { formatPath } from './data-path.js';
import { interpolateTree, type Env } from './env-interpolation.js';
import { checkMappingFile } from './mapping-file-checks.js';
import { mappingSchema, type MappingFile } from './mapping-schema.js';
import type { Problem } from './problems.js';
import { nodeAtPath, offsetOfPath, parseYamlSource, problemAt, toPlainData, type YamlSource } from './yaml-source.js';
import { problemsFromZod } from './zod-problems.js';

export interface LoadedMappingFile {
  readonly file: string;
  readonly source: YamlSource;
  /** Present when the file passed the schema (cross-file checks need it even if later checks failed). */
  readonly mapping?: MappingFile;
  /** Present when the file passed every check of its own. */
  readonly compiled?: CompiledMapping;
  readonly problems: Problem[];
}

export function parseMappingFile(file: string, text: string, env: Env): LoadedMappingFile {
  const { source, problems } = parseYamlSource(file, text, 'MAPPING');
  problems.push(...interpolateParams(source, env));
  // Content after a syntax error is unreliable: schema problems would only repeat it in other words.
  if (source.doc.errors.length > 0) return { file, source, problems };
  const data = toPlainData(source);
  if (!data.ok) return { file, source, problems: [...problems, data.problem] };
  const parsed = mappingSchema.safeParse(data.value ?? {});
  if (!parsed.success) {
    return { file, source, problems: [...problems, ...problemsFromZod(source, parsed.error.issues, mappingSchema, data.value)] };
  }
  const mapping = parsed.data;
  const checked = checkMappingFile(source, mapping);
  problems.push(...checked.problems);
  const compiled = compileMapping(mapping, { file });
  if (!compiled.ok) {
    // The compiler repeats the JSONata checks made here; one problem per expression is enough.
    for (const problem of compiled.problems) {
      if (checked.jsonataPaths.has(formatPath(problem.path))) continue;
      problems.push({ ...problemAt(source, offsetOfPath(source, problem.path), 'INVALID_VALUE', problem.message), code: problem.code });
    }
  }
  const hasError = problems.some((p) => p.severity === 'error');
  return { file, source, mapping, problems, ...(compiled.ok && !hasError ? { compiled: compiled.mapping } : {}) };
}

/**
 * Environment variables are read only in `left.params` / `right.params` (a list id, a location id):
 * templating spread through a mapping makes it hard to read, so `${` elsewhere is an error, not a literal.
 */
function interpolateParams(source: YamlSource, env: Env): Problem[] {
  const problems: Problem[] = [];
  const inParams = new Set<Scalar>();
  for (const side of ['left', 'right']) {
    const params = nodeAtPath(source, [side, 'params']);
    if (!isMap(params)) continue;
    visit(params, { Scalar(key, node) { if (key !== 'key') inParams.add(node); } });
    problems.push(...interpolateTree(source, params, env));
  }
  visit(source.doc, {
    Scalar(_key, node) {
      if (inParams.has(node) || !isScalar(node) || typeof node.value !== 'string') return;
      const index = node.value.replace(/\$\$\{/g, '  ').indexOf('${');
      if (index < 0) return;
      problems.push(problemAt(source, node.range?.[0] ?? 0, 'INTERPOLATION_PLACE',
        `"${node.value}" uses \${...}, but environment variables are read only in left.params and right.params: write the value literally (or $\${ for a literal \${)`));
    },
  });
  return problems;
}

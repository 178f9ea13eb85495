import { ConcordError } from '../shared/errors/index.js';
import type { ObjectSpec } from './contract.js';
import type { ConnectorFacts, ObjectFacts } from './connector-facts.js';

/** The facts of one object, or CONCORD_ERR_CONNECTOR_UNKNOWN_OBJECT naming the allowed objects. */
export function objectFacts(facts: ConnectorFacts, object: string): ObjectFacts {
  const found = Object.hasOwn(facts.objects, object) ? facts.objects[object] : undefined;
  if (!found) {
    throw new ConcordError('CONCORD_ERR_CONNECTOR_UNKNOWN_OBJECT',
      `system ${facts.id}: expected one of the objects ${Object.keys(facts.objects).join(', ')}, found "${object}"`);
  }
  return found;
}

/** The object's collection path with `{param}` placeholders filled from the mapping's params (URL-encoded). */
export function objectPath(facts: ConnectorFacts, object: string, params: Record<string, string> | undefined): string {
  return objectFacts(facts, object).path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params?.[name];
    if (value === undefined || value === '') {
      throw new ConcordError('CONCORD_ERR_CONNECTOR_PARAM_MISSING',
        `system ${facts.id}, object ${object}: expected param "${name}" in the mapping's params, found none`);
    }
    return encodeURIComponent(value);
  });
}

/** The contract's object specs, derived from the facts file so the two cannot disagree. */
export function objectSpecs(facts: ConnectorFacts): Record<string, ObjectSpec> {
  const specs: Record<string, ObjectSpec> = {};
  for (const [name, o] of Object.entries(facts.objects)) {
    const fields: ObjectSpec['fields'] = {};
    for (const [f, spec] of Object.entries(o.fields)) fields[f] = spec.readOnly ? { type: spec.type, readOnly: true } : { type: spec.type };
    specs[name] = { idField: o.idField, versionSource: o.versionSource, fields, ...(o.params ? { params: [...o.params] } : {}) };
  }
  return specs;
}

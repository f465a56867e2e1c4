import { readFileSync } from 'node:fs';
import { XMLParser } from 'fast-xml-parser';
import { splitTopLevel } from '../../src/stand-ins/graph/odata.js';

/*
 * Microsoft Graph's v1.0 metadata (OData CSDL, trimmed: test/fixtures/graph-metadata/) as a test oracle:
 * `problemsOf(request)` lists everything a Graph request names that the metadata does not define — a path
 * segment that is neither an entity set, a key, a navigation property nor a bound operation; a $select,
 * $filter or $orderby property the type does not have; an $expand of something that is not a navigation
 * property, or one the metadata says cannot be expanded; a query option OData does not define; an action
 * parameter the operation does not take. What it cannot read (a $filter beyond comparisons joined by and/or)
 * is a problem too, so nothing passes unchecked.
 */

export const GRAPH_METADATA_FIXTURE = 'test/fixtures/graph-metadata/graph-v1.0.trimmed.csdl';

export interface GraphRequestRecord {
  method: string;
  /** After /v1.0, percent-encoded as sent. */
  path: string;
  /** Without '?'. */
  query: string;
  body?: unknown;
}

interface StructuredType {
  name: string;
  kind: 'entity' | 'complex';
  baseType: string | null;
  /** Property name → short type name ('Collection(…)' unwrapped), with collection-ness and Nullable. */
  properties: Map<string, PropertyType>;
  navigations: Map<string, { type: string; collection: boolean }>;
}

interface PropertyType {
  type: string;
  collection: boolean;
  /** CSDL's Nullable (true unless "false"); of a collection, whether its items may be null. */
  nullable: boolean;
}

interface Operation {
  name: string;
  kind: 'action' | 'function';
  bindingType: string;
  bindingCollection: boolean;
  parameters: string[];
}

type Target =
  { kind: 'collection' | 'entity'; type: string } | { kind: 'action' | 'function'; type: string; operation: Operation };

/**
 * A delta function's state tokens, in the links Graph answers (Delta query overview, "State tokens":
 * https://learn.microsoft.com/graph/delta-query-overview).
 */
const DELTA_STATE_TOKENS = ['$skiptoken', '$deltatoken'];
const SYSTEM_QUERY_OPTIONS = ['$select', '$filter', '$orderby', '$expand', '$top', '$skip', '$count', '$search'];
const COMPARISON =
  /^([A-Za-z][A-Za-z0-9_/]*)\s+(eq|ne|gt|ge|lt|le)\s+('(?:[^']|'')*'|true|false|null|-?\d+(?:\.\d+)?|\d{4}-\d{2}-\d{2}T[0-9:.]+(?:Z|[+-]\d{2}:\d{2}))$/i;

/** JSON values of the Edm primitive types answers use (OData JSON Format 4.01, section 7.1). */
const EDM_CHECKS: Record<string, (value: unknown) => boolean> = {
  'Edm.String': (value) => typeof value === 'string',
  'Edm.Boolean': (value) => typeof value === 'boolean',
  'Edm.Int32': (value) => Number.isInteger(value) && Math.abs(value as number) <= 2 ** 31,
  'Edm.Int64': (value) => Number.isInteger(value),
  'Edm.Double': (value) => typeof value === 'number',
  // base64url in OData's JSON format; Graph writes conversationIndex in standard base64, so both alphabets pass.
  'Edm.Binary': (value) => typeof value === 'string' && /^[A-Za-z0-9+/_-]*={0,2}$/.test(value),
  'Edm.Date': (value) => typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value),
  'Edm.DateTimeOffset': (value) =>
    typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value)
};

const asArray = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/** 'Collection(graph.recipient)' → { type: 'recipient', collection: true }; 'Edm.String' stays as it is. */
function typeRef(text: string): { type: string; collection: boolean } {
  const inner = /^Collection\((.*)\)$/.exec(text);
  const name = (inner?.[1] ?? text).replace(/^(microsoft\.graph|graph)\./, '');
  return { type: name, collection: Boolean(inner) };
}

/** Splits a $filter on ' and ' / ' or ' outside quotes and parentheses, dropping wrapping parentheses. */
function filterClauses(filter: string): string[] {
  const trimmed = filter.trim();
  const words: string[] = [];
  let depth = 0;
  let quoted = false;
  let current = '';
  for (let i = 0; i < trimmed.length; i++) {
    const char = trimmed[i] ?? '';
    if (char === "'") quoted = !quoted;
    if (!quoted && char === '(') depth += 1;
    if (!quoted && char === ')') depth -= 1;
    const joiner = !quoted && depth === 0 ? /^\s+(and|or)\s+/i.exec(trimmed.slice(i)) : null;
    if (joiner) {
      words.push(current);
      current = '';
      i += joiner[0].length - 1;
      continue;
    }
    current += char;
  }
  words.push(current);
  return words.flatMap((clause) => {
    const inner = /^\((.*)\)$/s.exec(clause.trim());
    return inner?.[1] !== undefined ? filterClauses(inner[1]) : [clause.trim()];
  });
}

export class GraphMetadata {
  private readonly types = new Map<string, StructuredType>();
  /** Enumeration name → its members' names (how they are written in JSON). */
  private readonly enums = new Map<string, Set<string>>();
  private readonly operations: Operation[] = [];
  private readonly entryPoints = new Map<string, { type: string; collection: boolean }>();
  /** `type/navigation` pairs annotated Capabilities.ExpandRestrictions { Expandable: false }. */
  private readonly notExpandable = new Set<string>();

  constructor(csdl: string) {
    const parser = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: '',
      isArray: (name, _path, _leaf, isAttribute) =>
        !isAttribute &&
        [
          'Schema',
          'EntityType',
          'ComplexType',
          'EnumType',
          'Member',
          'Property',
          'NavigationProperty',
          'Action',
          'Function',
          'Parameter',
          'EntitySet',
          'Singleton',
          'Annotations',
          'Annotation',
          'PropertyValue'
        ].includes(name)
    });
    type Node = Record<string, unknown> & { Name?: string };
    const document = parser.parse(csdl) as { 'edmx:Edmx': { 'edmx:DataServices': { Schema: Node[] } } };
    for (const schema of document['edmx:Edmx']['edmx:DataServices'].Schema) {
      for (const [kind, element] of [
        ['entity', 'EntityType'],
        ['complex', 'ComplexType']
      ] as const) {
        for (const node of asArray(schema[element] as Node[])) {
          const properties = new Map(
            asArray(node.Property as Node[]).map((p) => [
              String(p.Name),
              { ...typeRef(String(p.Type)), nullable: p.Nullable !== 'false' }
            ])
          );
          const navigations = new Map(
            asArray(node.NavigationProperty as Node[]).map((p) => [String(p.Name), typeRef(String(p.Type))])
          );
          const base = typeof node.BaseType === 'string' ? typeRef(node.BaseType).type : null;
          this.types.set(String(node.Name), { name: String(node.Name), kind, baseType: base, properties, navigations });
        }
      }
      for (const node of asArray(schema.EnumType as Node[])) {
        this.enums.set(String(node.Name), new Set(asArray(node.Member as Node[]).map((m) => String(m.Name))));
      }
      for (const [kind, element] of [
        ['action', 'Action'],
        ['function', 'Function']
      ] as const) {
        for (const node of asArray(schema[element] as Node[])) {
          if (node.IsBound !== 'true') continue;
          const [binding, ...parameters] = asArray(node.Parameter as Node[]);
          if (!binding) continue;
          const bound = typeRef(String(binding.Type));
          this.operations.push({
            name: String(node.Name),
            kind,
            bindingType: bound.type,
            bindingCollection: bound.collection,
            parameters: parameters.map((p) => String(p.Name))
          });
        }
      }
      const container = schema.EntityContainer as Node | undefined;
      for (const set of asArray(container?.EntitySet as Node[])) {
        this.entryPoints.set(String(set.Name), { type: typeRef(String(set.EntityType)).type, collection: true });
      }
      for (const single of asArray(container?.Singleton as Node[])) {
        this.entryPoints.set(String(single.Name), { type: typeRef(String(single.Type)).type, collection: false });
      }
      for (const annotations of asArray(schema.Annotations as Node[])) {
        const target = String(annotations.Target).replace(/^microsoft\.graph\./, '');
        for (const annotation of asArray(annotations.Annotation as Node[])) {
          if (annotation.Term !== 'Org.OData.Capabilities.V1.ExpandRestrictions') continue;
          const values = asArray((annotation.Record as Node | undefined)?.PropertyValue as Node[]);
          if (values.some((v) => v.Property === 'Expandable' && v.Bool === 'false')) this.notExpandable.add(target);
        }
      }
    }
  }

  static load(path = GRAPH_METADATA_FIXTURE): GraphMetadata {
    return new GraphMetadata(readFileSync(path, 'utf8'));
  }

  /** A structured type with everything it inherits; undefined when the (trimmed) metadata does not define it. */
  structuredType(name: string): StructuredType | undefined {
    const own = this.types.get(name);
    if (!own) return undefined;
    const base = own.baseType ? this.structuredType(own.baseType) : undefined;
    return {
      ...own,
      properties: new Map([...(base?.properties ?? []), ...own.properties]),
      navigations: new Map([...(base?.navigations ?? []), ...own.navigations])
    };
  }

  /** Property and navigation names of a type, as $select may name them. */
  selectable(typeName: string): string[] {
    const type = this.structuredType(typeName);
    return type ? [...type.properties.keys(), ...type.navigations.keys()] : [];
  }

  /** Problems of one property path ('from/emailAddress/address') on a type; [] when the metadata defines it. */
  propertyPathProblems(typeName: string, path: string): string[] {
    let current = typeName;
    const parts = path.split('/');
    for (const [index, part] of parts.entries()) {
      const type = this.structuredType(current);
      if (!type) return [`the type '${current}' is not in the metadata (walking '${path}')`];
      const property = type.properties.get(part);
      if (!property) return [`'${part}' is not a property of '${current}' (in '${path}')`];
      if (index < parts.length - 1 && property.collection) {
        return [`'${part}' of '${current}' is a collection: '${path}' needs a lambda operator`];
      }
      current = property.type;
    }
    return [];
  }

  /**
   * Everything in `value`, a JSON answer for the structured type `typeName`, that the metadata does not allow: a
   * property the type does not have (instance annotations, `@odata.*` and `name@odata.*`, aside), a value of the
   * wrong primitive type, an enumeration value that is not one of its members, null where the property is
   * Nullable="false", a collection that is not an array; nested complex values are walked. Types the metadata
   * marks OpenType (event, message) could carry dynamic properties, but the stand-ins invent none, so an unknown
   * name is reported there too.
   */
  valueProblems(typeName: string, value: unknown, path = typeName): string[] {
    const type = this.structuredType(typeName);
    if (!type) return [`${path}: the type '${typeName}' is not in the metadata`];
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return [`${path}: not an object`];
    return Object.entries(value as Record<string, unknown>).flatMap(([name, item]) => {
      if (name.startsWith('@') || name.includes('@odata.')) return [];
      const property = type.properties.get(name);
      if (!property) return [`${path}/${name}: not a property of '${typeName}'`];
      if (!property.collection) return this.memberProblems(property, item, `${path}/${name}`);
      if (!Array.isArray(item)) return [`${path}/${name}: a collection, not ${JSON.stringify(item)}`];
      return item.flatMap((element, index) => this.memberProblems(property, element, `${path}/${name}/${index}`));
    });
  }

  /** One value (or one item of a collection) of a property. */
  private memberProblems(property: PropertyType, value: unknown, path: string): string[] {
    if (value === null) return property.nullable ? [] : [`${path}: null, but the property is Nullable="false"`];
    const members = this.enums.get(property.type);
    if (members) {
      return typeof value === 'string' && members.has(value)
        ? []
        : [`${path}: ${JSON.stringify(value)} is not one of ${property.type}'s members (${[...members].join(', ')})`];
    }
    if (property.type.startsWith('Edm.')) {
      const fits = EDM_CHECKS[property.type];
      if (!fits) return [`${path}: the oracle cannot check ${property.type}`];
      return fits(value) ? [] : [`${path}: ${JSON.stringify(value)} is not an ${property.type}`];
    }
    return this.valueProblems(property.type, value, path);
  }

  problemsOf(request: GraphRequestRecord): string[] {
    const where = `${request.method} ${request.path}${request.query ? `?${request.query}` : ''}`;
    const resolved = this.resolvePath(request.path);
    if (typeof resolved === 'string') return [`${where}: ${resolved}`];
    const problems = [
      ...this.methodProblems(request.method, resolved),
      ...this.bodyProblems(request, resolved),
      ...this.queryProblems(request.query, resolved)
    ];
    return problems.map((problem) => `${where}: ${problem}`);
  }

  private resolvePath(path: string): Target | string {
    let segments: string[];
    try {
      segments = path.split('/').filter(Boolean).map(decodeURIComponent);
    } catch {
      return `the path '${path}' is not valid percent-encoding`;
    }
    const [first = '', ...rest] = segments;
    const entry = this.entryPoints.get(first);
    if (!entry) return `'${first}' is neither an entity set nor a singleton`;
    let target: Target = { kind: entry.collection ? 'collection' : 'entity', type: entry.type };
    for (const segment of rest) {
      if (target.kind === 'action' || target.kind === 'function') {
        return `nothing may follow the operation '${target.operation.name}' (got '${segment}')`;
      }
      const current: Target = target;
      const collection: boolean = current.kind === 'collection';
      const operation: Operation | undefined = this.operations.find(
        (o) => o.name === segment && o.bindingType === current.type && o.bindingCollection === collection
      );
      if (operation) {
        target = { kind: operation.kind, type: current.type, operation };
        continue;
      }
      if (collection) {
        if (segment.startsWith('$')) return `'${segment}' is not a segment this service defines here`;
        target = { kind: 'entity', type: current.type }; // a key
        continue;
      }
      const type = this.structuredType(current.type);
      if (!type) return `the type '${current.type}' is not in the metadata`;
      const navigation = type.navigations.get(segment);
      if (!navigation) return `'${segment}' is neither a navigation property nor an operation of '${current.type}'`;
      if (!this.structuredType(navigation.type)) return `the type '${navigation.type}' is not in the metadata`;
      target = { kind: navigation.collection ? 'collection' : 'entity', type: navigation.type };
    }
    return target;
  }

  private methodProblems(method: string, target: Target): string[] {
    const allowed: Record<Target['kind'], string[]> = {
      collection: ['GET', 'POST'],
      entity: ['GET', 'PATCH', 'DELETE'],
      action: ['POST'],
      function: ['GET']
    };
    return allowed[target.kind].includes(method.toUpperCase())
      ? []
      : [`${method} is not how OData addresses a ${target.kind}`];
  }

  private bodyProblems(request: GraphRequestRecord, target: Target): string[] {
    if (request.body === undefined || request.body === null) return [];
    if (typeof request.body !== 'object') return ['the body is not a JSON object'];
    const names = Object.keys(request.body as Record<string, unknown>);
    if (target.kind === 'action') {
      // Graph's documentation and SDKs write action parameters in camelCase (destinationId) where the
      // metadata names them in PascalCase (DestinationId); Graph accepts both, so case is not compared.
      const known = target.operation.parameters.map((p) => p.toLowerCase());
      return names
        .filter((name) => !known.includes(name.toLowerCase()))
        .map((name) => `'${name}' is not a parameter of the action '${target.operation.name}'`);
    }
    const selectable = this.selectable(target.type);
    return names
      .filter((name) => !name.startsWith('@') && !selectable.includes(name))
      .map((name) => `'${name}' is not a property of '${target.type}'`);
  }

  private queryProblems(query: string, target: Target): string[] {
    const problems: string[] = [];
    for (const [name, value] of new URLSearchParams(query)) {
      if (!name.startsWith('$')) {
        problems.push(`the custom query option '${name}' is not defined by the metadata`);
      } else if (DELTA_STATE_TOKENS.includes(name) && target.kind === 'function' && target.operation.name === 'delta') {
        // The state tokens of a delta function's nextLink and deltaLink: opaque, and given by Graph itself.
        continue;
      } else if (!SYSTEM_QUERY_OPTIONS.includes(name)) {
        problems.push(`'${name}' is not an OData system query option Graph takes here`);
      } else {
        problems.push(...this.optionProblems(name, value, target.type, target.kind === 'collection'));
      }
    }
    return problems;
  }

  private optionProblems(name: string, value: string, typeName: string, collection: boolean): string[] {
    switch (name) {
      case '$select': {
        const selectable = this.selectable(typeName);
        return value
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s && !selectable.includes(s))
          .map((s) => `$select: '${s}' is not a property of '${typeName}'`);
      }
      case '$filter':
        return filterClauses(value).flatMap((clause) => {
          const match = COMPARISON.exec(clause);
          if (!match) return [`$filter: the oracle cannot read '${clause}' (comparisons joined by and/or only)`];
          return this.propertyPathProblems(typeName, match[1] ?? '').map((p) => `$filter: ${p}`);
        });
      case '$orderby':
        return value.split(',').flatMap((part) => {
          const match = /^\s*([A-Za-z][A-Za-z0-9_/]*)(?:\s+(asc|desc))?\s*$/i.exec(part);
          if (!match) return [`$orderby: cannot read '${part}'`];
          return this.propertyPathProblems(typeName, match[1] ?? '').map((p) => `$orderby: ${p}`);
        });
      case '$expand':
        return splitTopLevel(value, ',').flatMap((item) => this.expandProblems(typeName, item));
      case '$top':
      case '$skip':
        return /^\d+$/.test(value)
          ? collection
            ? []
            : [`${name} applies to collections only`]
          : [`${name}: '${value}'`];
      case '$count':
        return /^(true|false)$/.test(value) ? [] : [`$count: '${value}'`];
      default:
        return [];
    }
  }

  private expandProblems(typeName: string, item: string): string[] {
    const match = /^([A-Za-z][A-Za-z0-9_]*)(?:\((.*)\))?$/s.exec(item);
    if (!match) return [`$expand: cannot read '${item}'`];
    const [, name = '', options] = match;
    const navigation = this.structuredType(typeName)?.navigations.get(name);
    if (!navigation) return [`$expand: '${name}' is not a navigation property of '${typeName}'`];
    if (this.notExpandable.has(`${typeName}/${name}`)) {
      return [`$expand: the metadata says '${typeName}/${name}' cannot be expanded`];
    }
    if (!this.structuredType(navigation.type)) return [`$expand: the type '${navigation.type}' is not in the metadata`];
    return splitTopLevel(options ?? '', ';').flatMap((option) => {
      const [optionName = '', ...rest] = option.split('=');
      if (!SYSTEM_QUERY_OPTIONS.includes(optionName)) return [`$expand: '${optionName}' is not a query option`];
      return this.optionProblems(optionName, rest.join('='), navigation.type, navigation.collection).map(
        (p) => `$expand(${name}): ${p}`
      );
    });
  }
}

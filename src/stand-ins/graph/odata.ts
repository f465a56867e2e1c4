import { badRequest, GraphError } from './errors.js';

/*
 * The OData query options Graph's mail endpoints take, and how it applies them: $select, $top, $skip,
 * $filter (comparisons joined by `and`), $orderby, $count, and $expand of extended properties by id. Options the stand-in does not implement are
 * refused with 400 and a message saying so, rather than ignored, so a processor never relies on them by
 * accident.
 *
 * Filters compare the rendered JSON, so a seeded broken value behaves as it would in the store.
 */

export interface Comparison {
  property: string;
  operator: 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';
  value: string | number | boolean | null;
}

export interface Ordering {
  property: string;
  descending: boolean;
}

/** `$expand=singleValueExtendedProperties($filter=id eq '…' or id eq '…')`: the navigation, and the ids asked for. */
export interface ExpandOption {
  navigation: string;
  ids: string[];
}

export interface QueryOptions {
  select: string[] | null;
  expand: ExpandOption[];
  top: number | null;
  skip: number;
  filter: Comparison[] | null;
  orderby: Ordering[] | null;
  count: boolean;
  /** Every parameter as sent, for building the next page's link. */
  params: URLSearchParams;
}

export interface EntityType {
  /** As Graph names it in errors: 'microsoft.graph.message'. */
  name: string;
  /** Everything $select may name. */
  selectable: readonly string[];
  /** Paths $filter may use, with how values compare. */
  filterable: Record<string, 'string' | 'date' | 'boolean' | 'number'>;
  sortable: readonly string[];
  /** Navigation properties $expand may name (extended properties, filtered by id). */
  expandable?: readonly string[];
  /**
   * How Graph words an unknown $select/$expand name on this type: messages answer 400 RequestBroker--ParseUri
   * (https://github.com/wslyvh/paperweight/issues/1), mail folders 400 BadRequest "Parsing OData Select and
   * Expand failed: ..." (https://github.com/mguessan/davmail/issues/451).
   */
  unknownPropertyStyle?: 'request-broker' | 'odata-select-expand';
}

const NOT_IMPLEMENTED = ['$search', '$skiptoken', '$format', '$apply', '$compute', '$deltatoken'];
const COMPARISON =
  /^\s*([A-Za-z][A-Za-z0-9/]*)\s+(eq|ne|gt|ge|lt|le)\s+('(?:[^']|'')*'|true|false|null|-?\d+(?:\.\d+)?|\d{4}-\d{2}-\d{2}T[0-9:.]+(?:Z|[+-]\d{2}:\d{2}))\s*$/i;

function parseCount(option: string, value: string): number {
  if (!/^\d+$/.test(value.trim())) {
    throw badRequest(
      `Invalid value '${value}' for ${option} query option found. The ${option} query option requires a non-negative integer value.`
    );
  }
  return Number(value);
}

function unknownProperty(type: EntityType, name: string): GraphError {
  const message = `Could not find a property named '${name}' on type '${type.name}'.`;
  if (type.unknownPropertyStyle === 'odata-select-expand') {
    return new GraphError(400, 'BadRequest', `Parsing OData Select and Expand failed: ${message}`);
  }
  return new GraphError(400, 'RequestBroker--ParseUri', message);
}

/** Splits on a separator outside quotes and parentheses: the items of an OData option ($select, $expand, ...). */
export function splitTopLevel(text: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let current = '';
  for (const char of text) {
    if (char === "'") quoted = !quoted;
    if (!quoted && char === '(') depth += 1;
    if (!quoted && char === ')') depth -= 1;
    if (!quoted && depth === 0 && char === separator) {
      parts.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  parts.push(current);
  return parts.map((part) => part.trim()).filter(Boolean);
}

/**
 * $expand of extended properties, as Microsoft documents it: `singleValueExtendedProperties($filter=id eq
 * '{id}')` (https://learn.microsoft.com/graph/api/singlevaluelegacyextendedproperty-get?view=graph-rest-1.0);
 * several ids joined by `or`. A name that is not a navigation property is Graph's parse error.
 */
function parseExpand(text: string, type: EntityType): ExpandOption[] {
  return splitTopLevel(text, ',').map((item) => {
    const match = /^([A-Za-z]+)(?:\((.*)\))?$/s.exec(item);
    const name = match?.[1] ?? item;
    const navigation = type.expandable?.find((n) => n.toLowerCase() === name.toLowerCase());
    if (!navigation) {
      if (type.unknownPropertyStyle === 'odata-select-expand') throw unknownProperty(type, name);
      throw badRequest(`The Graph stand-in does not implement $expand of '${name}' on ${type.name}.`);
    }
    const filter = /^\$filter=(.*)$/is.exec(match?.[2]?.trim() ?? '')?.[1];
    if (filter === undefined) {
      throw badRequest(`The Graph stand-in expands ${navigation} only with $filter=id eq '...' (got '${item}').`);
    }
    const ids = filter.split(/\s+or\s+/i).map((clause) => {
      const id = /^\s*id\s+eq\s+'((?:[^']|'')*)'\s*$/i.exec(clause)?.[1];
      if (id === undefined) throw badRequest(`Invalid filter clause in $expand: '${clause.trim()}'.`);
      return id.replace(/''/g, "'");
    });
    return { navigation, ids };
  });
}

function splitAnd(filter: string): string[] {
  // Split on ' and ' outside string literals.
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < filter.length; i++) {
    const c = filter[i] ?? '';
    if (c === "'") quoted = !quoted;
    if (!quoted && /^\s+and\s+/i.test(filter.slice(i)) && current.trim()) {
      const match = /^\s+and\s+/i.exec(filter.slice(i));
      parts.push(current);
      current = '';
      i += (match?.[0].length ?? 1) - 1;
      continue;
    }
    current += c;
  }
  parts.push(current);
  return parts;
}

function parseFilter(filter: string, type: EntityType): Comparison[] {
  return splitAnd(filter).map((clause) => {
    const match = COMPARISON.exec(clause);
    if (!match) {
      throw badRequest(
        `Invalid filter clause: the stand-in understands only comparisons (eq, ne, gt, ge, lt, le) joined by 'and'; got '${clause.trim()}'.`
      );
    }
    const [, path = '', operator = 'eq', literal = ''] = match;
    const property = Object.keys(type.filterable).find((p) => p.toLowerCase() === path.toLowerCase());
    if (!property) throw unknownProperty(type, path);
    let value: Comparison['value'];
    if (literal.startsWith("'")) value = literal.slice(1, -1).replace(/''/g, "'");
    else if (/^(true|false)$/i.test(literal)) value = literal.toLowerCase() === 'true';
    else if (/^null$/i.test(literal)) value = null;
    else if (/^-?\d/.test(literal) && !literal.includes('T')) value = Number(literal);
    else value = literal; // a date-time literal
    return { property, operator: operator.toLowerCase() as Comparison['operator'], value };
  });
}

function parseOrderBy(orderby: string, type: EntityType): Ordering[] {
  return orderby.split(',').map((part) => {
    const match = /^\s*([A-Za-z][A-Za-z0-9/]*)(?:\s+(asc|desc))?\s*$/i.exec(part);
    if (!match) throw badRequest(`Syntax error in $orderby: '${part.trim()}'.`);
    const property = type.sortable.find((p) => p.toLowerCase() === (match[1] ?? '').toLowerCase());
    if (!property) {
      if (type.selectable.some((p) => p.toLowerCase() === (match[1] ?? '').toLowerCase())) {
        throw badRequest(`The stand-in cannot order by '${match[1]}'; it orders by ${type.sortable.join(', ')}.`);
      }
      throw unknownProperty(type, match[1] ?? '');
    }
    return { property, descending: (match[2] ?? '').toLowerCase() === 'desc' };
  });
}

export function parseQuery(query: string, type: EntityType): QueryOptions {
  const params = new URLSearchParams(query);
  const options = new Map<string, string>();
  for (const [name, value] of params) {
    if (!name.startsWith('$')) continue; // custom parameters (includeHiddenFolders) are read by the caller
    const key = name.toLowerCase();
    if (options.has(key)) {
      throw badRequest(`Query option '${name}' was specified more than once, but it must be specified at most once.`);
    }
    if (NOT_IMPLEMENTED.includes(key)) {
      throw badRequest(`The Graph stand-in does not implement the ${name} query option.`);
    }
    if (!['$select', '$expand', '$top', '$skip', '$filter', '$orderby', '$count'].includes(key)) {
      throw badRequest(`The query parameter '${name}' is not supported.`);
    }
    options.set(key, value);
  }

  const selectText = options.get('$select');
  const select =
    selectText === undefined
      ? null
      : selectText
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
          .map((name) => {
            const known = type.selectable.find((p) => p.toLowerCase() === name.toLowerCase());
            if (!known) throw unknownProperty(type, name);
            return known;
          });

  const expandText = options.get('$expand');
  const expand = expandText === undefined ? [] : parseExpand(expandText, type);

  const topText = options.get('$top');
  const top = topText === undefined ? null : parseCount('$top', topText);
  const skipText = options.get('$skip');
  const skip = skipText === undefined ? 0 : parseCount('$skip', skipText);
  const filterText = options.get('$filter');
  const filter = filterText === undefined ? null : parseFilter(filterText, type);
  const orderText = options.get('$orderby');
  const orderby = orderText === undefined ? null : parseOrderBy(orderText, type);
  const countText = options.get('$count');
  if (countText !== undefined && !/^(true|false)$/i.test(countText)) {
    throw badRequest(
      `Invalid value '${countText}' for $count query option found. Valid values are 'true' and 'false'.`
    );
  }

  if (filter && orderby) {
    // Exchange sorts a restricted view only on what it restricts on: the $orderby properties must come
    // first in the $filter, in the same order.
    const ok = orderby.every((o, index) => filter[index]?.property === o.property);
    if (!ok) {
      throw new GraphError(
        400,
        'InefficientFilter',
        'The restriction or sort order is too complex for this operation.'
      );
    }
  }

  return {
    select,
    expand,
    top,
    skip,
    filter,
    orderby,
    count: (countText ?? '').toLowerCase() === 'true',
    params
  };
}

function valueAt(record: Record<string, unknown>, path: string): unknown {
  let current: unknown = record;
  for (const part of path.split('/')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

function compare(a: unknown, b: unknown, kind: EntityType['filterable'][string]): number {
  if (kind === 'date') {
    const x = Date.parse(String(a));
    const y = Date.parse(String(b));
    if (Number.isNaN(x) || Number.isNaN(y)) return String(a).localeCompare(String(b));
    return x - y;
  }
  if (kind === 'number') return Number(a) - Number(b);
  if (kind === 'boolean') return Number(a) - Number(b);
  // Exchange compares strings without regard to case.
  return String(a).toLowerCase().localeCompare(String(b).toLowerCase());
}

export function matches(record: Record<string, unknown>, filter: Comparison[] | null, type: EntityType): boolean {
  if (!filter) return true;
  return filter.every(({ property, operator, value }) => {
    const actual = valueAt(record, property);
    if (value === null || actual === null || actual === undefined) {
      const same = (actual ?? null) === value;
      return operator === 'eq' ? same : operator === 'ne' ? !same : false;
    }
    const order = compare(actual, value, type.filterable[property] ?? 'string');
    switch (operator) {
      case 'eq':
        return order === 0;
      case 'ne':
        return order !== 0;
      case 'gt':
        return order > 0;
      case 'ge':
        return order >= 0;
      case 'lt':
        return order < 0;
      case 'le':
        return order <= 0;
    }
  });
}

/** Sorts records by the orderings; `tieBreak` keeps equal keys in a fixed order (Exchange's is stable too). */
export function sortRecords<T>(
  items: { item: T; record: Record<string, unknown> }[],
  orderby: Ordering[],
  type: EntityType,
  tieBreak: (a: T, b: T) => number
): void {
  items.sort((a, b) => {
    for (const { property, descending } of orderby) {
      const kind = type.filterable[property] ?? 'string';
      const order = compare(valueAt(a.record, property), valueAt(b.record, property), kind);
      if (order !== 0) return descending ? -order : order;
    }
    const last = orderby[orderby.length - 1];
    return last?.descending ? -tieBreak(a.item, b.item) : tieBreak(a.item, b.item);
  });
}

/** Only the selected properties (plus what Graph always writes: @odata.etag and id). */
export function project(record: Record<string, unknown>, select: string[] | null): Record<string, unknown> {
  if (select === null) return record;
  const out: Record<string, unknown> = {};
  if ('@odata.etag' in record) out['@odata.etag'] = record['@odata.etag'];
  out.id = record.id;
  for (const name of select) out[name] = record[name];
  return out;
}

/**
 * The next page's link as Graph writes it for mail collections: the same request with $top and the next
 * $skip, as an absolute URL. Skip-based, so it counts positions in the collection as it is when that
 * page is read, not as it was when the first page was.
 */
export function nextLink(base: string, path: string, params: URLSearchParams, top: number, skip: number): string {
  const next = new URLSearchParams();
  for (const [name, value] of params) {
    if (!['$top', '$skip'].includes(name.toLowerCase())) next.append(name, value);
  }
  next.set('$top', String(top));
  next.set('$skip', String(skip));
  return `${base}${path}?${next.toString().replace(/\+/g, '%20')}`;
}

import { BadRequest } from '../../errors.js';

/**
 * A namespace-aware XML element, as DAV bodies need it: every name is a (namespace, local) pair and the
 * prefixes the client chose are forgotten. Text is kept between elements (dead property values).
 */
export interface XmlElement {
  ns: string;
  local: string;
  attributes: { ns: string; local: string; value: string }[];
  children: XmlNode[];
}
export type XmlNode = XmlElement | string;

export const DAV_NS = 'DAV:';

/** `{namespace}local`, the usual flat key of a property name. */
export function clark(ns: string, local: string): string {
  return `{${ns}}${local}`;
}

/**
 * Parses a DAV request body. We build our own small tree over `saxes` rather than use a DOM: saxes is a
 * strict well-formedness and namespace checker (an undeclared prefix or `xmlns:p=""` is an error, as the
 * Namespaces spec and litmus want), it keeps no DOM objects alive, and DTDs are refused outright, so no
 * entity expansion can blow up memory. It is imported on first use only, keeping idle memory flat.
 * Malformed XML is a BadRequest (400), as RFC 4918 asks.
 */
export async function parseXml(text: string): Promise<XmlElement> {
  const { SaxesParser } = await import('saxes');
  const parser = new SaxesParser({ xmlns: true, position: false });
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let failure: Error | undefined;
  parser.on('error', (error) => {
    failure ??= error;
  });
  parser.on('doctype', () => {
    failure ??= new Error('a DOCTYPE is not accepted');
  });
  parser.on('opentag', (tag) => {
    const element: XmlElement = {
      ns: tag.uri,
      local: tag.local,
      attributes: Object.values(tag.attributes)
        .filter((a) => a.prefix !== 'xmlns' && a.name !== 'xmlns')
        .map((a) => ({ ns: a.uri, local: a.local, value: a.value })),
      children: [],
    };
    const parent = stack.at(-1);
    if (parent) parent.children.push(element);
    else root = element;
    stack.push(element);
  });
  parser.on('closetag', () => void stack.pop());
  const onText = (value: string) => {
    const parent = stack.at(-1);
    if (parent) parent.children.push(value);
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  try {
    parser.write(text).close();
  } catch (error) {
    failure ??= error as Error;
  }
  if (failure || !root) {
    throw new BadRequest(`the request body is not well-formed XML: ${failure?.message ?? 'no root element'}`);
  }
  return root;
}

/** The child elements of `element`, optionally only those named `{ns}local`. */
export function elements(element: XmlElement, ns?: string, local?: string): XmlElement[] {
  return element.children.filter(
    (c): c is XmlElement =>
      typeof c !== 'string' &&
      (ns === undefined || c.ns === ns) &&
      (local === undefined || c.local === local),
  );
}

/** Whether the element is `{ns}local`. */
export function is(element: XmlElement, ns: string, local: string): boolean {
  return element.ns === ns && element.local === local;
}

/** The text content of an element and its descendants. */
export function textOf(element: XmlElement): string {
  return element.children.map((c) => (typeof c === 'string' ? c : textOf(c))).join('');
}

/** Escapes text for element content and double-quoted attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

/**
 * Writes an element back as self-contained XML: each element's namespace is declared as the default
 * namespace wherever it changes (`xmlns=""` for none), namespaced attributes get local prefixes. The
 * result can be placed in any document that declares no default namespace of its own — our multistatus
 * uses the `D:` prefix only — and reads back as the same names.
 */
export function serializeXml(element: XmlElement, inheritedDefault = ''): string {
  let attrs = element.ns === inheritedDefault ? '' : ` xmlns="${escapeXml(element.ns)}"`;
  element.attributes.forEach((a, i) => {
    if (a.ns === '') attrs += ` ${a.local}="${escapeXml(a.value)}"`;
    else attrs += ` xmlns:a${i}="${escapeXml(a.ns)}" a${i}:${a.local}="${escapeXml(a.value)}"`;
  });
  if (element.children.length === 0) return `<${element.local}${attrs}/>`;
  const inner = element.children
    .map((c) => (typeof c === 'string' ? escapeXml(c) : serializeXml(c, element.ns)))
    .join('');
  return `<${element.local}${attrs}>${inner}</${element.local}>`;
}

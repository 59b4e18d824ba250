/** One content line of a vCard: `[group.]NAME;PARAM=v1,v2:value`, names upper-cased. */
export interface ContentLine {
  group?: string;
  name: string;
  /** Parameter values by upper-cased name; a bare parameter (vCard 2.1 `TEL;HOME:`) counts as TYPE. */
  params: Map<string, string[]>;
  /** The value as written: still escaped, since how to split it depends on the property. */
  value: string;
}

/**
 * The logical lines of a vCard file: folded lines (CRLF or LF then a space or tab) joined, and
 * quoted-printable soft line breaks (`=` at the end of a line, vCard 2.1) joined too.
 */
export function unfold(text: string): string[] {
  const joined = text
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    .replace(/\n[ \t]/g, '');
  const lines: string[] = [];
  let pending = '';
  for (const line of joined.split('\n')) {
    // A quoted-printable value continues on the next line while the line ends with a soft break.
    if (/ENCODING=QUOTED-PRINTABLE/i.test(pending + line) && line.endsWith('=')) {
      pending += line.slice(0, -1);
      continue;
    }
    lines.push(pending + line);
    pending = '';
  }
  if (pending) lines.push(pending);
  return lines.filter((line) => line.trim() !== '');
}

/** Parses one logical line; null when it has no `:` (not a property). Quoted parameter values may hold `:;,`. */
export function parseLine(line: string): ContentLine | null {
  let i = 0;
  const head = (stop: RegExp): string => {
    const start = i;
    while (i < line.length && !stop.test(line[i] as string)) i++;
    return line.slice(start, i);
  };
  const fullName = head(/[;:]/);
  if (i >= line.length) return null;
  const dot = fullName.lastIndexOf('.');
  const group = dot > 0 ? fullName.slice(0, dot) : undefined;
  const name = fullName.slice(dot + 1).toUpperCase();
  const params = new Map<string, string[]>();
  while (line[i] === ';') {
    i++;
    const key = head(/[=;:]/).trim().toUpperCase();
    let values: string[];
    let target = key;
    if (line[i] === '=') {
      i++;
      values = paramValues();
    } else {
      // vCard 2.1 writes bare types: `TEL;HOME;VOICE:`.
      values = key ? [key] : [];
      target = 'TYPE';
    }
    params.set(target, [...(params.get(target) ?? []), ...values]);
  }
  if (line[i] !== ':') return null;
  return { ...(group ? { group } : {}), name, params, value: line.slice(i + 1) };

  function paramValues(): string[] {
    const values: string[] = [];
    for (;;) {
      if (line[i] === '"') {
        const end = line.indexOf('"', i + 1);
        const stop = end < 0 ? line.length : end;
        values.push(line.slice(i + 1, stop));
        i = stop + 1;
      } else {
        values.push(head(/[,;:]/));
      }
      if (line[i] !== ',') return values.filter((v) => v !== '');
      i++;
    }
  }
}

/** Splits an escaped value on a separator not preceded by a backslash (`;` of N and ADR, `,` of lists). */
export function splitEscaped(value: string, separator: ';' | ','): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i] as string;
    if (c === '\\' && i + 1 < value.length) {
      current += c + (value[i + 1] as string);
      i++;
    } else if (c === separator) {
      parts.push(current);
      current = '';
    } else {
      current += c;
    }
  }
  parts.push(current);
  return parts;
}

/** Undoes text escaping: `\n` and `\N` are newlines, `\,` `\;` `\\` their character. */
export function unescapeText(value: string): string {
  return value.replace(/\\([nN,;:\\])/g, (_, c: string) => (c === 'n' || c === 'N' ? '\n' : c));
}

/** Escapes a text value: backslash, newline, and the separators that would split it. */
export function escapeText(value: string, separators = ',;'): string {
  let out = value.replace(/\\/g, '\\\\').replace(/\r?\n/g, '\\n');
  for (const s of separators) out = out.split(s).join(`\\${s}`);
  return out;
}

/** Decodes quoted-printable bytes as UTF-8 (or the CHARSET given, when the browser knows it). */
export function decodeQuotedPrintable(value: string, charset = 'utf-8'): string {
  const bytes: number[] = [];
  for (let i = 0; i < value.length; i++) {
    const hex = value.slice(i + 1, i + 3);
    if (value[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(value.charCodeAt(i) & 0xff);
    }
  }
  try {
    return new TextDecoder(charset).decode(new Uint8Array(bytes));
  } catch {
    return new TextDecoder().decode(new Uint8Array(bytes));
  }
}

/**
 * Folds a content line at 75 octets (RFC 6350 3.2), never inside a UTF-8 character: continuation
 * lines start with a space. Lines end with CRLF.
 */
export function foldLine(line: string): string {
  const encoder = new TextEncoder();
  const out: string[] = [];
  let current = '';
  let size = 0;
  for (const char of line) {
    const width = encoder.encode(char).length;
    const limit = out.length === 0 ? 75 : 74;
    if (size + width > limit) {
      out.push(current);
      current = '';
      size = 0;
    }
    current += char;
    size += width;
  }
  out.push(current);
  return `${out.join('\r\n ')}\r\n`;
}

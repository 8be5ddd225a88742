// console (WHATWG Console §1) with Node/Deno-style formatting: printf-style
// substitutions (Console §2.2 "Formatter") and an object inspector whose
// output follows Node's util.inspect conventions (depth 2, 80 columns).

const kDepth = 2;
const kBreakLength = 80;
// How many innermost nesting levels may be printed on one line.
const kCompact = 3;
const kMaxItems = 100;

const identRe = /^[a-zA-Z_][a-zA-Z_0-9]*$/;

// ---- primitives ----

function quote(s) {
  let q = "'";
  if (s.includes("'")) {
    if (!s.includes('"')) q = '"';
    else if (!s.includes("`") && !s.includes("${")) q = "`";
  }
  const escaped = s.replace(/[\x00-\x1f\x7f\\]/g, (c) => {
    switch (c) {
      case "\n": return "\\n";
      case "\t": return "\\t";
      case "\r": return "\\r";
      case "\b": return "\\b";
      case "\f": return "\\f";
      case "\v": return "\\v";
      case "\\": return "\\\\";
      default: return "\\x" + c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0");
    }
  });
  return q + (q === "'" ? escaped.replace(/'/g, "\\'") : escaped) + q;
}

function formatNumber(n) {
  return Object.is(n, -0) ? "-0" : `${n}`;
}

function formatPrimitive(v) {
  switch (typeof v) {
    case "string": return quote(v);
    case "number": return formatNumber(v);
    case "bigint": return `${v}n`;
    case "symbol": return v.toString();
    default: return `${v}`; // undefined, boolean, null
  }
}

// ---- brand checks that do not trust the object's own properties ----

function hasBrand(method, v) {
  try { Reflect.apply(method, v, []); return true; } catch { return false; }
}
const sizeGetter = (proto) => Object.getOwnPropertyDescriptor(proto, "size").get;
const isMap = (v) => hasBrand(sizeGetter(Map.prototype), v);
const isSet = (v) => hasBrand(sizeGetter(Set.prototype), v);
const isDate = (v) => hasBrand(Date.prototype.getTime, v);
const isRegExp = (v) => hasBrand(Object.getOwnPropertyDescriptor(RegExp.prototype, "source").get, v) && v !== RegExp.prototype;
const isArrayBuffer = (v) => hasBrand(Object.getOwnPropertyDescriptor(ArrayBuffer.prototype, "byteLength").get, v);
const typedArrayProto = Object.getPrototypeOf(Uint8Array.prototype);
const typedArrayTag = Object.getOwnPropertyDescriptor(typedArrayProto, Symbol.toStringTag).get;
const isTypedArray = (v) => typedArrayTag.call(v) !== undefined;
const isError = (v) => v instanceof Error || Object.prototype.toString.call(v) === "[object Error]";

function boxedPrimitive(v) {
  for (const [T, name] of [[Number, "Number"], [String, "String"], [Boolean, "Boolean"], [BigInt, "BigInt"], [Symbol, "Symbol"]]) {
    try {
      return `[${name}: ${formatPrimitive(T.prototype.valueOf.call(v))}]`;
    } catch { /* not this kind */ }
  }
  return null;
}

// Name of the nearest constructor on the prototype chain, or null for a
// null-prototype object.
function constructorName(obj) {
  let o = obj;
  while (o !== null) {
    const desc = Object.getOwnPropertyDescriptor(o, "constructor");
    if (desc !== undefined && typeof desc.value === "function" && desc.value.name !== "") {
      return desc.value.name;
    }
    o = Object.getPrototypeOf(o);
  }
  return null;
}

function prefixFor(obj, fallback, size) {
  const ctor = constructorName(obj);
  let tag = "";
  try { tag = obj[Symbol.toStringTag]; } catch { /* ignore */ }
  if (typeof tag !== "string") tag = "";
  const sz = size === undefined ? "" : `(${size})`;
  if (ctor === null) return `[${fallback}${sz}: null prototype] ` + (tag !== "" ? `[${tag}] ` : "");
  if (tag !== "" && tag !== ctor) return `${ctor}${sz} [${tag}] `;
  return `${ctor}${sz} `;
}

function functionBase(fn) {
  let src = "";
  try { src = Function.prototype.toString.call(fn); } catch { /* ignore */ }
  const name = typeof fn.name === "string" ? fn.name : "";
  if (src.startsWith("class") && /^class[\s{]/.test(src)) {
    const ext = /^class\s*[\w$]*\s+extends\s+([\w$.]+)/.exec(src);
    return `[class ${name || "(anonymous)"}${ext ? ` extends ${ext[1]}` : ""}]`;
  }
  const ctorName = constructorName(fn);
  const kind = ctorName === "AsyncFunction" || ctorName === "GeneratorFunction" ||
    ctorName === "AsyncGeneratorFunction" ? ctorName : "Function";
  return name === "" ? `[${kind} (anonymous)]` : `[${kind}: ${name}]`;
}

// ---- objects ----

function formatKey(key) {
  if (typeof key === "symbol") return `[${key.toString()}]`;
  return identRe.test(key) ? key : quote(key);
}

function formatProperty(ctx, obj, key, depth) {
  const desc = Object.getOwnPropertyDescriptor(obj, key);
  let value;
  if (desc.get !== undefined || desc.set !== undefined) {
    value = desc.get && desc.set ? "[Getter/Setter]" : desc.get ? "[Getter]" : "[Setter]";
  } else {
    ctx.indent += 2;
    value = formatValue(ctx, desc.value, depth + 1);
    ctx.indent -= 2;
  }
  return `${formatKey(key)}: ${value}`;
}

function ownEnumerableKeys(obj, skipIndices) {
  const keys = [];
  for (const key of Reflect.ownKeys(obj)) {
    if (skipIndices && typeof key === "string" && /^(0|[1-9][0-9]*)$/.test(key) && Number(key) < 2 ** 32 - 1) continue;
    const desc = Object.getOwnPropertyDescriptor(obj, key);
    if (desc !== undefined && desc.enumerable) keys.push(key);
  }
  return keys;
}

function formatList(ctx, list, length, depth, formatItem) {
  const out = [];
  let holes = 0;
  const flushHoles = () => {
    if (holes > 0) out.push(`<${holes} empty item${holes > 1 ? "s" : ""}>`);
    holes = 0;
  };
  const shown = Math.min(length, kMaxItems);
  for (let i = 0; i < shown; i++) {
    if (!(i in list)) { holes++; continue; }
    flushHoles();
    ctx.indent += 2;
    out.push(formatItem(list[i]));
    ctx.indent -= 2;
  }
  flushHoles();
  if (length > shown) out.push(`... ${length - shown} more item${length - shown > 1 ? "s" : ""}`);
  return out;
}

function formatValue(ctx, v, depth) {
  if (v === null || (typeof v !== "object" && typeof v !== "function")) return formatPrimitive(v);

  if (ctx.seen.includes(v)) {
    let index = ctx.circular.get(v);
    if (index === undefined) {
      index = ctx.circular.size + 1;
      ctx.circular.set(v, index);
    }
    return `[Circular *${index}]`;
  }

  if (typeof v === "function") {
    const base = functionBase(v);
    const keys = ownEnumerableKeys(v, false);
    if (keys.length === 0) return base;
    return formatObject(ctx, v, depth, base, ["{", "}"], keys, null);
  }

  if (isError(v)) return formatError(ctx, v);

  if (depth > ctx.depth) {
    if (Array.isArray(v)) return "[Array]";
    const ctor = constructorName(v);
    return `[${ctor === null ? "Object: null prototype" : ctor}]`;
  }

  if (Array.isArray(v)) {
    const prefix = constructorName(v) === "Array" ? "" : prefixFor(v, "Array", v.length);
    const items = () => formatList(ctx, v, v.length, depth, (x) => formatValue(ctx, x, depth + 1));
    return formatObject(ctx, v, depth, "", [`${prefix}[`, "]"], ownEnumerableKeys(v, true), items, true);
  }
  if (isTypedArray(v)) {
    const prefix = prefixFor(v, typedArrayTag.call(v), v.length);
    const items = () => formatList(ctx, v, v.length, depth, formatPrimitive);
    return formatObject(ctx, v, depth, "", [`${prefix}[`, "]"], ownEnumerableKeys(v, true), items, true);
  }
  if (isArrayBuffer(v)) {
    const bytes = new Uint8Array(v);
    const hex = Array.from(bytes.subarray(0, 50), (b) => b.toString(16).padStart(2, "0")).join(" ");
    const more = bytes.length > 50 ? ` ... ${bytes.length - 50} more byte${bytes.length - 50 > 1 ? "s" : ""}` : "";
    const items = () => [`[Uint8Contents]: <${hex}${more}>`, `byteLength: ${bytes.length}`];
    return formatObject(ctx, v, depth, "", [`${prefixFor(v, "ArrayBuffer")}{`, "}"], ownEnumerableKeys(v, false), items);
  }
  if (isMap(v)) {
    const size = Map.prototype.entries.call(v);
    const entries = Array.from(size);
    const items = () => formatList(ctx, entries, entries.length, depth,
      ([k, val]) => `${formatValue(ctx, k, depth + 1)} => ${formatValue(ctx, val, depth + 1)}`);
    return formatObject(ctx, v, depth, "", [`${prefixFor(v, "Map", entries.length)}{`, "}"], ownEnumerableKeys(v, false), items);
  }
  if (isSet(v)) {
    const values = Array.from(Set.prototype.values.call(v));
    const items = () => formatList(ctx, values, values.length, depth, (x) => formatValue(ctx, x, depth + 1));
    return formatObject(ctx, v, depth, "", [`${prefixFor(v, "Set", values.length)}{`, "}"], ownEnumerableKeys(v, false), items, true);
  }

  let keys = ownEnumerableKeys(v, false);
  let base = "";
  if (isDate(v)) {
    const t = Date.prototype.getTime.call(v);
    base = Number.isNaN(t) ? "Invalid Date" : Date.prototype.toISOString.call(v);
  } else if (isRegExp(v)) {
    base = RegExp.prototype.toString.call(v);
  } else {
    base = boxedPrimitive(v) ?? "";
    // A String wrapper's index properties are its characters, already shown.
    if (base.startsWith("[String:")) keys = ownEnumerableKeys(v, true);
  }
  if (base !== "") {
    if (keys.length === 0) return base;
    return formatObject(ctx, v, depth, base, ["{", "}"], keys, null);
  }
  if (v instanceof Promise) {
    return formatObject(ctx, v, depth, "", [`${prefixFor(v, "Promise")}{`, "}"], keys, null);
  }
  if (v instanceof WeakMap || v instanceof WeakSet) {
    return `${prefixFor(v, "Object")}{ <items unknown> }`;
  }
  const prefix = prefixFor(v, "Object");
  return formatObject(ctx, v, depth, "", [prefix === "Object " ? "{" : `${prefix}{`, "}"], keys, null);
}

function formatError(ctx, err) {
  let stack;
  try { stack = err.stack; } catch { /* ignore */ }
  if (typeof stack !== "string" || stack === "") {
    try { stack = Error.prototype.toString.call(err); } catch { stack = "[Error]"; }
  }
  // Nested errors keep their stack lines aligned with the surrounding object.
  if (ctx.indent > 0) stack = stack.split("\n").join("\n" + " ".repeat(ctx.indent));
  return stack;
}

// Formats entries (from `items`) plus own enumerable keys, then lays them
// out on one line or several.
function formatObject(ctx, obj, depth, base, braces, keys, items, isArrayLike = false) {
  ctx.seen.push(obj);
  ctx.currentDepth = depth;
  let output;
  try {
    output = items === null ? [] : items();
    for (const key of keys) output.push(formatProperty(ctx, obj, key, depth));
  } finally {
    ctx.seen.pop();
  }
  const ref = ctx.circular.get(obj);
  if (ref !== undefined) base = base === "" ? `<ref *${ref}>` : `<ref *${ref}> ${base}`;
  if (output.length === 0 && base !== "" && braces[0] === "{") return base;
  if (output.length === 0) return `${base === "" ? "" : base + " "}${braces[0]}${braces[1]}`;
  return layout(ctx, output, base, braces, depth, isArrayLike ? obj : undefined, isArrayLike);
}

// Column layout for long arrays of short items: aim for a roughly square
// block (items are ~2.5x taller than wide), at most 15 columns and never past
// the line width. Numbers are right-aligned, everything else left-aligned.
function groupItems(ctx, output, value) {
  let count = output.length;
  let tail = null;
  if (output[count - 1].startsWith("... ") && output[count - 1].includes(" more item")) {
    tail = output[count - 1];
    count--;
  }
  const lengths = output.slice(0, count).map((s) => s.length);
  const maxLen = Math.max(...lengths);
  const cell = maxLen + 2; // ", " separator
  const total = lengths.reduce((a, b) => a + b, 0) + 2 * count;
  if (!(cell * 3 + ctx.indent < kBreakLength && (total / cell > 5 || maxLen <= 6))) return output;
  const bias = Math.sqrt(cell - total / output.length);
  const biased = Math.max(cell - 3 - bias, 1);
  const columns = Math.min(
    Math.round(Math.sqrt(2.5 * biased * count) / biased),
    Math.floor((kBreakLength - ctx.indent) / cell),
    kCompact * 4,
    15,
  );
  if (columns <= 1) return output;
  const widths = [];
  for (let c = 0; c < columns; c++) {
    let w = 0;
    for (let i = c; i < count; i += columns) w = Math.max(w, lengths[i]);
    widths.push(w + 2);
  }
  const numeric = value !== undefined && Array.from({ length: count }, (_, i) => value[i])
    .every((x) => typeof x === "number" || typeof x === "bigint");
  const rows = [];
  for (let i = 0; i < count; i += columns) {
    const end = Math.min(i + columns, count);
    let row = "";
    for (let j = i; j < end; j++) {
      const last = j === end - 1;
      const cellText = last ? output[j] : `${output[j]}, `;
      const width = last ? widths[j - i] - 2 : widths[j - i];
      row += numeric ? cellText.padStart(width) : (last ? cellText : cellText.padEnd(width));
    }
    rows.push(row);
  }
  if (tail !== null) rows.push(tail);
  return rows;
}

function layout(ctx, output, base, braces, depth, value, isArrayLike) {
  const entries = output.length;
  if (isArrayLike && entries > 6) output = groupItems(ctx, output, value);
  // Only the innermost kCompact levels may be collapsed onto one line.
  if (ctx.currentDepth - depth < kCompact && entries === output.length) {
    const start = output.length + ctx.indent + braces[0].length + base.length + 10;
    const total = output.reduce((n, s) => n + s.length, start + output.length);
    if (total <= kBreakLength && !output.some((s) => s.includes("\n")) && !base.includes("\n")) {
      return `${base === "" ? "" : base + " "}${braces[0]} ${output.join(", ")} ${braces[1]}`;
    }
  }
  const nl = "\n" + " ".repeat(ctx.indent);
  return `${base === "" ? "" : base + " "}${braces[0]}${nl}  ${output.join(`,${nl}  `)}${nl}${braces[1]}`;
}

function inspect(value, options = {}) {
  const ctx = {
    seen: [], circular: new Map(), indent: 0, currentDepth: 0,
    depth: options.depth === undefined ? kDepth : options.depth === null ? Infinity : options.depth,
  };
  return formatValue(ctx, value, 0);
}

// ---- format string substitution (Console §2.2) ----

const builtinToStrings = [Object.prototype.toString, Array.prototype.toString, Error.prototype.toString,
  Date.prototype.toString, RegExp.prototype.toString];

function formatArgs(args) {
  if (args.length === 0) return "";
  let out = "";
  let rest = 0;
  const first = args[0];
  if (typeof first === "string" && args.length > 1 && first.includes("%")) {
    let next = 1;
    let last = 0;
    for (let i = 0; i < first.length - 1; i++) {
      if (first[i] !== "%") continue;
      const c = first[i + 1];
      let rep;
      if (c === "%") {
        rep = "%";
      } else if (next < args.length && "sdifjoOc".includes(c)) {
        const a = args[next++];
        switch (c) {
          case "s":
            if (typeof a === "bigint") rep = `${a}n`;
            else if (typeof a === "symbol") rep = a.toString();
            else if (a !== null && typeof a === "object") {
              rep = builtinToStrings.includes(a.toString) || isError(a) ? inspect(a, { depth: 0 }) : `${a}`;
            } else rep = typeof a === "function" ? inspect(a) : `${a}`;
            break;
          case "d":
            rep = typeof a === "bigint" ? `${a}n` : typeof a === "symbol" ? "NaN" : formatNumber(Number(a));
            break;
          case "i":
            rep = typeof a === "bigint" ? `${a}n` : typeof a === "symbol" ? "NaN" : formatNumber(parseInt(a));
            break;
          case "f":
            rep = typeof a === "symbol" ? "NaN" : formatNumber(parseFloat(a));
            break;
          case "j":
            try { rep = JSON.stringify(a); } catch { rep = "[Circular]"; }
            break;
          case "o":
            rep = inspect(a, { depth: 4 });
            break;
          case "O":
            rep = inspect(a);
            break;
          case "c":
            rep = ""; // CSS styling has no meaning on a terminal.
            break;
        }
      } else {
        continue;
      }
      out += first.slice(last, i) + rep;
      last = i + 2;
      i++;
    }
    out += first.slice(last);
    rest = next;
  } else {
    out = typeof first === "string" ? first : inspect(first);
    rest = 1;
  }
  for (let i = rest; i < args.length; i++) {
    const a = args[i];
    out += " " + (typeof a === "string" ? a : inspect(a));
  }
  return out;
}

// ---- console namespace ----

let groupIndent = "";
const timers = new Map();
const counts = new Map();

// `level` is the console method's kind: "log", "info", "debug", "warn" or
// "error" (Rust prints warn/error to stderr, or records it in a trace).
function print(text, level) {
  const s = groupIndent === "" ? text : groupIndent + text.split("\n").join("\n" + groupIndent);
  ops.print(s, level);
}

function label(l) { return l === undefined ? "default" : `${l}`; }

function renderTable(data) {
  const rows = [];
  const columns = [];
  let hasValues = false;
  const keys = isMap(data) ? Array.from(Map.prototype.keys.call(data)) : Object.keys(data);
  const getRow = (k) => (isMap(data) ? Map.prototype.get.call(data, k) : data[k]);
  for (const k of keys) {
    const row = getRow(k);
    const cells = new Map();
    if (row !== null && typeof row === "object") {
      for (const c of Object.keys(row)) {
        if (!columns.includes(c)) columns.push(c);
        cells.set(c, inspect(row[c], { depth: 1 }));
      }
    } else {
      hasValues = true;
      cells.set("\0value", formatPrimitive(row));
    }
    rows.push([typeof k === "string" ? k : inspect(k), cells]);
  }
  const header = ["(index)", ...columns, ...(hasValues ? ["Values"] : [])];
  const ids = [null, ...columns, ...(hasValues ? ["\0value"] : [])];
  const body = rows.map(([k, cells]) => ids.map((id) => (id === null ? k : cells.get(id) ?? "")));
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)) + 2);
  const line = (l, m, r) => l + widths.map((w) => "─".repeat(w)).join(m) + r;
  const fmtRow = (cells) => "│" + cells.map((c, i) => ` ${c.padEnd(widths[i] - 1)}`).join("│") + "│";
  return [line("┌", "┬", "┐"), fmtRow(header), line("├", "┼", "┤"), ...body.map(fmtRow), line("└", "┴", "┘")].join("\n");
}

const console = {
  log(...args) { print(formatArgs(args), "log"); },
  info(...args) { print(formatArgs(args), "info"); },
  debug(...args) { print(formatArgs(args), "debug"); },
  dirxml(...args) { print(formatArgs(args), "log"); },
  warn(...args) { print(formatArgs(args), "warn"); },
  error(...args) { print(formatArgs(args), "error"); },
  trace(...args) {
    const stack = (new Error().stack ?? "").split("\n").slice(2).join("\n");
    print(`Trace${args.length > 0 ? ": " + formatArgs(args) : ""}${stack === "" ? "" : "\n" + stack}`, "error");
  },
  assert(condition = false, ...args) {
    if (condition) return;
    if (args.length === 0) print("Assertion failed", "error");
    else if (typeof args[0] === "string") print(formatArgs([`Assertion failed: ${args[0]}`, ...args.slice(1)]), "error");
    else print(formatArgs(["Assertion failed:", ...args]), "error");
  },
  dir(item, options = undefined) {
    const depth = options !== null && typeof options === "object" && "depth" in options ? options.depth : undefined;
    print(inspect(item, { depth }), "log");
  },
  table(data, properties = undefined) {
    if (data === null || typeof data !== "object") return console.log(data);
    void properties;
    print(renderTable(data), "log");
  },
  time(l = undefined) {
    const name = label(l);
    if (timers.has(name)) return print(`Warning: Label '${name}' already exists for console.time()`, "error");
    timers.set(name, Date.now());
  },
  timeLog(l = undefined, ...data) {
    const name = label(l);
    if (!timers.has(name)) return print(`Warning: No such label '${name}' for console.timeLog()`, "error");
    const extra = data.length > 0 ? " " + formatArgs(data) : "";
    print(`${name}: ${(Date.now() - timers.get(name)).toFixed(3)}ms${extra}`, "log");
  },
  timeEnd(l = undefined) {
    const name = label(l);
    if (!timers.has(name)) return print(`Warning: No such label '${name}' for console.timeEnd()`, "error");
    print(`${name}: ${(Date.now() - timers.get(name)).toFixed(3)}ms`, "log");
    timers.delete(name);
  },
  count(l = undefined) {
    const name = label(l);
    const n = (counts.get(name) ?? 0) + 1;
    counts.set(name, n);
    print(`${name}: ${n}`, "log");
  },
  countReset(l = undefined) {
    const name = label(l);
    if (!counts.has(name)) return print(`Warning: Count for '${name}' does not exist`, "error");
    counts.set(name, 0);
  },
  group(...args) {
    if (args.length > 0) print(formatArgs(args), "log");
    groupIndent += "  ";
  },
  groupCollapsed(...args) { console.group(...args); },
  groupEnd() { groupIndent = groupIndent.slice(0, -2); },
  clear() {},
};

// WebIDL §3.13 namespace members: writable, enumerable, configurable.
Object.defineProperty(console, Symbol.toStringTag, { value: "console", configurable: true });

internals.console = console;
internals.inspect = inspect;
internals.formatArgs = formatArgs;

// A reply's tool calls as collapsed steps (a <details> each: the tool's name and a short summary; open, its arguments
// and result as text), in the order they ran. Two shapes hold them:
// - Hearth's own: the message's `tool_calls` (OpenAI's calls, as the model made them) and `tool_results` (one per
//   call, appended in the same order, so they pair by position: some models give every round's call the same id).
//   The tool loop runs before the answer is written, so these steps go above the reply's text.
// - Open WebUI's `<details type="tool_calls" name=… arguments=… result=…>` blocks inside `content` (its web client's
//   chats, imports), whose attribute values are HTML-escaped JSON: each is drawn where it stands in the text.
// Everything read from either goes into the page as text, never as HTML. Open WebUI's other two kinds of block, a
// model's thinking (`type="reasoning"`) and code it ran (`type="code_interpreter"`, with its `output`), which Hearth's
// imports write too, are collapsed the same way, their inner Markdown drawn as a reply's is.

import { element } from './dom.js';

/** The steps of Hearth's `tool_calls`/`tool_results`, in the order they ran. */
export function toolSteps(message) {
  const calls = Array.isArray(message.tool_calls) ? message.tool_calls : [];
  const results = Array.isArray(message.tool_results) ? message.tool_results : [];
  return calls.filter(call => call && typeof call === 'object').map((call, index) => {
    const result = results[index] && typeof results[index] === 'object' ? results[index] : null;
    const fn = call.function || {};
    return {
      name: text(fn.name) || text(result && result.name) || 'tool',
      arguments: fn.arguments,
      result: result ? text(result.content) : null,
      error: Boolean(result && result.error),
      files: result && Array.isArray(result.files) ? result.files : [],
      done: result !== null,
      // A call the reply ended without (it was stopped, or failed, while the tool ran) is not running any more.
      cut: result === null && message.done !== false,
    };
  });
}

const OPEN = '<details';
const CLOSE = '</details>';
// One attribute at a time from where the last ended (sticky), so a malformed tag costs one pass, never a search.
const ATTRIBUTE = /\s*([\w:-]+)\s*=\s*"([^"]*)"/y;

/**
 * Content split into Markdown text, Open WebUI's tool-call blocks and its thinking and code blocks:
 * [{text}|{step}|{block}], in order. Attribute values are
 * escaped, so a block's opening tag holds no '>', and blocks do not nest. Model output is untrusted, so this is a
 * single pass with indexOf (a lazy regular expression over many unclosed tags would take quadratic time).
 */
export function splitContent(content) {
  const parts = [];
  let last = 0;
  // The next '>' and the next closing tag, searched again only once passed: each is found in one pass overall.
  let open = -1;
  let close = -1;
  let at = content.indexOf(OPEN);
  while (at !== -1) {
    const following = content.indexOf(OPEN, at + 1);
    if (open < at) {
      open = content.indexOf('>', at);
    }
    if (open === -1) {
      break;
    }
    if (close < open) {
      close = content.indexOf(CLOSE, open);
    }
    if (close === -1) {
      break; // no whole block from here on
    }
    // An escaped attribute holds no '<': a tag with another "<details" before its '>' is no block, and is skipped
    // unread, so a text of many such tags costs one pass.
    const attributes = following !== -1 && following < open ? {} : attributesOf(content.slice(at + OPEN.length, open));
    if (!KINDS.has(attributes.type)) {
      at = following;
      continue;
    }
    if (at > last) {
      parts.push({ text: content.slice(last, at) });
    }
    parts.push(attributes.type === 'tool_calls'
      ? { step: fromBlock(attributes) }
      : { block: innerBlock(attributes, content.slice(open + 1, close)) });
    last = close + CLOSE.length;
    // The line the block ends stays with it, so the text after starts a paragraph of its own.
    const newline = /^[ \t]*\n?/.exec(content.slice(last, last + 64));
    last += newline[0].length;
    at = content.indexOf(OPEN, last);
  }
  if (last < content.length || parts.length === 0) {
    parts.push({ text: content.slice(last) });
  }
  return parts;
}

const KINDS = new Set(['tool_calls', 'reasoning', 'code_interpreter']);
const SUMMARY = /^\s*<summary>[\s\S]*?<\/summary>\s*/;

/** A thinking or code block: its kind, whether it is done, and its Markdown without the summary line (and thinking unquoted). */
function innerBlock(attributes, inner) {
  let body = inner.replace(SUMMARY, '');
  if (attributes.type === 'reasoning') {
    body = body.split('\n').map(line => line.replace(/^> ?/, '')).join('\n');
  }
  const output = json(attributes.output);
  return {
    type: attributes.type,
    done: attributes.done !== 'false',
    duration: Number.parseInt(attributes.duration, 10),
    body: body.trim(),
    output: output && typeof output === 'object'
      ? ['stdout', 'stderr', 'result'].map(key => text(output[key])).filter(Boolean).join('\n')
      : text(output),
  };
}

/** A thinking or code block, collapsed: what it is on its summary line; opened, its Markdown (drawn by `draw`) and output. */
export function blockElement(block, draw) {
  const details = element('details', `tool-step ${block.type === 'reasoning' ? 'thought' : 'code-run'}`);
  const summary = element('summary');
  const label = block.type === 'reasoning'
    ? (!block.done ? 'Thinking…' : Number.isFinite(block.duration) ? `Thought for ${block.duration} second${block.duration === 1 ? '' : 's'}` : 'Thoughts')
    : (block.done ? 'Analyzed' : 'Analyzing…');
  summary.append(element('span', 'step-name', label));
  const body = element('div', 'step-body');
  const markdown = element('div', 'step-markdown');
  markdown.append(draw(block.body));
  body.append(markdown);
  if (block.output) {
    body.append(element('p', 'step-label', 'Output'), code(block.output));
  }
  details.append(summary, body);
  return details;
}

function attributesOf(tag) {
  const attributes = {};
  ATTRIBUTE.lastIndex = 0;
  for (let match = ATTRIBUTE.exec(tag); match; match = ATTRIBUTE.exec(tag)) {
    attributes[match[1]] = unescape(match[2]);
  }
  return attributes;
}

function fromBlock(attributes) {
  const result = json(attributes.result);
  const files = json(attributes.files);
  return {
    name: attributes.name || 'tool',
    arguments: json(attributes.arguments),
    result: result === undefined ? null : typeof result === 'string' ? result : JSON.stringify(result, null, 2),
    error: attributes.error === 'true',
    files: Array.isArray(files) ? files : [],
    done: attributes.done !== 'false',
  };
}

/** The list of a message's steps (Hearth's shape), or null when it has none. */
export function stepList(steps) {
  if (steps.length === 0) {
    return null;
  }
  const list = element('ol', 'tool-steps');
  list.setAttribute('aria-label', 'Tool calls');
  list.append(...steps.map(step => {
    const li = element('li');
    li.append(stepElement(step));
    return li;
  }));
  return list;
}

/** One step, collapsed: the tool's name and what came of it; opened, the arguments and the result. */
export function stepElement(step) {
  const details = element('details', 'tool-step');
  details.classList.toggle('failed', step.error);
  const summary = element('summary');
  // The space keeps the name and the summary apart for a screen reader (the flex layout spaces them on screen).
  summary.append(element('span', 'step-name', step.name), ' ', element('span', 'step-summary', summaryOf(step)));
  const body = element('div', 'step-body');
  const pairs = argumentsOf(step.arguments);
  if (pairs.length) {
    const args = element('dl', 'step-arguments');
    for (const [key, value] of pairs) {
      const dd = element('dd');
      dd.append(code(value));
      args.append(element('dt', '', key), dd);
    }
    body.append(element('p', 'step-label', 'Arguments'), args);
  }
  if (step.result !== null) {
    body.append(element('p', 'step-label', step.error ? 'Error' : 'Result'), code(step.result));
  }
  const names = step.files.filter(file => file && typeof file === 'object')
    .map(file => text(file.name) + (text(file.error) ? ` (${text(file.error)})` : ''));
  if (names.length) {
    body.append(element('p', 'step-files', 'Files: ' + names.join(', ')));
  }
  details.append(summary, body);
  return details;
}

function summaryOf(step) {
  if (!step.done) {
    return step.cut ? 'did not finish' : 'running…';
  }
  const first = (step.result || '').split('\n').map(line => line.trim()).find(Boolean) || '';
  const short = first.length > 80 ? first.slice(0, 79).trimEnd() + '…' : first;
  const files = step.files.length ? `${step.files.length} file${step.files.length === 1 ? '' : 's'}` : '';
  const parts = [step.error ? 'failed' + (short ? ': ' + short : '') : short, files].filter(Boolean);
  return parts.join(' · ') || 'done';
}

/** Arguments as [name, text] pairs: an object's values one by one (strings as written, so code reads as code). */
function argumentsOf(raw) {
  let value = raw;
  if (typeof value === 'string') {
    if (!value.trim()) {
      return [];
    }
    try {
      value = JSON.parse(value);
    } catch {
      return [['arguments', raw]];
    }
  }
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    return Object.entries(value).map(([key, v]) => [key, typeof v === 'string' ? v : JSON.stringify(v, null, 2)]);
  }
  return value === undefined || value === null ? [] : [['arguments', JSON.stringify(value, null, 2)]];
}

function code(value) {
  const pre = element('pre');
  pre.append(element('code', '', value));
  return pre;
}

function json(value) {
  if (typeof value !== 'string' || value === '') {
    return undefined;
  }
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

const entities = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** HTML character references in an attribute value, decoded as text (never parsed as HTML). */
function unescape(value) {
  return value.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (whole, name) => {
    if (name[0] === '#') {
      const point = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return point > 0 && point <= 0x10ffff ? String.fromCodePoint(point) : whole;
    }
    return entities[name.toLowerCase()] ?? whole;
  });
}

const text = value => (typeof value === 'string' ? value : '');

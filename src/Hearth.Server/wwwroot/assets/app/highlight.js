// Syntax colouring for code blocks in replies: one regular expression per language family whose named groups
// (comment, string, keyword, number, tag, attr, key) become <span class="tok-…">, the same classes and families as the
// server's CodeHighlighter. It builds text nodes, never HTML, so code cannot become markup.

const NUMBER = String.raw`(?<number>\b(?:0[xX][0-9a-fA-F]+|\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)\b)`;
const DQ = String.raw`"(?:[^"\\\n]|\\.)*"`;
const SQ = String.raw`'(?:[^'\\\n]|\\.)*'`;

const words = (comment, strings, keywords) =>
  new RegExp(`(?<comment>${comment})|(?<string>${strings})|(?<keyword>\\b(?:${keywords.split(' ').join('|')})\\b)|${NUMBER}`, 'gm');

const families = {
  python: words('#.*$', String.raw`(?:[rbfuRBFU]{0,2})(?:"""[\s\S]*?"""|'''[\s\S]*?'''|${DQ}|${SQ})`,
    'False None True and as assert async await break class continue def del elif else except finally for from global if import in ' +
    'is lambda nonlocal not or pass raise return try while with yield self print'),
  script: words(String.raw`//.*$|/\*[\s\S]*?\*/`, String.raw`\`(?:[^\`\\]|\\.)*\`|${DQ}|${SQ}`,
    'async await break case catch class const continue default delete do else export extends false finally for function if import ' +
    'from in instanceof let new null return super switch this throw true try typeof undefined var void while yield interface type ' +
    'enum implements public private protected readonly as of'),
  clike: words(String.raw`//.*$|/\*[\s\S]*?\*/`, `${DQ}|${SQ}`,
    'abstract async await bool break case catch char class const continue default do double else enum extern false final finally ' +
    'float fn for func go if impl import int interface let long match mod mut namespace new null nil package private protected ' +
    'public return self static string struct super switch this throw true try type typedef unsigned using var void while'),
  json: new RegExp(`(?<key>${DQ})(?=\\s*:)|(?<string>${DQ})|(?<keyword>\\b(?:true|false|null)\\b)|${NUMBER}`, 'gm'),
  yaml: new RegExp(`(?<comment>#.*$)|(?<key>^[ \\t-]*[\\w.-]+)(?=\\s*:)|(?<string>${DQ}|${SQ})|(?<keyword>\\b(?:true|false|null|yes|no)\\b)|${NUMBER}`, 'gm'),
  markup: /(?<comment><!--[\s\S]*?-->)|(?<tag><\/?[\w:-]+|\/?>)|(?<attr>\b[\w:-]+)(?==)|(?<string>"[^"]*"|'[^']*')/gm,
  css: new RegExp(`(?<comment>/\\*[\\s\\S]*?\\*/)|(?<string>${DQ}|${SQ})|(?<key>[\\w-]+)(?=\\s*:[^{]*;)|(?<keyword>@[\\w-]+|![\\w]+)|` +
    String.raw`(?<number>#[0-9a-fA-F]{3,8}\b|\b\d+(?:\.\d+)?(?:px|em|rem|%|vh|vw|s|ms)?\b)`, 'gm'),
  sql: new RegExp(`(?<comment>--.*$|/\\*[\\s\\S]*?\\*/)|(?<string>${SQ})|(?<keyword>\\b(?:select|from|where|insert|into|values|update|set|` +
    'delete|create|table|index|drop|alter|join|left|right|inner|outer|on|group|by|order|having|limit|offset|and|or|not|null|is|in|as|' +
    `distinct|primary|key|references|union|all|case|when|then|else|end|exists|default|integer|text|varchar|boolean)\\b)|${NUMBER}`, 'gmi'),
  shell: words('(?<![\\w$])#.*$', `${DQ}|${SQ}`,
    'if then else elif fi for while do done case esac function in return local export echo set exit cd'),
  markdown: /(?<keyword>^#{1,6} .*$)|(?<string>`[^`\n]+`)|(?<comment>^>.*$)|(?<key>\*\*[^*\n]+\*\*)/gm,
};

const aliases = {
  python: 'python', py: 'python', javascript: 'script', js: 'script', mjs: 'script', jsx: 'script', typescript: 'script', ts: 'script',
  tsx: 'script', c: 'clike', h: 'clike', cpp: 'clike', 'c++': 'clike', cs: 'clike', csharp: 'clike', java: 'clike', kotlin: 'clike',
  go: 'clike', rust: 'clike', rs: 'clike', swift: 'clike', php: 'clike', json: 'json', yaml: 'yaml', yml: 'yaml', html: 'markup',
  xml: 'markup', svg: 'markup', vue: 'markup', css: 'css', scss: 'css', sql: 'sql', sh: 'shell', bash: 'shell', shell: 'shell',
  zsh: 'shell', console: 'shell', markdown: 'markdown', md: 'markdown',
};

/** The code as a fragment of text nodes and token spans (plain text for a language it does not know). */
export function highlight(code, language) {
  const fragment = document.createDocumentFragment();
  const pattern = families[aliases[(language || '').toLowerCase()]];
  if (!pattern) {
    fragment.append(code);
    return fragment;
  }
  pattern.lastIndex = 0;
  let last = 0;
  for (const match of code.matchAll(pattern)) {
    const group = Object.keys(match.groups).find(name => match.groups[name] !== undefined);
    if (!group || match[0].length === 0) {
      continue;
    }
    const span = document.createElement('span');
    span.className = 'tok-' + group;
    span.textContent = match[0];
    fragment.append(code.slice(last, match.index), span);
    last = match.index + match[0].length;
  }
  fragment.append(code.slice(last));
  return fragment;
}

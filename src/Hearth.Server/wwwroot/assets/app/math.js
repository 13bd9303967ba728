// LaTeX math in replies. marked finds it (so never inside code, and before emphasis takes its underscores and
// asterisks); each piece becomes a placeholder holding its source as text, and KaTeX (vendor/katex, loaded by
// import() the first time a reply has math) replaces the placeholders' contents with MathML. MathML, not KaTeX's
// HTML: the page's CSP (style-src 'self') refuses the style attributes KaTeX's HTML output depends on, and Chromium
// draws MathML itself, without KaTeX's stylesheet and fonts. KaTeX's output goes through DOMPurify too.

import { importOnDemand } from './ondemand.js';

// $...$: something other than a space just inside each $, and no digit right after the closing one ("costs $5 and
// $10" stays text). Backslash pairs are taken whole, so \$ does not close.
const inlineDollar = /^\$(?![\s$])((?:\\[\s\S]|[^\\$])+?)(?<!\s)\$(?!\d)/;
const inlineParen = /^\\\(([\s\S]+?)\\\)/;
const inlineDisplay = /^(?:\$\$((?:\\[\s\S]|[^\\$])+?)\$\$|\\\[([\s\S]+?)\\\])/;
const blockDisplay = /^ {0,3}(?:\$\$((?:\\[\s\S]|[^\\$])+?)\$\$|\\\[([\s\S]+?)\\\])[ \t]*(?:\n+|$)/;

/** marked's extensions: display math as a block of its own, inline and display math within a paragraph. */
export function mathExtensions(escape) {
  const placeholder = (tag, text, display) =>
    `<${tag} class="math-tex${display ? ' math-display' : ''}">${escape(text.trim())}</${tag}>`;
  return [
    {
      name: 'mathBlock',
      level: 'block',
      start: src => src.match(/^ {0,3}(?:\$\$|\\\[)/m)?.index,
      tokenizer(src) {
        const match = blockDisplay.exec(src);
        return match ? { type: 'mathBlock', raw: match[0], text: match[1] ?? match[2] } : undefined;
      },
      renderer: token => placeholder('div', token.text, true) + '\n',
    },
    {
      name: 'mathInline',
      level: 'inline',
      start: src => src.match(/\$|\\[([]/)?.index,
      tokenizer(src) {
        let match = inlineDisplay.exec(src);
        if (match) {
          return { type: 'mathInline', raw: match[0], text: match[1] ?? match[2], display: true };
        }
        match = inlineDollar.exec(src) || inlineParen.exec(src);
        return match ? { type: 'mathInline', raw: match[0], text: match[1], display: false } : undefined;
      },
      renderer: token => placeholder('span', token.text, token.display),
    },
  ];
}

// Limits, so a hostile expression cannot hang the tab: sizes in em, macro expansions, and the source's length.
// trust stays false: \href, \url, \htmlClass and the like are drawn as their names, never as links or attributes.
const katexOptions = {
  output: 'mathml', throwOnError: true, trust: false, strict: 'ignore', maxSize: 20, maxExpand: 300,
};
const longest = 4000;
const mathPurify = {
  RETURN_DOM_FRAGMENT: true,
  FORBID_ATTR: ['style', 'id', 'name', 'href'],
  // The TeX source KaTeX keeps in <annotation>: DOMPurify drops <semantics> and would show the source as text.
  ADD_FORBID_CONTENTS: ['annotation'],
};
const drawn = new Map();
let loading;

/** Draws the placeholders (once KaTeX has loaded; they show their source until then, and if it cannot load). */
export function typeset(placeholders, purify) {
  loading ??= importOnDemand('./vendor/katex/katex.mjs').then(module => module.default);
  loading.then(katex => placeholders.forEach(element => draw(katex, purify, element)), () => { loading = undefined; });
}

function draw(katex, purify, element) {
  const display = element.classList.contains('math-display');
  const source = element.textContent;
  const key = `${display ? 'D' : 'I'}${source}`;
  let fragment = drawn.get(key);
  if (!fragment) {
    fragment = mathml(katex, purify, source, display);
    if (drawn.size > 500) {
      drawn.clear();
    }
    drawn.set(key, fragment);
  }
  element.replaceChildren(fragment.cloneNode(true));
  element.classList.add('math-drawn');
}

// Bad LaTeX shows its source, with KaTeX's message as the title. Made here rather than by throwOnError: false,
// whose error span carries a style attribute, which the CSP reports even in DOMPurify's unrendered document.
function mathml(katex, purify, source, display) {
  try {
    if (source.length > longest) {
      throw new Error('Too long to draw');
    }
    return purify.sanitize(katex.renderToString(source, { ...katexOptions, displayMode: display }), mathPurify);
  } catch (error) {
    const span = document.createElement('span');
    span.className = 'katex-error';
    span.title = String(error?.message || error);
    span.textContent = source;
    const fragment = document.createDocumentFragment();
    fragment.append(span);
    return fragment;
  }
}

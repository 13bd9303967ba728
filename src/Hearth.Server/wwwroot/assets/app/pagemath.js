// Math on the server-drawn conversation pages (/c/…, /s/…), which include this module only when a message has math:
// the server marks each expression as the app's Markdown does (.math-tex, its source as text), and KaTeX draws them.
import DOMPurify from './vendor/purify.es.mjs';
import { typeset } from './math.js';

typeset([...document.querySelectorAll('.markdown .math-tex')], DOMPurify);

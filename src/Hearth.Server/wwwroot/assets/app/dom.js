// The one way the app's modules make an element: text always goes in as text, never as markup.

/** A new element with an optional class and text content. */
export function element(tag, className, text) {
  const e = document.createElement(tag);
  if (className) {
    e.className = className;
  }
  if (text !== undefined) {
    e.textContent = text;
  }
  return e;
}

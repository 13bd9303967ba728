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

/** A person (or group) in a list: the name, and under it what tells them apart (an email, "Group"). */
export function personLabel(name, detail) {
  const who = element('div', 'user-who');
  who.append(element('span', 'user-name', name), element('span', 'user-email', detail));
  return who;
}

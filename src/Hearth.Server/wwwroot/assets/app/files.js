// The artifact files a message lists in its `files` (what its tools made, what an import attached: Hearth writes each
// as {type, id, name, url, size, content_type, artifact}) as cards under it: an image as its own thumbnail, any other
// kind as a badge, with its name and size, a link to the gallery's preview of it (/artifacts?open={chat}/{artifact},
// the preview's own address) and a download link. Drawn from the stored message, so they are there after a reload.
// Names go in as text; only the file's own URL (on Hearth, checked below) is used as a link or an image.

import { element } from './dom.js';

// Ids are letters, digits, - and _ (chat ids and artifact ids are UUIDs): a stored URL is untrusted (anyone who can
// write a chat someone opens could plant `..\` in it, and a browser reads `\` as `/`), so it only names the two
// ids, and the URL used is rebuilt from them.
const ARTIFACT = /^\/api\/conversations\/([A-Za-z0-9_-]+)\/artifacts\/([A-Za-z0-9_-]+)$/;
const IMAGE = /\.(png|jpe?g|gif|svg|webp)$/i;
const HTML = /\.(html?|xhtml)$/i;
const CODE = /\.(py|pyw|ipynb|[cm]?js|jsx|[m]?ts|tsx|jsonl?|ya?ml|xml|xsd|xsl|css|sql|md|markdown|sh|bash|zsh)$/i;
const LABELS = { images: 'Image', html: 'HTML', code: 'Code', files: 'File' };

/** The cards of a message's artifact files, or null when it has none. */
export function fileCards(message) {
  const files = (Array.isArray(message.files) ? message.files : [])
    .filter(file => file && typeof file.url === 'string' && ARTIFACT.test(file.url));
  if (files.length === 0) {
    return null;
  }
  const list = element('ul', 'file-cards');
  list.setAttribute('aria-label', 'Files');
  list.append(...files.map(card));
  return list;
}

/** The addresses of a message's HTML files as the artifacts panel runs them (/c/{chat}/files/{artifact}), in order. */
export function panelFiles(message) {
  return (Array.isArray(message.files) ? message.files : [])
    .filter(file => file && typeof file.url === 'string' && ARTIFACT.test(file.url))
    .filter(file => kindOf(file, typeof file.name === 'string' && file.name ? file.name : 'file') === 'html')
    .map(file => panelAddress(...ARTIFACT.exec(file.url).slice(1)));
}

const panelAddress = (chatId, artifactId) => `/c/${encodeURIComponent(chatId)}/files/${encodeURIComponent(artifactId)}`;

function card(file) {
  const [, chatId, artifactId] = ARTIFACT.exec(file.url);
  const url = `/api/conversations/${encodeURIComponent(chatId)}/artifacts/${encodeURIComponent(artifactId)}`;
  const name = typeof file.name === 'string' && file.name ? file.name : 'file';
  const kind = kindOf(file, name);
  const li = element('li', `file-card kind-${kind}`);

  const open = element('a', 'file-open');
  open.href = '/artifacts?' + new URLSearchParams({ open: `${chatId}/${artifactId}` });
  open.setAttribute('aria-label', `Preview ${name}`);
  const thumb = element('span', 'file-thumb');
  const badge = badgeOf(name, kind);
  if (kind === 'images') {
    const img = element('img');
    img.src = url + '?inline=true';
    img.alt = '';
    img.loading = 'lazy';
    img.decoding = 'async';
    // common.js swaps an image that cannot be shown for this badge.
    img.dataset.fallback = badge;
    thumb.append(img);
  } else {
    thumb.append(element('span', 'badge', badge));
  }
  const meta = element('span', 'file-meta');
  const title = element('span', 'file-name', name);
  title.title = name;
  meta.append(title);
  if (Number.isFinite(file.size)) {
    meta.append(element('span', 'file-size', size(file.size)));
  }
  open.append(thumb, meta);

  const download = element('a', 'file-download', 'Download');
  download.href = url;
  download.download = name;
  download.setAttribute('aria-label', `Download ${name}`);
  li.append(open);
  if (kind === 'html') {
    // An HTML file runs in the artifacts panel too (panel.js), as one of the chat's versions.
    li.dataset.panel = panelAddress(chatId, artifactId);
    const run = element('button', 'open-artifact', 'Open');
    run.type = 'button';
    run.setAttribute('aria-label', `Open ${name} beside the chat`);
    li.append(run);
  }
  li.append(download);
  return li;
}

/** The gallery's kinds (ArtifactFiles/FileKinds), from what the reference says; only the card's look depends on it. */
function kindOf(file, name) {
  const type = typeof file.content_type === 'string' ? file.content_type : '';
  if (file.type === 'image' || type.startsWith('image/') || IMAGE.test(name)) {
    return 'images';
  }
  if (type === 'text/html' || type === 'application/xhtml+xml' || HTML.test(name)) {
    return 'html';
  }
  return CODE.test(name) ? 'code' : 'files';
}

/** The extension when short enough to read at a glance, else the kind (as the gallery's badges, GalleryCards.Badge). */
function badgeOf(name, kind) {
  const dot = name.lastIndexOf('.');
  const extension = dot > 0 ? name.slice(dot + 1).toUpperCase() : '';
  return extension.length > 0 && extension.length <= 5 ? extension : LABELS[kind];
}

/** Bytes as people read them: 512 B, 1.5 KB, 25 MB (as Html.Size on the server). */
function size(bytes) {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  if (unit === 0) {
    return `${bytes} B`;
  }
  return (value < 10 ? String(Math.round(value * 10) / 10) : String(Math.round(value))) + ' ' + units[unit];
}

// Small DOM helpers shared by every panel: element building, toasts, time.

/**
 * Builds an element: `el("div.card", {dataset: {taskId: "7"}}, "text", child)`.
 * Attributes starting with "on" become listeners; `dataset` and `style` are objects.
 */
export function el(spec, attrs = {}, ...children) {
  const [tag, ...classes] = spec.split(".");
  const node = document.createElement(tag || "div");
  if (classes.length) node.className = classes.join(" ");
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "dataset") Object.assign(node.dataset, value);
    else if (key === "style") Object.assign(node.style, value);
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (key === "text") node.textContent = value;
    else if (value === true) node.setAttribute(key, "");
    else node.setAttribute(key, String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** `replaceChildren` that skips null/false, as `el` does (the DOM would print "null"). */
export function setChildren(node, ...children) {
  node.replaceChildren(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
}

export const $ = (selector, root = document) => root.querySelector(selector);

const MAX_TOASTS = 4;
const TOAST_MS = 4500;

/** Shows a transient notice; `kind` is "info", "ok", "warn" or "error". */
export function toast(message, kind = "info", who = null) {
  const stack = $("#toasts");
  if (!stack) return;
  const item = el(`div.toast.toast-${kind}`, { role: "status", "data-testid": "toast" },
    who ? who : null, el("span.toast-text", {}, message));
  stack.append(item);
  while (stack.children.length > MAX_TOASTS) stack.firstElementChild.remove();
  setTimeout(() => {
    item.classList.add("leaving");
    setTimeout(() => item.remove(), 300);
  }, TOAST_MS);
}

/** "just now", "3 min ago", or a clock time for older moments. */
export function relativeTime(iso) {
  if (!iso) return "";
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return "";
  const seconds = Math.round((Date.now() - then) / 1000);
  if (seconds < 45) return "just now";
  if (seconds < 3600) return `${Math.round(seconds / 60)} min ago`;
  const date = new Date(then);
  const sameDay = new Date().toDateString() === date.toDateString();
  return sameDay
    ? date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })
    : date.toLocaleDateString([], { month: "short", day: "numeric" });
}

export function clockTime(date = new Date()) {
  return date.toLocaleTimeString([], { hour12: false });
}

export function debounce(fn, ms) {
  let timer = null;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}

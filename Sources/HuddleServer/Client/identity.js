// Who someone is on screen: ids derived from names, initials, stable colours.
import { el } from "./ui.js";

const USER_ID_MAX = 64;
const WORKSPACE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/**
 * Dev-mode user id from a display name: lower case, whitespace becomes "-",
 * anything outside [A-Za-z0-9_.@-] is dropped ("Mary Ann" → "mary-ann").
 * Returns "" when nothing is left (the server then makes a guest id).
 */
export function userIdFromName(name) {
  return name.trim().toLowerCase()
    .replace(/\s+/g, "-")
    .replace(/[^a-z0-9_.@-]/g, "")
    .slice(0, USER_ID_MAX);
}

export function isValidWorkspace(id) {
  return WORKSPACE_PATTERN.test(id);
}

export function isValidUserId(id) {
  return /^[A-Za-z0-9_.@-]{1,64}$/.test(id);
}

/** FNV-1a: a cheap, well-spread hash so a user keeps one colour everywhere. */
function hash(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The user's colour, derived from the id alone so every tab agrees. */
export function colorFor(userId) {
  const h = hash(userId);
  const hue = h % 360;
  const lightness = 42 + (h >> 9) % 10;
  return `hsl(${hue} 62% ${lightness}%)`;
}

export function initials(name) {
  const words = (name || "?").trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return "?";
  const first = [...words[0]][0] ?? "?";
  const last = words.length > 1 ? [...words[words.length - 1]][0] : "";
  return (first + last).toUpperCase();
}

/** A round avatar with initials; `size` is "sm", "md" or "lg". */
export function avatar(userId, name, size = "md", extra = {}) {
  return el(`span.avatar.avatar-${size}`, {
    title: name, "aria-hidden": "true", ...extra,
    style: { background: colorFor(userId) },
  }, initials(name));
}

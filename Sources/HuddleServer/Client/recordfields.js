// A records plugin's field schema (welcome.plugins[].fields) turned into form inputs and table cells.
import { el } from "./ui.js";
import { parseTags } from "./contacts.js";

/** The field types a records plugin may declare (docs/protocol.md, issue 15). */
const INPUT_TYPE = {
  string: "text", email: "email", url: "url", user: "text", tags: "text",
  integer: "number", number: "number", date: "date", datetime: "datetime-local",
};

export function isKnownType(field) {
  return field.type in INPUT_TYPE || ["text", "boolean", "enum"].includes(field.type);
}

export function fieldLabel(field) {
  const words = field.name.replaceAll("_", " ");
  return words[0].toUpperCase() + words.slice(1);
}

/** `datetime-local` works in local time without a zone; the server stores UTC instants. */
function toLocalInput(iso) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  return new Date(date.getTime() - date.getTimezoneOffset() * 60000).toISOString().slice(0, 16);
}

/** An input for one field; its value is set by `writeField`. */
export function fieldInput(field, testid) {
  const common = { name: field.name, "data-testid": testid, "aria-label": fieldLabel(field) };
  if (field.type === "text") return el("textarea", { ...common, rows: "2", maxlength: field.max_length });
  if (field.type === "boolean") return el("input", { ...common, type: "checkbox" });
  if (field.type === "enum") {
    // An empty choice clears an optional enum, and keeps a required one without a default
    // from silently taking its first value.
    const choices = field.required && field.default !== undefined ? field.values : ["", ...field.values];
    return el("select", common, choices.map((value) => el("option", { value }, value || "—")));
  }
  const attrs = { ...common, type: INPUT_TYPE[field.type] };
  if (field.type === "integer") attrs.step = "1";
  if (field.type === "number") attrs.step = "any";
  if (field.type === "integer" || field.type === "number") Object.assign(attrs, { min: field.min, max: field.max });
  if (field.type === "string") attrs.maxlength = field.max_length;
  if (field.type === "user") Object.assign(attrs, { list: "people-ids", placeholder: "user id" });
  if (field.type === "tags") attrs.placeholder = "comma, separated";
  return el("input", attrs);
}

export function writeField(field, input, value) {
  if (field.type === "boolean") input.checked = value === true;
  else if (field.type === "tags") input.value = (value ?? []).join(", ");
  else if (field.type === "datetime") input.value = value ? toLocalInput(value) : "";
  else input.value = value ?? "";
}

/** The input's value as the server wants it, or undefined when it is empty. */
export function readField(field, input) {
  if (field.type === "boolean") return input.checked;
  if (field.type === "tags") {
    const tags = parseTags(input.value);
    return tags.length ? tags : undefined;
  }
  const raw = field.type === "text" ? input.value : input.value.trim();
  if (raw === "") return undefined;
  if (field.type === "integer" || field.type === "number") return Number(raw);
  if (field.type === "datetime") return new Date(raw).toISOString();
  return raw;
}

/** What a table cell shows for a value. */
export function displayValue(field, value, nameOf) {
  if (value === null || value === undefined || value === "") return "";
  if (field.type === "boolean") return value ? "✓" : "—";
  if (field.type === "tags") return value.join(", ");
  if (field.type === "user") return nameOf(value);
  if (field.type === "number" || field.type === "integer") return Number(value).toLocaleString();
  if (field.type === "datetime") return new Date(value).toLocaleString([], { dateStyle: "medium", timeStyle: "short" });
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}

/** Equal as the server would store them (tags as lists, empty as absent). */
export function sameValue(a, b) {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

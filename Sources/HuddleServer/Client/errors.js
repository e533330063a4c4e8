// Server errors in words a tester can act on.

const PROBLEM_TEXT = {
  required: "is required",
  too_short: "is too short",
  too_long: "is too long",
  invalid_format: "is not valid",
  wrong_type: "has the wrong type",
  not_allowed: "is not allowed",
  duplicate: "is already used by another record",
  out_of_range: "is out of range",
  unknown_column: "is not a column of this board",
  wip_limit: "is at its WIP limit",
  too_many: "has too many entries",
  not_in_list: "is not one of the allowed values",
};

const CODE_TEXT = {
  forbidden: "You are not allowed to do that (your role or the record's owner says no).",
  not_found: "That record no longer exists.",
  conflict: "Someone else changed this first.",
  history_gone: "Missed too much history — reloaded everything.",
  too_large: "That is too large for the server.",
  rate_limited: "Slow down — the server is rate limiting this tab.",
  internal: "The server hit a bug; it has been logged.",
  unavailable: "Storage is failing on the server; nothing was saved.",
  disconnected: "Not connected — will retry when back online.",
  timeout: "The server did not answer in time.",
};

export function problemText(problem) {
  return PROBLEM_TEXT[problem] ?? problem.replaceAll("_", " ");
}

/** One sentence for an `error` message. */
export function describeError(error) {
  if (error?.code === "validation_failed" && Array.isArray(error.details) && error.details.length) {
    return error.details.map((d) => `${d.field} ${problemText(d.problem)}`).join("; ");
  }
  return CODE_TEXT[error?.code] ?? error?.message ?? "Something went wrong.";
}

/** Field → problem text, for marking form inputs. */
export function fieldProblems(error) {
  const result = {};
  for (const detail of error?.details ?? []) result[detail.field] = problemText(detail.problem);
  return result;
}

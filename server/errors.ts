// The one error catalogue. Chat logic throws `AppError`s; the transports turn
// them into an ack `{ok:false, error}` or an HTTP error body. Anything else
// thrown is a server fault: it is logged in full and the client only ever
// sees the catalogue's INTERNAL entry, never a stack or SQL text.
import { ZodError } from "zod";
import type { ErrorBody, ErrorCode } from "../common/protocol";

export const HTTP_STATUS: Record<ErrorCode, number> = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  RATE_LIMITED: 429,
  INTERNAL: 500,
};

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** For RATE_LIMITED: seconds until a retry may succeed (HTTP's Retry-After). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = "AppError";
  }
}

export const errors = {
  badRequest: (message = "Malformed request") => new AppError("BAD_REQUEST", message),
  unauthorized: (message = "Not signed in or the session has ended") => new AppError("UNAUTHORIZED", message),
  wrongCredentials: () => new AppError("UNAUTHORIZED", "Wrong username or password"),
  forbidden: (message = "Not allowed") => new AppError("FORBIDDEN", message),
  notMember: () => new AppError("FORBIDDEN", "You are not a member of this room"),
  roomNotFound: () => new AppError("NOT_FOUND", "No such room"),
  userNotFound: () => new AppError("NOT_FOUND", "No such user"),
  messageNotFound: () => new AppError("NOT_FOUND", "No such message"),
  notFound: (message = "Not found") => new AppError("NOT_FOUND", message),
  conflict: (message: string) => new AppError("CONFLICT", message),
  rateLimited: (message = "Too many requests; slow down", retryAfterSeconds?: number) =>
    new AppError("RATE_LIMITED", message, retryAfterSeconds),
  congested: () => new AppError("RATE_LIMITED", "Your connection is behind on what the server sent; try again once it catches up"),
  internal: () => new AppError("INTERNAL", "Something went wrong on the server"),
};

/** A readable one-line summary of what failed validation. */
export function describeZodError(err: ZodError): string {
  const issue = err.issues[0];
  if (!issue) return "Malformed request";
  const where = issue.path.length ? `${issue.path.map(String).join(".")}: ` : "";
  return `${where}${issue.message}`.slice(0, 200);
}

/** Maps anything thrown to what a client may see. `fault` says whether to log it as a server error. */
export function toErrorBody(err: unknown): { body: ErrorBody; fault: boolean } {
  if (err instanceof AppError) return { body: { code: err.code, message: err.message }, fault: false };
  if (err instanceof ZodError) return { body: { code: "BAD_REQUEST", message: describeZodError(err) }, fault: false };
  const internal = errors.internal();
  return { body: { code: internal.code, message: internal.message }, fault: true };
}

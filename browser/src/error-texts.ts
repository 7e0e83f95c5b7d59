// What the page says when a call fails. Each action has its own vocabulary
// for the codes it expects (a taken room name, an unknown user); anything
// else gets one of the general texts below.
import { errorCode } from "../../common/chat-error";

/** Why a send or a history page failed, in a few words after "Not sent:" or "Couldn’t load messages (…)". */
export function shortReason(err: unknown): string {
  switch (errorCode(err)) {
    case "TIMEOUT":
    case "NETWORK":
      return "no answer from the server";
    case "RATE_LIMITED":
      return "too many requests just now";
    case "FORBIDDEN":
      return "you are not a member of this room";
    case "BAD_REQUEST":
      return "the server refused this text";
    default:
      return "the server had a problem";
  }
}

function generalText(err: unknown): string {
  switch (errorCode(err)) {
    case "TIMEOUT":
    case "NETWORK":
      return "No answer from the server. Check your connection and try again.";
    case "RATE_LIMITED":
      return "Too many requests. Wait a moment and try again.";
    default:
      return (err as Error).message || "Something went wrong. Try again.";
  }
}

/** A user-facing Error for a failed call, in the call's own vocabulary (by code) or a general text. */
export function failure(err: unknown, vocabulary: Partial<Record<string, string>>): Error {
  return new Error(vocabulary[errorCode(err)] ?? generalText(err));
}

/** Runs a call; a refusal becomes an Error whose message the view shows as is. */
export async function explained<T>(call: Promise<T>, vocabulary: Partial<Record<string, string>>): Promise<T> {
  try {
    return await call;
  } catch (err) {
    throw failure(err, vocabulary);
  }
}

export const noUserNamed = (username: string) => `There is no user named “${username}”.`;

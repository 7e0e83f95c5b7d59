// Socket.IO event handlers: thin. Each one counts the event against its
// user's budget, validates the payload with the protocol's schema, calls chat
// logic, and answers the ack with a Result. An event of no known name is
// ignored, as Socket.IO ignores an event without a listener.
import type { Logger } from "pino";
import { Payloads, type AckData, type AckEventName, type Payload, type Result, type User } from "../../common/protocol";
import { isMemberOf, type Chat } from "../chat/chat";
import { addContact, listContacts, removeContact, suggestPeople } from "../chat/contacts";
import { deleteMessage, editMessage, history, search, sendMessage } from "../chat/messages";
import { socketConnected, socketDisconnected } from "../chat/presence";
import { markRead } from "../chat/reads";
import { browseRooms, createRoom, inviteToRoom, joinRoom, leaveRoom, listRooms, openDm, roomMembers } from "../chat/rooms";
import { errors, toErrorBody } from "../errors";
import type { Guards } from "../limits";
import type { Metrics } from "../metrics";
import type { ChatSocket } from "./types";

/**
 * Every payload is a JSON object. zod's z.object() also takes a Buffer or a
 * typed array (an object that is not an array), which Socket.IO hands over
 * for binary attachments, so anything but a plain object is refused first.
 */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

export type HandlerDeps = {
  chat: Chat;
  guards: Guards;
  logger: Logger;
  metrics: Metrics;
};

type Budget = (userId: string) => Promise<void>;

type Handler = {
  run(user: User, payload: never): Promise<unknown>;
  /** A budget this event counts against besides the per-user event budget that every event uses. */
  budget?: Budget;
  /** Answers that can be large or slow: refused while the socket is congested. */
  expensive?: boolean;
};

/** Per socket: whether its unsent backlog is past the mark where expensive answers wait (send-queue.ts). */
export type SocketState = { congested: () => boolean };

/**
 * The handlers are built once per app; each socket gets one catch-all
 * listener and one for disconnect (not a closure per event per socket: a
 * server holds thousands of sockets, and each byte of them counts).
 */
export function createHandlers({ chat, guards, logger, metrics }: HandlerDeps) {
  const table = new Map<string, Handler>();
  function on<E extends AckEventName>(event: E, run: (user: User, payload: Payload<E>) => Promise<AckData[E]>, options: Omit<Handler, "run"> = {}) {
    table.set(event, { run: run as Handler["run"], ...options });
  }
  const expensive = { expensive: true };
  const lookup = { budget: guards.lookup };
  on("room:create", (u, p) => createRoom(chat, u, p), { budget: guards.roomCreate });
  on("room:list", (u) => listRooms(chat, u), expensive);
  on("room:browse", (u, p) => browseRooms(chat, u, p), expensive);
  on("room:join", (u, p) => joinRoom(chat, u, p));
  on("room:leave", (u, p) => leaveRoom(chat, u, p));
  on("room:invite", (u, p) => inviteToRoom(chat, u, p), lookup);
  on("dm:open", (u, p) => openDm(chat, u, p), lookup);
  // Messages have their own per-user limit, applied after authorization, so
  // that a retry over the limit is still answered with what was stored.
  on("message", (u, p) => sendMessage(chat, u, p, () => guards.message(u.id)));
  on("history", (u, p) => history(chat, u, p), expensive);
  on("message:edit", (u, p) => editMessage(chat, u, p), { budget: guards.message });
  on("message:delete", (u, p) => deleteMessage(chat, u, p), { budget: guards.message });
  on("read", (u, p) => markRead(chat, u, p));
  on("search", (u, p) => search(chat, u, p), { budget: guards.search, expensive: true });
  on("contacts:add", (u, p) => addContact(chat, u, p), lookup);
  on("contacts:remove", (u, p) => removeContact(chat, u, p), lookup);
  on("contacts:list", (u) => listContacts(chat, u), expensive);
  on("room:members", (u, p) => roomMembers(chat, u, p), expensive);
  on("people:suggest", (u, p) => suggestPeople(chat, u, p), { budget: guards.suggest, expensive: true });

  // A logger per socket only when there is something to say.
  const log = (socket: ChatSocket) => logger.child({ userId: socket.data.user.id, socketId: socket.id });

  async function handle(socket: ChatSocket, state: SocketState, event: string, args: unknown[]): Promise<void> {
    const handler = table.get(event);
    if (!handler) return event === "typing" ? typing(socket, args[0]) : undefined;
    const started = performance.now();
    const user = socket.data.user;
    // The ack is the last argument, when there is one; a client may also omit the payload.
    const ack = typeof args[args.length - 1] === "function" ? (args.pop() as (r: Result<unknown>) => void) : null;
    const raw = args.length === 0 || args[0] === undefined ? {} : args[0];
    let result: Result<unknown>;
    try {
      // Counted before parsing, so a flood of garbage costs its sender as much as valid requests.
      await guards.event(user.id);
      await handler.budget?.(user.id);
      if (!isPlainObject(raw)) throw errors.badRequest("The payload must be an object");
      const parsed = Payloads[event as AckEventName].safeParse(raw);
      if (!parsed.success) throw parsed.error;
      if (handler.expensive && state.congested()) throw errors.congested();
      const data = await handler.run(user, parsed.data as never);
      // Asked again: answers computed side by side must not all join the backlog.
      if (handler.expensive && state.congested()) throw errors.congested();
      result = { ok: true, data };
    } catch (err) {
      const { body, fault } = toErrorBody(err);
      if (fault) {
        log(socket).error({ err, event }, "event handler failed");
        metrics.fault(event);
      } else if (logger.isLevelEnabled("debug")) {
        log(socket).debug({ event, code: body.code }, "event refused");
      }
      result = { ok: false, error: body };
    }
    ack?.(result);
    metrics.acked(event, (performance.now() - started) / 1000);
  }

  // typing has no ack: over the budget, malformed, or from a non-member, it is simply dropped.
  async function typing(socket: ChatSocket, payload: unknown): Promise<void> {
    const user = socket.data.user;
    try {
      await guards.event(user.id);
      const parsed = isPlainObject(payload) ? Payloads.typing.safeParse(payload) : null;
      if (!parsed?.success) return;
      const { roomId, typing: isTyping } = parsed.data;
      if (await isMemberOf(chat, roomId, user.id)) chat.typing.set(user, roomId, isTyping, socket.id);
    } catch (err) {
      if (toErrorBody(err).fault) log(socket).error({ err }, "typing failed");
    }
  }

  return function attach(socket: ChatSocket, state: SocketState): void {
    socket.onAny((event: string, ...args: unknown[]) => void handle(socket, state, event, args));
    socket.on("disconnect", (reason) => {
      chat.typing.socketGone(socket.id);
      // At shutdown every socket goes at once and storage is closing: nobody is left to tell.
      if (reason === "server shutting down") return;
      socketDisconnected(chat, socket.data.user, socket.id).catch((err: unknown) => log(socket).warn({ err }, "presence update failed"));
    });
    socketConnected(chat, socket.data.user, socket.id).catch((err: unknown) => log(socket).warn({ err }, "presence update failed"));
  };
}

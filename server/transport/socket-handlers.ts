// Socket.IO event handlers: thin. Each one counts the event against its
// user's budget, validates the payload with the protocol's schema, calls chat
// logic, and answers the ack with a Result.
import type { Logger } from "pino";
import { Payloads, type AckData, type AckEventName, type Payload, type Result } from "../../common/protocol";
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
  /** Whether the socket's unsent backlog is past the mark where expensive answers wait (send-queue.ts). */
  congested: () => boolean;
  metrics: Metrics;
};

type Budget = (userId: string) => Promise<void>;

type EventOptions = {
  /** A budget this event counts against besides the per-user event budget that every event uses. */
  budget?: Budget;
  /** Answers that can be large or slow: refused while the socket is congested. */
  expensive?: boolean;
};

export function registerHandlers(socket: ChatSocket, { chat, guards, logger, congested, metrics }: HandlerDeps): void {
  const user = socket.data.user;
  const log = logger.child({ userId: user.id, socketId: socket.id });

  function on<E extends AckEventName>(event: E, run: (payload: Payload<E>) => Promise<AckData[E]>, options: EventOptions = {}): void {
    const listener = async (...args: unknown[]) => {
      const started = performance.now();
      // The ack is the last argument, when there is one; a client may also omit the payload.
      const ack = typeof args[args.length - 1] === "function" ? (args.pop() as (r: Result<AckData[E]>) => void) : null;
      const raw = args.length === 0 || args[0] === undefined ? {} : args[0];
      let result: Result<AckData[E]>;
      try {
        // Counted before parsing, so a flood of garbage costs its sender as much as valid requests.
        await guards.event(user.id);
        await options.budget?.(user.id);
        if (!isPlainObject(raw)) throw errors.badRequest("The payload must be an object");
        const parsed = Payloads[event].safeParse(raw);
        if (!parsed.success) throw parsed.error;
        if (options.expensive && congested()) throw errors.congested();
        const data = await run(parsed.data as Payload<E>);
        // Asked again: answers computed side by side must not all join the backlog.
        if (options.expensive && congested()) throw errors.congested();
        result = { ok: true, data };
      } catch (err) {
        const { body, fault } = toErrorBody(err);
        if (fault) {
          log.error({ err, event }, "event handler failed");
          metrics.fault(event);
        }
        else log.debug({ event, code: body.code }, "event refused");
        result = { ok: false, error: body };
      }
      ack?.(result);
      metrics.acked(event, (performance.now() - started) / 1000);
    };
    // The typed `on` is keyed by event; the listener above is generic over it.
    socket.on(event, listener as never);
  }

  const expensive = { expensive: true };
  const lookup = { budget: guards.lookup };
  on("room:create", (p) => createRoom(chat, user, p), { budget: guards.roomCreate });
  on("room:list", () => listRooms(chat, user), expensive);
  on("room:browse", (p) => browseRooms(chat, user, p), expensive);
  on("room:join", (p) => joinRoom(chat, user, p));
  on("room:leave", (p) => leaveRoom(chat, user, p));
  on("room:invite", (p) => inviteToRoom(chat, user, p), lookup);
  on("dm:open", (p) => openDm(chat, user, p), lookup);
  // Messages have their own per-user limit, applied after authorization, so
  // that a retry over the limit is still answered with what was stored.
  on("message", (p) => sendMessage(chat, user, p, () => guards.message(user.id)));
  on("history", (p) => history(chat, user, p), expensive);
  on("message:edit", (p) => editMessage(chat, user, p), { budget: guards.message });
  on("message:delete", (p) => deleteMessage(chat, user, p), { budget: guards.message });
  on("read", (p) => markRead(chat, user, p));
  on("search", (p) => search(chat, user, p), { budget: guards.search, expensive: true });
  on("contacts:add", (p) => addContact(chat, user, p), lookup);
  on("contacts:remove", (p) => removeContact(chat, user, p), lookup);
  on("contacts:list", () => listContacts(chat, user), expensive);
  on("room:members", (p) => roomMembers(chat, user, p), expensive);
  on("people:suggest", (p) => suggestPeople(chat, user, p), { budget: guards.suggest, expensive: true });

  // typing has no ack: over the budget, malformed, or from a non-member, it is simply dropped.
  socket.on("typing", async (payload: unknown) => {
    try {
      await guards.event(user.id);
      const parsed = isPlainObject(payload) ? Payloads.typing.safeParse(payload) : null;
      if (!parsed?.success) return;
      const { roomId, typing } = parsed.data;
      if (await isMemberOf(chat, roomId, user.id)) chat.typing.set(user, roomId, typing, socket.id);
    } catch (err) {
      const { fault } = toErrorBody(err);
      if (fault) log.error({ err }, "typing failed");
    }
  });

  socket.on("disconnect", (reason) => {
    chat.typing.socketGone(socket.id);
    // At shutdown every socket goes at once and storage is closing: nobody is left to tell.
    if (reason === "server shutting down") return;
    socketDisconnected(chat, user, socket.id).catch((err: unknown) => log.warn({ err }, "presence update failed"));
  });
  socketConnected(chat, user, socket.id).catch((err: unknown) => log.warn({ err }, "presence update failed"));
}

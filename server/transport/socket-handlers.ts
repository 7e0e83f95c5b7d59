// Socket.IO event handlers: thin. Each one validates the payload with the
// protocol's schema, calls chat logic, and answers the ack with a Result.
import type { Logger } from "pino";
import { Payloads, type AckData, type AckEventName, type Payload, type Result } from "../../common/protocol";
import type { Chat } from "../chat/chat";
import { history, sendMessage } from "../chat/messages";
import { createRoom, inviteToRoom, joinRoom, leaveRoom, listRooms, openDm } from "../chat/rooms";
import { errors, toErrorBody } from "../errors";
import type { RateLimits } from "../rate-limits";
import type { ChatSocket } from "./types";

export type HandlerDeps = { chat: Chat; limits: RateLimits; logger: Logger };

export function registerHandlers(socket: ChatSocket, { chat, limits, logger }: HandlerDeps): void {
  const user = socket.data.user;
  const log = logger.child({ userId: user.id, socketId: socket.id });

  function on<E extends AckEventName>(event: E, run: (payload: Payload<E>) => Promise<AckData[E]>): void {
    const listener = async (...args: unknown[]) => {
      // The ack is the last argument, when there is one; a client may also omit the payload.
      const ack = typeof args[args.length - 1] === "function" ? (args.pop() as (r: Result<AckData[E]>) => void) : null;
      const raw = args.length === 0 || args[0] === undefined ? {} : args[0];
      let result: Result<AckData[E]>;
      try {
        const parsed = Payloads[event].safeParse(raw);
        if (!parsed.success) throw parsed.error;
        result = { ok: true, data: await run(parsed.data as Payload<E>) };
      } catch (err) {
        const { body, fault } = toErrorBody(err);
        if (fault) log.error({ err, event }, "event handler failed");
        else log.debug({ event, code: body.code }, "event refused");
        result = { ok: false, error: body };
      }
      ack?.(result);
    };
    // The typed `on` is keyed by event; the listener above is generic over it.
    socket.on(event, listener as never);
  }

  on("room:create", (p) => createRoom(chat, user, p));
  on("room:list", () => listRooms(chat, user));
  on("room:join", (p) => joinRoom(chat, user, p));
  on("room:leave", (p) => leaveRoom(chat, user, p));
  on("room:invite", (p) => inviteToRoom(chat, user, p));
  on("dm:open", (p) => openDm(chat, user, p));
  on("message", (p) => sendMessage(chat, user, p, () => limits.message(user.id)));
  on("history", (p) => history(chat, user, p));

  // Protocol v1 events whose logic lands in a later version of this server:
  // they answer a clear error instead of hanging the client's ack.
  for (const event of ["message:edit", "message:delete", "read", "search", "contacts:add", "contacts:remove", "contacts:list"] as const) {
    on(event, async () => {
      throw errors.notFound(`${event} is not available on this server yet`);
    });
  }
}

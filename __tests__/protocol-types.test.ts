// Compile-time checks of the event maps: `tsc --noEmit` (part of npm test)
// fails if a payload or ack type drifts. The runtime assertions only keep
// jest honest about the file having run.
import type { ChatClient } from "../common/client";
import { Payloads, type AckData, type ClientToServerEvents, type Message, type Payload, type Room } from "../common/protocol";

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const expectType = <T extends true>(value: T) => value;

test("ack data and payload types follow the protocol", () => {
  expectType<Equal<AckData["message"], Message>>(true);
  expectType<Equal<AckData["room:list"], Room[]>>(true);
  expectType<Equal<AckData["history"], Message[]>>(true);
  expectType<Equal<Payload<"history">, { roomId: string; before?: number; after?: number; limit?: number }>>(true);
  expectType<Equal<Parameters<ClientToServerEvents["typing"]>, [{ roomId: string; typing: boolean }]>>(true);
  expect(Object.keys(Payloads).sort()).toEqual(
    [
      "contacts:add",
      "contacts:list",
      "contacts:remove",
      "dm:open",
      "history",
      "message",
      "message:delete",
      "message:edit",
      "people:suggest",
      "read",
      "room:browse",
      "room:create",
      "room:invite",
      "room:join",
      "room:leave",
      "room:list",
      "room:members",
      "search",
      "typing",
    ].sort(),
  );
});

test("the client's call() refuses wrong payloads at compile time", () => {
  const typed = (client: ChatClient) => {
    void client.call("message", { roomId: "r", text: "t", clientId: "c" });
    // @ts-expect-error: limit is a number, never a string
    void client.call("history", { roomId: "r", limit: "10" });
    // @ts-expect-error: text is required
    void client.call("message", { roomId: "r", clientId: "c" });
    // @ts-expect-error: typing has no ack, so it is not a call
    void client.call("typing", { roomId: "r", typing: true });
  };
  expect(typeof typed).toBe("function");
});

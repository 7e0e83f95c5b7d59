// Text that is not well-formed Unicode is refused, or stored exactly as acknowledged.
import fc from "fast-check";
import type { Message, Room } from "../../common/protocol";
import { callRaw, uniqueName } from "../helpers/harness";
import { RUNS } from "./events";
import { expectRefusal, expectServerUp, fx, testAfterwards, useFuzzFixture } from "./fixture";

useFuzzFixture();

describe("text that is not well-formed Unicode (lone surrogates)", () => {
  // JSON carries a lone surrogate (`"\ud800"`) to the server intact. PROTOCOL.md counts code points and
  // promises the ack comes "only after the message is durably stored": so such text is either refused
  // as BAD_REQUEST, or stored, acknowledged and read back exactly as sent. Never acknowledged as one
  // string and stored as another.
  test("is refused with BAD_REQUEST, or acknowledged and stored exactly as sent (text, clientId, room name)", async () => {
    const lone = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));
    const piece = fc.oneof(fc.string({ maxLength: 3 }), lone, fc.constantFrom("😀", "é", " "));
    // Starts with "x": never only white space, and far below every length limit.
    const odd = fc.array(piece, { minLength: 1, maxLength: 6 }).map((parts) => `x${parts.join("")}`);
    let completed = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom("text", "clientId", "name"), odd, async (field, value) => {
        completed++;
        if (field === "name") {
          const result = await callRaw(fx.alice.socket, "room:create", { name: `${uniqueName("s")}${value}`, private: true });
          if (!result.ok) return expectRefusal(result, "BAD_REQUEST");
          const created = result.data as Room;
          const listed = (await fx.storage.listRooms(fx.alice.user.id, { unjoinedPublic: 0 })).find((r) => r.id === created.id);
          expect({ acked: created.name, stored: listed?.name }).toStrictEqual({ acked: created.name, stored: created.name });
          return;
        }
        const payload = { roomId: fx.publicRoom.id, text: "round trip", clientId: uniqueName("rt"), [field]: value };
        const result = await callRaw(fx.alice.socket, "message", payload);
        if (!result.ok) return expectRefusal(result, "BAD_REQUEST");
        const acked = result.data as Message;
        expect({ text: acked.text, clientId: acked.clientId }).toStrictEqual({ text: payload.text, clientId: payload.clientId });
        const stored = (await fx.storage.history(fx.publicRoom.id, { limit: 100 })).find((m) => m.id === acked.id);
        expect({ text: stored?.text, clientId: stored?.clientId }).toStrictEqual({ text: acked.text, clientId: acked.clientId });
      }),
      { numRuns: RUNS.loneSurrogates },
    );
    expect(completed).toBe(RUNS.loneSurrogates);
    await expectServerUp();
  });
});

testAfterwards();

// Live events as lines on the terminal, in the order they arrived (naming a
// room heard of for the first time may take a round trip, and must not let a
// later line overtake): messages, edits, system events, contacts' presence.
// Every delivered message also goes to the room directory, and the current
// room is marked read as its lines are printed.
import { mentionsUser } from "../../common/mentions";
import type { Message } from "../../common/protocol";
import { formatError, formatMessage, formatPresence, formatSystem, type MessageStyle } from "./format";
import type { CliState } from "./state";

/** A message line with its room's label and, if it mentions the user, the `!` marker. */
export async function renderMessage(state: CliState, m: Message, style: MessageStyle = {}): Promise<string> {
  return formatMessage(await state.labelOf(m.roomId), m, { mention: mentionsUser(m, state.me), ...style });
}

export function printLiveEvents(state: CliState): void {
  const { client, directory } = state;
  const later = (render: () => Promise<string> | string) => state.later(render);
  client.onMessage((m) => {
    directory.noteMessage(m);
    // Every live line is printed, so the current room's newest message is one the user has seen.
    if (m.roomId === state.current?.id) state.reads.mark(m.roomId, m.seq);
    later(() => renderMessage(state, m));
  });
  client.on("message:updated", (m) => {
    directory.noteEdit(undefined, m);
    later(() => renderMessage(state, m));
  });
  client.on("read", (e) => {
    if (e.user.id === state.me.id) directory.noteRead(e.roomId, e.seq);
  });
  client.on("system", (e) => later(async () => formatSystem(await state.labelOf(e.roomId), e)));
  client.on("presence", ({ user, online }) => {
    // Presence also comes for everyone who shares a room; only contacts are shown.
    if (state.setOnline(user, online)) later(() => formatPresence(user.username, online));
  });
  client.onError((err) => later(() => formatError(err)));
}

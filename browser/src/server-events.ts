// What the server tells the page, carried into the store and the client
// core's room directory, and said aloud (live region) or shown as a desktop
// notification where the user would want to hear of it.
import type { ChatClient } from "../../common/client";
import type { Message, Room } from "../../common/protocol";
import { roomLabel, systemEventText } from "../../common/wording";
import type { LiveAnnouncer } from "./live-announcer";
import type { Navigation } from "./navigation";
import type { Notifier } from "./notifications";
import type { PeopleLoader } from "./people-loader";
import type { SearchView } from "./search-view";
import type { Store } from "./store";

/** Only messages this fresh notify (not a long catch-up after a reconnect). */
const NOTIFY_MAX_AGE_MS = 60_000;

export type ServerEventDeps = {
  client: ChatClient;
  store: Store;
  people: PeopleLoader;
  navigation: Navigation;
  announcer: LiveAnnouncer;
  notifier: Notifier;
  search: SearchView;
};

export function listenToServer({ client, store, people, navigation, announcer, notifier, search }: ServerEventDeps): void {
  const { me, directory } = store;

  /** A desktop notification (if enabled, and the tab is hidden) for a direct message or a mention. */
  function notify(message: Message, room: Room, mentioned: boolean): void {
    if (!(mentioned || room.kind === "dm") || Date.now() - message.createdAt > NOTIFY_MAX_AGE_MS) return;
    notifier.notify(
      room.kind === "dm" ? message.sender.username : `${message.sender.username} in ${roomLabel(room)}`,
      message.text.length > 200 ? `${message.text.slice(0, 200)}…` : message.text,
      `message:${message.id}`,
      () => navigation.open(room.id),
    );
  }

  client.onMessage((message) => {
    const roomId = message.roomId;
    // Showing an older stretch, a live message is not added to the log, but it is new all the same.
    const skipped = !store.log(roomId).following && message.seq > (store.newestSeq(roomId) ?? 0);
    const added = store.addMessages(roomId, [message], "live");
    const news = directory.noteMessage(message);
    store.setTyping(roomId, message.sender, false);
    if (message.sender.id === me.id || (added.length === 0 && !skipped)) return;
    if (roomId === store.currentRoomId) {
      announcer.say(`${message.sender.username}: ${message.text}`);
    } else {
      const known = news.room;
      announcer.say(`New message from ${message.sender.username} in ${known ? (known.kind === "dm" ? "a direct message" : roomLabel(known)) : "a new conversation"}`);
    }
    // A room heard of first through this message is notified once the list says what it is (a dm?).
    if (news.room) notify(message, news.room, news.mentionsMe);
    else void news.listed?.then((room) => room && notify(message, room, news.mentionsMe));
  });

  client.on("message:updated", (message) => {
    const before = store.message(message.id);
    store.updateMessage(message);
    search.update(message);
    directory.noteEdit(before, message);
  });

  // The user's marker moved (this tab or another): their unread count follows.
  client.on("read", (event) => {
    if (event.user.id === me.id) directory.noteRead(event.roomId, event.seq);
  });

  client.on("typing", (event) => {
    if (event.user.id !== me.id) store.setTyping(event.roomId, event.user, event.typing);
  });

  client.on("presence", (event) => store.people.setOnline(event.user, event.online));

  client.on("system", (event) => {
    store.addSystem(event);
    if (event.user.id === me.id) {
      if (event.type === "member-left") {
        store.resetLog(event.roomId);
        store.people.forgetMembers(event.roomId);
        if (store.currentRoomId === event.roomId) store.setCurrent(null);
      }
      directory.refresh().catch((err: unknown) => console.warn("room:list failed", err));
    } else if (event.roomId === store.currentRoomId) {
      announcer.say(systemEventText(event));
    }
    // Who is in the room changed: the open room's list is asked again, others' when next opened.
    if (event.roomId === store.currentRoomId && store.room(event.roomId)?.joined) people.members(event.roomId);
    else store.people.forgetMembers(event.roomId);
  });
}

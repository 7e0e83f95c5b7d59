// The signed-in page: the ChatClient (socket.io-client reconnects and acks;
// ChatClient orders, dedupes and catches up), the client core's room
// directory and read markers, the store, the views, and the modules that
// connect them. It ends when the user logs out, when the server ends the
// session (a refused handshake, a disconnect that will not be retried), or
// when the server no longer speaks this page's protocol.
import { ChatClient } from "../../common/client";
import { Drafts } from "../../common/drafts";
import { Outbox } from "../../common/outbox";
import type { User } from "../../common/protocol";
import { ReadMarkers } from "../../common/read-markers";
import { RoomDirectory } from "../../common/room-directory";
import { forgetSignIn, logout } from "./account";
import { randomId } from "./dom";
import { pageStorage } from "./local-store";
import { createActions } from "./actions";
import { ActivityLoader } from "./activity-loader";
import { ConnectionBanner } from "./connection-banner";
import { HistoryPager } from "./history-pager";
import { LiveAnnouncer } from "./live-announcer";
import { Navigation } from "./navigation";
import { Notifier } from "./notifications";
import { keepTitle } from "./page-title";
import { buildPageViews } from "./page-views";
import { PeopleLoader } from "./people-loader";
import { PeopleSuggestions } from "./people-suggestions";
import { reportReading } from "./read-reporting";
import { SearchView } from "./search-view";
import { listenToServer } from "./server-events";
import { Store } from "./store";

/** Per call; a message that gets no ack in this time is tried again by the outbox (the same clientId). */
const ACK_TIMEOUT_MS = 8000;
const ENDED = "Your session has ended. Sign in again.";

/** Why the page ended: the user signed out, the session ended (with a notice), or the page is out of date. */
export type PageEnd = { why: "signed-out" } | { why: "ended"; notice: string } | { why: "outdated"; detail: string };

/** Starts the signed-in page in `root`; returns a function that tears it down. */
export function startChatPage(user: User, root: HTMLElement, onEnd: (end: PageEnd) => void): () => void {
  // The server authenticates the handshake with the session cookie: no token here. It accepts the
  // cookie only with the page's Origin header, which browsers send on the WebSocket handshake but
  // not on a same-origin polling GET: so WebSocket first (polling stays as a fallback).
  const client = new ChatClient({
    url: location.origin,
    ackTimeoutMs: ACK_TIMEOUT_MS,
    socket: { transports: ["websocket", "polling"], tryAllTransports: true },
  });
  const directory = new RoomDirectory(user, () => client.call("room:list", {}), (err) => console.warn("room:list failed", err));
  const reads = new ReadMarkers(directory, (roomId, seq) => client.call("read", { roomId, seq }), {
    canSend: () => client.socket.connected,
    onError: (err) => console.warn("read failed", err),
  });
  const outbox = new Outbox({
    send: (roomId, text, clientId) => client.call("message", { roomId, text, clientId }),
    canSend: () => client.socket.connected,
    onStored: (message) => store.addMessages(message.roomId, [message], "live"),
    newId: randomId,
  });
  // Straight from the socket, before the rooms are synced: what waited goes at once.
  client.socket.on("connect", () => outbox.reconnected());
  client.socket.on("disconnect", () => outbox.disconnected());
  const drafts = new Drafts(pageStorage, user.id);
  const store = new Store(user, directory, outbox);
  const pager = new HistoryPager(client, store);
  const people = new PeopleLoader(client, store);
  const navigation = new Navigation(store, pager, people, pageStorage);
  const actions = createActions({ client, store, reads, pager, people, navigation });

  const activity = new ActivityLoader(client, directory);
  const suggestions = new PeopleSuggestions(client, store);

  const banner = new ConnectionBanner();
  const announcer = new LiveAnnouncer();
  const notifier = new Notifier();
  const search = new SearchView(actions.search);
  const views = buildPageViews({
    store,
    actions,
    suggestions,
    drafts,
    navigation,
    banner,
    announcer,
    notifier,
    search,
    signOut: () => void signOut(),
  });
  root.replaceChildren(views.view.el);

  const stopTitle = keepTitle(store);
  const stopReading = reportReading(store, reads);
  listenToServer({ client, store, people, navigation, announcer, notifier, search });

  let ended = false;
  client.onConnectionChange((change) => {
    if (change.state === "retrying") {
      banner.set("retrying", { inMs: change.delayMs, tooMany: change.error.code === "RATE_LIMITED" });
      return;
    }
    if (change.state === "refused") {
      if (change.error.code === "UNSUPPORTED_PROTOCOL") end({ why: "outdated", detail: change.error.message });
      else if (change.error.code === "UNAUTHORIZED") end({ why: "ended", notice: ENDED });
      return;
    }
    if (change.state === "disconnected") {
      // Typing states end with the connection; the server will tell again who types after it.
      store.clearTyping();
      if (change.willReconnect) banner.set("offline");
      else end({ why: "ended", notice: ENDED });
      return;
    }
    banner.set(change.state === "connected" ? "online" : "reconnected");
    // A read that failed while away is tried again, against the marker the new list says the server has.
    reads.reconnected();
    directory.refresh().then(
      () => {
        navigation.openFromAddress();
        activity.refresh();
      },
      (err: unknown) => console.warn("room:list failed", err),
    );
    void people.contacts();
    const current = store.currentRoomId;
    if (current !== null) {
      pager.ensureNewest(current);
      people.members(current);
    }
  });
  client.onError((err) => console.warn("catch-up failed", err));

  function end(how: PageEnd): void {
    if (ended) return;
    ended = true;
    if (how.why === "ended") forgetSignIn();
    client.close();
    onEnd(how);
  }

  async function signOut(): Promise<void> {
    if (ended) return;
    ended = true;
    // What the user typed and did not send stays on this computer only for them, until they sign out.
    drafts.clear();
    try {
      await logout();
    } catch (err) {
      console.warn("logout failed", err);
    }
    client.close();
    onEnd({ why: "signed-out" });
  }

  return () => {
    ended = true;
    client.close();
    outbox.dispose();
    banner.dispose();
    announcer.dispose();
    search.dispose();
    views.dispose();
    store.clearTyping();
    stopTitle();
    stopReading();
    navigation.forget();
  };
}

// The signed-in page's views and dialogs, built and wired to the actions:
// the side panel (with contacts and notifications below the rooms), the room
// view with its welcome screen, search, the new-room, browse, room switcher
// and shortcuts dialogs, and the keyboard shortcuts that open them.
import type { Drafts } from "../../common/drafts";
import type { createActions } from "./actions";
import { AppView } from "./app-view";
import { BrowseRooms } from "./browse-rooms";
import type { ConnectionBanner } from "./connection-banner";
import { ContactsPanel } from "./contacts-panel";
import { HelpPanel } from "./help-panel";
import type { LiveAnnouncer } from "./live-announcer";
import { pageStorage } from "./local-store";
import type { Navigation } from "./navigation";
import { NewRoomDialog } from "./new-room-dialog";
import type { Notifier } from "./notifications";
import type { PeopleSuggestions } from "./people-suggestions";
import { RoomSwitcher } from "./room-switcher";
import { RoomView } from "./room-view";
import type { SearchView } from "./search-view";
import { listenForShortcuts } from "./shortcuts";
import { Sidebar } from "./sidebar";
import type { Store } from "./store";

export type PageViewDeps = {
  store: Store;
  actions: ReturnType<typeof createActions>;
  suggestions: PeopleSuggestions;
  drafts: Drafts;
  navigation: Navigation;
  banner: ConnectionBanner;
  announcer: LiveAnnouncer;
  notifier: Notifier;
  search: SearchView;
  signOut(): void;
};

export function buildPageViews(deps: PageViewDeps): { view: AppView; dispose(): void } {
  const { store, actions, suggestions, navigation } = deps;
  const rooms = actions.rooms;
  const newRoom = new NewRoomDialog(rooms.create);
  const browse = new BrowseRooms(store, { ...rooms, newRoom: (name) => newRoom.open(name) });
  const switcher = new RoomSwitcher(store, { open: rooms.open, join: rooms.join, newRoom: (name) => newRoom.open(name) });
  const help = new HelpPanel();
  const contacts = new ContactsPanel(store, actions.contacts, suggestions);
  const sidebar = new Sidebar(store, { ...rooms, newRoom: () => newRoom.open(), browse: () => browse.open() }, suggestions, [
    contacts.el,
    deps.notifier.el,
  ]);
  const roomView = new RoomView({
    store,
    actions: actions.room,
    welcome: {
      general: rooms.general,
      newRoom: () => newRoom.open(),
      browse: () => browse.open(),
      startDm: () => {
        if (view.isNarrow()) view.setPanel(true);
        // After the panel has put focus on its first entry.
        queueMicrotask(() => sidebar.startDm());
      },
      showRooms: () => view.setPanel(true),
    },
    announcer: deps.announcer.el,
    drafts: deps.drafts,
    suggestions,
    storage: pageStorage,
  });
  const view = new AppView(store, deps.banner, sidebar, roomView, deps.search, deps.signOut, () => help.open());
  navigation.hooks = { roomChosen: () => view.roomChosen(), searchDone: () => view.searchDone() };

  const stopShortcuts = listenForShortcuts({
    switchRoom: () => switcher.open(),
    moveRoom(delta) {
      const order = sidebar.roomOrder();
      if (order.length === 0) return;
      const at = order.indexOf(store.currentRoomId ?? "");
      const next = at < 0 ? order[delta > 0 ? 0 : order.length - 1] : order[at + delta];
      if (next) navigation.open(next);
    },
    help: () => help.open(),
  });

  return {
    view,
    dispose() {
      stopShortcuts();
      for (const dialog of [newRoom, browse, switcher, help]) dialog.dispose();
      view.dispose();
    },
  };
}

// The one keyed reconcile of the page: a parent keeps one element per key,
// in the order given. An element whose key was there before is reused (so
// focus, hover and scroll position survive an update), filled again only
// when its signature changed, and moved only when it is out of place.
export type KeyedView<T> = {
  key(item: T): string;
  /** Everything the element shows, as one string: unchanged means nothing to redraw. */
  signature(item: T): string;
  create(item: T): HTMLElement;
  fill(item: T, el: HTMLElement): void;
};

export function reconcile<T>(parent: HTMLElement, items: readonly T[], view: KeyedView<T>): void {
  const existing = new Map<string, HTMLElement>();
  for (const child of Array.from(parent.children)) {
    const el = child as HTMLElement;
    if (el.dataset.key !== undefined) existing.set(el.dataset.key, el);
  }
  items.forEach((item, index) => {
    const key = view.key(item);
    let el = existing.get(key);
    existing.delete(key);
    if (!el) {
      el = view.create(item);
      el.dataset.key = key;
    }
    const signature = view.signature(item);
    if (el.dataset.signature !== signature) {
      el.dataset.signature = signature;
      view.fill(item, el);
    }
    if (parent.children[index] !== el) parent.insertBefore(el, parent.children[index] ?? null);
  });
  for (const stale of existing.values()) stale.remove();
}

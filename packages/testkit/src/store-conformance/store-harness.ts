import type { Store } from '@memgate/core';

/** How the suite reaches a store implementation. */
export interface StoreConformanceOptions {
  /** Shown in the suite's title, e.g. `sqlite`. */
  name: string;
  /**
   * Opens a store on the suite's database — the same database every time, so a store opened
   * after another was closed must see what it wrote. The suite migrates and closes it.
   */
  open: () => Promise<Store>;
  /** Empties the database. Called before each test, while no store on it is open. */
  reset: () => Promise<void>;
}

/** The store under test, with the means to close and reopen it, as each test sees it. */
export class StoreHarness {
  readonly #options: StoreConformanceOptions;
  #store: Store | undefined;
  #open = false;

  constructor(options: StoreConformanceOptions) {
    this.#options = options;
  }

  /** The store of the running test. */
  get store(): Store {
    if (!this.#store) throw new Error('No store is open: the store harness runs only inside a test.');
    return this.#store;
  }

  /** Starts a test on an empty, migrated database. */
  async start(): Promise<void> {
    await this.#options.reset();
    await this.reopen();
  }

  /** Closes the current store, if still open, then opens and migrates a new one on the same database. */
  async reopen(): Promise<Store> {
    await this.close();
    const store = await this.#options.open();
    this.#store = store;
    this.#open = true;
    await store.migrate();
    return store;
  }

  /** Closes the current store once; safe to call again. */
  async close(): Promise<void> {
    if (this.#store && this.#open) {
      this.#open = false;
      await this.#store.close();
    }
  }
}

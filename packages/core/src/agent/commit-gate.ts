import type { ContextWindowState } from '../context/context-manager.ts';
import type { StoredMessage } from '../domain/types.ts';

/**
 * The turn's first commit (the client's new messages) running beside the first upstream call.
 * The guarantee it keeps: nothing of the reply reaches the client, and nothing else is written,
 * before that commit is durable; a commit that fails aborts the upstream call (through `signal`)
 * and the turn fails with the commit's error, as if it had been awaited first.
 */
export class CommitGate {
  /** Aborts the turn's upstream calls: when the client leaves, or when the commit fails. */
  readonly signal: AbortSignal;
  readonly #abort = new AbortController();
  #pending: Promise<void> | null = null;
  #failure: { error: unknown } | null = null;

  readonly #unlink: () => void;

  constructor(clientSignal: AbortSignal | undefined) {
    this.signal = this.#abort.signal;
    // Linked by hand rather than with AbortSignal.any, whose signals Node tracks for the garbage
    // collector: that costs more than a listener removed when the turn ends.
    const follow = () => this.#abort.abort(clientSignal?.reason);
    if (clientSignal?.aborted) follow();
    else clientSignal?.addEventListener('abort', follow, { once: true });
    this.#unlink = () => clientSignal?.removeEventListener('abort', follow);
  }

  /** Stops following the client's signal (the turn is over). */
  dispose(): void {
    this.#unlink();
  }

  /**
   * Starts waiting on `commit` of messages the window already holds as `provisional` rows (seqs
   * guessed from the window's last one); once stored, the stored rows take their places.
   */
  begin(commit: Promise<StoredMessage[]>, window: ContextWindowState, provisional: StoredMessage[]): void {
    this.#pending = commit.then(
      (stored) => {
        provisional.forEach((row, index) => {
          const at = window.messages.indexOf(row);
          const storedRow = stored[index];
          if (at >= 0 && storedRow) window.messages[at] = storedRow;
        });
      },
      (error: unknown) => {
        this.#failure = { error };
        this.#abort.abort(error);
      },
    );
  }

  /** Resolves once the commit is durable (at once when none is pending); throws the commit's error. */
  async durable(): Promise<void> {
    if (this.#pending) await this.#pending;
    this.#pending = null;
    if (this.#failure) throw this.#failure.error;
  }

  /** What a failed step reports: the commit's error if the commit failed, else the step's own. */
  async reported(error: unknown): Promise<unknown> {
    await this.settled();
    return this.#failure ? this.#failure.error : error;
  }

  /** Waits for the commit to end either way (the turn keeps the agent's lock until then). */
  async settled(): Promise<void> {
    if (this.#pending) await this.#pending;
  }
}

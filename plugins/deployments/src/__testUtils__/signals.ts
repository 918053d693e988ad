import type { SignalApi } from '@backstage/plugin-signals-react';
import { act } from '@testing-library/react';

/**
 * A signals API whose messages the test sends, as the signals plugin
 * delivers what the backend publishes on a channel.
 */
export class FakeSignalApi implements SignalApi {
  private readonly listeners = new Map<string, Set<(m: object) => void>>();

  subscribe(channel: string, onMessage: (message: any) => void) {
    const listener = onMessage;
    const set = this.listeners.get(channel) ?? new Set();
    set.add(listener);
    this.listeners.set(channel, set);
    return { unsubscribe: () => set.delete(listener) };
  }

  /** Delivers `message` to every subscriber of `channel`. */
  publish(channel: string, message: object) {
    act(() => {
      for (const listener of this.listeners.get(channel) ?? []) {
        listener(message);
      }
    });
  }

  subscribers(channel: string): number {
    return this.listeners.get(channel)?.size ?? 0;
  }
}

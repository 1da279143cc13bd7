import { useEffect, useRef, useState } from 'react';

/**
 * True for a moment after the block changes (not on first render), so a block the agent just
 * rewrote catches the eye. The CSS animation of `.block-flash` ends it (`done` on animationend);
 * with reduced motion the style is a short, motionless outline that ends the same way.
 */
export function useChangeFlash(version: number | null | undefined, value: string) {
  const key = `${version ?? ''}:${value}`;
  const previous = useRef(key);
  const [flashing, setFlashing] = useState(false);
  useEffect(() => {
    // Compared with the last key seen (not "skip the first run"): effects may run twice on mount.
    if (previous.current === key) return;
    previous.current = key;
    setFlashing(true);
  }, [key]);
  return { flashing, done: () => setFlashing(false) };
}

import { useEffect, useRef } from 'react';

/**
 * A ref focused when `when` turns true (not when it starts true): the control that replaces the
 * one just pressed (Edit → Cancel, Delete → Keep) takes the focus, so a keyboard user is not
 * dropped back to the top of the page.
 */
export function useFocusWhen<T extends HTMLElement>(when: boolean) {
  const ref = useRef<T>(null);
  const previous = useRef(when);
  useEffect(() => {
    if (when && !previous.current) ref.current?.focus();
    previous.current = when;
  }, [when]);
  return ref;
}

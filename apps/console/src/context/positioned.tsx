import { type ReactNode, useLayoutEffect, useRef } from 'react';

interface PositionedProps {
  className: string;
  /** Left edge, in percent of the parent. */
  left: number;
  /** Width in percent of the parent; left to the stylesheet when absent. */
  width?: number;
  children?: ReactNode;
}

/**
 * A box placed along its parent in percent. The CSP on /console forbids `style=` attributes, so the
 * position is set through the CSSOM (element.style), which the policy allows.
 */
export function Positioned({ className, left, width, children }: PositionedProps) {
  const ref = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    element.style.left = `${left}%`;
    if (width !== undefined) element.style.width = `${width}%`;
  }, [left, width]);
  return (
    <div ref={ref} className={className}>
      {children}
    </div>
  );
}

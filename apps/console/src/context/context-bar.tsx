import {
  barSegments,
  type ContextTokens,
  contextValueText,
  formatTokens,
  markerPosition,
  percentOf,
} from './context-math.ts';
import { Positioned } from './positioned.tsx';

interface ContextBarProps {
  tokens: ContextTokens;
  contextWindow: number;
  thresholds: { memoryPressure: number; summarise: number };
}

/**
 * The context window as one meter (named "Context window"), drawn as the prompt's parts end to end,
 * with the memory-pressure and summarise thresholds marked. A meter's content is presentational,
 * so the numbers are in the legend, and the thresholds are labelled again below the bar.
 */
export function ContextBar({ tokens, contextWindow, thresholds }: ContextBarProps) {
  const markers = [
    { key: 'pressure', name: 'Memory pressure', at: thresholds.memoryPressure },
    { key: 'summarise', name: 'Summarise', at: thresholds.summarise },
  ].map((marker) => ({ ...marker, left: markerPosition(marker.at, tokens, contextWindow) }));
  return (
    <div className="context-bar-wrap">
      {/* biome-ignore lint/a11y/useSemanticElements: a native <meter> cannot hold the segments and markers drawn inside it. */}
      <div
        role="meter"
        aria-label="Context window"
        aria-valuemin={0}
        aria-valuemax={contextWindow}
        aria-valuenow={tokens.total}
        aria-valuetext={contextValueText(tokens.total, contextWindow)}
        className="context-bar"
      >
        {barSegments(tokens, contextWindow).map((segment) => (
          <Positioned
            key={segment.key}
            className={`context-segment context-${segment.key}`}
            left={segment.start}
            width={segment.width}
          />
        ))}
        {markers.map((marker) => (
          <Positioned key={marker.key} className="context-marker" left={marker.left} />
        ))}
      </div>
      <div className="context-marker-labels">
        {markers.map((marker) => (
          <Positioned key={marker.key} className="context-marker-label" left={marker.left}>
            {percentOf(marker.at, contextWindow)}%
          </Positioned>
        ))}
      </div>
      <ul className="context-thresholds">
        {markers.map((marker) => (
          <li key={marker.key}>
            {marker.name} at {percentOf(marker.at, contextWindow)}%: {formatTokens(marker.at)} tokens
          </li>
        ))}
      </ul>
    </div>
  );
}

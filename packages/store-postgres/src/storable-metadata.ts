import type { AgentSettings } from '@memgate/core';
import { agentSettingsOf } from '@memgate/core/store-kit';
import { storable } from './postgres-errors.ts';

/** String pairs as JSONB text PostgreSQL can hold (no U+0000 in keys or values), or NULL. */
export function storableMetadata(metadata: Record<string, string> | null): string | null {
  if (metadata === null) return null;
  return JSON.stringify(
    Object.fromEntries(Object.entries(metadata).map(([key, value]) => [storable(key), storable(value)])),
  );
}

/** An agent's settings as JSONB text, every field present and the model names storable. */
export function storableSettings(settings: AgentSettings): string {
  return JSON.stringify(agentSettingsOf(settings, storable));
}

/** One item of an MCP tool result's `content`. */
interface ContentItem {
  type: string;
  text?: string;
  mimeType?: string;
  uri?: string;
  name?: string;
  resource?: { uri?: string; text?: string; mimeType?: string };
}

/**
 * A tool result's content as the text an agent reads: text items as they are, other items as a
 * short note of what they were (a model gets no images through a tool result here), and the
 * structured content as JSON when the server sent nothing else.
 */
export function toolResultText(result: { content?: unknown; structuredContent?: unknown }): string {
  const items = Array.isArray(result.content) ? (result.content as ContentItem[]) : [];
  const parts = items.map((item) => {
    switch (item.type) {
      case 'text':
        return item.text ?? '';
      case 'image':
      case 'audio':
        return `[${item.type}: ${item.mimeType ?? 'unknown type'}]`;
      case 'resource':
        return item.resource?.text ?? `[resource: ${item.resource?.uri ?? 'unknown'}]`;
      case 'resource_link':
        return `[resource link: ${item.uri ?? ''}${item.name ? ` (${item.name})` : ''}]`;
      default:
        return `[${item.type}]`;
    }
  });
  if (parts.length === 0 && result.structuredContent !== undefined) return JSON.stringify(result.structuredContent);
  return parts.join('\n');
}

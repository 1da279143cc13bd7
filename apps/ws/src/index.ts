export type { ChannelConnection } from './channel-connection.ts';
export { type ChatChannel, type ChatChannelOptions, type ChatChannelStats, createChatChannel } from './chat-channel.ts';
export type { SendBufferStats } from './socket-transport.ts';

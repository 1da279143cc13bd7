export * from './content-parts.ts';
export * from './image-source.ts';

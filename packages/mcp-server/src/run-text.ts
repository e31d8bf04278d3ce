/**
 * Readable summaries of runs for the text part of tool results (server-kit's, shared with the operations).
 */
export { runHeadline, runText } from '@populace/server-kit';

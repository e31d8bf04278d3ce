/**
 * @populace/analyzer/testing: a scripted tool-calling chat model for testing
 * the analyzer (or any LangChain agent) without a provider.
 */
export { ScriptedChatModel } from './scripted-chat-model.js';
export type { ScriptContext, ScriptedChatModelOptions, ScriptedToolCall, ScriptToolResult, ScriptTurn, TextTurn, ToolCallTurn } from './scripted-chat-model.js';

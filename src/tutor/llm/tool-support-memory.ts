/**
 * Which model endpoints refused tools, remembered for the life of the process, so that the answerer asks each one at
 * most once and logs the switch to retrieve-then-generate once. Created by the app root and shared by every answerer
 * of the process; keyed by endpoint and model (`openai:qwen2.5:7b@localhost:11434`), since one server may serve models
 * with and without tool support.
 */
export interface ToolSupportMemory {
  refusesTools(endpointKey: string): boolean;
  /** Records a refusal; true the first time for this key (the moment to log it). */
  markRefused(endpointKey: string): boolean;
}

export function createToolSupportMemory(): ToolSupportMemory {
  const refused = new Set<string>();
  return {
    refusesTools: (endpointKey) => refused.has(endpointKey),
    markRefused(endpointKey) {
      if (refused.has(endpointKey)) return false;
      refused.add(endpointKey);
      return true;
    },
  };
}

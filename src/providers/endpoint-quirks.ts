/**
 * What this process has learned about model endpoints that differ from OpenAI's: which reject `stream_options` (asked
 * again without it, and from then on never with it). Keyed by endpoint and model (`openai:<model>@<host>`). The app
 * root makes one and gives it to every chat model it creates.
 */
export interface EndpointQuirks {
  rejectsStreamOptions(endpointKey: string): boolean;
  markRejectsStreamOptions(endpointKey: string): void;
}

export function createEndpointQuirks(): EndpointQuirks {
  const noStreamOptions = new Set<string>();
  return {
    rejectsStreamOptions: (endpointKey) => noStreamOptions.has(endpointKey),
    markRejectsStreamOptions: (endpointKey) => {
      noStreamOptions.add(endpointKey);
    },
  };
}

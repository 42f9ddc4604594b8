import type { Server, Socket as ServerSocket } from 'socket.io';
import type { Socket as ClientSocket } from 'socket.io-client';
import { describe, expectTypeOf, it } from 'vitest';
import type { TutorSocketServer } from '../../src/server/socket-gateway.js';
import type {
  AskAck,
  ChatOrExplainRequest,
  ChatResponse,
  ClientToServerEvents,
  ErrorBody,
  ServerToClientEvents,
} from '../../src/shared/chat-protocol.js';
import type { TutorAnswer } from '../../src/tutor/tutor-types.js';

/**
 * Type-level tests of the wire contract: `npm test` type-checks this file, so a change that lets the server and the
 * widget disagree on an event (a renamed field, a missing acknowledgement) fails here before any test runs.
 */
type TutorClientSocket = ClientSocket<ServerToClientEvents, ClientToServerEvents>;
type TutorServerSocket = ServerSocket<ClientToServerEvents, ServerToClientEvents>;

describe('the socket.io protocol, on both sides', () => {
  it('the server is typed with the shared events', () => {
    expectTypeOf<TutorSocketServer>().toEqualTypeOf<Server<ClientToServerEvents, ServerToClientEvents>>();
  });

  it('a client asks with a message or an explain request, and an acknowledgement', () => {
    expectTypeOf<TutorClientSocket['emit']>().toBeCallableWith('ask', { message: '微调是什么？' }, (_result: AskAck) => undefined);
    expectTypeOf<TutorClientSocket['emit']>().toBeCallableWith(
      'ask',
      { conversationId: 'c'.repeat(22), explain: { messageId: 'm', style: 'simpler' } },
      (_result: AskAck) => undefined,
    );
    expectTypeOf<Parameters<ClientToServerEvents['ask']>[0]>().toEqualTypeOf<ChatOrExplainRequest>();
    // An explain style outside the contract does not type-check.
    expectTypeOf<{ messageId: string; style: 'poem' }>().not.toExtend<NonNullable<ChatOrExplainRequest['explain']>>();
  });

  it('the acknowledgement carries the ids, or an error body', () => {
    expectTypeOf<AskAck>().toEqualTypeOf<{ conversationId: string; messageId: string } | { error: ErrorBody }>();
  });

  it('the server emits deltas, resets, and exactly one of done or error per message', () => {
    expectTypeOf<Parameters<ServerToClientEvents['answer:delta']>[0]>().toEqualTypeOf<{ messageId: string; text: string }>();
    expectTypeOf<Parameters<ServerToClientEvents['answer:reset']>[0]>().toEqualTypeOf<{ messageId: string }>();
    expectTypeOf<Parameters<ServerToClientEvents['answer:done']>[0]>().toEqualTypeOf<ChatResponse & { messageId: string }>();
    expectTypeOf<Parameters<ServerToClientEvents['answer:error']>[0]>().toEqualTypeOf<{ messageId: string } & ErrorBody>();
    expectTypeOf<TutorServerSocket['emit']>().toBeCallableWith('answer:delta', { messageId: 'm', text: '微调' });
    expectTypeOf<keyof ServerToClientEvents>().toEqualTypeOf<'answer:delta' | 'answer:reset' | 'answer:done' | 'answer:error'>();
  });

  it('a done event carries what the tutor answered, field for field', () => {
    expectTypeOf<ChatResponse['answer']>().toEqualTypeOf<TutorAnswer['answer']>();
    expectTypeOf<ChatResponse['grounded']>().toEqualTypeOf<TutorAnswer['grounded']>();
    expectTypeOf<ChatResponse['mode']>().toEqualTypeOf<TutorAnswer['mode']>();
    expectTypeOf<NonNullable<ChatResponse['language']>>().toEqualTypeOf<TutorAnswer['language']>();
    expectTypeOf<ChatResponse['citations'][number]['chunkId']>().toEqualTypeOf<TutorAnswer['citations'][number]['chunkId']>();
  });
});
